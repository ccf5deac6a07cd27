"""One-dimensional densities with a known pdf: the toy "real data" of the GAN-game chapter.

A GAN never sees a density, only samples. For a 1-D toy problem we also know the density, which
lets a chapter compare what a trained discriminator learned with the optimal one, and measure how
far the generator is from the data in closed form. Each distribution offers

    .pdf(x)          density at every element of a tensor (same shape, same dtype)
    .log_prob(x)     its logarithm, computed stably (log-sum-exp for mixtures)
    .sample(n, *, generator=None) -> (n, 1) tensor, shaped like a batch for an MLP
    .mean, .variance the exact moments, for checking samples
"""

from __future__ import annotations

import math
from typing import Sequence

import torch

from gan_lib.checks import check_int, check_number

__all__ = ["Gaussian1D", "GaussianMixture1D"]

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def _as_tensor(x: torch.Tensor) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"x must be a torch.Tensor, got {type(x).__name__}; wrap it with torch.as_tensor(x)"
        )
    # integer grids would truncate the density: compute in the default float dtype instead
    return x if x.is_floating_point() else x.to(torch.get_default_dtype())


class Gaussian1D:
    """The normal distribution N(mean, std^2) on the real line.

    Args:
        mean: location.
        std: standard deviation, > 0.
    """

    def __init__(self, *, mean: float = 0.0, std: float = 1.0) -> None:
        # float() first: a 0-d tensor or NumPy scalar is stored as the plain float it holds
        self.mean = check_number("mean", float(mean))
        self.std = check_number("std", float(std), low=0, low_open=True)

    @property
    def variance(self) -> float:
        return self.std**2

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """log N(x; mean, std^2) elementwise.

        Args:
            x: points, any shape, a floating tensor (float64 for quadrature).
        """
        x = _as_tensor(x)
        z = (x - self.mean) / self.std
        return -0.5 * z**2 - math.log(self.std) - _LOG_SQRT_2PI

    def pdf(self, x: torch.Tensor) -> torch.Tensor:
        """The density elementwise; same shape and dtype as `x`.

        Args:
            x: points, any shape.
        """
        return self.log_prob(x).exp()

    def sample(
        self, n: int, *, generator: torch.Generator | None = None, dtype: torch.dtype = torch.float32
    ) -> torch.Tensor:
        """Draw `n` samples as an (n, 1) batch.

        Args:
            n: number of samples.
            generator: a CPU `torch.Generator` for reproducible draws (default: global RNG).
            dtype: floating dtype of the result.
        """
        check_int("n", n, minimum=0, hint="the number of samples")
        z = torch.randn(n, 1, generator=generator, dtype=dtype)
        return self.mean + self.std * z

    def __repr__(self) -> str:
        return f"Gaussian1D(mean={self.mean:g}, std={self.std:g})"


class GaussianMixture1D:
    """A weighted sum of normals: sum_k w_k N(means[k], stds[k]^2).

    Args:
        means: component locations.
        stds: component standard deviations, each > 0; same length as `means`.
        weights: mixture weights, each >= 0, summing to 1; default equal weights.
    """

    def __init__(
        self,
        *,
        means: Sequence[float] = (-2.0, 2.0),
        stds: Sequence[float] = (0.5, 0.5),
        weights: Sequence[float] | None = None,
    ) -> None:
        means, stds = list(means), list(stds)
        if len(means) == 0:
            raise ValueError("a mixture needs at least one component; means is empty")
        if len(stds) != len(means):
            raise ValueError(
                f"means and stds must have the same length, got {len(means)} means and "
                f"{len(stds)} stds"
            )
        if weights is None:
            weights = [1.0 / len(means)] * len(means)
        weights = [float(w) for w in weights]
        if len(weights) != len(means):
            raise ValueError(
                f"weights must have one entry per component ({len(means)}), got {len(weights)}"
            )
        if any(not math.isfinite(w) or w < 0 for w in weights):
            raise ValueError(f"weights must be finite and >= 0, got {weights}")
        if abs(sum(weights) - 1.0) > 1e-6:
            raise ValueError(
                f"weights must sum to 1, got {weights} (sum {sum(weights):.6g}); "
                "divide them by their sum"
            )
        self.components = [
            Gaussian1D(mean=check_number(f"means[{k}]", float(m)),
                       std=check_number(f"stds[{k}]", float(s), low=0, low_open=True))
            for k, (m, s) in enumerate(zip(means, stds))
        ]
        self.weights = weights

    @property
    def means(self) -> list[float]:
        return [c.mean for c in self.components]

    @property
    def stds(self) -> list[float]:
        return [c.std for c in self.components]

    @property
    def mean(self) -> float:
        return sum(w * c.mean for w, c in zip(self.weights, self.components))

    @property
    def variance(self) -> float:
        # law of total variance: within-component spread plus spread of the component means
        second_moment = sum(w * (c.variance + c.mean**2) for w, c in zip(self.weights, self.components))
        return second_moment - self.mean**2

    def log_prob(self, x: torch.Tensor) -> torch.Tensor:
        """log of the mixture density elementwise, via log-sum-exp (no underflow in the tails).

        Args:
            x: points, any shape, a floating tensor.
        """
        x = _as_tensor(x)
        # zero weights give log 0 = -inf terms, which logsumexp ignores
        log_w = torch.log(torch.tensor(self.weights, dtype=x.dtype, device=x.device))
        per_component = torch.stack([c.log_prob(x) for c in self.components], dim=-1)
        return torch.logsumexp(per_component + log_w, dim=-1)

    def pdf(self, x: torch.Tensor) -> torch.Tensor:
        """The mixture density elementwise; same shape and dtype as `x`.

        Args:
            x: points, any shape.
        """
        return self.log_prob(x).exp()

    def sample(
        self, n: int, *, generator: torch.Generator | None = None, dtype: torch.dtype = torch.float32
    ) -> torch.Tensor:
        """Draw `n` samples as an (n, 1) batch: pick a component by weight, then draw from it.

        Args:
            n: number of samples.
            generator: a CPU `torch.Generator` for reproducible draws (default: global RNG).
            dtype: floating dtype of the result.
        """
        check_int("n", n, minimum=0, hint="the number of samples")
        w = torch.tensor(self.weights, dtype=torch.float64)
        if n == 0:
            return torch.empty(0, 1, dtype=dtype)
        k = torch.multinomial(w, n, replacement=True, generator=generator)  # (n,)
        means = torch.tensor(self.means, dtype=dtype)[k]
        stds = torch.tensor(self.stds, dtype=dtype)[k]
        z = torch.randn(n, generator=generator, dtype=dtype)
        return (means + stds * z).unsqueeze(1)  # (n, 1)

    def __repr__(self) -> str:
        parts = ", ".join(
            f"{w:g}*N({c.mean:g}, {c.std:g}^2)" for w, c in zip(self.weights, self.components)
        )
        return f"GaussianMixture1D({parts})"
