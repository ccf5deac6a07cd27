"""Save and load training checkpoints safely.

A checkpoint is a plain dict of tensors, numbers, strings, lists and dicts, so it loads with
`torch.load(weights_only=True)`, which refuses to unpickle arbitrary objects (a checkpoint from
the internet cannot run code). It is written atomically: to a temporary file in the same folder,
then moved over the target with `os.replace`, so an interrupted save leaves the previous
checkpoint intact instead of a truncated file. The temporary file is flushed and fsynced before
the rename, and the folder after it, so a power cut cannot leave a renamed but empty file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import torch

__all__ = ["CheckpointError", "save_checkpoint", "load_checkpoint"]


class CheckpointError(RuntimeError):
    """A checkpoint file exists but cannot be read as one."""


def save_checkpoint(path: str | os.PathLike, state: dict[str, Any]) -> Path:
    """Write `state` to `path` atomically (temporary file + os.replace); return the path.

    Args:
        path: target file; its folder is created if missing.
        state: a dict of tensors, numbers, strings, lists and dicts (no custom objects).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _fsync_dir(folder: Path) -> None:
    # makes the rename itself durable; not every platform can open a folder (Windows cannot)
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def load_checkpoint(path: str | os.PathLike, *, required: tuple[str, ...] = ()) -> dict[str, Any]:
    """Load a checkpoint written by `save_checkpoint` (weights_only, onto the CPU).

    Args:
        path: the checkpoint file.
        required: keys the checkpoint must contain.

    Raises:
        FileNotFoundError: no file at `path`.
        CheckpointError: the file is corrupt, truncated, not a checkpoint, or lacks a key.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises several types for a damaged file
        # only the first line: torch's advice to retry with weights_only=False is wrong here
        reason = (str(err).splitlines() or [""])[0][:200]
        raise CheckpointError(
            f"cannot read checkpoint {path} ({type(err).__name__}: {reason}). It is corrupt or "
            "not a gan_lib checkpoint; delete it (or pass another path) and train again without "
            "resume=True."
        ) from err
    missing = [k for k in required if not isinstance(state, dict) or k not in state]
    if missing:
        raise CheckpointError(
            f"checkpoint {path} lacks {missing}; it was not written by gan_lib.train.fit. "
            "Delete it or pass another path."
        )
    return state
