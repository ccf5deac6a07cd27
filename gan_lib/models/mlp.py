"""Fully connected GAN models: the simplest generator and discriminator that can learn MNIST.

The recipe for a fully connected GAN:
- both networks have at least one hidden layer, so each is a universal approximator given enough
  hidden units;
- hidden units are LeakyReLU, so every unit passes some gradient back: the generator learns only
  through the gradient that flows back through the discriminator;
- the generator ends in tanh, matching data scaled to [-1, 1] (`out_activation=None` gives a
  linear output for unbounded data such as the 1-D toy distributions);
- the discriminator ends in a single linear unit: it returns the logit, and the losses apply the
  sigmoid inside a numerically stable cross-entropy.

Nothing here knows about training or about MNIST beyond the default shapes.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn

__all__ = ["MLPGenerator", "MLPDiscriminator"]

_OUT_ACTIVATIONS = ("tanh", None)


def _check_dims(hidden_dims: Sequence[int], name: str) -> tuple[int, ...]:
    dims = tuple(hidden_dims)
    if len(dims) == 0:
        raise ValueError(
            f"{name} needs at least one hidden layer (hidden_dims is empty): without one the "
            "network is linear and cannot represent an arbitrary distribution; pass e.g. (256,)"
        )
    if any(not isinstance(d, int) or d <= 0 for d in dims):
        raise ValueError(f"hidden_dims must be positive integers, got {dims}")
    return dims


def _check_shape(shape: Sequence[int], name: str) -> tuple[int, ...]:
    shape = tuple(shape)
    if len(shape) == 0 or any(not isinstance(s, int) or s <= 0 for s in shape):
        raise ValueError(f"{name} must be a non-empty tuple of positive ints, got {shape}")
    return shape


class MLPGenerator(nn.Module):
    """z (N, latent_dim) -> samples (N, *out_shape) through LeakyReLU hidden layers.

    Args:
        latent_dim: size of the noise vector z.
        hidden_dims: widths of the hidden layers (at least one).
        out_shape: shape of one sample, e.g. (1, 28, 28) for MNIST or (1,) for 1-D data.
        out_activation: "tanh" for data in [-1, 1], None for a linear (unbounded) output.
        negative_slope: slope of LeakyReLU for negative inputs (0 gives ReLU).
        batch_norm: put batch normalisation between each hidden layer and its activation (the
            layer then has no bias: batch norm's shift replaces it), as in PacGAN's 2-D generator.
        batch_norm_momentum: the running statistics' momentum (PyTorch's convention; 0.05 in
            PacGAN's code).
    """

    def __init__(
        self,
        *,
        latent_dim: int = 100,
        hidden_dims: Sequence[int] = (256, 512),
        out_shape: Sequence[int] = (1, 28, 28),
        out_activation: str | None = "tanh",
        negative_slope: float = 0.2,
        batch_norm: bool = False,
        batch_norm_momentum: float = 0.1,
    ) -> None:
        super().__init__()
        if not isinstance(latent_dim, int) or latent_dim <= 0:
            raise ValueError(f"latent_dim must be a positive int, got {latent_dim!r}")
        if out_activation not in _OUT_ACTIVATIONS:
            raise ValueError(
                f"out_activation must be one of {_OUT_ACTIVATIONS}, got {out_activation!r}"
            )
        dims = _check_dims(hidden_dims, "MLPGenerator")
        self.latent_dim = latent_dim
        self.out_shape = _check_shape(out_shape, "out_shape")
        layers: list[nn.Module] = []
        width = latent_dim
        for hidden in dims:
            if batch_norm:
                layers += [nn.Linear(width, hidden, bias=False),
                           nn.BatchNorm1d(hidden, momentum=batch_norm_momentum)]
            else:
                layers.append(nn.Linear(width, hidden))
            layers.append(nn.LeakyReLU(negative_slope))
            width = hidden
        layers.append(nn.Linear(width, math.prod(self.out_shape)))
        if out_activation == "tanh":
            layers.append(nn.Tanh())
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"expected z of shape (N, {self.latent_dim}), got {tuple(z.shape)}"
            )
        x = self.net(z)  # (N, prod(out_shape))
        return x.view(z.shape[0], *self.out_shape)  # (N, *out_shape)


class MLPDiscriminator(nn.Module):
    """samples (N, *in_shape) -> logits (N,) through LeakyReLU hidden layers.

    Args:
        in_shape: shape of one sample, e.g. (1, 28, 28) or (1,).
        hidden_dims: widths of the hidden layers (at least one).
        negative_slope: slope of LeakyReLU for negative inputs.
        dropout: dropout probability after each hidden activation (0 disables it).
    """

    def __init__(
        self,
        *,
        in_shape: Sequence[int] = (1, 28, 28),
        hidden_dims: Sequence[int] = (512, 256),
        negative_slope: float = 0.2,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        dims = _check_dims(hidden_dims, "MLPDiscriminator")
        self.in_shape = _check_shape(in_shape, "in_shape")
        layers: list[nn.Module] = [nn.Flatten()]
        width = math.prod(self.in_shape)
        for hidden in dims:
            layers += [nn.Linear(width, hidden), nn.LeakyReLU(negative_slope)]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = hidden
        # one linear unit: the logit; the sigmoid lives inside the with-logits loss
        layers.append(nn.Linear(width, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if tuple(x.shape[1:]) != self.in_shape:
            raise ValueError(
                f"expected input of shape (N, {', '.join(map(str, self.in_shape))}), "
                f"got {tuple(x.shape)}"
            )
        return self.net(x).squeeze(1)  # (N,)
