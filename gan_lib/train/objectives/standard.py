"""The standard GAN (Goodfellow et al. 2014): cross-entropy on D's logits, minimax or non-saturating."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch

from gan_lib.checks import check_number
from gan_lib.train.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss

from .base import Objective

__all__ = ["StandardGAN"]


@dataclass(frozen=True)
class StandardGAN(Objective):
    """The GAN of Goodfellow et al. (2014): cross-entropy on D's logits.

    Args:
        loss: the generator's loss, "non-saturating" (-log D(G(z))) or "minimax".
        real_label: D's target for real data; 0.9 is one-sided label smoothing.
    """

    loss: str = "non-saturating"
    real_label: float = 1.0
    name: ClassVar[str] = "standard"
    probabilistic: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if self.loss not in GENERATOR_LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}; valid kinds: {', '.join(GENERATOR_LOSSES)}")
        check_number("real_label", self.real_label, low=0, low_open=True, high=1,
                     hint="D's target for real data; 0.9 is one-sided label smoothing")
        # a plain float: checkpoints load with weights_only=True, which refuses NumPy scalars
        object.__setattr__(self, "real_label", float(self.real_label))

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        # real and fake go through D as two batches: batch norm sees each on its own (DCGAN)
        real_logits = critic(real)
        fake_logits = critic(fake)
        loss = discriminator_loss(real_logits, fake_logits, real_label=self.real_label)
        return loss, {"d_real": torch.sigmoid(real_logits.detach()).mean(),
                      "d_fake": torch.sigmoid(fake_logits.detach()).mean()}

    def generator_loss(self, critic, real, fake):
        return generator_loss(critic(fake), kind=self.loss), {}
