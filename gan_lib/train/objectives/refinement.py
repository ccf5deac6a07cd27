"""Unpaired refinement (SimGAN, Shrivastava et al. 2017): make synthetic images look real."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F

from gan_lib.checks import check_int, check_number

from .base import Objective
from .standard import StandardGAN

__all__ = ["Refinement"]


@dataclass(frozen=True)
class Refinement(Objective):
    """Unpaired refinement (SimGAN, Shrivastava et al. 2017): make synthetic images look real.

    G maps a synthetic image s to a refined one G(s); D judges images alone, refined against real
    ones drawn independently (no pairs); G's loss adds `self_weight` times the mean absolute change
    |G(s) - s|, the self-regularisation that keeps what the synthetic image showed (its label)
    while the adversarial term fixes how it looks.

    Fit it with `fit(G, D, real_images, sources=synthetic_images, objective=Refinement())`; the
    two sets may differ in size.

    With `history_size > 0`, D's fake batch is half current refined images and half past ones
    from a buffer of that many refined images (`gan_lib.train.image_history.ImageHistory`, the
    paper's history of refined images); the batch plan owns the buffer, and checkpoints hold it.

    Args:
        self_weight: weight of the L1 self-regularisation term.
        adversarial: the adversarial objective on D's verdict (default: the standard GAN).
        history_size: capacity of the history buffer of refined images; 0 turns it off.
    """

    self_weight: float = 1.0
    adversarial: Objective = StandardGAN()
    history_size: int = 0
    name: ClassVar[str] = "refinement"
    batch_plan: ClassVar[str] = "refinement"

    def __post_init__(self) -> None:
        check_number("self_weight", self.self_weight, low=0)
        object.__setattr__(self, "self_weight", float(self.self_weight))  # checkpoint-safe
        check_int("history_size", self.history_size, minimum=0,
                  hint="the number of past refined images D also sees; 0 turns the buffer off")
        if not isinstance(self.adversarial, Objective) or self.adversarial.batch_plan is not None:
            raise TypeError("adversarial must be an unpaired objective such as StandardGAN() or "
                            f"Hinge(); got {self.adversarial!r}")

    @property
    def probabilistic(self) -> bool:  # type: ignore[override]
        return self.adversarial.probabilistic

    @property
    def extra_stats(self) -> tuple[str, ...]:  # type: ignore[override]
        return (*self.adversarial.extra_stats, "self_l1")

    def discriminator_loss(self, critic, real, fake, *, rng=None, image_history=None):
        if self.history_size and image_history is None:
            raise ValueError("Refinement(history_size>0) needs the plan's image history: train it "
                             "with fit(..., sources=...), which builds the buffer")
        if image_history is not None:
            # D's fake batch: half current refined images, half past ones from the buffer
            fake = image_history.mix(fake)
        return self.adversarial.discriminator_loss(critic, real, fake, rng=rng)

    def generator_loss(self, critic, real, fake, *, source=None):
        if source is None:
            raise ValueError("Refinement needs the synthetic sources: fit(..., sources=...)")
        adv, stats = self.adversarial.generator_loss(critic, real, fake)
        self_l1 = F.l1_loss(fake, source)
        return adv + self.self_weight * self_l1, {**stats, "self_l1": self_l1.detach()}
