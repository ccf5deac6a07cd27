"""Consistency between a chapter's Markdown source and its executed notebook.

Two ways a book silently rots: someone edits `book/src/NN.md` and forgets to re-execute (the HTML
and nbval then check old code), or a notebook is committed with cells that never ran (nbval skips
code cells without outputs to compare, so they pass without being tested).
"""

from __future__ import annotations

import os
from pathlib import Path

from .execute import chapter_sources, notebook_path

__all__ = ["sync_problems"]


def _code_cells(nb) -> list[str]:
    return [
        cell.source.strip()
        for cell in nb.cells
        if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", [])
    ]


def sync_problems(book_dir: str | os.PathLike = "book") -> list[str]:
    """Every disagreement between sources and notebooks under `book_dir`, as readable lines.

    Checks, per chapter: the executed notebook exists; its code cells equal the source's, in
    order; every code cell was executed; the notebook records its provenance.
    """
    import jupytext
    import nbformat

    problems = []
    sources = chapter_sources(book_dir)
    if not sources:
        problems.append(f"no chapter sources found under {Path(book_dir, 'src')}")
    for source in sources:
        target = notebook_path(source)
        fix = f"re-execute: bash tools/execute --profile cpu {source}"
        if not target.exists():
            problems.append(f"{target} is missing; {fix}")
            continue
        expected = _code_cells(jupytext.read(source))
        nb = nbformat.read(target, as_version=4)
        actual = _code_cells(nb)
        if expected != actual:
            first = next(
                (i for i, (a, b) in enumerate(zip(expected, actual)) if a != b),
                min(len(expected), len(actual)),
            )
            problems.append(
                f"{target} differs from {source} in code (first at code cell {first + 1}; "
                f"{len(expected)} cells in source, {len(actual)} in notebook); {fix}"
            )
        unexecuted = [
            i + 1 for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code")
            if cell.get("execution_count") is None
        ]
        if unexecuted:
            problems.append(f"{target} has unexecuted code cells {unexecuted}; {fix}")
        if "gan_book" not in nb.metadata:
            problems.append(f"{target} has no provenance metadata; {fix}")
    orphans = sorted(
        p for p in Path(book_dir).glob("[0-9][0-9]_*.ipynb")
        if not (Path(book_dir, "src") / (p.stem + ".md")).exists()
    )
    problems += [f"{p} has no source book/src/{p.stem}.md" for p in orphans]
    return problems
