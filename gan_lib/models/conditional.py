"""Class-conditional GANs (Mirza & Osindero 2014): G(z, y) draws an image of class y, D(x, y)
judges whether x is a real image *of class y*.

How the label enters each network:
- generator: y becomes a vector, a learned embedding (`label_input="embedding"`) or a one-hot
  code (`"one_hot"`), joined to z; the unconditional generator then sees one longer input.
- discriminator, `conditioning="concat"`: the one-hot label is joined to the input, as extra
  inputs for the MLP and as K constant planes next to the image channels for the conv net
  (plane y is all ones, the others zero), so the first layer sees image and label together.
- discriminator, `conditioning="projection"` (Miyato & Koyama 2018): the image is mapped to
  features phi(x) by the unconditional network; the logit is

      D(x, y) = psi(phi(x)) + <embed(y), phi(x)>,

  an unconditional score plus the inner product of a class embedding with the features. This is
  the form the optimal D takes when p(y | x) is a log-linear model of phi(x).

Each model wraps the unconditional networks of `mlp` and `dcgan`, so every argument of those
works here too; the DCGAN ones are built by `dcgan_ablations`, so its ablation keywords (batch
norm off, activation, resampling, a fully connected hidden layer) do as well. `check_labels` is
the single label check.
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn

from .dcgan_ablations import ablated_dcgan_discriminator, ablated_dcgan_generator
from .mlp import MLPDiscriminator, MLPGenerator

__all__ = [
    "check_labels",
    "ConditionalMLPGenerator",
    "ConditionalMLPDiscriminator",
    "ConditionalDCGANGenerator",
    "ConditionalDCGANDiscriminator",
    "LABEL_INPUTS",
    "CONDITIONINGS",
]

LABEL_INPUTS = ("embedding", "one_hot")
CONDITIONINGS = ("concat", "projection")


def check_labels(y: torch.Tensor, num_classes: int, *, batch_size: int | None = None,
                 name: str = "y") -> None:
    """Raise a clear error unless `y` holds int64 class indices of shape (N,) in [0, num_classes).

    Args:
        y: the labels to check.
        num_classes: K; valid labels are 0 .. K - 1.
        batch_size: the N that y must match (the batch of z or x), or None.
        name: how to call y in the messages.
    """
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor of class indices, got {type(y).__name__}; "
                        f"use torch.tensor(labels, dtype=torch.long)")
    if y.dtype != torch.long:
        raise TypeError(f"{name} must hold class indices of dtype torch.long (int64), got "
                        f"{y.dtype}; convert with {name}.long()")
    if y.dim() != 1:
        hint = ""
        if y.dim() == 2 and y.shape[1] == 1:
            hint = f"; drop the extra axis with {name}.squeeze(1)"
        elif y.dim() == 2 and y.shape[1] == num_classes:
            hint = f"; for one-hot rows pass the indices {name}.argmax(1)"
        raise ValueError(f"{name} must have shape (N,), one class index per sample, got "
                         f"{tuple(y.shape)}{hint}")
    if batch_size is not None and y.shape[0] != batch_size:
        raise ValueError(f"{name} has {y.shape[0]} labels for a batch of {batch_size}; "
                         "give one label per sample")
    if y.numel() == 0:
        return
    bad = (y < 0) | (y >= num_classes)
    if bool(bad.any()):
        i = int(bad.nonzero()[0])
        raise ValueError(f"{name} must lie in [0, {num_classes - 1}] (num_classes={num_classes}), "
                         f"got {int(y[i])} at index {i}")


def _check_int(name: str, value: int, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not valid; choose one of {', '.join(allowed)}")


def _check_z(z: torch.Tensor, latent_dim: int) -> None:
    if not isinstance(z, torch.Tensor) or z.dim() != 2 or z.shape[1] != latent_dim:
        shape = tuple(z.shape) if isinstance(z, torch.Tensor) else type(z).__name__
        raise ValueError(f"expected z of shape (N, {latent_dim}), got {shape}")


def _check_x(x: torch.Tensor, shape: tuple[int, ...]) -> None:
    if not isinstance(x, torch.Tensor) or tuple(x.shape[1:]) != shape or x.dim() != len(shape) + 1:
        got = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ValueError(f"expected input of shape (N, {', '.join(map(str, shape))}), got {got}")


class _LabelCode(nn.Module):
    """y (N,) -> (N, dim): a learned embedding, or the fixed one-hot code (dim = num_classes)."""

    def __init__(self, num_classes: int, kind: str, embed_dim: int | None) -> None:
        super().__init__()
        _check_choice("label_input", kind, LABEL_INPUTS)
        self.num_classes = num_classes
        if kind == "one_hot":
            if embed_dim not in (None, num_classes):
                raise ValueError(f"a one-hot code has num_classes={num_classes} entries; "
                                 f"leave embed_dim=None (got {embed_dim!r})")
            self.dim, self.embed = num_classes, None
        else:
            self.dim = num_classes if embed_dim is None else embed_dim
            _check_int("embed_dim", self.dim)
            # N(0, 1) entries (PyTorch's default): the same scale as z, which it sits beside
            self.embed = nn.Embedding(num_classes, self.dim)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        if self.embed is None:
            return nn.functional.one_hot(y, self.num_classes).float()
        return self.embed(y)


class _ConditionalGenerator(nn.Module):
    """G(z, y) = G'([z, code(y)]) for an unconditional generator G' with a longer input."""

    latent_dim: int
    num_classes: int

    def _setup(self, num_classes: int, latent_dim: int, label_input: str,
               embed_dim: int | None) -> int:
        _check_int("num_classes", num_classes, 2)
        _check_int("latent_dim", latent_dim)
        self.num_classes, self.latent_dim = num_classes, latent_dim
        self.label_input = label_input
        self.label_code = _LabelCode(num_classes, label_input, embed_dim)
        return latent_dim + self.label_code.dim  # input size of the inner generator

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        _check_z(z, self.latent_dim)
        check_labels(y, self.num_classes, batch_size=z.shape[0])
        h = torch.cat([z, self.label_code(y).to(z.dtype)], dim=1)  # (N, latent_dim + code dim)
        return self.net(h)  # (N, *sample shape)


class ConditionalMLPGenerator(_ConditionalGenerator):
    """(z (N, latent_dim), y (N,)) -> samples (N, *out_shape); see `MLPGenerator`.

    Args:
        num_classes: K, the number of classes.
        latent_dim: size of z (the label code comes on top).
        label_input: "embedding" (learned, `embed_dim` entries) or "one_hot".
        embed_dim: size of the learned embedding (default num_classes).
        hidden_dims, out_shape, out_activation, negative_slope: as in `MLPGenerator`.
    """

    def __init__(self, *, num_classes: int = 10, latent_dim: int = 100,
                 label_input: str = "embedding", embed_dim: int | None = None,
                 hidden_dims: Sequence[int] = (256, 512), out_shape: Sequence[int] = (1, 28, 28),
                 out_activation: str | None = "tanh", negative_slope: float = 0.2) -> None:
        super().__init__()
        width = self._setup(num_classes, latent_dim, label_input, embed_dim)
        self.net = MLPGenerator(latent_dim=width, hidden_dims=hidden_dims, out_shape=out_shape,
                                out_activation=out_activation, negative_slope=negative_slope)
        self.out_shape = self.net.out_shape


class ConditionalDCGANGenerator(_ConditionalGenerator):
    """(z (N, latent_dim), y (N,)) -> images (N, channels, image_size, image_size) in [-1, 1].

    The label code joins z before the first (projecting) layer; see `DCGANGenerator`.

    Args:
        num_classes: K, the number of classes.
        latent_dim: size of z (the label code comes on top).
        label_input: "embedding" (learned, `embed_dim` entries) or "one_hot".
        embed_dim: size of the learned embedding (default num_classes).
        **dcgan: keyword arguments of `DCGANGenerator` (image_size, channels, base_width) or
            of `ablated_dcgan_generator` (batch_norm, activation, upsample, fc_hidden, ...).
    """

    def __init__(self, *, num_classes: int = 10, latent_dim: int = 100,
                 label_input: str = "embedding", embed_dim: int | None = None, **dcgan) -> None:
        super().__init__()
        width = self._setup(num_classes, latent_dim, label_input, embed_dim)
        self.net = ablated_dcgan_generator(latent_dim=width, **dcgan)  # plain unless ablated
        self.image_size = self.net.image_size


class ConditionalMLPDiscriminator(nn.Module):
    """(samples (N, *in_shape), y (N,)) -> logits (N,); see `MLPDiscriminator`.

    Args:
        num_classes: K, the number of classes.
        conditioning: "concat" (one-hot label joined to the flattened input) or "projection".
        in_shape, hidden_dims, negative_slope, dropout: as in `MLPDiscriminator`.
    """

    def __init__(self, *, num_classes: int = 10, conditioning: str = "projection",
                 in_shape: Sequence[int] = (1, 28, 28), hidden_dims: Sequence[int] = (512, 256),
                 negative_slope: float = 0.2, dropout: float = 0.0) -> None:
        super().__init__()
        _check_int("num_classes", num_classes, 2)
        _check_choice("conditioning", conditioning, CONDITIONINGS)
        self.num_classes, self.conditioning = num_classes, conditioning
        self.in_shape = tuple(in_shape)
        if not self.in_shape or any(isinstance(s, bool) or not isinstance(s, int) or s < 1
                                    for s in self.in_shape):
            raise ValueError(
                f"in_shape must be a non-empty tuple of positive ints, got {self.in_shape}")
        size = math.prod(self.in_shape)
        extra = num_classes if conditioning == "concat" else 0
        self.net = MLPDiscriminator(in_shape=(size + extra,), hidden_dims=hidden_dims,
                                    negative_slope=negative_slope, dropout=dropout)
        if conditioning == "projection":
            # net.net = [Flatten, hidden layers..., Linear(width, 1)]: phi is all but the last
            # layer, psi the last; embed(y) lives in phi's space
            self.embed = nn.Embedding(num_classes, self.net.net[-1].in_features)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        _check_x(x, self.in_shape)
        check_labels(y, self.num_classes, batch_size=x.shape[0])
        h = x.flatten(1)  # (N, prod(in_shape))
        if self.conditioning == "concat":
            code = nn.functional.one_hot(y, self.num_classes).to(h.dtype)
            return self.net(torch.cat([h, code], dim=1))  # (N,)
        phi = self.net.net[:-1](h)  # (N, width)
        psi = self.net.net[-1](phi).squeeze(1)  # (N,)
        return psi + (self.embed(y) * phi).sum(dim=1)  # (N,)


class ConditionalDCGANDiscriminator(nn.Module):
    """(images (N, channels, image_size, image_size), y (N,)) -> logits (N,).

    With "projection", phi(x) is the flattened last feature map (or the hidden layer when
    `fc_hidden=True`) and psi the DCGAN head, so the projection adds a class-specific linear
    head to the unconditional one. See `DCGANDiscriminator`.

    Args:
        num_classes: K, the number of classes.
        conditioning: "concat" (K one-hot label planes joined to the image channels) or
            "projection".
        image_size, channels: the image shape.
        **dcgan: other keyword arguments of `DCGANDiscriminator` (base_width, batch_norm) or of
            `ablated_dcgan_discriminator` (activation, downsample, fc_hidden, ...).
    """

    def __init__(self, *, num_classes: int = 10, conditioning: str = "projection",
                 image_size: int = 28, channels: int = 1, **dcgan) -> None:
        super().__init__()
        _check_int("num_classes", num_classes, 2)
        _check_choice("conditioning", conditioning, CONDITIONINGS)
        self.num_classes, self.conditioning = num_classes, conditioning
        self.image_size, self.channels = image_size, channels
        extra = num_classes if conditioning == "concat" else 0
        self.net = ablated_dcgan_discriminator(image_size=image_size, channels=channels + extra,
                                               **dcgan)  # plain unless ablated
        if conditioning == "projection":
            head = self.net.head
            # fc_hidden=True: phi ends in the hidden layer
            self._fc = isinstance(head[-1], nn.Linear)
            if self._fc:
                dim = head[-1].in_features
            else:  # head = [Conv2d(width, 1, kernel = whole map), Flatten]
                dim = head[0].in_channels * head[0].kernel_size[0] * head[0].kernel_size[1]
            self.embed = nn.Embedding(num_classes, dim)
            nn.init.normal_(self.embed.weight, 0.0, 0.02)  # the DCGAN scale of the head it joins

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        _check_x(x, (self.channels, self.image_size, self.image_size))
        check_labels(y, self.num_classes, batch_size=x.shape[0])
        n, _, h, w = x.shape
        if self.conditioning == "concat":
            planes = nn.functional.one_hot(y, self.num_classes).to(x.dtype)  # (N, K)
            planes = planes[:, :, None, None].expand(n, self.num_classes, h, w)  # (N, K, H, W)
            return self.net(torch.cat([x, planes], dim=1))  # (N,)
        feat = self.net.blocks(x)  # (N, 2 * base_width, 7, 7) for 28-pixel images
        if self._fc:
            phi = self.net.head[:-1](feat)  # (N, fc_width)
            psi = self.net.head[-1](phi).squeeze(1)  # (N,)
        else:
            phi = feat.flatten(1)  # (N, 2 * base_width * 7 * 7)
            psi = self.net.head(feat).squeeze(1)  # (N,)
        return psi + (self.embed(y) * phi).sum(dim=1)  # (N,)
