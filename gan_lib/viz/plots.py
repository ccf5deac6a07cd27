"""Figures the chapters share: image grids, training curves, interpolation strips, fixed samples,
class grids of conditional generators.

Every function draws on a matplotlib Axes (`ax`/`axes`; created when not given) and returns it, so
a chapter can compose figures. Images are expected in [-1, 1], the range of a tanh generator.
Nothing here trains or samples at random: given the same inputs, a figure is the same.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torchvision.utils import make_grid

from gan_lib.sampling.class_grid import sample_class_grid
from gan_lib.sampling.latent import generate

__all__ = [
    "grid_image",
    "show_grid",
    "plot_history",
    "plot_class_counts",
    "show_interpolation",
    "show_samples",
    "show_class_grid",
]


def grid_image(images: torch.Tensor, *, nrow: int = 8, padding: int = 2) -> np.ndarray:
    """Tile images (N, C, H, W) in [-1, 1] into one (H', W', 3) array in [0, 1].

    Args:
        images: a batch of images in [-1, 1] (values outside are clipped).
        nrow: images per row.
        padding: pixels between images (drawn white, so dark digits stay separated).
    """
    if not isinstance(images, torch.Tensor) or images.dim() != 4:
        shape = tuple(images.shape) if isinstance(images, torch.Tensor) else type(images).__name__
        raise ValueError(f"images must be a tensor (N, C, H, W), got {shape}")
    if images.shape[1] not in (1, 3):
        raise ValueError(f"images must have 1 or 3 channels, got {images.shape[1]}")
    x = images.detach().float().cpu().clamp(-1, 1)
    grid = make_grid((x + 1) / 2, nrow=nrow, padding=padding, pad_value=1.0)  # (3, H', W')
    return grid.permute(1, 2, 0).numpy()


def show_grid(
    images: torch.Tensor, *, nrow: int = 8, title: str | None = None, ax: plt.Axes | None = None
) -> plt.Axes:
    """Show a batch of images in [-1, 1] as one grid.

    Args:
        images: (N, C, H, W) in [-1, 1].
        nrow: images per row.
        title: optional title.
        ax: Axes to draw on (default: a new figure).
    """
    if ax is None:
        cols = min(nrow, len(images))
        rows = -(-len(images) // nrow)
        _, ax = plt.subplots(figsize=(0.6 * cols + 0.4, 0.6 * rows + 0.6))
    ax.imshow(grid_image(images, nrow=nrow), interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def _smooth(values: Sequence[float], window: int) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if window <= 1:
        return v
    return np.convolve(v, np.ones(window) / window, mode="valid")


def plot_history(history, *, window: int = 1, axes: Sequence[plt.Axes] | None = None):
    """Two panels: the losses, and the discriminator's mean outputs D(x) and D(G(z)).

    Args:
        history: a `gan_lib.train.History` (or anything with history["d_loss"] etc.).
        window: moving-average window over steps (1: raw values); shortened to the number
            of recorded steps when there are fewer.
        axes: two Axes to draw on (default: a new 1x2 figure).
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.2))
    if len(axes) != 2:
        raise ValueError(f"plot_history draws two panels; pass two Axes, got {len(axes)}")
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    window = min(window, max(len(history["step"]), 1))
    steps = np.asarray(history["step"])[window - 1 :]
    for key, label in (("d_loss", "D loss"), ("g_loss", "G loss")):
        axes[0].plot(steps, _smooth(history[key], window), label=label)
    for key, label in (("d_real", "D(x), real"), ("d_fake", "D(G(z)), fake")):
        axes[1].plot(steps, _smooth(history[key], window), label=label)
    axes[1].axhline(0.5, color="grey", lw=0.8, ls="--")  # the equilibrium value
    axes[0].set(xlabel="step", ylabel="loss", title="losses")
    axes[1].set(xlabel="step", ylabel="mean probability", ylim=(0, 1),
                title="discriminator outputs")
    for ax in axes:
        ax.legend()
    return axes


