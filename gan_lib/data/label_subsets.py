"""Few labels: a balanced labelled subset of a data set, and the label vector semi-supervised
training reads (class indices where a label is kept, -1 where it is hidden).

    keep = balanced_indices(y, per_class=10, seed=0)   # 100 indices, 10 of each class
    x_few, y_few = x[keep], y[keep]                      # a small labelled set
    labels = hide_labels(y, keep)                        # for fit(..., objective=SemiSupervised())

The same seed picks the same digits, so the augmentation runs and the semi-supervised runs of a
chapter, and the script that trains for longer, all start from the same labelled set.
"""

from __future__ import annotations

import torch

from gan_lib.checks import check_int

__all__ = ["balanced_indices", "hide_labels"]


def balanced_indices(labels: torch.Tensor, per_class: int, *, seed: int = 0) -> torch.Tensor:
    """`per_class` random indices of every class present in `labels`, class by class (int64).

    Raises:
        ValueError: per_class < 1, labels not int64 (N,), or a class with fewer examples.
    """
    check_int("per_class", per_class, minimum=1)
    if not isinstance(labels, torch.Tensor) or labels.dtype != torch.int64 or labels.dim() != 1:
        raise TypeError("labels must be an int64 tensor of class indices (N,), e.g. from "
                        "load_mnist('train')")
    if (labels < 0).any():
        raise ValueError("labels must be class indices >= 0 (this picks from a fully labelled set)")
    rng = torch.Generator().manual_seed(seed)
    picked = []
    for k in labels.unique().tolist():
        members = torch.nonzero(labels == k).flatten()
        if len(members) < per_class:
            raise ValueError(f"class {k} has {len(members)} examples, fewer than per_class="
                             f"{per_class}")
        picked.append(members[torch.randperm(len(members), generator=rng)[:per_class]])
    return torch.cat(picked)


def hide_labels(labels: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
    """A copy of `labels` with -1 (unlabeled) everywhere except at the indices `keep`."""
    if not isinstance(keep, torch.Tensor) or keep.dtype != torch.int64:
        raise TypeError("keep must be an int64 tensor of indices, e.g. from balanced_indices")
    if len(keep) and (keep.min() < 0 or keep.max() >= len(labels)):
        raise ValueError(f"keep has indices outside [0, {len(labels) - 1}]")
    out = torch.full_like(labels, -1)
    out[keep] = labels[keep]
    return out
