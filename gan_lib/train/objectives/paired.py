"""Paired image-to-image training (pix2pix, Isola et al. 2017): adversarial + lambda * L1."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F

from gan_lib.checks import check_number

from .base import Objective
from .standard import StandardGAN

__all__ = ["Paired"]


@dataclass(frozen=True)
class Paired(Objective):
    """Paired image-to-image training (pix2pix, Isola et al. 2017): adversarial + l1_weight * L1.

    G maps a source image to an output; D judges the (source, image) pair; G's loss adds the mean
    absolute error to the target, which pins the output to the right image while the adversarial
    term makes it sharp. `adversarial=None` trains G on L1 alone (the regression baseline; fit
    then needs no discriminator).

    Args:
        l1_weight: lambda, the weight of the L1 term (100 in the paper).
        adversarial: the adversarial objective (default: the standard GAN), or None.
    """

    l1_weight: float = 100.0
    adversarial: Objective | None = StandardGAN()
    name: ClassVar[str] = "paired"
    batch_plan: ClassVar[str] = "paired"

    def __post_init__(self) -> None:
        check_number("l1_weight", self.l1_weight, low=0, hint="lambda, 100 in the paper")
        object.__setattr__(self, "l1_weight", float(self.l1_weight))  # checkpoint-safe
        if self.adversarial is not None and (
            not isinstance(self.adversarial, Objective) or self.adversarial.batch_plan is not None
        ):
            raise TypeError(
                "adversarial must be an unpaired objective such as StandardGAN() or Hinge(), "
                f"or None for L1 alone; got {self.adversarial!r}"
            )
        if self.adversarial is None and self.l1_weight == 0:
            raise ValueError("Paired(adversarial=None) needs l1_weight > 0: nothing to train")

    @property
    def uses_discriminator(self) -> bool:  # type: ignore[override]
        return self.adversarial is not None

    @property
    def probabilistic(self) -> bool:  # type: ignore[override]
        return self.adversarial is not None and self.adversarial.probabilistic

    @property
    def extra_stats(self) -> tuple[str, ...]:  # type: ignore[override]
        adv = self.adversarial.extra_stats if self.adversarial is not None else ()
        return (*adv, "l1")

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        if self.adversarial is None:
            raise RuntimeError("Paired(adversarial=None) has no discriminator loss")
        return self.adversarial.discriminator_loss(critic, real, fake, rng=rng)

    def generator_loss(self, critic, real, fake):
        l1 = F.l1_loss(fake, real)
        if self.adversarial is None:
            return self.l1_weight * l1, {"l1": l1.detach()}
        adv, stats = self.adversarial.generator_loss(critic, real, fake)
        return adv + self.l1_weight * l1, {**stats, "l1": l1.detach()}
