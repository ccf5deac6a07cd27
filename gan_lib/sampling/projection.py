"""Latent projection: the z whose image G(z) best matches a target, where a mask says it counts.

This is the first step of latent-space editing (iGAN, Zhu et al. 2016): a rough sketch or a
partial image is replaced by the closest image the generator can draw, which lies on the manifold
of images the generator learned. With a mask m (1 where a pixel counts, 0 where it is unknown),
z is found by gradient descent (Adam) on

    L(z) = sum(m * (G(z) - target)^2) / sum(m)  +  prior_weight * prior(z),

    prior(z) = mean(z^2)                  ("gaussian": -log N(z; 0, I) up to constants, / d)
             = (|z| / sqrt(d) - 1)^2      ("shell": stay near radius sqrt(d), where z ~ N(0, I)
                                           concentrates; see gan_lib.latent)

L is not convex in z, so several random starts run side by side (one batch; Adam's update is
per coordinate, so the starts do not interact) and the one with the lowest final L is kept.
The generator's weights are never changed: they are frozen while z is optimised and their
requires_grad flags and train/eval mode are restored afterwards.

Two helpers for an editing demo: `draw_strokes`, a crude sketch made of line segments, and
`nearest_neighbour`, the closest real image, to compare the projection with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import torch
from torch import nn

from gan_lib.checks import check_choice, check_int, check_number, is_int

__all__ = ["PRIORS", "Projection", "project_to_latent", "draw_strokes", "Neighbour",
           "nearest_neighbour"]

PRIORS = ("gaussian", "shell")


@dataclass(frozen=True)
class Projection:
    """The result of `project_to_latent` (tensors on the CPU)."""

    z: torch.Tensor  # (1, latent_dim), the best start's final z
    image: torch.Tensor  # (1, *sample_shape), G(z)
    losses: tuple[float, ...]  # L(z) of the best start before each step and after the last
    masked_error: float  # mean squared error over the masked pixels (no prior term)
    start_errors: tuple[float, ...]  # the masked error each start ended with
    best_start: int  # index of the kept start


def _prior(z: torch.Tensor, kind: str) -> torch.Tensor:
    """Prior penalty per row of z (R, d) -> (R,)."""
    if kind == "gaussian":
        return z.pow(2).mean(dim=1)
    return (z.norm(dim=1) / math.sqrt(z.shape[1]) - 1).pow(2)


def _check_mask(mask: torch.Tensor | None, target: torch.Tensor) -> torch.Tensor:
    if mask is None:
        return torch.ones_like(target)
    if not isinstance(mask, torch.Tensor):
        raise TypeError(f"mask must be a tensor (1 = pixel counts, 0 = ignored), got "
                        f"{type(mask).__name__}")
    m = mask.to(target.dtype)
    try:
        m = torch.broadcast_to(m, target.shape).clone()
    except RuntimeError:
        raise ValueError(f"mask of shape {tuple(mask.shape)} does not fit the target "
                         f"{tuple(target.shape)}; use (H, W) or the target's shape") from None
    if bool((m < 0).any() or (m > 1).any()):
        raise ValueError("mask values must lie in [0, 1] (1 = pixel counts, 0 = ignored)")
    if float(m.sum()) <= 0:
        raise ValueError("mask is all zeros: no pixel would count; set 1 where the target is known")
    return m


def project_to_latent(
    generator: nn.Module,
    target: torch.Tensor,
    *,
    mask: torch.Tensor | None = None,
    label: int | None = None,
    steps: int = 300,
    lr: float = 0.1,
    prior: str = "shell",
    prior_weight: float = 0.1,
    n_restarts: int = 8,
    seed: int = 0,
) -> Projection:
    """Find z with G(z) close to `target` on the pixels `mask` selects (see the module doc).

    Runs where the generator's weights are.

    Args:
        generator: maps (N, latent_dim) to images (a `latent_dim` attribute); a conditional
            generator (a `num_classes` attribute) is called as G(z, label).
        target: one image, (C, H, W) or (1, C, H, W), in G's output range ([-1, 1] for tanh).
        mask: 1 where a pixel counts, 0 where it is unknown (values in [0, 1] weight pixels);
            shape (H, W) or anything that broadcasts to the target. Default: every pixel.
        label: the class to draw, for a conditional generator (required there, else None).
        steps: Adam steps; lr: its learning rate.
        prior: "shell" ((|z| / sqrt(d) - 1)^2) or "gaussian" (mean z^2, which pulls z towards
            0, a radius the generator rarely saw; on the shipped generator "shell" fits
            sketches slightly better at a typical |z|).
        prior_weight: weight of the prior term (0: the data term alone).
        n_restarts: random starts z ~ N(0, I), optimised together; the best is kept.
        seed: seeds the starts.
    """
    latent_dim = check_int(f"{type(generator).__name__}.latent_dim",
                           getattr(generator, "latent_dim", None),
                           hint="the size of z, an attribute every generator needs", error=TypeError)
    if not isinstance(target, torch.Tensor) or not target.is_floating_point():
        raise TypeError("target must be a float image tensor (C, H, W) in the generator's range")
    if target.dim() == 4 and target.shape[0] == 1:
        target = target[0]
    if target.dim() != 3:
        raise ValueError(f"target must be one image (C, H, W) or (1, C, H, W), got "
                         f"{tuple(target.shape)}")
    check_choice("prior", prior, PRIORS)
    check_int("steps", steps, minimum=1)
    check_int("n_restarts", n_restarts, minimum=1)
    check_number("lr", lr, low=0, low_open=True)
    check_number("prior_weight", prior_weight, low=0, hint="0: the data term alone")
    conditional = is_int(getattr(generator, "num_classes", None))
    if conditional and label is None:
        raise ValueError("a conditional generator needs the class to draw: pass label=<int>")
    if not conditional and label is not None:
        raise ValueError("label is only for conditional generators (with a num_classes attribute)")
    if conditional:
        check_int("label", label, minimum=0, maximum=generator.num_classes - 1)

    device = next(generator.parameters()).device
    target = target.detach().to(device)
    weights = _check_mask(mask, target).to(device)
    z = torch.randn(n_restarts, latent_dim, generator=torch.Generator().manual_seed(seed))
    z = z.to(device).requires_grad_(True)
    y = None if label is None else torch.full((n_restarts,), label, dtype=torch.long, device=device)

    def data_term(images: torch.Tensor) -> torch.Tensor:  # (R,): masked MSE of each start
        if images.shape[1:] != target.shape:
            raise ValueError(f"the generator draws images of shape {tuple(images.shape[1:])}, "
                             f"the target is {tuple(target.shape)}")
        return ((images - target).pow(2) * weights).flatten(1).sum(1) / weights.sum()

    params = list(generator.parameters())
    flags = [p.requires_grad for p in params]
    was_training = generator.training
    generator.eval()  # batch norm uses running statistics: starts stay independent
    for p in params:
        p.requires_grad_(False)  # no gradient into the weights, and no work spent on it
    try:
        optimizer = torch.optim.Adam([z], lr=lr)
        history = []
        for _ in range(steps):
            images = generator(z) if y is None else generator(z, y)
            loss = data_term(images) + prior_weight * _prior(z, prior)  # (R,)
            optimizer.zero_grad(set_to_none=True)
            loss.sum().backward()  # each start's loss depends only on its own row of z
            optimizer.step()
            history.append(loss.detach())
        with torch.no_grad():  # the state after the last step
            images = generator(z) if y is None else generator(z, y)
            errors = data_term(images)
            final = errors + prior_weight * _prior(z, prior)
    finally:
        for p, flag in zip(params, flags):
            p.requires_grad_(flag)
        generator.train(was_training)
    best = int(final.argmin())
    curve = torch.stack(history)[:, best].tolist() + [float(final[best])]
    return Projection(
        z=z.detach()[best:best + 1].cpu(),
        image=images[best:best + 1].float().cpu(),
        losses=tuple(curve),
        masked_error=float(errors[best]),
        start_errors=tuple(errors.tolist()),
        best_start=best,
    )


def draw_strokes(
    segments: Sequence[tuple[tuple[float, float], tuple[float, float]]],
    *,
    size: int = 28,
    width: float = 2.5,
) -> torch.Tensor:
    """A crude sketch: line segments drawn white on black, (1, size, size) in [-1, 1].

    Pixel (row r, column c) is covered by ink where its centre lies within width / 2 of a
    segment, with a one-pixel linear ramp at the edge (anti-aliasing).

    Args:
        segments: ((x0, y0), (x1, y1)) end points in pixel coordinates: x = column, y = row,
            (0, 0) the top-left pixel's centre. A point is a segment with equal end points.
        size: side of the square canvas.
        width: stroke width in pixels (MNIST strokes are about 2-3 pixels wide).
    """
    check_int("size", size, minimum=1)
    check_number("width", width, low=0, low_open=True, hint="the stroke width in pixels")
    seg = torch.as_tensor(segments, dtype=torch.float32)
    if seg.dim() != 3 or seg.shape[1:] != (2, 2) or seg.shape[0] == 0:
        raise ValueError("segments must be a non-empty list of ((x0, y0), (x1, y1)) pairs, got "
                         f"shape {tuple(seg.shape)}")
    rows, cols = torch.meshgrid(torch.arange(size, dtype=torch.float32),
                                torch.arange(size, dtype=torch.float32), indexing="ij")
    p = torch.stack([cols, rows], dim=-1).reshape(-1, 1, 2)  # (P, 1, 2): (x, y) per pixel
    a, b = seg[:, 0], seg[:, 1]  # (S, 2)
    ab = b - a
    # closest point on each segment: a + t (b - a), t clamped to [0, 1]
    t = ((p - a) * ab).sum(-1) / (ab * ab).sum(-1).clamp_min(1e-12)  # (P, S)
    closest = a + t.clamp(0, 1)[..., None] * ab  # (P, S, 2)
    dist = (p - closest).norm(dim=-1).min(dim=1).values  # (P,)
    ink = (width / 2 + 0.5 - dist).clamp(0, 1)  # 1 inside the stroke, ramp of one pixel
    return (2 * ink - 1).reshape(1, size, size)


@dataclass(frozen=True)
class Neighbour:
    """The result of `nearest_neighbour`."""

    index: int  # row of the dataset
    image: torch.Tensor  # (1, *sample_shape), that row
    distance: float  # L2 distance over the masked pixels


@torch.no_grad()
def nearest_neighbour(
    image: torch.Tensor,
    dataset: torch.Tensor,
    *,
    mask: torch.Tensor | None = None,
    batch_size: int = 10_000,
) -> Neighbour:
    """The dataset row nearest to `image` in L2 distance (over the masked pixels, if a mask).

    Args:
        image: one image, (C, H, W) or (1, C, H, W).
        dataset: (N, C, H, W) images, e.g. the MNIST training split from gan_lib.data.mnist.
        mask: as in `project_to_latent` (1 = pixel counts); default: every pixel.
        batch_size: rows compared at once; bounds memory, not the result.
    """
    if not isinstance(image, torch.Tensor) or not isinstance(dataset, torch.Tensor):
        raise TypeError("image and dataset must be tensors")
    if image.dim() == dataset.dim() and image.shape[0] == 1:
        image = image[0]
    if dataset.dim() != image.dim() + 1 or dataset.shape[1:] != image.shape:
        raise ValueError(f"dataset must have shape (N, {', '.join(map(str, image.shape))}) to "
                         f"match the image, got {tuple(dataset.shape)}")
    if dataset.shape[0] == 0:
        raise ValueError("dataset is empty")
    image = image.to(dataset.device, torch.float32)
    weights = _check_mask(mask, image).to(dataset.device)
    best_d, best_i = math.inf, -1
    for start in range(0, dataset.shape[0], batch_size):
        chunk = dataset[start:start + batch_size].float()
        d = ((chunk - image).pow(2) * weights).flatten(1).sum(1)  # (B,) squared distances
        i = int(d.argmin())
        if float(d[i]) < best_d:
            best_d, best_i = float(d[i]), start + i
    return Neighbour(index=best_i, image=dataset[best_i:best_i + 1].float().cpu(),
                     distance=math.sqrt(best_d))
