"""One step of GAN training: a discriminator update on a detached fake batch, then a generator update.

This is the loop body of `fit`, written out so that a chapter can show it, and so that code which
needs its own loop (a notebook cell, a custom schedule) uses the same update.
"""

from __future__ import annotations

from typing import Iterable

import torch
from torch import nn

from ..losses import discriminator_loss, generator_loss

__all__ = ["TrainingDivergedError", "gan_step", "grad_norm"]


class TrainingDivergedError(FloatingPointError):
    """A loss or gradient norm became NaN or infinite during training."""


def grad_norm(parameters: Iterable[nn.Parameter]) -> torch.Tensor:
    """Total L2 norm of the gradients of `parameters` (those without a gradient are skipped).

    Args:
        parameters: e.g. `model.parameters()`.
    """
    norms = [torch.linalg.vector_norm(p.grad) for p in parameters if p.grad is not None]
    if not norms:
        return torch.tensor(0.0)
    return torch.linalg.vector_norm(torch.stack(norms))


def _check_finite(**values: torch.Tensor) -> None:
    # One sync per update; it lets us stop BEFORE optimizer.step() writes NaN into the weights.
    if bool(torch.isfinite(torch.stack(list(values.values()))).all()):
        return
    bad = ", ".join(f"{k}={v.item()}" for k, v in values.items() if not torch.isfinite(v))
    raise TrainingDivergedError(f"non-finite {bad}")


def gan_step(
    generator: nn.Module,
    discriminator: nn.Module,
    real: torch.Tensor,
    z: torch.Tensor,
    opt_g: torch.optim.Optimizer,
    opt_d: torch.optim.Optimizer,
    *,
    loss: str = "non-saturating",
    real_label: float = 1.0,
    update_g: bool = True,
) -> dict[str, torch.Tensor]:
    """Update D once on (real, G(z)), then G once on the same fakes; return the step's metrics.

    Args:
        generator, discriminator: the two networks, in train mode; D returns logits (N,).
        real: a batch of real data (B, ...), on the models' device.
        z: a batch of noise (B, latent_dim), on the models' device.
        opt_g, opt_d: the optimizers of G and D.
        loss: the generator loss kind ("non-saturating" or "minimax").
        real_label: D's target for real data; < 1 is one-sided label smoothing.
        update_g: False for the extra D-only updates of `d_steps > 1`.

    Returns:
        0-dim tensors d_loss, d_real (mean D(x)), d_fake (mean D(G(z)) before D's update),
        d_grad_norm, and, when update_g, g_loss and g_grad_norm.

    Raises:
        TrainingDivergedError: a loss or gradient norm is not finite; no optimizer step was taken.
    """
    # (1) Update D: maximise log D(x) + log(1 - D(G(z))), i.e. minimise
    #     BCE(D(x), real_label) + BCE(D(G(z)), 0).
    fake = generator(z)
    opt_d.zero_grad(set_to_none=True)
    # Real and fake go through D as two separate batches, so batch norm normalises each with
    # its own statistics (the DCGAN recipe), never a mixed real+fake batch.
    real_logits = discriminator(real)
    # detach: D's loss must not send gradients into G, whose update comes next with its own loss
    fake_logits = discriminator(fake.detach())
    d_loss = discriminator_loss(real_logits, fake_logits, real_label=real_label)
    d_loss.backward()
    d_norm = grad_norm(discriminator.parameters())
    _check_finite(d_loss=d_loss, d_grad_norm=d_norm)
    opt_d.step()
    metrics = {
        "d_loss": d_loss.detach(),
        "d_real": torch.sigmoid(real_logits.detach()).mean(),
        "d_fake": torch.sigmoid(fake_logits.detach()).mean(),
        "d_grad_norm": d_norm,
    }
    if not update_g:
        return metrics

    # (2) Update G: score the same fakes with the freshly updated D, this time keeping the graph
    #     through G. Non-saturating: minimise -log D(G(z)) (labels flipped to "real");
    #     minimax: minimise log(1 - D(G(z))).
    opt_g.zero_grad(set_to_none=True)
    g_loss = generator_loss(discriminator(fake), kind=loss)
    g_loss.backward()
    g_norm = grad_norm(generator.parameters())
    _check_finite(g_loss=g_loss, g_grad_norm=g_norm)
    # G's backward also left gradients in D; D's next zero_grad clears them before they are used.
    opt_g.step()
    metrics.update(g_loss=g_loss.detach(), g_grad_norm=g_norm)
    return metrics
