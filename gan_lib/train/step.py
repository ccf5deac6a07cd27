"""One step of GAN training: discriminator update(s) on a detached fake batch, then a generator update.

- `gan_step` is the standard GAN's step written out in full, so that a chapter can print it and
  code that needs its own loop uses the same update.
- `objective_step` is the same sequence for any objective (standard, Wasserstein-GP, hinge,
  paired) and any conditioning (none, class labels, a source image): it is what `fit` runs. A test
  asserts that, for the standard GAN, both give bit-identical weights.
"""

from __future__ import annotations

from typing import Callable, Iterable

import torch
from torch import nn

from .guard import TrainingDivergedError
from .losses import discriminator_loss, generator_loss
from .objectives import Objective
from .plans import Batch

__all__ = ["gan_step", "grad_norm", "objective_step"]


def grad_norm(parameters: Iterable[nn.Parameter]) -> torch.Tensor:
    """Total L2 norm of the gradients of `parameters` (those without a gradient are skipped).

    Args:
        parameters: e.g. `model.parameters()`.
    """
    parameters = list(parameters)
    norms = [torch.linalg.vector_norm(p.grad) for p in parameters if p.grad is not None]
    if not norms:
        # on the parameters' device: a CPU zero next to CUDA numbers would fail to stack
        device = parameters[0].device if parameters else None
        return torch.zeros((), device=device)
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
    #     Without a generator update to follow, no graph through G is needed.
    with torch.set_grad_enabled(update_g):
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


Check = Callable[[dict[str, torch.Tensor]], None]


def objective_step(
    generator: nn.Module,
    discriminator: nn.Module | None,
    batch: Batch,
    opt_g: torch.optim.Optimizer,
    opt_d: torch.optim.Optimizer | None,
    objective: Objective,
    *,
    update_g: bool = True,
    rng: torch.Generator | None = None,
    check: Check | None = None,
) -> dict[str, torch.Tensor]:
    """`gan_step` for any objective: update D once (if the objective has one), then G.

    Args:
        generator, discriminator: the networks in train mode; discriminator may be None when
            `objective.uses_discriminator` is False.
        batch: the real data, noise and condition, on the models' device.
        opt_g, opt_d: their optimizers.
        objective: computes the losses (see `gan_lib.train.objectives`).
        update_g: False for the extra D-only updates of `d_steps > 1`.
        rng: CPU generator for the objective's own randomness (WGAN-GP's interpolation).
        check: called with {name: 0-dim tensor} before each optimizer step (fit's non-finite
            guard); default: raise TrainingDivergedError at once, as `gan_step` does.

    Returns:
        0-dim tensors on the device: d_loss, d_grad_norm and the objective's D stats, and, when
        update_g, g_loss, g_grad_norm and its G stats.
    """
    check = check if check is not None else (lambda values: _check_finite(**values))
    metrics: dict[str, torch.Tensor] = {}
    with torch.set_grad_enabled(update_g):  # no graph through G for a D-only update
        fake = batch.generate(generator)
    critic = batch.critic(discriminator) if discriminator is not None else None
    if objective.uses_discriminator:
        opt_d.zero_grad(set_to_none=True)
        # detach: D's loss must not send gradients into G
        d_loss, d_stats = objective.discriminator_loss(critic, batch.real, fake.detach(), rng=rng,
                                                       **batch.d_extra)
        d_loss.backward()
        d_norm = grad_norm(discriminator.parameters())
        check({"d_loss": d_loss, "d_grad_norm": d_norm})
        opt_d.step()
        metrics.update(d_loss=d_loss.detach(), d_grad_norm=d_norm, **d_stats)
    if not update_g:
        return metrics
    # G's loss is scored by the freshly updated D, through the graph of G kept above
    opt_g.zero_grad(set_to_none=True)
    g_loss, g_stats = objective.generator_loss(critic, batch.real, fake, **batch.g_extra)
    g_loss.backward()
    g_norm = grad_norm(generator.parameters())
    check({"g_loss": g_loss, "g_grad_norm": g_norm})
    opt_g.step()
    metrics.update(g_loss=g_loss.detach(), g_grad_norm=g_norm, **g_stats)
    return metrics
