"""A table that a chapter displays once: an HTML table in the pages, aligned text for nbval.

Printing a table row by row puts each `print` in its own output box and clips wide columns at the
page edge. A `Table` is one display object with two representations: `text/html` (what the HTML
book and Jupyter show, wrapped to the column by the browser) and `text/plain` (what nbval compares
and a terminal shows).

    Table(["model", "accuracy"], [["logistic regression", 0.911]], formats={"accuracy": "{:.1%}"})
"""

from __future__ import annotations

import html
import numbers
import re
from typing import Any, Mapping, Sequence

__all__ = ["Table"]

# a pre-formatted number ("0.911", "96%", "-1.2e-05") or a placeholder for a missing one
_NUMBER_TEXT = re.compile(r"^([-+]?[\d,]*\.?\d+(e[-+]?\d+)?%?|-|)$")


def _looks_numeric(value: Any) -> bool:
    if value is None or (isinstance(value, numbers.Number) and not isinstance(value, bool)):
        return True
    return isinstance(value, str) and bool(_NUMBER_TEXT.match(value.strip()))


class Table:
    """Rows of values under named columns, displayed as HTML and as plain text.

    Args:
        columns: the column names, in order.
        rows: one sequence of values per row, each as long as `columns`.
        formats: optional format string per column name (`"{:.3f}"`, `"{:.0%}"`), applied to every
            value of the column but text ("diverged"); other columns are shown with `str`. None is shown as an empty cell.
        caption: optional line shown above the table.
    """

    def __init__(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        formats: Mapping[str, str] | None = None,
        caption: str | None = None,
    ) -> None:
        self.columns = [str(c) for c in columns]
        if not self.columns:
            raise ValueError("a Table needs at least one column name")
        formats = dict(formats or {})
        unknown = sorted(set(formats) - set(self.columns))
        if unknown:
            raise ValueError(f"formats names unknown column(s) {unknown}; the columns are {self.columns}")
        self.rows = []
        for i, row in enumerate(rows):
            row = list(row)
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {i} has {len(row)} values but there are {len(self.columns)} columns "
                    f"{self.columns}; give one value per column (None for an empty cell)"
                )
            self.rows.append(row)
        self.formats = formats
        self.caption = caption
        # numbers align right, as in a printed table; a column is numeric if all its values are
        self._numeric = [
            bool(self.rows) and all(_looks_numeric(r[j]) for r in self.rows)
            for j in range(len(self.columns))
        ]

    def _cell(self, j: int, value: Any) -> str:
        if value is None:
            return ""
        fmt = self.formats.get(self.columns[j])
        return fmt.format(value) if fmt and not isinstance(value, str) else str(value)

    def cells(self) -> list[list[str]]:
        """The formatted text of every cell, row by row."""
        return [[self._cell(j, v) for j, v in enumerate(row)] for row in self.rows]

    def to_text(self) -> str:
        """The table as aligned plain text: a header line, a rule, one line per row."""
        cells = self.cells()
        widths = [max([len(c)] + [len(r[j]) for r in cells]) for j, c in enumerate(self.columns)]

        def line(values):
            parts = [
                v.rjust(w) if numeric else v.ljust(w)
                for v, w, numeric in zip(values, widths, self._numeric)
            ]
            return "  ".join(parts).rstrip()

        lines = [self.caption] if self.caption else []
        lines += [line(self.columns), "  ".join("-" * w for w in widths)]
        lines += [line(r) for r in cells]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The table as an HTML `<table>` (escaped), numeric columns right-aligned."""
        esc = html.escape

        def td(tag, value, numeric):
            style = ' style="text-align: right"' if numeric else ""
            return f"<{tag}{style}>{esc(value)}</{tag}>"

        head = "".join(td("th", c, n) for c, n in zip(self.columns, self._numeric))
        body = "".join(
            "<tr>" + "".join(td("td", v, n) for v, n in zip(r, self._numeric)) + "</tr>"
            for r in self.cells()
        )
        caption = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        return (
            f'<table class="gan-book-table">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython's text/plain
        printer.text(self.to_text())
