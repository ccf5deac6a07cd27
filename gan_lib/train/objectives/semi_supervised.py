"""The semi-supervised GAN (Salimans et al. 2016): D is a K-class classifier; G matches features."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F

from gan_lib.checks import check_number
from gan_lib.train.losses import discriminator_loss

from .base import Objective

__all__ = ["SemiSupervised"]


@dataclass(frozen=True)
class SemiSupervised(Objective):
    """Semi-supervised GAN (Salimans et al. 2016): D is a K-class classifier whose "fake" class
    is implicit, and G is trained by feature matching.

    D returns K class logits l(x) (N, K) and has `features(x)` (N, F), the layer before them.
    With the fake class's logit fixed at 0, D's probability that x is real is
    Z / (Z + 1) = sigmoid(logsumexp l(x)), with Z = sum_k exp l_k(x). D's loss adds
      - the cross-entropy of l(x_l) on a labeled batch (x_l, y_l), times `supervised_weight`;
      - the GAN loss on that probability: real unlabeled data against the fakes.
    G's loss is feature matching, the squared distance between mean f(x) and mean f(G(z)) over D's
    F features, averaged over the features as the reference code does (the paper writes the
    squared norm, a sum; Adam steps the same either way unless its eps matters): G matches the
    statistics D uses rather than chasing D's current verdict, which the paper found best for
    classification (though not for sample quality).

    Fit it with `fit(G, D, images, labels=labels, objective=SemiSupervised())`, where `labels`
    holds -1 for every unlabeled image: G stays unconditional, and each step draws a labeled
    batch from the labeled images beside the unlabeled one.

    Args:
        supervised_weight: weight of the labeled cross-entropy in D's loss.
        unsupervised_weight: weight of the real-vs-fake loss in D's loss (the reference code:
            0.5, its `loss_unl`).
        fresh_feature_batch: match G's features against a second, independent batch of real
            images (the reference code's `trainx_unl2`) instead of the batch D just saw.
    """

    supervised_weight: float = 1.0
    unsupervised_weight: float = 1.0
    fresh_feature_batch: bool = False
    name: ClassVar[str] = "semi-supervised"
    batch_plan: ClassVar[str] = "semi-supervised"
    probabilistic: ClassVar[bool] = True
    extra_stats: ClassVar[tuple[str, ...]] = ("supervised", "feature_matching")

    def __post_init__(self) -> None:
        check_number("supervised_weight", self.supervised_weight, low=0, low_open=True)
        check_number("unsupervised_weight", self.unsupervised_weight, low=0, low_open=True)
        if not isinstance(self.fresh_feature_batch, bool):
            raise TypeError(f"fresh_feature_batch must be True or False, got "
                            f"{self.fresh_feature_batch!r}")
        for name in ("supervised_weight", "unsupervised_weight"):  # checkpoint-safe floats
            object.__setattr__(self, name, float(getattr(self, name)))

    @staticmethod
    def realness_logit(class_logits: torch.Tensor) -> torch.Tensor:
        """logit of D(x) = Z / (Z + 1): logsumexp of the class logits (the fake logit is 0)."""
        return torch.logsumexp(class_logits, dim=1)

    def discriminator_loss(self, critic, real, fake, *, rng=None, labeled=None):
        if labeled is None:
            raise ValueError("SemiSupervised needs a labeled batch: pass labels= to fit, with -1 "
                             "for unlabeled images")
        x_l, y_l = labeled
        supervised = F.cross_entropy(critic(x_l), y_l)
        real_logit = self.realness_logit(critic(real))
        fake_logit = self.realness_logit(critic(fake))
        unsupervised = discriminator_loss(real_logit, fake_logit)
        loss = self.supervised_weight * supervised + self.unsupervised_weight * unsupervised
        return loss, {"d_real": torch.sigmoid(real_logit.detach()).mean(),
                      "d_fake": torch.sigmoid(fake_logit.detach()).mean(),
                      "supervised": supervised.detach()}

    def generator_loss(self, critic, real, fake, *, feature_batch=None):
        features = getattr(critic, "features", None)
        if features is None:
            raise TypeError("SemiSupervised's feature matching needs a discriminator with a "
                            "`features(x)` method (the layer before its class logits)")
        with torch.no_grad():
            target = features(real if feature_batch is None else feature_batch).mean(0)
        fm = (features(fake).mean(0) - target).square().mean()
        return fm, {"feature_matching": fm.detach()}
