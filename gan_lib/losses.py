"""The GAN losses, written on logits.

The discriminator outputs a logit `a`; D(x) = sigmoid(a) is its probability that x is real. Both
losses are binary cross-entropies computed with `binary_cross_entropy_with_logits`, which uses
log(sigmoid(a)) = -softplus(-a): finite for every finite logit, where `log(sigmoid(a))` computed in
two steps rounds sigmoid(a) to 0 or 1 and returns -inf.

Discriminator (maximise log D(x) + log(1 - D(G(z))), i.e. minimise the cross-entropy):
    L_D = BCE(a_real, real_label) + BCE(a_fake, 0)
Generator:
    "minimax":        L_G = mean log(1 - D(G(z)))    (the value function's own term; saturates)
    "non-saturating": L_G = BCE(a_fake, 1) = -mean log D(G(z))   (same fixed point, strong gradient
                      exactly when D rejects the fakes)
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = ["GENERATOR_LOSSES", "discriminator_loss", "generator_loss"]

GENERATOR_LOSSES = ("non-saturating", "minimax")


def discriminator_loss(
    real_logits: torch.Tensor, fake_logits: torch.Tensor, *, real_label: float = 1.0
) -> torch.Tensor:
    """Mean BCE-with-logits over real (target `real_label`) plus fake (target 0) logits.

    Args:
        real_logits: D's logits on a batch of real data, any shape.
        fake_logits: D's logits on a batch of generated data, any shape.
        real_label: target for real data; below 1 is one-sided label smoothing (e.g. 0.9).
            Fakes keep target 0: smoothing them too would reward D for leaving some density
            on regions only the generator visits.
    """
    if not 0.0 < real_label <= 1.0:
        raise ValueError(f"real_label must be in (0, 1], got {real_label}")
    real = F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, real_label))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def generator_loss(fake_logits: torch.Tensor, *, kind: str = "non-saturating") -> torch.Tensor:
    """The generator's loss on D's logits for a batch of fakes.

    Args:
        fake_logits: D's logits on G(z).
        kind: "non-saturating" (-log D(G(z)), the default used in practice) or "minimax"
            (log(1 - D(G(z))), the term of the value function; its gradient vanishes when D
            confidently rejects the fakes).
    """
    if kind == "non-saturating":
        # cross-entropy with the labels flipped: fakes scored against target 1
        return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
    if kind == "minimax":
        # log(1 - sigmoid(a)) = -softplus(a); minus the BCE against target 0
        return -F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    raise ValueError(
        f"unknown generator loss kind {kind!r}; valid kinds: {', '.join(GENERATOR_LOSSES)}"
    )
