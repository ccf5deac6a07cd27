"""Everything trained offline that gan_lib ships: weights, samples, results and logs.

One registry, modelled on torchvision's weights API: `list()` names every shipped file, `get(name)`
returns its `Entry` (also `Shipped.<NAME>`, an enum member as in torchvision; path, sha256, the recipe that made it, the metrics it recorded, the run's
provenance) and `entry.load()` verifies the bytes and returns the model in eval mode, the samples,
the parsed results or the log's rows.

- `entry`: `Entry`, the one loader; `PROVENANCE_FIELDS`, `NOT_RECORDED`.
- `entries`: the registry's contents, one readable list (`ENTRIES`).
- `readers`: how each file format is read once verified.
- `verify`: `verify_file` and `WeightsError` (missing or changed bytes).
"""

from .entry import FILES_DIR, KINDS, NOT_RECORDED, PROVENANCE_FIELDS, Entry, is_recorded
from .registry import Shipped, get, list
from .verify import WeightsError, verify_file

__all__ = ["get", "Shipped",  # `list` too, but not in __all__: it would shadow the builtin
           "Entry", "WeightsError", "verify_file", "FILES_DIR", "KINDS",
           "NOT_RECORDED", "PROVENANCE_FIELDS", "is_recorded"]
