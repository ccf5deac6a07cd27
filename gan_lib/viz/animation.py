"""The classic picture of a 1-D GAN in training: data density, generator histogram, D(x), animated.

A 1-D generator's progress can be seen whole: draw the data density p_data(x), a histogram of the
generator's samples (its density p_g), and the discriminator's probability D(x) on a grid, at a
series of training steps. This module records those snapshots during `gan_lib.train.fit` and
turns them into a figure or a matplotlib animation:

    recorder = SnapshotRecorder(grid=x, every=50, n_samples=4000)
    recorder.record(0, G, D)                      # the untrained state
    fit(G, D, data, steps=..., callbacks=[recorder])
    anim = animate_1d_gan(recorder.snapshots, grid=x, p_data=p)   # HTML(anim.to_jshtml())

Nothing here trains: the recorder only evaluates the two networks, under `torch.no_grad()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.animation import FuncAnimation
from torch import nn

from gan_lib.checks import check_int

__all__ = ["Snapshot1D", "SnapshotRecorder", "plot_1d_snapshot", "animate_1d_gan"]


@dataclass(frozen=True)
class Snapshot1D:
    """The state of a 1-D GAN at one step.

    Args:
        step: the training step (0: before training).
        samples: the generator's samples on fixed noise, shape (n,), on the CPU.
        d_prob: the discriminator's probability D(x) = sigmoid(logit) on the grid, shape (m,).
    """

    step: int
    samples: torch.Tensor
    d_prob: torch.Tensor


def _check_grid(grid: torch.Tensor) -> torch.Tensor:
    if not isinstance(grid, torch.Tensor) or grid.dim() != 1 or grid.numel() < 2:
        raise ValueError(
            "grid must be a 1-D tensor of at least 2 points, e.g. torch.linspace(-4, 4, 401); "
            f"got {tuple(grid.shape) if isinstance(grid, torch.Tensor) else type(grid).__name__}"
        )
    return grid


class SnapshotRecorder:
    """A `fit` callback that records a `Snapshot1D` every `every` steps.

    The generator's samples always come from the same noise, so the frames show how G's map
    changes, not noise from redrawing z.

    Args:
        grid: points at which D(x) is evaluated, shape (m,).
        every: record at steps that are multiples of `every` (and at any step passed to
            `record` directly).
        n_samples: how many samples of G each snapshot keeps.
        seed: seeds the fixed noise.
    """

    def __init__(
        self, *, grid: torch.Tensor, every: int, n_samples: int = 4000, seed: int = 0
    ) -> None:
        self.grid = _check_grid(grid).detach().float().cpu()
        check_int("every", every, minimum=1)
        check_int("n_samples", n_samples, minimum=1)
        self.every, self.n_samples, self.seed = every, n_samples, seed
        self.snapshots: list[Snapshot1D] = []
        self._z: torch.Tensor | None = None

    @torch.no_grad()
    def record(self, step: int, generator: nn.Module, discriminator: nn.Module) -> Snapshot1D:
        """Evaluate G on the fixed noise and D on the grid now, and keep the snapshot.

        Args:
            step: the step number to label the snapshot with.
            generator: has `latent_dim`; maps (n, latent_dim) to samples (n, 1) or (n,).
            discriminator: maps (m, 1) to logits (m,).
        """
        check_int(f"{type(generator).__name__}.latent_dim", getattr(generator, "latent_dim", None),
                  hint="the size of z, an attribute every generator needs", error=TypeError)
        device = next(generator.parameters()).device
        if self._z is None:  # drawn once, on the CPU, so every device sees the same noise
            rng = torch.Generator().manual_seed(self.seed)
            self._z = torch.randn(self.n_samples, generator.latent_dim, generator=rng)
        # Eval mode while looking: in train mode batch norm would update its running statistics
        # and dropout would draw from the global RNG, so recording would change the training run.
        modes = generator.training, discriminator.training
        generator.eval()
        discriminator.eval()
        try:
            samples = generator(self._z.to(device)).reshape(self.n_samples, -1)
            if samples.shape[1] != 1:
                raise ValueError(f"expected 1-D samples, got {samples.shape[1]} values per sample")
            d_device = next(discriminator.parameters()).device
            logits = discriminator(self.grid.to(d_device)[:, None]).reshape(-1)  # (m,)
        finally:
            generator.train(modes[0])
            discriminator.train(modes[1])
        snap = Snapshot1D(step, samples[:, 0].float().cpu(), torch.sigmoid(logits).float().cpu())
        self.snapshots.append(snap)
        return snap

    def __call__(self, step: int, generator: nn.Module, discriminator: nn.Module, history) -> None:
        if step % self.every == 0:
            self.record(step, generator, discriminator)


def plot_1d_snapshot(
    snapshot: Snapshot1D,
    *,
    grid: torch.Tensor,
    p_data: torch.Tensor,
    bins: int = 60,
    ylim: float | None = None,
    legend: bool = True,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Draw one snapshot: p_data (black), G's histogram (green), D(x) (blue, dashed), 1/2 (grey).

    Args:
        snapshot: what to draw.
        grid: the grid of `snapshot.d_prob` and `p_data`, shape (m,).
        p_data: the data density on the grid, shape (m,).
        bins: histogram bins over the grid's span.
        ylim: top of the y axis (default: fits the density and D <= 1).
        legend: draw the legend.
        ax: Axes to draw on (default: a new figure).
    """
    grid = _check_grid(grid)
    x = grid.detach().cpu().double().numpy()
    p = torch.as_tensor(p_data).detach().cpu().double().numpy()
    d = snapshot.d_prob.detach().cpu().double().numpy()
    if p.shape != x.shape or d.shape != x.shape:
        raise ValueError(
            f"p_data {p.shape} and snapshot.d_prob {d.shape} must match the grid {x.shape}; "
            "record the snapshot with the same grid"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.2))
    ax.hist(snapshot.samples.numpy(), bins=np.linspace(x[0], x[-1], bins + 1), density=True,
            color="tab:green", alpha=0.45, label="G's samples (histogram)")
    ax.plot(x, p, color="black", lw=1.8, label="$p_{data}(x)$")
    ax.plot(x, d, color="tab:blue", lw=1.8, ls="--", label="$D(x)$")
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")  # D at the equilibrium
    ax.set(xlim=(x[0], x[-1]), ylim=(0, ylim or max(1.05, 1.1 * float(p.max()))),
           xlabel="x", title=f"step {snapshot.step}")
    if legend:
        ax.legend(loc="upper left", fontsize="small")
    return ax


