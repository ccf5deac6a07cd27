"""Objectives: what differs between GANs, as small objects that `fit` calls.

`fit` owns everything every run needs (batches, optimizers, seeds, checkpoints, the non-finite
guard, history). An objective says only how the two losses come out of a batch:

    d_loss, d_stats = objective.discriminator_loss(critic, real, fake, rng=rng)
    g_loss, g_stats = objective.generator_loss(critic, real, fake)

`critic` is the discriminator with its condition already bound (`D(x)`, `D(x, labels)` for a
class-conditional pair, `D(source, x)` for a paired one), so one objective serves unconditional,
conditional and paired training alike. `real` is the batch of real data (the targets, for paired
training); `fake` is G's output for the same batch (detached for D's loss by the caller). The stats
are 0-dim tensors on the device (`d_real`, `d_fake`, and extras such as `gp` or `l1`); `fit`
fetches them from the device only every few steps.

Objectives are frozen dataclasses: their settings are part of the run's `TrainConfig`, stored in
every checkpoint and compared on resume.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

import torch
import torch.nn.functional as F

from ..losses import (
    GENERATOR_LOSSES,
    discriminator_loss,
    generator_loss,
    gradient_penalty,
    hinge_discriminator_loss,
    hinge_generator_loss,
    wasserstein_critic_loss,
    wasserstein_generator_loss,
)

__all__ = ["Objective", "StandardGAN", "WassersteinGP", "Hinge", "Paired", "Refinement",
           "SemiSupervised", "objective_from_dict"]

Critic = Callable[[torch.Tensor], torch.Tensor]
Stats = dict[str, torch.Tensor]


class Objective:
    """Base class: the two losses of a GAN. Subclasses are frozen dataclasses with a `name`."""

    name: ClassVar[str] = "objective"
    #: False for objectives that train G alone (e.g. `Paired(adversarial=None)`): fit needs no D.
    uses_discriminator: ClassVar[bool] = True
    #: True where D's outputs are logits of a probability (then d_real/d_fake are probabilities).
    probabilistic: ClassVar[bool] = False
    #: names of the extra stats this objective reports, beside d_real and d_fake
    extra_stats: ClassVar[tuple[str, ...]] = ()
    #: True where `labels=` are a training signal for D itself (semi-supervised), so fit draws a
    #: labeled batch every step instead of conditioning G and D on the labels
    learns_from_labels: ClassVar[bool] = False
    #: for G(source) objectives: True if source i belongs to target i (pix2pix; D sees the pair),
    #: False if sources and real data are two unrelated sets (refinement; D sees images only)
    pairs_sources: ClassVar[bool] = True
    #: True where the generator's loss needs the source batch itself (`source=` keyword)
    needs_source: ClassVar[bool] = False

    def discriminator_loss(self, critic: Critic, real: torch.Tensor, fake: torch.Tensor, *,
                           rng: torch.Generator | None = None) -> tuple[torch.Tensor, Stats]:
        raise NotImplementedError

    def generator_loss(self, critic: Critic, real: torch.Tensor,
                       fake: torch.Tensor) -> tuple[torch.Tensor, Stats]:
        raise NotImplementedError

    def history_keys(self) -> tuple[str, ...]:
        """The per-step numbers `fit` records for this objective, in order (after `step`)."""
        if not self.uses_discriminator:
            return ("g_loss", "g_grad_norm", *self.extra_stats)
        return ("d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm", "d_grad_norm",
                *self.extra_stats)

    def to_dict(self) -> dict[str, Any]:
        """Plain settings (name + fields) for checkpoints: loadable with weights_only=True."""
        out: dict[str, Any] = {"name": self.name}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            out[field.name] = value.to_dict() if isinstance(value, Objective) else value
        return out


def _scores_mean(x: torch.Tensor) -> torch.Tensor:
    return x.detach().float().mean()


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
        if isinstance(self.real_label, bool) or not 0.0 < self.real_label <= 1.0:
            raise ValueError(f"real_label must be in (0, 1], got {self.real_label!r}")

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        # real and fake go through D as two batches: batch norm sees each on its own (DCGAN)
        real_logits = critic(real)
        fake_logits = critic(fake)
        loss = discriminator_loss(real_logits, fake_logits, real_label=self.real_label)
        return loss, {"d_real": torch.sigmoid(real_logits.detach()).mean(),
                      "d_fake": torch.sigmoid(fake_logits.detach()).mean()}

    def generator_loss(self, critic, real, fake):
        return generator_loss(critic(fake), kind=self.loss), {}


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
        if isinstance(self.gp_weight, bool) or not self.gp_weight >= 0:
            raise ValueError(f"gp_weight must be a number >= 0, got {self.gp_weight!r}")

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        real_scores = critic(real)
        fake_scores = critic(fake)
        gp = gradient_penalty(critic, real, fake, generator=rng)
        loss = wasserstein_critic_loss(real_scores, fake_scores) + self.gp_weight * gp
        return loss, {"d_real": _scores_mean(real_scores), "d_fake": _scores_mean(fake_scores),
                      "gp": gp.detach()}

    def generator_loss(self, critic, real, fake):
        return wasserstein_generator_loss(critic(fake)), {}


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
        return loss, {"d_real": _scores_mean(real_scores), "d_fake": _scores_mean(fake_scores)}

    def generator_loss(self, critic, real, fake):
        return hinge_generator_loss(critic(fake)), {}


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

    def __post_init__(self) -> None:
        if isinstance(self.l1_weight, bool) or not self.l1_weight >= 0:
            raise ValueError(f"l1_weight must be a number >= 0, got {self.l1_weight!r}")
        if self.adversarial is not None and (
            not isinstance(self.adversarial, Objective) or isinstance(self.adversarial, Paired)
            or self.adversarial.needs_source
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


@dataclass(frozen=True)
class SemiSupervised(Objective):
    """Semi-supervised GAN (Salimans et al. 2016): D is a K-class classifier whose "fake" class
    is implicit, and G is trained by feature matching.

    D returns K class logits l(x) (N, K) and has `features(x)` (N, F), the layer before them.
    With the fake class's logit fixed at 0, D's probability that x is real is
    Z / (Z + 1) = sigmoid(logsumexp l(x)), with Z = sum_k exp l_k(x). D's loss adds
      - the cross-entropy of l(x_l) on a labeled batch (x_l, y_l), times `supervised_weight`;
      - the GAN loss on that probability: real unlabeled data against the fakes.
    G's loss is feature matching, ||mean f(x) - mean f(G(z))||^2 over D's features: G matches the
    statistics D uses rather than chasing D's current verdict, which the paper found best for
    classification (though not for sample quality).

    Fit it with `fit(G, D, images, labels=labels, objective=SemiSupervised())`, where `labels`
    holds -1 for every unlabeled image: G stays unconditional, and each step draws a labeled
    batch from the labeled images beside the unlabeled one.

    Args:
        supervised_weight: weight of the labeled cross-entropy in D's loss.
    """

    supervised_weight: float = 1.0
    name: ClassVar[str] = "semi-supervised"
    probabilistic: ClassVar[bool] = True
    extra_stats: ClassVar[tuple[str, ...]] = ("supervised", "feature_matching")
    learns_from_labels: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if isinstance(self.supervised_weight, bool) or not self.supervised_weight > 0:
            raise ValueError(f"supervised_weight must be a number > 0, got {self.supervised_weight!r}")

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
        loss = self.supervised_weight * supervised + unsupervised
        return loss, {"d_real": torch.sigmoid(real_logit.detach()).mean(),
                      "d_fake": torch.sigmoid(fake_logit.detach()).mean(),
                      "supervised": supervised.detach()}

    def generator_loss(self, critic, real, fake):
        features = getattr(critic, "features", None)
        if features is None:
            raise TypeError("SemiSupervised's feature matching needs a discriminator with a "
                            "`features(x)` method (the layer before its class logits)")
        with torch.no_grad():
            target = features(real).mean(0)
        fm = (features(fake).mean(0) - target).square().sum()
        return fm, {"feature_matching": fm.detach()}


@dataclass(frozen=True)
class Refinement(Objective):
    """Unpaired refinement (SimGAN, Shrivastava et al. 2017): make synthetic images look real.

    G maps a synthetic image s to a refined one G(s); D judges images alone, refined against real
    ones drawn independently (no pairs); G's loss adds `self_weight` times the mean absolute change
    |G(s) - s|, the self-regularisation that keeps what the synthetic image showed (its label)
    while the adversarial term fixes how it looks.

    Fit it with `fit(G, D, real_images, sources=synthetic_images, objective=Refinement())`; the
    two sets may differ in size.

    Args:
        self_weight: weight of the L1 self-regularisation term.
        adversarial: the adversarial objective on D's verdict (default: the standard GAN).
    """

    self_weight: float = 1.0
    adversarial: Objective = StandardGAN()
    name: ClassVar[str] = "refinement"
    pairs_sources: ClassVar[bool] = False
    needs_source: ClassVar[bool] = True

    def __post_init__(self) -> None:
        if isinstance(self.self_weight, bool) or not self.self_weight >= 0:
            raise ValueError(f"self_weight must be a number >= 0, got {self.self_weight!r}")
        if not isinstance(self.adversarial, Objective) or self.adversarial.needs_source \
                or isinstance(self.adversarial, Paired):
            raise TypeError("adversarial must be an unpaired objective such as StandardGAN() or "
                            f"Hinge(); got {self.adversarial!r}")

    @property
    def probabilistic(self) -> bool:  # type: ignore[override]
        return self.adversarial.probabilistic

    @property
    def extra_stats(self) -> tuple[str, ...]:  # type: ignore[override]
        return (*self.adversarial.extra_stats, "self_l1")

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        return self.adversarial.discriminator_loss(critic, real, fake, rng=rng)

    def generator_loss(self, critic, real, fake, *, source=None):
        if source is None:
            raise ValueError("Refinement needs the synthetic sources: fit(..., sources=...)")
        adv, stats = self.adversarial.generator_loss(critic, real, fake)
        self_l1 = F.l1_loss(fake, source)
        return adv + self.self_weight * self_l1, {**stats, "self_l1": self_l1.detach()}


_OBJECTIVES = {cls.name: cls for cls in
               (StandardGAN, WassersteinGP, Hinge, Paired, Refinement, SemiSupervised)}


def objective_from_dict(settings: dict[str, Any]) -> Objective:
    """Rebuild an objective from `Objective.to_dict()` (what a checkpoint stores)."""
    settings = dict(settings)
    name = settings.pop("name", None)
    if name not in _OBJECTIVES:
        raise ValueError(f"unknown objective {name!r}; known: {', '.join(_OBJECTIVES)}")
    if isinstance(settings.get("adversarial"), dict):
        settings["adversarial"] = objective_from_dict(settings["adversarial"])
    return _OBJECTIVES[name](**settings)
