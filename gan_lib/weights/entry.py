"""One shipped file and everything known about it: `Entry`, the registry's single loader.

Modelled on torchvision's `Weights` (url, transforms, meta with the recipe and the accuracy it
reached): here `path` and `sha256` replace the url, `recipe` is the exact command that makes the
file, `metrics` what that recipe measured at the end, `provenance` the run's facts (commit, torch,
threads, seeds, steps, wall time, date, and the original command when the recipe has moved since).
`load()` verifies the bytes and returns what the file holds: a model in eval mode for weights,
a dict of tensors for samples, the parsed results for a JSON file, the rows of a log.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import torch
from torch import nn

from .readers import READERS
from .verify import verify_file

__all__ = ["Entry", "FILES_DIR", "KINDS", "NOT_RECORDED", "PROVENANCE_FIELDS", "is_recorded"]

FILES_DIR = Path(__file__).parent / "files"  # package data (pyproject: "gan_lib.weights")
KINDS = ("weights", "samples", "results", "log")
# What every entry must say about the run that made its file. A fact the run did not record is
# written as a string starting with NOT_RECORDED (and why), never guessed.
PROVENANCE_FIELDS = ("command", "commit", "torch", "threads", "seeds", "steps", "wall_time",
                     "date")
NOT_RECORDED = "not recorded"
_DEFAULT_READER = {"weights": "state_dict", "samples": "tensors", "results": "results_json"}


def is_recorded(value: Any) -> bool:
    """False for a provenance value that says it was not recorded."""
    return not (isinstance(value, str) and value.startswith(NOT_RECORDED))


@dataclass(frozen=True)
class Entry:
    """A shipped file: where it is, its checksum, the recipe that made it, its numbers.

    Args:
        name: the registry key (`gan_lib.weights.get(name)`).
        file: file name inside `root`.
        kind: "weights", "samples", "results" or "log".
        description: what the file is and how to use what `load()` returns.
        sha256: the file's digest; `load()` refuses other bytes.
        recipe: the command that makes the file again (from the repository root).
        metrics: what the recipe measured at the end (the re-evaluation test recomputes them).
        provenance: the run's facts; every key of PROVENANCE_FIELDS is required.
        model: for weights, "module:Class" of the network the state_dict fits.
        model_kwargs: keyword arguments of that class.
        reader: a key of `READERS`; default by kind (logs must name theirs).
        root: the folder holding `file`; default the package's weights/files/.
    """

    name: str
    file: str
    kind: str
    description: str
    sha256: str
    recipe: str
    metrics: Mapping[str, Any]
    provenance: Mapping[str, Any]
    model: str | None = None
    model_kwargs: Mapping[str, Any] = field(default_factory=dict)
    reader: str | None = None
    root: Path = field(default=FILES_DIR, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"entry {self.name!r}: kind must be one of {KINDS}, got {self.kind!r}")
        if (self.model is None) == (self.kind == "weights"):
            raise ValueError(f"entry {self.name!r}: give model='module:Class' for weights, and "
                             f"only for weights (kind {self.kind!r}, model {self.model!r})")
        reader = self.reader or _DEFAULT_READER.get(self.kind)
        if reader not in READERS:
            raise ValueError(f"entry {self.name!r}: reader must be one of {sorted(READERS)}, got "
                             f"{reader!r}")
        object.__setattr__(self, "reader", reader)
        if len(self.sha256) != 64 or any(c not in "0123456789abcdef" for c in self.sha256):
            raise ValueError(f"entry {self.name!r}: sha256 must be 64 lowercase hex digits, got "
                             f"{self.sha256!r}")
        missing = [key for key in PROVENANCE_FIELDS if key not in self.provenance]
        if missing:
            raise ValueError(f"entry {self.name!r}: provenance lacks {missing}; write "
                             f"'{NOT_RECORDED} (why)' for a fact the run did not record")
        if not self.metrics:
            raise ValueError(f"entry {self.name!r}: metrics is empty; record what the recipe "
                             "measured at the end")

    @property
    def path(self) -> Path:
        return Path(self.root) / self.file

    def verify(self) -> Path:
        """The file's path after checking its sha256 (WeightsError names the recipe if not)."""
        return verify_file(
            self.path, self.sha256, what=f"{self.name} ({self.kind})",
            fix=f"Make it again with `{self.recipe}` and publish it as CONTRIBUTING.md says, or "
                "reinstall gan_lib to get the shipped file back.")

    def build(self) -> nn.Module:
        """A fresh, untrained instance of the network the weights fit (weights entries only)."""
        if self.model is None:
            raise ValueError(f"{self.name} is a {self.kind} file, not weights; use load()")
        module, _, cls = self.model.partition(":")
        return getattr(importlib.import_module(module), cls)(**self.model_kwargs)

    def load(self, device: str | torch.device | None = None) -> Any:
        """What the file holds, after verifying its bytes.

        Args:
            device: weights only: where to put the model; default CPU.

        Returns:
            weights: the model with the shipped weights, in eval mode. samples: a dict of
            tensors. results: the parsed JSON. log: a list of rows (dicts).

        Raises:
            WeightsError: the file is missing or its sha256 differs, naming the recipe.
        """
        content = READERS[self.reader](self.verify())
        if self.kind != "weights":
            return content
        model = self.build()
        model.load_state_dict(content)
        return model.to(device or "cpu").eval()
