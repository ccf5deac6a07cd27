"""Sampling a class-conditional generator G(z, y): seeded samples of requested classes, and the
class grid (one row per class, one fixed noise vector per column).

In the class grid every column shares its z and every row its y. If the generator separates
what the label controls (which digit) from what the noise controls (slant, thickness, style),
a column shows one style written as every class, and a row one class in many styles.

Like `gan_lib.latent.generate`, sampling runs the generator in eval mode (restored afterwards)
and draws the noise on the CPU, so the same seed and weights always give the same images.
"""

from __future__ import annotations

import torch
from torch import nn

from gan_lib.checks import check_int
from gan_lib.models.conditional import check_labels

from .latent import generate, sample_latent

__all__ = ["class_labels", "generate_conditional", "sample_class_grid"]


def _num_classes(generator: nn.Module) -> int:
    return check_int(f"{type(generator).__name__}.num_classes",
                     getattr(generator, "num_classes", None), error=TypeError,
                     hint="an attribute of conditional generators; use one from gan_lib.models, "
                          "e.g. ConditionalDCGANGenerator")


def class_labels(num_classes: int, n_per_class: int) -> torch.Tensor:
    """[0, 0, ..., 1, 1, ..., K-1]: each class `n_per_class` times, int64 of shape (K * n,).

    Args:
        num_classes: K; n_per_class: repeats of each class.
    """
    check_int("num_classes", num_classes, minimum=1)
    check_int("n_per_class", n_per_class, minimum=1)
    return torch.arange(num_classes).repeat_interleave(n_per_class)


@torch.no_grad()
def generate_conditional(
    generator: nn.Module,
    labels: torch.Tensor,
    *,
    z: torch.Tensor | None = None,
    seed: int = 0,
    batch_size: int = 500,
) -> torch.Tensor:
    """G(z, labels) on the CPU, with G in eval mode (its mode is restored afterwards).

    Args:
        generator: a conditional generator with int `latent_dim` and `num_classes` attributes.
        labels: int64 class indices (N,), one requested class per sample.
        z: noise (N, latent_dim) to use; default: drawn from N(0, I) seeded by `seed`.
        seed: seeds the noise when `z` is not given.
        batch_size: samples per forward pass; bounds memory, not the result.

    Returns:
        (N, *sample_shape) float tensor on the CPU.
    """
    latent_dim = check_int(f"{type(generator).__name__}.latent_dim",
                           getattr(generator, "latent_dim", None),
                           hint="the size of z, an attribute every generator needs", error=TypeError)
    check_labels(labels, _num_classes(generator), name="labels")
    n = labels.shape[0]
    if n == 0:
        raise ValueError("labels is empty; request at least one sample")
    if z is None:
        z = sample_latent(n, latent_dim, generator=torch.Generator().manual_seed(seed))
    if z.dim() != 2 or tuple(z.shape) != (n, latent_dim):
        raise ValueError(f"z must have shape ({n}, {latent_dim}) (one row per label), got "
                         f"{tuple(z.shape)}")
    return generate(generator, z=z, labels=labels, batch_size=batch_size)


def sample_class_grid(
    generator: nn.Module,
    num_classes: int | None = None,
    n_per_class: int = 8,
    *,
    seed: int = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """One row per class, one fixed noise vector per column: row k, column j is G(z_j, k).

    Args:
        generator: a conditional generator (`latent_dim`, `num_classes` attributes).
        num_classes: rows, classes 0 .. num_classes - 1 (default: all of the generator's).
        n_per_class: columns, i.e. noise vectors.
        seed: seeds the n_per_class noise vectors.

    Returns:
        images (num_classes * n_per_class, *sample_shape) on the CPU, row by row, and their
        labels (num_classes * n_per_class,) int64.
    """
    k_max = _num_classes(generator)
    k = k_max if num_classes is None else num_classes
    check_int("num_classes", k, minimum=1, maximum=k_max, hint="the generator's classes")
    labels = class_labels(k, n_per_class)
    z = sample_latent(n_per_class, generator.latent_dim,
                      generator=torch.Generator().manual_seed(seed))  # (n, latent_dim)
    z = z.repeat(k, 1)  # (k * n, latent_dim): the same n vectors in every row
    return generate_conditional(generator, labels, z=z), labels
