"""Two-dimensional Gaussian mixtures with equal weights: the standard mode-collapse benchmarks.

`Mixture2D.ring()` puts 8 narrow Gaussians on a circle, `Mixture2D.grid()` puts 25 on a 5x5
lattice. Every mode has the same weight and the same isotropic standard deviation `std`, so a
generator that covers the data must put 1/K of its samples near each centre, within a few `std`.
Because the modes are known, coverage can be counted exactly (`gan_lib.metrics.mode_coverage`).
"""

from __future__ import annotations

import math

import torch

from gan_lib.checks import check_int, check_number

__all__ = ["Mixture2D"]


class Mixture2D:
    """An equal-weight mixture of isotropic 2-D Gaussians, (1/K) sum_k N(centers[k], std^2 I).

    Args:
        centers: (K, 2) tensor of mode centres, K >= 1.
        std: the standard deviation of every mode, > 0.
    """

    def __init__(self, *, centers: torch.Tensor, std: float) -> None:
        if not isinstance(centers, torch.Tensor):
            raise TypeError(
                f"centers must be a (K, 2) torch.Tensor, got {type(centers).__name__}; "
                "wrap it with torch.tensor(...)"
            )
        if centers.dim() != 2 or centers.shape[1] != 2 or centers.shape[0] == 0:
            raise ValueError(f"centers must have shape (K, 2) with K >= 1, got {tuple(centers.shape)}")
        if not bool(torch.isfinite(centers).all()):
            raise ValueError("centers contains NaN or inf")
        std = check_number("std", float(std), low=0, low_open=True)  # a 0-d tensor is fine too
        self.centers = centers.detach().to(torch.float32).clone()
        self.std = std

    @classmethod
    def ring(cls, *, num_modes: int = 8, radius: float = 2.0, std: float = 0.02) -> "Mixture2D":
        """`num_modes` Gaussians evenly spaced on a circle of `radius` (the first at angle 0).

        Args:
            num_modes: number of modes K (default 8).
            radius: radius of the circle.
            std: standard deviation of each mode.
        """
        check_int("num_modes", num_modes, minimum=1)
        angles = 2 * math.pi * torch.arange(num_modes, dtype=torch.float64) / num_modes
        centers = radius * torch.stack([angles.cos(), angles.sin()], dim=1)  # (K, 2)
        return cls(centers=centers, std=std)

    @classmethod
    def grid(cls, *, side: int = 5, spacing: float = 2.0, std: float = 0.05) -> "Mixture2D":
        """`side` x `side` Gaussians on a square lattice centred on the origin.

        Args:
            side: modes per row and column (default 5: K = 25).
            spacing: distance between neighbouring centres.
            std: standard deviation of each mode.
        """
        check_int("side", side, minimum=1, hint="modes per row and column")
        coords = (torch.arange(side, dtype=torch.float64) - (side - 1) / 2) * spacing
        gx, gy = torch.meshgrid(coords, coords, indexing="xy")
        return cls(centers=torch.stack([gx.flatten(), gy.flatten()], dim=1), std=std)

    @classmethod
    def ring_protocol(cls) -> "Mixture2D":
        """The 2-D ring of the mode-collapse benchmarks, as PacGAN's reference code builds it.

        8 modes on a circle of radius 1, standard deviation 0.01 (Lin et al. 2018, code
        `synthetic_data_experiments/2DRing_GAN&PacGAN/config.py`). Same geometry in units of `std`
        as `ring()` (radius / std = 100 there too), at half the scale.
        """
        return cls.ring(num_modes=8, radius=1.0, std=0.01)

    @classmethod
    def grid_protocol(cls) -> "Mixture2D":
        """The 2-D grid of the mode-collapse benchmarks, as PacGAN's reference code builds it.

        25 modes at {-4, -2, 0, 2, 4}^2 (spacing 2), standard deviation 0.05 (Lin et al. 2018,
        code `synthetic_data_experiments/2DGrid_GAN&PacGAN/config.py`): the same as `grid()`.
        """
        return cls.grid(side=5, spacing=2.0, std=0.05)

    @property
    def num_modes(self) -> int:
        """K, the number of modes."""
        return self.centers.shape[0]

    def sample(self, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
        """Draw `n` points (n, 2): a uniformly chosen mode, plus N(0, std^2 I) noise.

        Args:
            n: number of samples (int >= 0).
            generator: a CPU `torch.Generator` for reproducible draws (default: global RNG).
        """
        return self.sample_with_modes(n, generator=generator)[0]

    def sample_with_modes(
        self, n: int, *, generator: torch.Generator | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Like `sample`, also returning the mode index (n,) each point was drawn from.

        Args:
            n: number of samples (int >= 0).
            generator: a CPU `torch.Generator` for reproducible draws.
        """
        check_int("n", n, minimum=0, hint="the number of samples")
        modes = torch.randint(self.num_modes, (n,), generator=generator)
        noise = torch.randn(n, 2, generator=generator)
        return self.centers[modes] + self.std * noise, modes

    def nearest_mode(self, points: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Index of the nearest centre (n,) and the distance to it in units of `std` (n,).

        Args:
            points: (n, 2) tensor.
        """
        if not isinstance(points, torch.Tensor) or points.dim() != 2 or points.shape[1] != 2:
            shape = tuple(points.shape) if isinstance(points, torch.Tensor) else type(points).__name__
            raise ValueError(f"points must be an (n, 2) tensor, got {shape}")
        dist = torch.cdist(points.detach().float().cpu(), self.centers)  # (n, K)
        d, k = dist.min(dim=1)
        return k, d / self.std

    def __repr__(self) -> str:
        return f"Mixture2D(num_modes={self.num_modes}, std={self.std:g})"
