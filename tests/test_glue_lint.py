"""Numbers in prose come from the outputs: no typed decimal or percentage in a chapter's prose.

A number a run produced must reach the text through myst-nb's glue (`{glue:text}`, which the lint
skips like any inline code), so that re-executing a chapter, in any profile, updates its prose.
Math ($...$, $$...$$) and code (inline or fenced) are skipped: settings and analytic constants
belong there. What remains may contain only the analytic values of `ALLOWED`.
"""

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book" / "src").glob("[0-9][0-9]_*.md"))

# Analytic values that may stay typed outside math; each with its reason. Keep it short.
ALLOWED = {
    "0.5": "D* = 1/2 at equilibrium, and the 50/50 mixture weights",
}

_SKIPPED = [
    re.compile(r"^(```|~~~).*?^\1\s*$", re.S | re.M),  # fenced code and directives
    re.compile(r"^:::.*?^:::\s*$", re.S | re.M),  # colon-fenced directives
    re.compile(r"\$\$.+?\$\$", re.S),  # display math
    re.compile(r"(?<!\\)\$(?!\s).+?(?<![\s\\])\$", re.S),  # inline math
    re.compile(r"\{[\w:-]+\}`[^`]*`"),  # roles: {glue:text}`x:.3f`, {cite}`key`, ...
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
]
# a decimal such as 0.25 or 1,039.5, or a percentage such as 59.2% or 96%
NUMBER = re.compile(r"(?<![\w.])[-+−]?\d[\d,]*(?:\.\d+)?%|(?<![\w.,])\d[\d,]*\.\d+(?![\w.]*\d)")


def typed_numbers(markdown: str) -> list[str]:
    """The decimals and percentages of `markdown` outside math, code, roles and `ALLOWED`."""
    for pattern in _SKIPPED:
        markdown = pattern.sub(" ", markdown)
    return [m.group().lstrip("+-−") for m in NUMBER.finditer(markdown)
            if m.group().lstrip("+-−") not in ALLOWED]


def prose_problems(source: Path) -> list[str]:
    """One line per markdown cell of `source` with typed numbers, quoting them."""
    problems = []
    for index, cell in enumerate(jupytext.read(source).cells):
        if cell.cell_type != "markdown":
            continue
        found = typed_numbers(cell.source)
        if found:
            first = cell.source.strip().splitlines()[0][:60]
            problems.append(f"{source.name}, markdown cell {index + 1} ('{first}...'): "
                            f"{', '.join(found)}")
    return problems


GLUE_REFERENCE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+)(?::[^`]*)?`")


def missing_glue(notebook: Path) -> list[str]:
    """Keys the notebook's markdown pastes with a glue role but none of its outputs glued."""
    nb = nbformat.read(notebook, as_version=4)
    glued = {output.get("metadata", {}).get("scrapbook", {}).get("name")
             for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", [])}
    used = {key for cell in nb.cells if cell.cell_type == "markdown"
            for key in GLUE_REFERENCE.findall(cell.source)}
    return sorted(used - glued)


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: p.stem)
def test_every_glue_reference_has_a_value(source):
    """The HTML build pastes glued values from the committed notebook: each must be there."""
    notebook = source.parent.parent / (source.stem + ".ipynb")
    missing = missing_glue(notebook)
    assert not missing, (f"{notebook.name} pastes {', '.join(missing)} but never glues them; "
                         f"glue them in a code cell and re-execute: "
                         f"bash tools/execute book/src/{source.name}")


def duplicate_glue(notebook: Path) -> list[str]:
    """Keys glued more than once: myst-nb warns (an error under -W) and pastes only one."""
    nb = nbformat.read(notebook, as_version=4)
    names = [output.get("metadata", {}).get("scrapbook", {}).get("name")
             for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", [])]
    names = [n for n in names if n]
    return sorted({n for n in names if names.count(n) > 1})


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: p.stem)
def test_no_glue_key_is_glued_twice(source):
    notebook = source.parent.parent / (source.stem + ".ipynb")
    assert not duplicate_glue(notebook), (
        f"{notebook.name} glues {', '.join(duplicate_glue(notebook))} more than once; keep one "
        f"glue call per name and re-execute: bash tools/execute book/src/{source.name}")


def test_a_duplicate_glue_key_is_caught(tmp_path):
    out = lambda name: nbformat.v4.new_output("display_data", data={},
                                              metadata={"scrapbook": {"name": name}})
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("", outputs=[out("fd"), out("n")]),
                nbformat.v4.new_code_cell("", outputs=[out("fd")])]
    path = tmp_path / "01_planted.ipynb"
    nbformat.write(nb, path)
    assert duplicate_glue(path) == ["fd"]


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: p.stem)
def test_prose_numbers_are_glued(source):
    problems = prose_problems(source)
    assert not problems, (
        "typed numbers in prose: glue them from the outputs (glue('name', value, display=False) "
        "in a code cell, {glue:text}`name:.3f` in the text), or put settings in math:\n"
        + "\n".join(problems))


def test_the_lint_catches_typed_numbers_and_skips_math_code_and_glue():
    planted = ("The FD falls to 83.89 and 59.2% are confident, from 96% before. "
               "Fine: $\\sigma = 0.1$, `lr=2e-4`, `x = 0.25`, {glue:text}`fd:.2f`, "
               "$$\\log 4 = 1.386$$ and D = 0.5.\n\n```python\nprint(3.14)\n```\n"
               "Steps: 1,200 (an integer) and 12,345.5 (not).")
    assert typed_numbers(planted) == ["83.89", "59.2%", "96%", "12,345.5"]


def test_a_missing_glue_value_is_caught(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("FD {glue:text}`fd:.2f`, n = {glue:text}`n`."),
                nbformat.v4.new_code_cell("glue('fd', 1.0, display=False)", outputs=[
                    nbformat.v4.new_output("display_data", data={},
                                           metadata={"scrapbook": {"name": "fd"}})])]
    path = tmp_path / "01_planted.ipynb"
    nbformat.write(nb, path)
    assert missing_glue(path) == ["n"]


def test_the_lint_flags_a_planted_chapter(tmp_path):
    chapter = tmp_path / "01_planted.md"
    chapter.write_text("---\njupytext:\n  text_representation: {extension: .md, "
                       "format_name: myst}\n---\n# Title\n\nThe run reached FD 49.63.\n\n"
                       "```{code-cell} ipython3\nx = 49.63\n```\n")
    (problem,) = prose_problems(chapter)
    assert "01_planted.md" in problem and problem.endswith("49.63")
