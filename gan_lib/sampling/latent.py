"""The latent space: drawing z, and paths between two latent vectors.

A generator is trained on z ~ N(0, I). In d dimensions such vectors concentrate on a thin shell of
radius about sqrt(d) (the squared norm is a chi-squared with d degrees of freedom: mean d, standard
deviation sqrt(2d)). The straight line between two of them cuts inside the shell: for two
independent draws, which are nearly orthogonal, the midpoint has norm about sqrt(d / 2), a radius
the generator almost never saw. Spherical interpolation (slerp) follows the great-circle arc
instead, so every point on the path has a typical norm.

`generate` turns seeded noise into samples with the generator in eval mode: the same seed and
weights always give the same images, which is what fixed-noise sample grids and metrics need.
"""

from __future__ import annotations

import torch
from torch import nn

from gan_lib.checks import check_int

__all__ = ["sample_latent", "generate", "lerp", "slerp"]


def sample_latent(
    n: int,
    latent_dim: int,
    *,
    generator: torch.Generator | None = None,
    device: str | torch.device | None = None,
) -> torch.Tensor:
    """z ~ N(0, I) of shape (n, latent_dim), drawn on the CPU (same numbers on every device).

    Args:
        n: number of vectors; latent_dim: their size.
        generator: optional torch.Generator for reproducible draws.
        device: where to put the result.
    """
    check_int("n", n, minimum=1, hint="the number of vectors")
    check_int("latent_dim", latent_dim, minimum=1, hint="the size of each vector")
    return torch.randn(n, latent_dim, generator=generator).to(device or "cpu")


@torch.no_grad()
def generate(
    generator: nn.Module,
    *,
    n: int | None = None,
    z: torch.Tensor | None = None,
    seed: int = 0,
    batch_size: int = 500,
    labels: torch.Tensor | None = None,
) -> torch.Tensor:
    """Samples G(z) on the CPU, with G in eval mode (its mode is restored afterwards).

    Give either `n` (z is drawn from N(0, I) seeded by `seed`) or the noise `z` itself. With
    `labels`, the samples are G(z, labels) of a class-conditional generator (see
    `gan_lib.conditional_sampling.generate_conditional`, which checks the labels first).

    Args:
        generator: a generator with an int `latent_dim` attribute.
        n: number of samples to draw from seeded noise.
        z: noise (n, latent_dim) to use instead, e.g. a fixed batch reused across training.
        seed: seeds the noise when `n` is given.
        batch_size: samples per forward pass; bounds memory, not the result.
        labels: int64 class indices (n,), one per row of z, for a conditional generator.

    Returns:
        (n, *sample_shape) float tensor on the CPU.
    """
    latent_dim = check_int(f"{type(generator).__name__}.latent_dim",
                           getattr(generator, "latent_dim", None),
                           hint="the size of z, an attribute every generator needs", error=TypeError)
    if (n is None) == (z is None):
        raise ValueError("give exactly one of n= (seeded noise) or z= (your own noise)")
    if z is None:
        z = sample_latent(n, latent_dim, generator=torch.Generator().manual_seed(seed))
    if z.dim() != 2 or z.shape[1] != latent_dim:
        raise ValueError(f"z must have shape (n, {latent_dim}), got {tuple(z.shape)}")
    check_int("batch_size", batch_size, minimum=1, hint="samples per forward pass")
    if labels is not None and tuple(labels.shape) != (z.shape[0],):
        raise ValueError(f"labels must have shape ({z.shape[0]},), one per row of z, got "
                         f"{tuple(labels.shape)}")
    device = next(generator.parameters()).device
    was_training = generator.training
    generator.eval()  # batch norm uses running statistics, dropout is off
    try:
        parts = []
        for i in range(0, z.shape[0], batch_size):
            inputs = [z[i:i + batch_size].to(device)]
            if labels is not None:
                inputs.append(labels[i:i + batch_size].to(device))
            parts.append(generator(*inputs).float().cpu())
    finally:
        generator.train(was_training)
    return torch.cat(parts)


def _fractions(z0: torch.Tensor, z1: torch.Tensor, steps: int) -> torch.Tensor:
    if z0.shape != z1.shape or z0.dim() != 1:
        raise ValueError(
            f"z0 and z1 must be 1-D vectors of the same size, got {tuple(z0.shape)} and "
            f"{tuple(z1.shape)}; pass single rows, e.g. z[0] and z[1]"
        )
    check_int("steps", steps, minimum=2, hint="the number of points, the two end points included")
    return torch.linspace(0.0, 1.0, steps, dtype=z0.dtype, device=z0.device)[:, None]  # (S, 1)


def lerp(z0: torch.Tensor, z1: torch.Tensor, steps: int) -> torch.Tensor:
    """Linear interpolation: (1 - t) z0 + t z1 for `steps` values of t from 0 to 1.

    Args:
        z0, z1: latent vectors (latent_dim,); steps: number of points, end points included.

    Returns:
        (steps, latent_dim)
    """
    t = _fractions(z0, z1, steps)
    return (1 - t) * z0 + t * z1


def slerp(z0: torch.Tensor, z1: torch.Tensor, steps: int, *, eps: float = 1e-7) -> torch.Tensor:
    """Spherical interpolation along the arc from z0 to z1 (Shoemake 1985):

        slerp(t) = sin((1 - t) omega) / sin(omega) * z0 + sin(t omega) / sin(omega) * z1,
        cos(omega) = z0 . z1 / (|z0| |z1|)

    For unit vectors every point has norm 1; for vectors of equal norm r, norm r.
    Falls back to `lerp` when z0 and z1 are (anti)parallel, where the arc is undefined.

    Args:
        z0, z1: latent vectors (latent_dim,); steps: number of points, end points included.
        eps: tolerance on sin(omega) for the fallback.

    Returns:
        (steps, latent_dim)
    """
    t = _fractions(z0, z1, steps)
    cos = torch.dot(z0, z1) / (z0.norm() * z1.norm()).clamp_min(eps)
    omega = torch.arccos(cos.clamp(-1.0, 1.0))
    sin = torch.sin(omega)
    if sin.abs() < eps:
        return lerp(z0, z1, steps)
    return (torch.sin((1 - t) * omega) * z0 + torch.sin(t * omega) * z1) / sin
