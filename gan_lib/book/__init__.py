"""What a chapter imports at run time: profiles and budgets, the chapter's provenance footer,
tables, progress bars, and `glue` (numbers for the prose, with or without the book toolchain).

The maintainer tooling that executes and checks the chapters is not part of the package: it lives
in `tools/booktools` (run it through `bash tools/execute`).
"""

from .glue import glue, glued
from .profiles import PROFILE_ENV_VAR, PROFILES, resolve_profile
from .progress import progress
from .session import ChapterRun, start_chapter
from .tables import Table

__all__ = [
    "PROFILES", "PROFILE_ENV_VAR", "resolve_profile", "ChapterRun", "start_chapter", "Table",
    "progress", "glue", "glued",
]
