"""The class-conditional plan: G(z, y) against D(x, y), the fakes asked for the real batch's labels."""

from __future__ import annotations

import torch
from torch import nn

from .base import Batch, BatchPlan, describe_tensor
from .unconditional import latent_dim_of

__all__ = ["ClassConditional", "check_label_tensor"]


def check_label_tensor(labels: object, n: int) -> tuple[int, int]:
    """Check `labels` is an int64 tensor (n,); return its (min, max)."""
    if not isinstance(labels, torch.Tensor) or labels.dtype != torch.int64:
        raise TypeError("labels must be an int64 tensor of class indices (N,), e.g. the labels "
                        f"from load_mnist('train'); got {describe_tensor(labels)}; use .long()")
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape (N,) = ({n},) to match data, got "
                         f"{tuple(labels.shape)}")
    return int(labels.min()), int(labels.max())


class ClassConditional(BatchPlan):
    """`fit(G, D, data, labels=labels)`: the labels of the real batch condition both halves, so
    the fakes follow the data's label distribution."""

    name = "class-conditional"

    def __init__(self, data: torch.Tensor, *, labels: torch.Tensor, generator: nn.Module,
                 **kw) -> None:
        super().__init__(data, **kw)
        self.latent_dim = latent_dim_of(generator)
        low, high = check_label_tensor(labels, len(data))
        classes = getattr(generator, "num_classes", high + 1)
        if low < 0 or high >= classes:
            raise ValueError(f"labels must be class indices in [0, {classes - 1}] (the "
                             f"generator's num_classes={classes}); found values in [{low}, {high}]")
        self.description["num_classes"] = int(classes)
        self.labels = labels

    def start(self) -> None:
        super().start()
        self.labels = self.labels.to(self.device)

    def draw(self, noise: torch.Generator) -> Batch:
        idx = self.streams["indices"].next()
        z = self.noise(noise, self.latent_dim)
        return Batch(real=self.data[idx], z=z, labels=self.labels[idx])
