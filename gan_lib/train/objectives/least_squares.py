"""The least-squares GAN (LSGAN, Mao et al. 2017): D's scores regressed onto target codes."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import ClassVar

import torch

from .base import Objective, scores_mean

__all__ = ["LeastSquares"]


def _half_mean_square(scores: torch.Tensor, target: float) -> torch.Tensor:
    """1/2 mean (scores - target)^2: the paper's 1/2 E[(D(.) - target)^2] on a batch."""
    return 0.5 * (scores - target).square().mean()


@dataclass(frozen=True)
class LeastSquares(Objective):
    """The least-squares GAN of Mao et al. (2017): D regresses its scores onto target codes.

    D's scores are raw outputs (no sigmoid), pulled towards `b` on real data and `a` on fakes;
    G pulls D's scores of its fakes towards `c`:

        min_D  1/2 E_x[(D(x) - b)^2] + 1/2 E_z[(D(G(z)) - a)^2]
        min_G  1/2 E_z[(D(G(z)) - c)^2]

    Unlike the cross-entropy, the squared loss keeps pushing fakes that D already scores on the
    real side of the boundary but far from the real data, so G's gradient does not vanish there.
    The defaults are the paper's 0-1 coding (a=0, b=1, c=1), the one its experiments use. Its
    other coding, a=-1, b=1, c=0 (b - c = 1, b - a = 2), makes G minimise the Pearson chi^2
    divergence between p_data + p_g and 2 p_g. d_real and d_fake in the history are mean scores
    (not probabilities): they approach b and a as D wins, and meet between them at equilibrium.

    Args:
        a: D's target score for fakes.
        b: D's target score for real data; must differ from `a`.
        c: the score G wants D to give its fakes (usually b).
    """

    a: float = 0.0
    b: float = 1.0
    c: float = 1.0
    name: ClassVar[str] = "lsgan"

    def __post_init__(self) -> None:
        for field in ("a", "b", "c"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise TypeError(f"{field} must be a real number such as 0.0 or 1.0, "
                                f"got {value!r} of type {type(value).__name__}")
            if not math.isfinite(value):
                raise ValueError(f"{field} must be finite, got {value!r}")
            # plain floats: checkpoints store the settings and load them with weights_only=True
            object.__setattr__(self, field, float(value))
        if self.a == self.b:
            raise ValueError(f"a and b must differ (D needs two targets to tell real from fake), "
                             f"got a = b = {self.a!r}; e.g. a=0, b=1, c=1 or a=-1, b=1, c=0")

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        # real and fake go through D as two batches: batch norm sees each on its own (DCGAN)
        real_scores = critic(real)
        fake_scores = critic(fake)
        loss = _half_mean_square(real_scores, self.b) + _half_mean_square(fake_scores, self.a)
        return loss, {"d_real": scores_mean(real_scores), "d_fake": scores_mean(fake_scores)}

    def generator_loss(self, critic, real, fake):
        return _half_mean_square(critic(fake), self.c), {}
