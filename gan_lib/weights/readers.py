"""How each kind of shipped file is read once its checksum has passed: one function per format.

- `state_dict`: a plain state_dict saved with `torch.save` (weights; the entry builds the model).
- `tensors`: a dict of tensors saved with `torch.save` (samples).
- `results_json`: a JSON file of results with its provenance ({"provenance", "results"}).
- `dcgan_log`, `classifier_log`, `csv_log`: the text logs recipes print, as a list of rows.

Every `torch.load` here uses `weights_only=True`: shipped tensors need no pickled code, and a
tampered file then cannot run any.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any, Callable

import torch

__all__ = ["READERS", "read_state_dict", "read_tensors", "read_results_json", "read_dcgan_log",
           "read_classifier_log", "read_csv_log"]


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """A state_dict, on the CPU."""
    return torch.load(path, map_location="cpu", weights_only=True)


def read_tensors(path: str | Path) -> dict[str, torch.Tensor]:
    """A dict of tensors (e.g. final samples keyed "mixture/remedy"), on the CPU."""
    return torch.load(path, map_location="cpu", weights_only=True)


def read_results_json(path: str | Path) -> dict[str, Any]:
    """{"provenance": {...}, "results": [...]} as the recipe wrote it."""
    raw = json.loads(Path(path).read_text())
    if not isinstance(raw, dict) or "results" not in raw or "provenance" not in raw:
        raise ValueError(f"{path} is not a results file (it needs 'results' and 'provenance')")
    return raw


_DCGAN_LINE = re.compile(
    r"step\s+(\d+): confident ([\d.]+), classes (\d+), classifier FD\s+([\d.]+),\s+(\d+) s")


def read_dcgan_log(path: str | Path) -> list[dict[str, float]]:
    """Rows of recipes/dcgan_mnist_reference.py's log: step, confident (fraction of samples
    classified with confidence >= 0.9), classes (present), fd (classifier FD to real test
    digits), seconds (since the start)."""
    rows = [dict(step=int(m[1]), confident=float(m[2]), classes=int(m[3]), fd=float(m[4]),
                 seconds=int(m[5]))
            for m in _DCGAN_LINE.finditer(Path(path).read_text())]
    if not rows:
        raise ValueError(f"no evaluation lines in {path}; is it a dcgan_mnist_reference.py log?")
    return rows


_CLASSIFIER_LINE = re.compile(
    r"epoch (\d+)/(\d+): train loss ([\d.]+), test accuracy ([\d.]+), (\d+) s")


def read_classifier_log(path: str | Path) -> list[dict[str, float]]:
    """Rows of recipes/mnist_classifier.py's log: epoch, epochs, train_loss, test_accuracy,
    seconds."""
    rows = [dict(epoch=int(m[1]), epochs=int(m[2]), train_loss=float(m[3]),
                 test_accuracy=float(m[4]), seconds=int(m[5]))
            for m in _CLASSIFIER_LINE.finditer(Path(path).read_text())]
    if not rows:
        raise ValueError(f"no epoch lines in {path}; is it a mnist_classifier.py log?")
    return rows


def read_csv_log(path: str | Path) -> list[dict[str, float]]:
    """Rows of a CSV log whose comment lines start with '#' (recipes/semi_supervised_mnist.py:
    step, test_error, seconds); integers stay integers."""
    lines = [line for line in Path(path).read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    rows = [{key: (int(value) if value.lstrip("-").isdigit() else float(value))
             for key, value in row.items()} for row in csv.DictReader(lines)]
    if not rows:
        raise ValueError(f"no rows in {path}; is it a CSV log with a header line?")
    return rows


READERS: dict[str, Callable[[Path], Any]] = {
    "state_dict": read_state_dict,
    "tensors": read_tensors,
    "results_json": read_results_json,
    "dcgan_log": read_dcgan_log,
    "classifier_log": read_classifier_log,
    "csv_log": read_csv_log,
}
