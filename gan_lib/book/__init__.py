"""The machinery of the executable book: profiles, per-chapter budgets, provenance, execution.

Chapters use `start_chapter` and `ChapterRun.footer`; maintainers use the command line
(`python -m gan_lib.book execute|check`).
"""

from .profiles import PROFILE_ENV_VAR, PROFILES, resolve_profile
from .session import ChapterRun, start_chapter
from .progress import progress
from .tables import Table

__all__ = [
    "PROFILES", "PROFILE_ENV_VAR", "resolve_profile", "ChapterRun", "start_chapter", "Table",
    "progress",
]
