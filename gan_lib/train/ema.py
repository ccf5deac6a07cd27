"""An exponential moving average (EMA) of the generator's weights.

GAN generators oscillate around a good solution rather than settle in it; averaging the weights
over the last ~1 / (1 - decay) updates smooths the oscillation out, and samples from the average
are usually better than samples from the last iterate (Yazici et al. 2019; Karras et al. 2018 use
it in progressive GANs). `fit(..., ema_decay=0.999)` keeps one and returns it as
`history.ema_generator`.

Written out rather than taken from `torch.optim.swa_utils.AveragedModel`: that class reads its
update counter on the host at every update, a device synchronisation per step on a GPU.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

__all__ = ["EMA"]


class EMA:
    """ema <- decay * ema + (1 - decay) * weights, after every generator update.

    Buffers (batch-norm running statistics) are copied, not averaged: they describe the
    activations of the current weights.

    With `warmup`, update t (1, 2, ...) uses decay min(decay, (1 + t) / (10 + t)), the ramp of
    TensorFlow's `ExponentialMovingAverage(num_updates=...)`: without it, after t updates a
    weight of decay**t still sits on the random initial generator (37% after 1,000 updates at
    0.999), so a short run's average is mostly noise.

    Args:
        model: the network to follow; a frozen copy of it is made (`ema.module`).
        decay: in (0, 1); 0.999 averages over roughly the last 1,000 updates.
        warmup: ramp the decay up as above (2/11 = 0.18 at the first update).
    """

    def __init__(self, model: nn.Module, decay: float, *, warmup: bool = False) -> None:
        if not 0.0 < decay < 1.0:
            raise ValueError(f"decay must be in (0, 1), got {decay}")
        self.decay = decay
        self.warmup = bool(warmup)
        self.module = copy.deepcopy(model).eval().requires_grad_(False)

    def decay_at(self, t: int) -> float:
        """The decay of update number t (1-based)."""
        return min(self.decay, (1.0 + t) / (10.0 + t)) if self.warmup else self.decay

    @torch.no_grad()
    def update(self, model: nn.Module, t: int | None = None) -> None:
        """Move the average one step towards `model`'s current weights (t: the update's number,
        needed with warm-up)."""
        if self.warmup and t is None:
            raise ValueError("an EMA with warmup=True needs the update number t")
        decay = self.decay_at(t) if t is not None else self.decay
        ema_params = list(self.module.parameters())
        params = [p.detach() for p in model.parameters()]
        torch._foreach_lerp_(ema_params, params, 1.0 - decay)
        for ema_buffer, buffer in zip(self.module.buffers(), model.buffers()):
            ema_buffer.copy_(buffer)

    def state_dict(self) -> dict:
        return self.module.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.module.load_state_dict(state)
