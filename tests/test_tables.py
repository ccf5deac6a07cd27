"""gan_lib.book.Table: one display object, HTML for the pages and aligned text for nbval."""

from __future__ import annotations

import pytest
from IPython.core.formatters import DisplayFormatter

from gan_lib.book import Table


def test_both_representations_reach_ipython():
    table = Table(["model", "accuracy"], [["logistic <regression>", 0.9113], ["Gaussian", 0.964]],
                  formats={"accuracy": "{:.1%}"})
    data, _ = DisplayFormatter().format(table)
    assert set(data) >= {"text/plain", "text/html"}
    html = data["text/html"]
    assert html.count("<tr>") == 3 and "<th" in html and "&lt;regression&gt;" in html  # escaped
    assert "91.1%" in html and "96.4%" in html
    assert data["text/plain"] == table.to_text()


def test_text_is_aligned_numbers_right():
    table = Table(["name", "value"], [["a", 1.5], ["longer name", 22.25]], formats={"value": "{:.2f}"})
    lines = table.to_text().splitlines()
    assert lines[0] == "name         value"
    assert lines[1] == "-----------  -----"
    assert lines[2] == "a             1.50"
    assert lines[3] == "longer name  22.25"
    assert len({len(line) for line in lines}) == 1


def test_preformatted_numbers_and_missing_values_align_right():
    table = Table(["set", "read as its class"], [["real", "-"], ["Gaussian", "96%"], ["none", None]])
    assert table.to_text().splitlines()[2:] == [
        "real                      -",
        "Gaussian                96%",
        "none",
    ]
    assert 'style="text-align: right"' in table.to_html()


def test_caption_in_both_forms():
    table = Table(["x"], [[1]], caption="a caption")
    assert table.to_text().splitlines()[0] == "a caption"
    assert "<caption>a caption</caption>" in table.to_html()


def test_bad_input_says_what_to_fix():
    with pytest.raises(ValueError, match="row 1 has 1 values but there are 2 columns"):
        Table(["a", "b"], [[1, 2], [3]])
    with pytest.raises(ValueError, match="unknown column"):
        Table(["a"], [[1]], formats={"b": "{:.1f}"})
    with pytest.raises(ValueError, match="at least one column"):
        Table([], [])


def test_a_formatted_column_shows_text_as_it_is():
    table = Table(["arm", "fd"], [["a", 12.345], ["b", "diverged"]], formats={"fd": "{:.1f}"})
    assert [row[1] for row in table.cells()] == ["12.3", "diverged"]
