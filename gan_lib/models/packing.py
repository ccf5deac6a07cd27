"""Packing (PacGAN, Lin et al. 2018): the discriminator judges m samples at once, not one.

A discriminator that sees one sample at a time cannot tell a generator that draws one perfect
mode from one that draws all of them: each single sample looks real. Packing concatenates m
samples, all real or all fake, into one input. A collapsed generator's packs contain m near-copies,
which real packs almost never do, so D can penalise the lack of diversity and G gets a gradient
towards the missing modes. Nothing else changes: the losses and `fit` work unchanged, with
B samples giving B / m logits.

    inner = MLPDiscriminator(in_shape=packed_shape((2,), packing=4))   # sees 8 numbers
    D = PackedDiscriminator(inner, packing=4)                          # (B, 2) -> (B / 4,)
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from gan_lib.checks import check_int, is_int

__all__ = ["PackedDiscriminator", "packed_shape"]


def packed_shape(in_shape: Sequence[int], *, packing: int) -> tuple[int, ...]:
    """The input shape of the inner discriminator: `packing` samples stacked on the first axis.

    (2,) -> (2m,) for points; (1, 28, 28) -> (m, 28, 28) for images (packed as channels).

    Args:
        in_shape: shape of one sample.
        packing: samples per packed input, m.
    """
    check_int("packing", packing, minimum=1, hint="samples per discriminator input")
    shape = tuple(in_shape)
    if len(shape) == 0 or any(not is_int(s) or s <= 0 for s in shape):
        raise ValueError(f"in_shape must be a non-empty tuple of positive ints, got {shape}")
    return (shape[0] * packing, *shape[1:])


class PackedDiscriminator(nn.Module):
    """Wraps a discriminator so that it scores packs of `packing` consecutive samples.

    Args:
        discriminator: maps (B / m, *packed_shape(sample_shape, packing=m)) to logits (B / m,).
        packing: m, the number of samples per pack (1 is the ordinary discriminator).
    """

    def __init__(self, discriminator: nn.Module, *, packing: int = 2) -> None:
        super().__init__()
        if not isinstance(discriminator, nn.Module):
            raise TypeError(f"discriminator must be an nn.Module, got {type(discriminator).__name__}")
        self.packing = check_int("packing", packing, minimum=1,
                                 hint="samples per discriminator input")
        self.discriminator = discriminator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        m = self.packing
        if x.dim() < 2:
            raise ValueError(f"expected a batch (B, ...) of samples, got shape {tuple(x.shape)}")
        if x.shape[0] % m:
            raise ValueError(
                f"batch of {x.shape[0]} samples cannot be split into packs of {m}; use a "
                f"batch_size divisible by packing={m}"
            )
        # (B, C, ...) -> (B / m, m, C, ...) -> (B / m, m * C, ...): the m samples side by side
        packed = x.reshape(x.shape[0] // m, m * x.shape[1], *x.shape[2:])
        return self.discriminator(packed)  # (B / m,)
