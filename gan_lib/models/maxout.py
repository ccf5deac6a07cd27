"""Maxout units (Goodfellow et al. 2013) and the maxout discriminator of the 2-D mode-collapse benchmarks.

A maxout unit computes `pieces` affine functions of its input and returns the largest:
h_j(x) = max_p (W x + b)_{j, p}. It is a learned piecewise-linear activation: with two pieces it
can represent ReLU (one piece fixed at 0) or |x|, and every unit passes gradient to exactly one
of its pieces. The first GAN paper's discriminators used maxout, and so do the 2-D ring and grid
benchmarks of ALI, VEEGAN and PacGAN: three maxout layers of 200 units with 5 pieces, then one
linear logit (PacGAN's reference code, `synthetic_data_experiments/2DRing_GAN&PacGAN/pacgan_task.py`).

    D = MaxoutDiscriminator(in_shape=(2,))             # (N, 2) -> logits (N,)
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn

from gan_lib.checks import check_int, is_int

__all__ = ["Maxout", "MaxoutDiscriminator"]


class Maxout(nn.Module):
    """A linear layer to `out_features * pieces` numbers, then the max over each unit's pieces.

    The linear outputs are grouped unit-major: unit j owns outputs j * pieces ... j * pieces +
    pieces - 1 (the layout of Blocks' `LinearMaxout`, which PacGAN's code uses).

    Args:
        in_features: size of each input vector.
        out_features: number of maxout units.
        pieces: affine pieces per unit (>= 1; 1 is a plain linear layer).
    """

    def __init__(self, in_features: int, out_features: int, *, pieces: int = 5) -> None:
        super().__init__()
        self.in_features = check_int("in_features", in_features, minimum=1)
        self.out_features = check_int("out_features", out_features, minimum=1)
        self.pieces = check_int("pieces", pieces, minimum=1)
        self.linear = nn.Linear(in_features, out_features * pieces)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() < 1 or x.shape[-1] != self.in_features:
            raise ValueError(f"expected input (..., {self.in_features}), got {tuple(x.shape)}")
        y = self.linear(x)  # (..., out * pieces)
        return y.view(*x.shape[:-1], self.out_features, self.pieces).amax(dim=-1)  # (..., out)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, pieces={self.pieces}"


class MaxoutDiscriminator(nn.Module):
    """samples (N, *in_shape) -> logits (N,) through maxout hidden layers and one linear unit.

    Args:
        in_shape: shape of one sample, e.g. (2,) for 2-D points (packed: (2 m,)).
        hidden_dims: maxout units per hidden layer (at least one); the benchmarks use (200,) * 3.
        pieces: affine pieces per maxout unit (5 in the benchmarks).
    """

    def __init__(
        self,
        *,
        in_shape: Sequence[int] = (2,),
        hidden_dims: Sequence[int] = (200, 200, 200),
        pieces: int = 5,
    ) -> None:
        super().__init__()
        self.in_shape = tuple(in_shape)
        if len(self.in_shape) == 0 or any(not is_int(s) or s <= 0 for s in self.in_shape):
            raise ValueError(f"in_shape must be a non-empty tuple of positive ints, got {self.in_shape}")
        dims = tuple(hidden_dims)
        if len(dims) == 0:
            raise ValueError("MaxoutDiscriminator needs at least one hidden layer (hidden_dims is "
                             "empty); pass e.g. (200, 200, 200)")
        for i, d in enumerate(dims):
            check_int(f"hidden_dims[{i}]", d, minimum=1)
        self.pieces = check_int("pieces", pieces, minimum=1)
        layers: list[nn.Module] = [nn.Flatten()]
        width = math.prod(self.in_shape)
        for hidden in dims:
            layers.append(Maxout(width, hidden, pieces=pieces))
            width = hidden
        layers.append(nn.Linear(width, 1))  # the logit; the sigmoid lives inside the loss
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if tuple(x.shape[1:]) != self.in_shape:
            raise ValueError(f"expected input of shape (N, {', '.join(map(str, self.in_shape))}), "
                             f"got {tuple(x.shape)}")
        return self.net(x).squeeze(1)  # (N,)