def plot_class_counts(
    counts: dict[str, Sequence[int]],
    *,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Grouped bars of class histograms as shares of each set (e.g. generated vs real digits).

    Args:
        counts: set name -> samples per class (all of the same length), e.g.
            {"G(z)": coverage.counts, "real test": real_coverage.counts}.
        ax: Axes to draw on.
    """
    if not counts:
        raise ValueError("counts is empty; pass e.g. {'samples': coverage.counts}")
    lengths = {len(c) for c in counts.values()}
    if len(lengths) != 1:
        raise ValueError(f"every histogram needs the same number of classes, got {sorted(lengths)}")
    if any(sum(c) <= 0 or min(c) < 0 for c in counts.values()):
        raise ValueError("counts must be non-negative with a positive total")
    num_classes = lengths.pop()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 3))
    width = 0.8 / len(counts)
    classes = np.arange(num_classes)
    for i, (name, c) in enumerate(counts.items()):
        share = np.asarray(c, dtype=float) / sum(c)
        ax.bar(classes - 0.4 + width * (i + 0.5), share, width=width, label=name)
    ax.axhline(1 / num_classes, color="grey", lw=0.8, ls="--")  # an even spread
    ax.set(xticks=classes, xlabel="predicted class", ylabel="share of samples")
    ax.legend()
    return ax


def show_interpolation(
    strips: torch.Tensor,
    *,
    labels: Sequence[str] | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Show one or more interpolation strips, one per row.

    Args:
        strips: (steps, C, H, W) for one strip, or (rows, steps, C, H, W).
        labels: a label per row (e.g. ["lerp", "slerp"]).
        ax: Axes to draw on.
    """
    if strips.dim() == 4:
        strips = strips[None]
    if strips.dim() != 5:
        raise ValueError(f"strips must be (steps, C, H, W) or (rows, steps, C, H, W), "
                         f"got {tuple(strips.shape)}")
    rows, steps = strips.shape[:2]
    if labels is not None and len(labels) != rows:
        raise ValueError(f"got {len(labels)} labels for {rows} rows")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.7 * steps + 0.8, 0.7 * rows + 0.3))
    ax.imshow(grid_image(strips.flatten(0, 1), nrow=steps), interpolation="nearest")
    ax.set_xticks([])
    h = strips.shape[-2] + 2  # image height plus the grid's padding
    ax.set_yticks([2 + h * r + h / 2 - 1 for r in range(rows)], labels or [""] * rows)
    for side in ax.spines.values():
        side.set_visible(False)
    return ax


@torch.no_grad()
def show_samples(
    generator: nn.Module,
    *,
    n: int = 64,
    nrow: int = 8,
    seed: int = 0,
    title: str | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Samples from fixed noise (seeded), with the generator in eval mode: the same weights
    always give the same figure, so a chapter's static figure can be compared across runs.

    Args:
        generator: a generator with a `latent_dim` attribute.
        n: number of samples; nrow: per row.
        seed: seeds the noise.
        title: optional title; ax: Axes to draw on.
    """
    images = generate(generator, n=n, seed=seed)
    return show_grid(images, nrow=nrow, title=title, ax=ax)


def show_class_grid(
    generator: nn.Module,
    *,
    n_per_class: int = 8,
    num_classes: int | None = None,
    seed: int = 0,
    class_names: Sequence[str] | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """A conditional generator's class grid: row k shows class k, column j reuses noise z_j,
    so style is held along a column and the class changes down it (`sample_class_grid`).

    Args:
        generator: a conditional generator (`latent_dim`, `num_classes` attributes).
        n_per_class: columns; num_classes: rows (default: all the generator's classes).
        seed: seeds the column noise.
        class_names: a label per row (default: the class indices).
        ax: Axes to draw on.
    """
    images, _ = sample_class_grid(generator, num_classes, n_per_class, seed=seed)
    rows = images.reshape(-1, n_per_class, *images.shape[1:])  # (K, n, C, H, W)
    names = class_names if class_names is not None else [str(k) for k in range(rows.shape[0])]
    ax = show_interpolation(rows, labels=list(names), ax=ax)
    ax.set_ylabel("requested class")
    return ax
