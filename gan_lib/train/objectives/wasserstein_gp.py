"""WGAN-GP (Gulrajani et al. 2017): a Wasserstein critic with a gradient penalty."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch

from gan_lib.checks import check_number
from gan_lib.train.losses import gradient_penalty, wasserstein_critic_loss, wasserstein_generator_loss

from .base import Objective, scores_mean

__all__ = ["WassersteinGP"]


@dataclass(frozen=True)
class WassersteinGP(Objective):
    """Wasserstein critic with a gradient penalty (WGAN-GP, Gulrajani et al. 2017).

    D is a critic with unbounded scores; d_real and d_fake in the history are mean scores, and
    `gp` is the penalty. The paper trains with Adam(lr=1e-4, betas=(0, 0.9)), d_steps=5, and no
    batch norm in the critic (the penalty is per sample; batch norm couples the samples).

    Args:
        gp_weight: lambda, the weight of the penalty (10 in the paper).
    """

    gp_weight: float = 10.0
    name: ClassVar[str] = "wgan-gp"
    extra_stats: ClassVar[tuple[str, ...]] = ("gp",)

    def __post_init__(self) -> None:
        check_number("gp_weight", self.gp_weight, low=0, hint="lambda, 10 in the paper")
        object.__setattr__(self, "gp_weight", float(self.gp_weight))  # checkpoint-safe

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        real_scores = critic(real)
        fake_scores = critic(fake)
        gp = gradient_penalty(critic, real, fake, generator=rng)
        loss = wasserstein_critic_loss(real_scores, fake_scores) + self.gp_weight * gp
        return loss, {"d_real": scores_mean(real_scores), "d_fake": scores_mean(fake_scores),
                      "gp": gp.detach()}

    def generator_loss(self, critic, real, fake):
        return wasserstein_generator_loss(critic(fake)), {}
