"""What a chapter calls first and last: profile, budget, seed and device in; provenance out.

    run = start_chapter(profile, budgets={"smoke": {...}, "cpu": {...}, "gpu": {...}}, seed=0)
    run.budget.steps        # the active profile's budget, as attributes
    ...
    run.footer()            # one line: profile, device, torch version, wall time

The footer also writes the provenance as JSON to `$GAN_BOOK_PROVENANCE` when that is set; the
execute command (`bash tools/execute`) sets it and copies the record into the executed
notebook's metadata. That record includes a digest of every `gan_lib` module the chapter imported
(`imported_module_digests`), which is how a later change to one of them marks the chapter stale.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Mapping

import torch

from gan_lib.runtime import choose_device, file_digest, seed_everything
from .profiles import PROFILES, resolve_profile

__all__ = ["ChapterRun", "start_chapter", "imported_module_digests", "PROVENANCE_ENV_VAR"]

PROVENANCE_ENV_VAR = "GAN_BOOK_PROVENANCE"


def package_root() -> Path:
    """The folder that holds the `gan_lib` package: module paths are recorded relative to it."""
    return Path(__file__).resolve().parents[2]  # <root>/gan_lib/book/session.py


def imported_module_digests(modules: Mapping[str, Any] | None = None) -> dict[str, str]:
    """sha256 of the source file of every imported `gan_lib` module, keyed by its path.

    Args:
        modules: a `sys.modules`-like mapping; default `sys.modules`, i.e. what this process has
            imported so far.

    Returns:
        `{"gan_lib/train/fit.py": "<sha256>", ...}`, paths relative to `package_root()` with `/`
        separators, sorted; modules without a source file are skipped.
    """
    root = package_root()
    digests = {}
    for name, module in list((modules if modules is not None else sys.modules).items()):
        if not (name == "gan_lib" or name.startswith("gan_lib.")):
            continue
        source = getattr(module, "__file__", None)
        if not source or not source.endswith(".py"):
            continue
        path = Path(source).resolve()
        try:
            key = path.relative_to(root).as_posix()
        except ValueError:  # a gan_lib outside this checkout: record it by absolute path
            key = path.as_posix()
        digests[key] = file_digest(path, "sha256")
    return dict(sorted(digests.items()))


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
        from gan_lib import __version__

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
            # training numbers depend on it (reduction order); chapters may set their own
            "threads": torch.get_num_threads(),
            "wall_time_s": round(time.perf_counter() - self.started, 1),
        }

    def footer(self) -> None:
        """Print the one-line provenance footer and hand the record to the execute command."""
        record = self.provenance()
        print(
            f"Executed with profile '{record['profile']}' on {record['device']} "
            f"({record['hardware']}), torch {record['torch']}, gan_lib {record['gan_lib']}, "
            f"seed {record['seed']}, {record['threads']} thread(s), in {record['wall_time_s']:.1f} s."
        )
        path = os.environ.get(PROVENANCE_ENV_VAR)
        if path:
            # what the chapter imported, read at its end: the staleness check compares these
            record["modules"] = imported_module_digests()
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
