"""The unconditional plan: a batch of real data and a batch of noise, G(z) against D(x)."""

from __future__ import annotations

import torch
from torch import nn

from .base import Batch, BatchPlan

__all__ = ["Unconditional", "latent_dim_of"]


def latent_dim_of(generator: nn.Module) -> int:
    """The size of G's noise input, its int attribute `latent_dim` (a clear error without one)."""
    latent_dim = getattr(generator, "latent_dim", None)
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int):
        raise TypeError("the generator needs an int attribute `latent_dim` (the size of z)")
    return latent_dim


class Unconditional(BatchPlan):
    """G(z) against D(x): what `fit(G, D, data)` trains."""

    name = "unconditional"

    def __init__(self, data: torch.Tensor, *, generator: nn.Module, **kw) -> None:
        super().__init__(data, **kw)
        self.latent_dim = latent_dim_of(generator)

    def draw(self, noise: torch.Generator) -> Batch:
        idx = self.streams["indices"].next()
        return Batch(real=self.data[idx], z=self.noise(noise, self.latent_dim))
