"""Execution profiles: how much compute a chapter spends.

- `smoke`: seconds per chapter, CPU; what CI's `pytest --nbval` runs. Results are not meaningful.
- `cpu`:   minutes per chapter on a 2-core laptop or Binder; results still meaningful.
- `gpu`:   longer runs meant for a GPU. Opt-in: its budgets have not yet been executed and checked
           for publication, so a reader who picks no profile gets `cpu`'s (on the best device
           they have: `start_chapter` still uses CUDA when it is there).

The `GAN_BOOK_PROFILE` environment variable wins over the value a notebook's parameters cell
holds: papermill writes its parameters into the notebook, and nbval re-executes that cell, so a
notebook executed with `cpu` must still run as `smoke` under CI.
"""

from __future__ import annotations

import os

__all__ = ["PROFILES", "PROFILE_ENV_VAR", "resolve_profile"]

PROFILES = ("smoke", "cpu", "gpu")
PROFILE_ENV_VAR = "GAN_BOOK_PROFILE"


def resolve_profile(requested: str | None = None) -> str:
    """The active profile: `GAN_BOOK_PROFILE`, else `requested`, else `cpu` (the published budgets).

    Raises:
        ValueError: the chosen name is not one of `PROFILES`.
    """
    env = os.environ.get(PROFILE_ENV_VAR) or None
    name = env or requested or "cpu"
    if name not in PROFILES:
        source = f"${PROFILE_ENV_VAR}" if env else "the profile parameter"
        raise ValueError(
            f"unknown book profile {name!r} (from {source}); choose one of {', '.join(PROFILES)}"
        )
    return name
