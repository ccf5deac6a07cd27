"""`list()` and `get(name)`: the registry of everything gan_lib ships that was trained offline.

    from gan_lib import weights
    weights.list()                                    # every shipped file's name
    entry = weights.get("dcgan_mnist_reference")
    entry.recipe, entry.metrics, entry.provenance     # how it was made and what it measured
    generator = entry.load()                          # sha256-verified, in eval mode
    weights.Shipped.DCGAN_MNIST_REFERENCE.load()      # the same entry as an enum member, the
                                                      # way torchvision names its weights
"""

from __future__ import annotations

import builtins
from enum import Enum

from .entries import ENTRIES
from .entry import Entry

__all__ = ["get", "Shipped"]  # not `list`: a star import would shadow the builtin

_BY_NAME: dict[str, Entry] = {}
for _entry in ENTRIES:
    if _entry.name in _BY_NAME:
        raise ValueError(f"two registry entries are named {_entry.name!r}")
    _BY_NAME[_entry.name] = _entry


def list() -> builtins.list[str]:  # noqa: A001 (torchvision's name: `list_models`)
    """The names of every shipped file's entry, in the registry's order."""
    return builtins.list(_BY_NAME)


def get(name: str) -> Entry:
    """The entry called `name` (see `list()`).

    Raises:
        KeyError: no such entry, naming the ones there are.
    """
    if name not in _BY_NAME:
        raise KeyError(f"no shipped file is called {name!r}; gan_lib.weights.list() has "
                       f"{', '.join(_BY_NAME)}")
    return _BY_NAME[name]


class _EntryEnum(Enum):
    """Enum members that read as their entry (`Shipped.X.load()`, `Shipped.X.metrics`), except
    `name` and `value`, which are the enum's: `Shipped.X.value.name` is the registry name."""

    def __getattr__(self, attr: str):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.value, attr)


#: every entry as an enum member, named like torchvision's weights (`MNIST_CLASSIFIER`, ...)
Shipped = _EntryEnum("Shipped", {name.upper(): entry for name, entry in _BY_NAME.items()})
