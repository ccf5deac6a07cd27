"""The GAN game in density space: divergences and the optimal discriminator on a grid.

When both densities are known on a grid of points (the 1-D toy problems), the quantities of GAN
theory become numerical integrals, computed here with the trapezoid rule:

    kl_divergence(p, q, x)      KL(p || q) = int p log(p / q)
    js_divergence(p, q, x)      JSD(p || q) = KL(p || m) / 2 + KL(q || m) / 2,  m = (p + q) / 2
    optimal_discriminator(p_data, p_g)   D*(x) = p_data / (p_data + p_g)   (and its smoothed form)
    optimal_discriminator_logit(...)     its logit, log(p_data / p_g), for anything taking logs
    value_function(logits, p_data, p_g, x)   V(D, G) = int p_data log D + p_g log(1 - D)

`histogram_js_divergence` estimates the JSD from two sets of samples instead, for a generator whose
density is unknown. `fit_discriminator` solves the inner max_D of the game by training: a network
trained on samples of two fixed distributions approaches D*, and its V(D, G) bounds the JSD from
below. Logarithms are natural: divergences are in nats and the JSD lies in [0, log 2].
Use float64 grids; the identities of the theory then hold to ~1e-12.
"""

from __future__ import annotations

import math

from typing import Protocol

import torch
import torch.nn.functional as F
from torch import nn

from gan_lib.checks import check_int, check_number
from gan_lib.train.losses import discriminator_loss


class _Sampler(Protocol):
    def sample(self, n: int, *, generator: torch.Generator | None = None) -> torch.Tensor: ...

__all__ = [
    "kl_divergence",
    "js_divergence",
    "optimal_discriminator",
    "optimal_discriminator_logit",
    "value_function",
    "histogram_js_divergence",
    "fit_discriminator",
]


def _check_grid(x: torch.Tensor, **densities: torch.Tensor) -> None:
    """Raise a clear error unless x is an increasing 1-D grid and each density matches it."""
    for name, t in {"x": x, **densities}.items():
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
    if x.dim() != 1 or x.numel() < 2:
        raise ValueError(f"x must be a 1-D grid of at least 2 points, got shape {tuple(x.shape)}")
    if not bool((x[1:] > x[:-1]).all()):
        raise ValueError("x must be strictly increasing (sort the grid first)")
    for name, t in densities.items():
        if t.shape != x.shape:
            raise ValueError(
                f"{name} must hold one value per grid point: shape {tuple(x.shape)}, "
                f"got {tuple(t.shape)}"
            )
        if bool((t < 0).any()) or not bool(torch.isfinite(t).all()):
            raise ValueError(f"{name} must be finite and >= 0 everywhere (it is a density)")


