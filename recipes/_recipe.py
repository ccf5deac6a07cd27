"""What every recipe shares: its work folder, its log, and the facts a log header records.

Not a recipe itself (tests/test_recipes.py runs every recipes/*.py not starting with "_").
A recipe keeps its training state and its outputs in a work folder outside the repository,
~/.cache/gan_book/recipes/<name>/ (or $XDG_CACHE_HOME/...), so rerunning the same command resumes
it, and the folder can be copied to another machine to continue there. `--smoke` runs use a
fresh temporary folder instead, so they can never touch a real run or a shipped file.
"""

from __future__ import annotations

import datetime
import os
import statistics
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from torch import nn

__all__ = ["work_dir", "commit", "header", "Log", "mnist_sample_quality", "summarise_seeds"]


def work_dir(name: str, work: Path | None, *, smoke: bool) -> Path:
    """The recipe's work folder: `work` if given, a new temporary folder for smoke runs, else
    ~/.cache/gan_book/recipes/<name>/."""
    if work is None:
        if smoke:
            work = Path(tempfile.mkdtemp(prefix=f"{name}_smoke_"))
        else:
            cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
            work = cache / "gan_book" / "recipes" / name
    work.mkdir(parents=True, exist_ok=True)
    return work


def commit() -> str:
    """`git describe --always --dirty` of the recipes' checkout ("-dirty": uncommitted changes,
    so the commit alone cannot reproduce the run), or "unknown" outside git."""
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def header(argv: list[str] | None) -> str:
    """One comment line: the command, torch, threads, commit and date of this process."""
    args = sys.argv[1:] if argv is None else argv
    command = " ".join(["python", shlex.quote(sys.argv[0]), *map(shlex.quote, args)])
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"# {command}   (torch {torch.__version__}, {torch.get_num_threads()} threads, "
            f"commit {commit()}, {today})")


class Log:
    """Appends lines to a log file (never truncates it) and prints them."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, line: str) -> None:
        with self.path.open("a") as f:
            f.write(line + "\n")
        print(line, flush=True)


def mnist_sample_quality(n_eval: int = 2000):
    """The chapters' sample-quality protocol for an MNIST generator, as a function of G.

    `n_eval` samples from fixed noise (seed 1, drawn once, as chapter 4 draws it), scored by the
    shipped classifier against `n_eval` real test digits: the fraction classified with
    confidence >= 0.9, the classes present, and the classifier FD. Returns
    `quality(generator) -> {"confident": float, "classes": int, "fd": float}`.
    """
    from gan_lib.data import load_mnist
    from gan_lib.metrics import classifier_outputs, gaussian_stats, load_mnist_classifier
    from gan_lib.metrics import sample_quality
    from gan_lib.sampling import generate, sample_latent

    test_images, _ = load_mnist("test")
    classifier = load_mnist_classifier()
    real_stats = gaussian_stats(classifier_outputs(test_images[:n_eval], classifier=classifier)[0])
    z_eval = sample_latent(n_eval, 100, generator=torch.Generator().manual_seed(1))

    def quality(generator: nn.Module) -> dict:
        q = sample_quality(generate(generator, z=z_eval), reference=real_stats,
                           classifier=classifier)
        return {"confident": q.coverage.confident_fraction, "classes": q.coverage.num_present,
                "fd": q.fd}

    return quality


def summarise_seeds(rows: list[dict], group_key: str, groups, metrics, *, extra=None) -> dict:
    """A multi-seed study's summary: per group (in `groups` order; groups without rows are left
    out), the seeds and parameter count of its rows, `extra(group)` if given, and the mean,
    sample std (0 for one seed), min and max of each metric over the seeds."""
    out = {}
    for group in groups:
        mine = [r for r in rows if r[group_key] == group]
        if not mine:
            continue
        s = {"seeds": [r["seed"] for r in mine], "params": mine[0]["params"],
             **(extra(group) if extra else {})}
        for key in metrics:
            values = [r[key] for r in mine]
            s[f"{key}_mean"] = statistics.mean(values)
            s[f"{key}_std"] = statistics.stdev(values) if len(values) > 1 else 0.0
            s[f"{key}_min"], s[f"{key}_max"] = min(values), max(values)
        out[group] = s
    return out
