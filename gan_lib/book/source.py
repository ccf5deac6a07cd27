"""`show_source`: a class's or function's real source, rendered in the page.

A chapter that shows a model or a training step with `show_source(DCGANGenerator)` displays the
code that actually runs, read from the installed `gan_lib` when the cell executes, so the page
cannot drift from the library: change the code and the next execution shows the change (and the
committed output stops matching, which nbval reports). Docstrings can be left out to keep a
listing to one screen; line numbers are those of the file, so a sentence can point at a line.
"""

from __future__ import annotations

import ast
import html
import inspect
import textwrap
from dataclasses import dataclass
from pathlib import Path

try:  # IPython depends on pygments, so a notebook kernel has it; without it, plain listings
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
except ModuleNotFoundError:
    highlight = None

__all__ = ["SourceListing", "show_source"]


@dataclass(frozen=True)
class SourceListing:
    """The source of one object: `lines` as (file line number, text) pairs, and where it lives.

    Displays as highlighted HTML in a notebook (line numbers on the left when `numbered`) and as
    plain text elsewhere (`print`, nbval's comparison, a terminal).
    """

    name: str
    path: str
    lines: tuple[tuple[int, str], ...]
    numbered: bool = False

    @property
    def code(self) -> str:
        """The listed code, dedented, without line numbers."""
        return textwrap.dedent("\n".join(text for _, text in self.lines))

    def _caption(self) -> str:
        first, last = self.lines[0][0], self.lines[-1][0]
        return f"{self.name}: {self.path}, lines {first}-{last}"

    def __str__(self) -> str:
        code = self.code.splitlines()
        if self.numbered:
            width = len(str(self.lines[-1][0]))
            code = [f"{n:>{width}}  {text}".rstrip() for (n, _), text in zip(self.lines, code)]
        return f"# {self._caption()}\n" + "\n".join(code)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        if highlight is None:
            body = f"<pre>{html.escape(str(self).split(chr(10), 1)[1])}</pre>"
        else:
            formatter = HtmlFormatter(noclasses=True,
                                      linenos="inline" if self.numbered else False,
                                      linenostart=self.lines[0][0], style="default")
            body = highlight(self.code, PythonLexer(), formatter)
        return (f'<div class="gan-source"><div style="font-size:0.85em;color:#555">'
                f"{html.escape(self._caption())}</div>{body}</div>")


def _docstring_lines(tree: ast.AST) -> set[int]:
    """Line numbers (1-based, relative to the parsed text) of every docstring in `tree`."""
    drop: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                drop.update(range(body[0].lineno, body[0].end_lineno + 1))
    return drop


def show_source(obj: object, *, docstrings: bool = False, numbered: bool = False) -> SourceListing:
    """The source of a class, function or method, ready to display as a cell's output.

    Args:
        obj: what to show, e.g. `DCGANGenerator` or `gan_step`.
        docstrings: keep the docstrings (default: drop them, so the listing is the code).
        numbered: show the file's line numbers.

    Raises:
        TypeError: `obj` has no retrievable source (a builtin, an instance, code typed in a
            notebook); pass the class or function itself, defined in a file.
    """
    try:
        raw, first = inspect.getsourcelines(obj)
        path = Path(inspect.getsourcefile(obj))
    except (TypeError, OSError) as err:
        raise TypeError(f"show_source needs a class, function or method defined in a file; "
                        f"{obj!r} has no source to show ({err})") from None
    lines = [(first + i, line.rstrip("\n")) for i, line in enumerate(raw)]
    if not docstrings:
        drop = _docstring_lines(ast.parse(textwrap.dedent("".join(raw))))
        # and the blank line a docstring leaves between a signature and its code
        drop |= {i + 1 for i in drop if i < len(raw) and not raw[i].strip()}
        lines = [(n, text) for i, (n, text) in enumerate(lines, start=1) if i not in drop]
    parts = path.parts
    shown = "/".join(parts[parts.index("gan_lib"):]) if "gan_lib" in parts else path.name
    name = getattr(obj, "__qualname__", getattr(obj, "__name__", repr(obj)))
    return SourceListing(name=name, path=shown, lines=tuple(lines), numbered=numbered)
