"""The hinge loss (Lim & Ye 2017; with spectral normalisation in Miyato et al. 2018)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch

from gan_lib.train.losses import hinge_discriminator_loss, hinge_generator_loss

from .base import Objective, scores_mean

__all__ = ["Hinge"]


@dataclass(frozen=True)
class Hinge(Objective):
    """The hinge loss (used with spectral normalisation, Miyato et al. 2018).

    d_real and d_fake in the history are mean scores; D separates them once they pass +-1.
    """

    name: ClassVar[str] = "hinge"

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        real_scores = critic(real)
        fake_scores = critic(fake)
        loss = hinge_discriminator_loss(real_scores, fake_scores)
        return loss, {"d_real": scores_mean(real_scores), "d_fake": scores_mean(fake_scores)}

    def generator_loss(self, critic, real, fake):
        return hinge_generator_loss(critic(fake)), {}