def animate_1d_gan(
    snapshots: Sequence[Snapshot1D],
    *,
    grid: torch.Tensor,
    p_data: torch.Tensor,
    bins: int = 60,
    interval: int = 200,
    figsize: tuple[float, float] = (6.4, 3.4),
    dpi: int = 72,
) -> FuncAnimation:
    """An animation with one frame per snapshot; show it with `HTML(anim.to_jshtml())`.

    The figure is closed before returning, so a notebook shows only the animation, not a stray
    still of its last frame.

    Args:
        snapshots: the frames, in order (e.g. `SnapshotRecorder.snapshots`).
        grid: the grid the snapshots were recorded on, shape (m,).
        p_data: the data density on the grid, shape (m,).
        bins: histogram bins.
        interval: milliseconds between frames.
        figsize, dpi: size of each frame (small keeps the embedded HTML small).
    """
    snapshots = list(snapshots)
    if not snapshots or not all(isinstance(s, Snapshot1D) for s in snapshots):
        raise ValueError("snapshots must be a non-empty sequence of Snapshot1D")
    # one y-range for all frames, so the axes do not jump
    grid = _check_grid(grid)
    density_top = 0.0
    lo, hi = float(grid[0]), float(grid[-1])
    for s in snapshots:
        counts = torch.histc(s.samples.double(), bins=bins, min=lo, max=hi)
        width = (hi - lo) / bins
        density_top = max(density_top, float(counts.max()) / (len(s.samples) * width))
    # a collapsed generator makes a tall spike: clip it rather than flatten every other frame
    ylim = max(1.05, 1.1 * float(torch.as_tensor(p_data).max()), min(1.1 * density_top, 2.0))
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)

    def draw(i: int):
        ax.clear()
        plot_1d_snapshot(snapshots[i], grid=grid, p_data=p_data, bins=bins, ylim=ylim, ax=ax)
        return ()

    anim = FuncAnimation(fig, draw, frames=len(snapshots), interval=interval, blit=False)
    plt.close(fig)
    return anim
