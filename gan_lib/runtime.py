"""Seeding and device choice (the two things every experiment sets first), and file digests."""

from __future__ import annotations

import hashlib
import os
import random

import numpy as np
import torch

__all__ = ["file_digest", "seed_everything", "choose_device", "progress_disabled"]


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python, NumPy and torch (CPU and CUDA) and return a CPU `torch.Generator`.

    The returned generator is for sampling that must not depend on how many random numbers
    other code drew before (fixed evaluation noise, data subsets).

    String hashing (`PYTHONHASHSEED`) is not seeded: Python reads that variable only at start-up,
    so setting it here would change nothing. Nothing in gan_lib iterates over a set of strings
    in a way that reaches the numbers; set the variable before starting Python if your code does.
    """
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)  # also seeds every CUDA device
    return torch.Generator().manual_seed(seed)


def choose_device(prefer: str | torch.device | None = None) -> torch.device:
    """The device to run on: `prefer` if given, else CUDA when available, else CPU.

    Args:
        prefer: "cpu", "cuda", "cuda:1", ... ; asking for CUDA without a GPU is an error.
    """
    if prefer is not None:
        device = torch.device(prefer)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(
                f"device {prefer!r} was requested but torch sees no CUDA GPU "
                f"(torch {torch.__version__}); use 'cpu' or run on a machine with a GPU"
            )
        return device
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def file_digest(path: str | os.PathLike, algorithm: str) -> str:
    """Hex digest of a file's bytes with `algorithm` ("md5", "sha256", ...), read in 1 MiB chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def progress_disabled() -> bool:
    """True when the environment sets TQDM_DISABLE to 1/true/yes.

    tqdm's console bar reads that variable itself, but its notebook widget (what `tqdm.auto`
    picks inside Jupyter) does not; gan_lib's bars ask here, so executed notebooks stay quiet under
    papermill and nbval.
    """
    return os.environ.get("TQDM_DISABLE", "").lower() in ("1", "true", "yes")
