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

Beside them: the Wasserstein critic and hinge losses on unbounded scores, and WGAN-GP's gradient
penalty. Which pair a run uses is chosen by an objective in `gan_lib.train.objectives`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

__all__ = [
    "GENERATOR_LOSSES",
    "discriminator_loss",
    "generator_loss",
    "wasserstein_critic_loss",
    "wasserstein_generator_loss",
    "hinge_discriminator_loss",
    "hinge_generator_loss",
    "gradient_penalty",
]

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


# --- Losses that are not cross-entropies --------------------------------------------------------
# The critic of a Wasserstein GAN and the hinge discriminator output unbounded scores, not logits
# of a probability; their losses are linear (Wasserstein) or piecewise linear (hinge) in them.


def wasserstein_critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    """WGAN critic loss: mean f(G(z)) - mean f(x), minimised by the critic f.

    Its negative estimates the Wasserstein-1 distance when f is 1-Lipschitz (Arjovsky et al.
    2017); the gradient penalty (`gradient_penalty`) is what keeps f close to 1-Lipschitz.
    """
    return fake_scores.mean() - real_scores.mean()


def wasserstein_generator_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    """WGAN generator loss: -mean f(G(z)) (raise the critic's score of the fakes)."""
    return -fake_scores.mean()


def hinge_discriminator_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    """Hinge loss: mean max(0, 1 - D(x)) + mean max(0, 1 + D(G(z))).

    Scores beyond the margin (real > 1, fake < -1) give no gradient: D stops pushing samples it
    already separates, the property spectral-norm GANs (Miyato et al. 2018) pair it with.
    """
    return F.relu(1.0 - real_scores).mean() + F.relu(1.0 + fake_scores).mean()


def hinge_generator_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    """The generator's side of the hinge GAN: -mean D(G(z)), as for the Wasserstein critic."""
    return -fake_scores.mean()


def gradient_penalty(
    critic,
    real: torch.Tensor,
    fake: torch.Tensor,
    *,
    generator: torch.Generator | None = None,
    target_norm: float = 1.0,
) -> torch.Tensor:
    """WGAN-GP's penalty: mean over x_hat of (||grad_x_hat critic(x_hat)||_2 - target_norm)^2.

    x_hat = eps * real + (1 - eps) * fake with one eps ~ U[0, 1] per sample (Gulrajani et al.
    2017). The graph is kept (create_graph=True) so the penalty's own gradient reaches the
    critic's weights. For a linear critic f(x) = w.x + b the gradient is w everywhere, so the
    penalty is exactly (||w|| - 1)^2.

    Args:
        critic: maps a batch shaped like `real` to scores (N,) or (N, ...), e.g. a discriminator,
            or `lambda x: D(x, labels)` for a conditional one.
        real, fake: batches of the same shape (N, ...); `fake` is usually detached.
        generator: a CPU `torch.Generator` for the interpolation weights (reproducible runs).
        target_norm: the gradient norm the penalty pulls towards (1 for 1-Lipschitz).
    """
    if real.shape != fake.shape:
        raise ValueError(
            f"real and fake must have the same shape to interpolate, got {tuple(real.shape)} "
            f"and {tuple(fake.shape)}"
        )
    eps = torch.rand(real.shape[0], *([1] * (real.dim() - 1)), generator=generator)
    if real.is_cuda:  # drawn on the CPU (reproducible anywhere), copied without waiting
        eps = eps.pin_memory()
    eps = eps.to(real.device, dtype=real.dtype, non_blocking=True)
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    scores = critic(x_hat)
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    norms = torch.linalg.vector_norm(grad.flatten(1), dim=1)
    return (norms - target_norm).square().mean()
