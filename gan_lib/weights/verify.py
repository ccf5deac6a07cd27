"""Shipped files are checked against their recorded sha256 before anything reads them.

A file that is missing or whose bytes changed (a bad checkout, a truncated copy, an edit, a
retrained file copied in without updating the registry) is refused with a message that names the
file and the recipe that makes it again, instead of failing inside `load_state_dict` or, worse,
loading silently different numbers.
"""

from __future__ import annotations

from pathlib import Path

from gan_lib.runtime import file_digest

__all__ = ["WeightsError", "verify_file"]


class WeightsError(RuntimeError):
    """A shipped file is missing or is not the recorded bytes."""


def verify_file(path: str | Path, sha256: str, *, what: str, fix: str) -> Path:
    """`path`, after checking that it exists and that its sha256 is `sha256`.

    Args:
        path: the file.
        sha256: the digest the file must have (64 hex digits).
        what: what the file is, for the messages ("mnist_classifier").
        fix: one sentence on how to make the file again.

    Raises:
        WeightsError: the file is missing or its digest differs.
    """
    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{what} not found at {path}. {fix}")
    actual = file_digest(path, "sha256")
    if actual != sha256:
        raise WeightsError(
            f"{what} at {path} is corrupt or was replaced: sha256 is {actual}, expected "
            f"{sha256}. {fix}"
        )
    return path
