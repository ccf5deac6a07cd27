"""The auxiliary-classifier GAN (ACGAN; Odena, Olah & Shlens 2017): D also names the class."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch

from gan_lib.checks import check_number
from gan_lib.train.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss

from .base import Objective

__all__ = ["AuxiliaryClassifier"]


def _split(scores: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """D(x, y) (N, 2) -> (real/fake logits (N,), log q(y | x) (N,)), checked."""
    if not isinstance(scores, torch.Tensor) or scores.dim() != 2 or scores.shape[1] != 2:
        got = tuple(scores.shape) if isinstance(scores, torch.Tensor) else type(scores).__name__
        raise ValueError("AuxiliaryClassifier needs a discriminator whose D(x, y) returns (N, 2): "
                         "[real/fake logit, log-probability of class y], as "
                         f"AuxiliaryClassifierDiscriminator does; got output of shape {got}")
    return scores[:, 0], scores[:, 1]


@dataclass(frozen=True)
class AuxiliaryClassifier(Objective):
    """ACGAN (Odena et al. 2017): D tells real from fake *and* classifies every image it sees.

    The critic is D(x, y) with the batch's labels bound (fit's class-conditional plan: the fakes
    are asked for the real batch's labels y); it returns (N, 2), the real/fake logit s(x) and
    log q(y | x), the class head's log-probability of the label (see
    `AuxiliaryClassifierDiscriminator`). With CE(x) = -log q(y | x):

        D's loss = BCE(s(x_real), 1) + BCE(s(x_fake), 0)
                   + class_weight * (mean CE(x_real) + mean CE(x_fake))
        G's loss = -log sigmoid(s(G(z, y)))  (non-saturating; or the minimax form)
                   + class_weight * mean CE(G(z, y))

    D is trained to classify the fakes as the class they were asked for, as in the paper: both
    players then agree that a fake of class y should look like a y, and G is rewarded for fakes
    that the classifier finds easy to name.

    Fit it with `fit(G, D, images, labels=labels, objective=AuxiliaryClassifier())`.

    Args:
        class_weight: weight of the class cross-entropy in both losses (the paper: 1).
        loss: G's adversarial term, "non-saturating" (the paper) or "minimax".
    """

    class_weight: float = 1.0
    loss: str = "non-saturating"
    name: ClassVar[str] = "auxiliary-classifier"
    probabilistic: ClassVar[bool] = True
    extra_stats: ClassVar[tuple[str, ...]] = ("ce_real", "ce_fake")

    def __post_init__(self) -> None:
        check_number("class_weight", self.class_weight, low=0,
                     hint="weight of the class cross-entropy; the paper uses 1")
        if self.loss not in GENERATOR_LOSSES:
            raise ValueError(f"unknown loss {self.loss!r}; valid kinds: "
                             f"{', '.join(GENERATOR_LOSSES)}")
        object.__setattr__(self, "class_weight", float(self.class_weight))  # checkpoint-safe

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        # real and fake go through D as two batches: batch norm sees each on its own (DCGAN)
        real_source, real_log_q = _split(critic(real))
        fake_source, fake_log_q = _split(critic(fake))
        ce_real, ce_fake = -real_log_q.mean(), -fake_log_q.mean()
        adversarial = discriminator_loss(real_source, fake_source)
        loss = adversarial + self.class_weight * (ce_real + ce_fake)
        return loss, {"d_real": torch.sigmoid(real_source.detach()).mean(),
                      "d_fake": torch.sigmoid(fake_source.detach()).mean(),
                      "ce_real": ce_real.detach(), "ce_fake": ce_fake.detach()}

    def generator_loss(self, critic, real, fake):
        source, log_q = _split(critic(fake))
        ce_fake = -log_q.mean()
        loss = generator_loss(source, kind=self.loss) + self.class_weight * ce_fake
        return loss, {"ce_fake": ce_fake.detach()}
