"""Weights that ship inside the package: found, checked against a recorded sha256, then loaded.

The MNIST classifier (`gan_lib.metrics`) and the reference DCGAN generator
(`gan_lib.models.pretrained`) both live as plain state_dicts next to their code. A file that is
missing or whose bytes changed (a bad checkout, a truncated copy, an edit) is refused with a
message that names the file and the script that regenerates it, instead of failing inside
`load_state_dict` or, worse, loading silently different numbers.
"""

from __future__ import annotations

from pathlib import Path

import torch

from gan_lib.runtime import file_digest

__all__ = ["WeightsError", "load_verified_state_dict"]


class WeightsError(RuntimeError):
    """Shipped weights are missing or are not the recorded bytes."""


def load_verified_state_dict(
    path: str | Path, sha256: str | None, *, what: str, regenerate: str
) -> dict[str, torch.Tensor]:
    """The state_dict at `path`, on the CPU, after checking its sha256.

    Args:
        path: the weights file (a plain state_dict saved with torch.save).
        sha256: the digest the file must have; None skips the check (files you made yourself).
        what: what the weights are, for the messages ("MNIST classifier weights").
        regenerate: one sentence on how to make the file again.

    Raises:
        WeightsError: the file is missing or its digest differs.
    """
    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{what} not found at {path}. {regenerate}.")
    if sha256 is not None:
        actual = file_digest(path, "sha256")
        if actual != sha256:
            raise WeightsError(
                f"{what} at {path} are corrupt or were replaced: sha256 is {actual}, "
                f"expected {sha256}. {regenerate}."
            )
    # weights_only: a state_dict needs no pickled code, and a tampered file then can't run any
    return torch.load(path, map_location="cpu", weights_only=True)
