"""Mode coverage on a 2-D mixture with known modes: how many modes a generator draws, and how well.

For samples from a generator and a `gan_lib.toy.Mixture2D`, every sample is assigned to its
nearest mode centre. Then:

- a sample is *high quality* when it lies within `threshold` standard deviations of that centre
  (3 std: a real sample lands there 98.9% of the time in 2-D);
- a mode is *captured* when at least one high-quality sample lands on it;
- `reverse_kl` is KL(q || u) = sum_k q_k log(K q_k), where q is the histogram of the samples'
  nearest modes (all samples) and u is uniform over the K modes. It is 0 when every mode gets the
  same share and log K when all samples pick one mode: it grows as the generator drops modes.
- `reverse_kl_high_quality` is the same KL over the high-quality samples only (NaN when there is
  none): PacGAN's reference code builds its per-mode histogram ("detail of coverage", from which
  it computes the entropy and JSD of coverage) from the high-quality samples only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from gan_lib.theory.mixture_2d import Mixture2D

__all__ = ["ModeCoverage", "mode_coverage"]


@dataclass(frozen=True)
class ModeCoverage:
    """Mode-coverage numbers for one set of samples. Build it with `mode_coverage`."""

    num_modes: int
    threshold: float
    modes_captured: int
    high_quality_fraction: float
    reverse_kl: float
    counts: tuple[int, ...]  # samples whose nearest mode is k (all samples)
    high_quality_counts: tuple[int, ...]  # the same, high-quality samples only
    reverse_kl_high_quality: float = math.nan  # KL(q_hq || u) over the high-quality samples

    def summary(self) -> str:
        """One line: modes captured, high-quality fraction, reverse KL."""
        return (f"modes captured {self.modes_captured}/{self.num_modes}, high-quality "
                f"{self.high_quality_fraction:.3f}, reverse KL {self.reverse_kl:.3f}")


def mode_coverage(
    samples: torch.Tensor, mixture: Mixture2D, *, threshold: float = 3.0
) -> ModeCoverage:
    """Count captured modes, the high-quality fraction and the reverse KL over modes.

    Args:
        samples: (n, 2) generated points, n >= 1.
        mixture: the `Mixture2D` the data came from.
        threshold: a sample is high quality within this many `mixture.std` of its nearest mode.
    """
    if not isinstance(mixture, Mixture2D):
        raise TypeError(f"mixture must be a gan_lib.toy.Mixture2D, got {type(mixture).__name__}")
    if not isinstance(samples, torch.Tensor) or samples.dim() != 2 or samples.shape[1] != 2:
        shape = tuple(samples.shape) if isinstance(samples, torch.Tensor) else type(samples).__name__
        raise ValueError(f"samples must be an (n, 2) tensor of generated points, got {shape}")
    if samples.shape[0] == 0:
        raise ValueError("samples is empty; pass at least one generated point")
    if not bool(torch.isfinite(samples).all()):
        raise ValueError("samples contains NaN or inf: the generator diverged")
    if not (isinstance(threshold, (int, float)) and threshold > 0):
        raise ValueError(f"threshold must be a number > 0 (in standard deviations), got {threshold!r}")
    k = mixture.num_modes
    nearest, dist = mixture.nearest_mode(samples)
    good = dist <= threshold
    counts = torch.bincount(nearest, minlength=k)
    good_counts = torch.bincount(nearest[good], minlength=k)
    reverse_kl = _kl_to_uniform(counts)
    reverse_kl_hq = _kl_to_uniform(good_counts) if int(good_counts.sum()) else math.nan
    return ModeCoverage(
        num_modes=k,
        threshold=float(threshold),
        modes_captured=int((good_counts > 0).sum()),
        high_quality_fraction=good.double().mean().item(),
        reverse_kl=reverse_kl,
        counts=tuple(counts.tolist()),
        high_quality_counts=tuple(good_counts.tolist()),
        reverse_kl_high_quality=reverse_kl_hq,
    )


def _kl_to_uniform(counts: torch.Tensor) -> float:
    """KL(q || uniform) for the histogram `counts` (K,), q = counts / sum; 0 log 0 = 0."""
    q = counts.double() / counts.sum()
    nonzero = q[q > 0]
    kl = (nonzero * (nonzero * len(counts)).log()).sum().item()
    return max(kl, 0.0)  # rounding can give -1e-17 for a perfect spread

