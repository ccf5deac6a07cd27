"""What a chapter calls first and last: profile, budget, seed and device in; provenance out.

    run = start_chapter(profile, budgets={"smoke": {...}, "cpu": {...}, "gpu": {...}}, seed=0)
    run.budget.steps        # the active profile's budget, as attributes
    ...
    run.footer()            # one line: profile, device, torch version, wall time

The footer also writes the provenance as JSON to `$GAN_BOOK_PROVENANCE` when that is set; the
execute command (`python -m gan_lib.book execute`) sets it and copies the record into the executed
notebook's metadata.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Mapping

import torch

from ..utils import choose_device, seed_everything
from .profiles import PROFILES, resolve_profile

__all__ = ["ChapterRun", "start_chapter", "PROVENANCE_ENV_VAR"]

PROVENANCE_ENV_VAR = "GAN_BOOK_PROVENANCE"


@dataclass
class ChapterRun:
    """The settings a chapter runs under. Create it with `start_chapter`."""

    profile: str
    budget: SimpleNamespace
    seed: int
    device: torch.device
    generator: torch.Generator = field(repr=False)
    started: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def full(self) -> bool:
        """False under `smoke`, whose budgets are too small for quality claims to hold."""
        return self.profile != "smoke"

    def provenance(self) -> dict[str, Any]:
        """Profile, device, library versions and wall time so far, as a JSON-able dict."""
        from .. import __version__

        if self.device.type == "cuda":
            hardware = torch.cuda.get_device_name(self.device)
        else:
            hardware = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
        return {
            "profile": self.profile,
            "device": str(self.device),
            "hardware": hardware,
            "torch": torch.__version__,
            "gan_lib": __version__,
            "python": platform.python_version(),
            "seed": self.seed,
            "wall_time_s": round(time.perf_counter() - self.started, 1),
        }

    def footer(self) -> None:
        """Print the one-line provenance footer and hand the record to the execute command."""
        record = self.provenance()
        print(
            f"Executed with profile '{record['profile']}' on {record['device']} "
            f"({record['hardware']}), torch {record['torch']}, gan_lib {record['gan_lib']}, "
            f"seed {record['seed']}, in {record['wall_time_s']:.1f} s."
        )
        path = os.environ.get(PROVENANCE_ENV_VAR)
        if path:
            with open(path, "w") as f:
                json.dump(record, f, indent=1)


def start_chapter(
    profile: str | None,
    budgets: Mapping[str, Mapping[str, Any]],
    *,
    seed: int = 0,
    device: str | None = None,
) -> ChapterRun:
    """Resolve the profile, pick its budget, seed everything and choose the device.

    Args:
        profile: the chapter's `profile` parameter (None: automatic); `GAN_BOOK_PROFILE` wins.
        budgets: one mapping of settings per profile; all three profiles must be present.
        seed: seeds Python, NumPy and torch, and the returned run's `generator`.
        device: force a device; default CUDA when available, except `smoke`, which is CPU-only
            so that CI and a GPU machine print the same smoke outputs.
    """
    missing = [p for p in PROFILES if p not in budgets]
    if missing:
        raise ValueError(f"budgets lacks profile(s) {missing}; give one mapping per {PROFILES}")
    name = resolve_profile(profile)
    if device is None and name == "smoke":
        device = "cpu"
    generator = seed_everything(seed)
    budget = SimpleNamespace(**budgets[name])
    return ChapterRun(name, budget, seed, choose_device(device), generator)