def kl_divergence(p: torch.Tensor, q: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """KL(p || q) = int p(x) log(p(x) / q(x)) dx by the trapezoid rule, in nats.

    Infinite where p has mass and q has none. Terms with p = 0 count as 0 (0 log 0 = 0).

    Args:
        p: density values on the grid, shape (n,).
        q: density values on the grid, shape (n,).
        x: the grid, strictly increasing, shape (n,).
    """
    _check_grid(x, p=p, q=q)
    # xlogy(p, p) - xlogy(p, q): 0 where p == 0, +inf where p > 0 and q == 0
    integrand = torch.xlogy(p, p) - torch.xlogy(p, q)
    return torch.trapezoid(integrand, x)


def js_divergence(p: torch.Tensor, q: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Jensen-Shannon divergence, KL(p || m) / 2 + KL(q || m) / 2 with m = (p + q) / 2, in nats.

    Symmetric and always finite: 0 when p = q, log 2 when the supports are disjoint.

    Args:
        p: density values on the grid, shape (n,).
        q: density values on the grid, shape (n,).
        x: the grid, strictly increasing, shape (n,).
    """
    _check_grid(x, p=p, q=q)
    m = 0.5 * (p + q)
    return 0.5 * kl_divergence(p, m, x) + 0.5 * kl_divergence(q, m, x)


def optimal_discriminator(
    p_data: torch.Tensor,
    p_g: torch.Tensor,
    *,
    real_label: float = 1.0,
    fake_label: float = 0.0,
) -> torch.Tensor:
    """The discriminator that maximises the (label-smoothed) cross-entropy objective pointwise.

    With targets `real_label` (alpha) for data and `fake_label` (beta) for fakes,
        D*(x) = (alpha p_data(x) + beta p_g(x)) / (p_data(x) + p_g(x)),
    which is p_data / (p_data + p_g) for the plain game (alpha = 1, beta = 0). Where neither
    density has mass every value is optimal; 1/2 is returned there.

    Args:
        p_data: data density at some points, any shape.
        p_g: generator density at the same points.
        real_label: the target of real samples, in (0, 1]; below 1 is one-sided smoothing.
        fake_label: the target of fake samples, in [0, 1); above 0 smooths the fake side too.
    """
    for name, t in {"p_data": p_data, "p_g": p_g}.items():
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
        if bool((t < 0).any()):
            raise ValueError(f"{name} must be >= 0 everywhere (it is a density)")
    if p_data.shape != p_g.shape:
        raise ValueError(
            f"p_data and p_g must have the same shape, got {tuple(p_data.shape)} and "
            f"{tuple(p_g.shape)}"
        )
    check_number("real_label", real_label, low=0, high=1, low_open=True,
                 hint="the target of real samples")
    check_number("fake_label", fake_label, low=0, high=1, high_open=True,
                 hint="the target of fake samples")
    total = p_data + p_g
    d = (real_label * p_data + fake_label * p_g) / total
    return torch.where(total > 0, d, torch.full_like(d, 0.5))


def optimal_discriminator_logit(
    p_data: torch.Tensor,
    p_g: torch.Tensor,
    *,
    real_label: float = 1.0,
    fake_label: float = 0.0,
) -> torch.Tensor:
    """The logit of `optimal_discriminator`: log(alpha p_data + beta p_g) - log(rest).

    Prefer it for anything that takes a log of D* or 1 - D*: where p_g is a tiny fraction of
    p_data, D* rounds to exactly 1 in floating point and log(1 - D*) = -inf, while the logit
    log(p_data / p_g) stays finite. +-inf where one density is exactly 0; 0 where both are.

    Args:
        p_data: data density at some points, any shape.
        p_g: generator density at the same points.
        real_label: the target of real samples, in (0, 1].
        fake_label: the target of fake samples, in [0, 1).
    """
    optimal_discriminator(p_data, p_g, real_label=real_label, fake_label=fake_label)  # validates
    num = real_label * p_data + fake_label * p_g
    den = (1 - real_label) * p_data + (1 - fake_label) * p_g
    logit = torch.log(num) - torch.log(den)
    return torch.where((num == 0) & (den == 0), torch.zeros_like(logit), logit)


def value_function(
    logits: torch.Tensor, p_data: torch.Tensor, p_g: torch.Tensor, x: torch.Tensor
) -> torch.Tensor:
    """V(D, G) = int p_data log D + p_g log(1 - D) dx by the trapezoid rule, D = sigmoid(logits).

    This is E_{x~p_data}[log D(x)] + E_{z~p_z}[log(1 - D(G(z)))], with the second expectation
    written over x = G(z) ~ p_g. D is given by its logits, like every discriminator in gan_lib:
    log D = logsigmoid(a) and log(1 - D) = logsigmoid(-a) stay finite where D itself rounds to
    0 or 1. A term whose density is 0 counts as 0, even where its log is -inf.

    Args:
        logits: the discriminator's logits on the grid, shape (n,); +-inf allowed.
        p_data: data density on the grid, shape (n,).
        p_g: generator density on the grid, shape (n,).
        x: the grid, strictly increasing, shape (n,).
    """
    _check_grid(x, p_data=p_data, p_g=p_g)
    if not isinstance(logits, torch.Tensor) or logits.shape != x.shape:
        raise ValueError(
            f"logits must be a tensor of shape {tuple(x.shape)} (one logit per grid point)"
        )
    if bool(torch.isnan(logits).any()):
        raise ValueError("logits contain NaN")
    real = torch.where(p_data > 0, p_data * F.logsigmoid(logits), torch.zeros_like(p_data))
    fake = torch.where(p_g > 0, p_g * F.logsigmoid(-logits), torch.zeros_like(p_g))
    return torch.trapezoid(real + fake, x)


def histogram_js_divergence(
    a: torch.Tensor,
    b: torch.Tensor,
    *,
    bins: int = 50,
    range: tuple[float, float] | None = None,
) -> float:
    """Estimate JSD between the distributions of two 1-D sample sets from shared histograms, in nats.

    Both sets are binned on the same edges and the discrete JSD of the bin frequencies is
    returned. It is a plug-in estimate: biased upward by sampling noise (two samples of the same
    distribution give a small positive value), and it cannot see structure finer than a bin.
    Samples outside `range` are dropped.

    Args:
        a: samples, shape (n,) or (n, 1).
        b: samples, shape (m,) or (m, 1).
        bins: number of equal-width bins.
        range: (low, high) of the bins; default the span of both sample sets together.
    """
    flat = []
    for name, t in {"a": a, "b": b}.items():
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
        if t.dim() == 2 and t.shape[1] == 1:
            t = t[:, 0]
        if t.dim() != 1 or t.numel() == 0:
            raise ValueError(
                f"{name} must be a non-empty batch of 1-D samples, shape (n,) or (n, 1); "
                f"got {tuple(t.shape)}"
            )
        flat.append(t.detach().to("cpu", torch.float64))
    check_int("bins", bins, minimum=1)
    if range is None:
        both = torch.cat(flat)
        range = (both.min().item(), both.max().item())
    low, high = float(range[0]), float(range[1])
    if not high > low:
        raise ValueError(f"range must satisfy low < high, got {range}")
    freq = []
    for name, t in zip("ab", flat):
        counts = torch.histc(t, bins=bins, min=low, max=high)
        if counts.sum() == 0:
            raise ValueError(f"no sample of {name} falls in range {range}")
        freq.append(counts / counts.sum())
    p, q = freq
    m = 0.5 * (p + q)
    jsd = 0.5 * (torch.xlogy(p, p) - torch.xlogy(p, m)).sum()
    jsd += 0.5 * (torch.xlogy(q, q) - torch.xlogy(q, m)).sum()
    # clamp tiny negative rounding; the JSD of frequencies never exceeds log 2
    return float(jsd.clamp(0.0, math.log(2)))


def fit_discriminator(
    discriminator: nn.Module,
    *,
    real: _Sampler,
    fake: _Sampler,
    steps: int,
    batch_size: int = 512,
    lr: float = 1e-3,
    real_label: float = 1.0,
    generator: torch.Generator | None = None,
) -> list[float]:
    """Train D alone against two fixed distributions: the inner max_D of the game, G frozen.

    Each step draws fresh batches from `real` and `fake` (so D never overfits a finite sample)
    and takes one Adam step on `discriminator_loss`; the learning rate decays to 0 on a cosine
    schedule, which lets D settle close to the optimum instead of jittering around it. With
    enough capacity and steps, sigmoid(D(x)) approaches `optimal_discriminator(p_data, p_g,
    real_label=real_label)`.

    Args:
        discriminator: maps (B, 1) samples to logits (B,); trained in place, on the CPU.
        real: the data distribution, anything with `.sample(n, generator=...) -> (n, 1)`.
        fake: the generator's distribution, same interface (e.g. `gan_lib.toy.Gaussian1D`).
        steps: number of updates.
        batch_size: samples per batch from each side.
        lr: Adam's initial learning rate.
        real_label: the target of real samples; < 1 is one-sided label smoothing.
        generator: a CPU `torch.Generator` for reproducible batches.

    Returns:
        the discriminator loss of every step.
    """
    for name, dist in (("real", real), ("fake", fake)):
        if not callable(getattr(dist, "sample", None)):
            raise TypeError(f"{name} must have a .sample(n, generator=...) method, got {dist!r}")
    check_int("steps", steps, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    check_number("lr", lr, low=0, low_open=True)
    opt = torch.optim.Adam(discriminator.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    discriminator.train()
    losses = []
    for _ in range(steps):
        x_real = real.sample(batch_size, generator=generator)  # (B, 1)
        x_fake = fake.sample(batch_size, generator=generator)  # (B, 1)
        loss = discriminator_loss(discriminator(x_real), discriminator(x_fake), real_label=real_label)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        schedule.step()
        losses.append(loss.item())
    discriminator.eval()
    return losses
