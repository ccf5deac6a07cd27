"""Stale outputs: a committed chapter whose source or imported `gan_lib` code changed since it ran.

`bash tools/execute` records in each notebook's metadata (`gan_book`) the sha256 of
the chapter's source, prose included (`source_sha256`), and of every `gan_lib` module the chapter
had imported by its last cell (`modules`, keyed by path relative to the folder holding `gan_lib`).
A chapter is stale when any of these differ from the files now, or when they were never recorded.
Its outputs, and the numbers its prose quotes from them, are then no longer those of the code.

    bash tools/execute --check             # lists stale chapters (and sync problems)
    bash tools/execute --stale   # re-executes exactly those, each in its recorded profile
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from gan_lib.runtime import file_digest
from .execute import chapter_sources, notebook_path
from gan_lib.book.session import package_root

__all__ = ["StaleChapter", "stale_chapters"]


def _shown(path: Path) -> str:
    """`path` relative to the working directory when it is inside it (shorter, copy-pasteable)."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class StaleChapter:
    """One chapter whose committed outputs no longer match the files they were produced from."""

    source: Path
    notebook: Path
    profile: str | None
    reasons: list[str] = field(default_factory=list)
    changed_modules: list[str] = field(default_factory=list)

    def command(self) -> str:
        """The command that re-executes this chapter, in the profile it was executed in."""
        profile = f" --profile {self.profile}" if self.profile in ("cpu", "gpu") else ""
        return f"bash tools/execute{profile} {_shown(self.source)}"

    def message(self) -> str:
        """One readable line: the chapter, why it is stale, and the command that fixes it."""
        return (f"{_shown(self.notebook)} is stale: {'; '.join(self.reasons)}. "
                f"Re-execute: {self.command()} (or every stale chapter: "
                "bash tools/execute --stale)")


def stale_chapters(book_dir: str | os.PathLike = "book", *,
                   root: str | os.PathLike | None = None) -> list[StaleChapter]:
    """Every executed chapter under `book_dir` whose recorded digests differ from the files.

    Args:
        book_dir: the folder with `NN_topic.ipynb` and `src/NN_topic.md`.
        root: the folder the recorded module paths are relative to; default the one that holds
            the imported `gan_lib` package.

    Returns:
        One `StaleChapter` per stale chapter, in chapter order. A chapter without a notebook is
        not listed here (`sync_problems` reports it); one whose notebook records no digests is.
    """
    import nbformat

    root = Path(root) if root is not None else package_root()
    stale = []
    for source in chapter_sources(book_dir):
        target = notebook_path(source)
        if not target.exists():
            continue
        record = nbformat.read(target, as_version=4).metadata.get("gan_book", {})
        chapter = StaleChapter(source=source, notebook=target, profile=record.get("profile"))
        recorded_source, modules = record.get("source_sha256"), record.get("modules")
        if recorded_source is None or modules is None:
            chapter.reasons.append("no digests recorded (executed before digests existed)")
        else:
            if file_digest(source, "sha256") != recorded_source:
                chapter.reasons.append(f"{_shown(source)} changed since it was executed")
            for rel_path, digest in modules.items():
                path = root / rel_path
                if not path.exists() or file_digest(path, "sha256") != digest:
                    chapter.changed_modules.append(rel_path)
            if chapter.changed_modules:
                chapter.reasons.append("gan_lib changed in " + ", ".join(chapter.changed_modules))
        if chapter.reasons:
            stale.append(chapter)
    return stale
