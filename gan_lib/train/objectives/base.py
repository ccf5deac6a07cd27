"""The objective interface: what differs between GANs, as a small object that `fit` calls.

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
from typing import Any, Callable, ClassVar

import torch

__all__ = ["Objective", "Critic", "Stats", "REGISTRY", "objective_from_dict", "scores_mean"]

Critic = Callable[[torch.Tensor], torch.Tensor]
Stats = dict[str, torch.Tensor]

#: every objective class by its `name`; a subclass with its own `name` registers itself
REGISTRY: dict[str, type["Objective"]] = {}


class Objective:
    """Base class: the two losses of a GAN. Subclasses are frozen dataclasses with a `name`."""

    name: ClassVar[str] = "objective"
    #: how fit shapes this objective's batches (`gan_lib.train.plans`): None lets the data decide
    #: (labels= -> class-conditional, else unconditional); "paired", "refinement" or
    #: "semi-supervised" for objectives that need a batch of their own shape
    batch_plan: ClassVar[str | None] = None

    #: False for objectives that train G alone (e.g. `Paired(adversarial=None)`): fit needs no D.
    uses_discriminator: ClassVar[bool] = True
    #: True where D's outputs are logits of a probability (then d_real/d_fake are probabilities).
    probabilistic: ClassVar[bool] = False
    #: names of the extra stats this objective reports, beside d_real and d_fake
    extra_stats: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:  # checkpoints name their objective; resume rebuilds it
            REGISTRY[cls.name] = cls

    def discriminator_loss(self, critic: Critic, real: torch.Tensor, fake: torch.Tensor, *,
                           rng: torch.Generator | None = None) -> tuple[torch.Tensor, Stats]:
        """D's loss and stats (d_real, d_fake, extras) for a batch; `fake` arrives detached.
        An objective with a batch plan of its own also receives that plan's `d_extra`."""
        raise NotImplementedError

    def generator_loss(self, critic: Critic, real: torch.Tensor,
                       fake: torch.Tensor) -> tuple[torch.Tensor, Stats]:
        """G's loss and stats; `fake` keeps its graph through G (plus the plan's `g_extra`)."""
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


def scores_mean(x: torch.Tensor) -> torch.Tensor:
    """The mean of a batch of scores, detached, as float: what d_real / d_fake record."""
    return x.detach().float().mean()


def objective_from_dict(settings: dict[str, Any]) -> Objective:
    """Rebuild an objective from `Objective.to_dict()` (what a checkpoint stores)."""
    settings = dict(settings)
    name = settings.pop("name", None)
    if name not in REGISTRY:
        raise ValueError(f"unknown objective {name!r}; known: {', '.join(REGISTRY)}")
    for key, value in settings.items():
        if isinstance(value, dict) and "name" in value:  # a wrapped objective (adversarial=...)
            settings[key] = objective_from_dict(value)
    return REGISTRY[name](**settings)
