"""R1 (Mescheder, Geiger & Nowozin 2018): a zero-centred gradient penalty on real data for D."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import ClassVar

import torch

from .base import Objective
from .standard import StandardGAN

__all__ = ["R1", "r1_penalty"]


def r1_penalty(real_scores: torch.Tensor, real: torch.Tensor) -> torch.Tensor:
    """The mean over the batch of ||grad_x D(x)||^2, with the graph kept so that it trains D.

    For a linear critic D(x) = w.x + c the gradient is w at every x, so the penalty is |w|^2.

    Args:
        real_scores: D's scores (N,) (or a map (N, ...)) computed from `real`.
        real: the batch (N, ...) that produced them; it must require grad.
    """
    if not real.requires_grad:
        raise ValueError("r1_penalty needs the gradient w.r.t. real: pass "
                         "real = real.detach().requires_grad_(True) and score that tensor")
    # summing the scores gives each sample's own gradient, as sample i's score depends on x_i
    # only (batch norm in train mode breaks this: it couples the samples)
    (grad,) = torch.autograd.grad(real_scores.sum(), real, create_graph=True)
    return grad.flatten(1).square().sum(1).mean()


@dataclass(frozen=True)
class R1(Objective):
    """R1 (Mescheder et al. 2018): the adversarial loss plus gamma/2 * E_x~p_data ||grad_x D(x)||^2.

    The penalty is zero-centred and taken on real data only: it pulls D towards being flat on the
    data. At the equilibrium (p_g = p_data, D flat) it costs nothing, yet it damps the rotation
    around it, so training converges locally even when the data lie on a low-dimensional
    manifold, where unregularised GAN training circles the equilibrium (the paper's Dirac-GAN).
    G's loss is the wrapped objective's, unchanged. `r1` in the history is the mean squared
    gradient norm (before gamma/2); d_real and d_fake are the wrapped objective's (probabilities
    for the standard GAN).

    Default gamma = 10: the value of the paper's image experiments. The authors' code
    (LMescheder/GAN_stability, `reg_param: 10.` in its configs) adds reg_param * E||grad||^2,
    without the 1/2: gamma=20 here matches it. D should have no batch norm (the penalty is per
    sample, batch norm couples the samples).

    Args:
        gamma: the penalty's weight (the loss adds gamma/2 * E||grad||^2); 0 trains the wrapped
            objective alone but still records `r1`.
        adversarial: the adversarial objective (default: the standard non-saturating GAN).
    """

    gamma: float = 10.0
    adversarial: Objective = StandardGAN()
    name: ClassVar[str] = "r1"

    def __post_init__(self) -> None:
        if (isinstance(self.gamma, bool) or not isinstance(self.gamma, numbers.Real)
                or not math.isfinite(self.gamma) or self.gamma < 0):
            raise ValueError(f"gamma must be a finite number >= 0 (the paper uses 10), "
                             f"got {self.gamma!r}")
        # a plain float: checkpoints store the settings and load them with weights_only=True
        object.__setattr__(self, "gamma", float(self.gamma))
        if not isinstance(self.adversarial, Objective) or self.adversarial.batch_plan is not None:
            raise TypeError("adversarial must be an unpaired objective such as StandardGAN() or "
                            f"Hinge(); got {self.adversarial!r}")
        if isinstance(self.adversarial, R1):  # two "r1" stats in one history, two penalties
            raise TypeError("adversarial is already an R1: wrap the adversarial objective once, "
                            f"with the sum of the gammas; got {self.adversarial!r}")

    @property
    def probabilistic(self) -> bool:  # type: ignore[override]
        return self.adversarial.probabilistic

    @property
    def extra_stats(self) -> tuple[str, ...]:  # type: ignore[override]
        return (*self.adversarial.extra_stats, "r1")

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        # a new leaf on the same storage: the caller's tensor keeps requires_grad=False
        real = real.detach().requires_grad_(True)
        scored: list[torch.Tensor] = []

        def watched(x: torch.Tensor) -> torch.Tensor:
            scores = critic(x)
            if x is real:  # keep the adversarial loss's own forward pass on the real batch
                scored.append(scores)
            return scores

        loss, stats = self.adversarial.discriminator_loss(watched, real, fake, rng=rng)
        # reusing that pass saves a forward of D (and a second batch-norm update); an objective
        # that never scores `real` itself gets a pass of its own
        real_scores = scored[0] if scored else critic(real)
        penalty = r1_penalty(real_scores, real)
        return loss + 0.5 * self.gamma * penalty, {**stats, "r1": penalty.detach()}

    def generator_loss(self, critic, real, fake):
        return self.adversarial.generator_loss(critic, real, fake)
