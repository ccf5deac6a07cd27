"""The non-finite guard: no NaN or inf ever reaches the returned or saved weights.

Every update's losses and gradient norms go through `check` before the optimizer step. On the CPU
(or with `sync_every=1`, or with callbacks) a bad value stops training right there, before the
step that would use it. On a GPU, reading a number back waits for the device, so the guard only
ORs a flag on the device and fetches it, with the step's numbers, every `sync_every` steps; if the
flag is set, the models and optimizers are put back to their state at the last check that passed.
"""

from __future__ import annotations

import copy
from typing import Callable

import torch

from .history import History

__all__ = ["NonFiniteGuard", "TrainingDivergedError"]


class TrainingDivergedError(FloatingPointError):
    """A loss or gradient norm became NaN or infinite during training."""


class NonFiniteGuard:
    """Collects each step's numbers into `history` and checks them for NaN/inf.

    Args:
        history: where the fetched numbers go, one record per step.
        keys: the names of the numbers a step reports, in order.
        sync_every: fetch from the device every this many steps (1: every step, checked at once).
        stateful: {name: object with state_dict / load_state_dict} to snapshot and put back.
        device: the training device (where the deferred flag lives).
    """

    def __init__(self, history: History, keys: tuple[str, ...], *, sync_every: int,
                 stateful: Callable[[], dict], device: torch.device) -> None:
        self.history, self.keys, self.sync_every = history, keys, sync_every
        self.immediate = sync_every == 1
        self._stateful = stateful
        self._bad = torch.zeros((), dtype=torch.bool, device=device)
        self._pending: list[tuple[int, dict[str, torch.Tensor]]] = []
        self._last_good = None if self.immediate else self._snapshot()

    def check(self, values: dict[str, torch.Tensor]) -> None:
        """Called before each optimizer step with that update's 0-dim losses and norms."""
        finite = torch.isfinite(torch.stack([v.detach().float() for v in values.values()])).all()
        if self.immediate:
            if not bool(finite):  # one sync, before the optimizer step that would use them
                bad = ", ".join(f"{k}={v.item()}" for k, v in values.items()
                                if not torch.isfinite(v))
                raise TrainingDivergedError(f"non-finite {bad}")
        else:
            self._bad.logical_or_(~finite)

    def record(self, step: int, metrics: dict[str, torch.Tensor], *, fetch: bool) -> None:
        """Queue a finished step's numbers; fetch them all now when `fetch` or when due."""
        self._pending.append((step, metrics))
        if fetch or self.immediate or step % self.sync_every == 0:
            self.flush()

    def flush(self) -> None:
        """Fetch the pending steps' numbers (and the deferred flag) in one device sync."""
        if not self._pending:
            return
        table = torch.stack([torch.stack([m[k].float() for k in self.keys])
                             for _, m in self._pending])
        values = torch.cat([table.flatten(), self._bad.float().reshape(1)]).tolist()
        if values[-1]:
            first, last = self._pending[0][0], self._pending[-1][0]
            for name, obj in self._stateful().items():
                obj.load_state_dict(self._last_good[name])
            raise TrainingDivergedError(
                f"a non-finite loss or gradient between steps {first} and {last} (checked every "
                f"{self.sync_every} steps; the models were put back to their state after step "
                f"{first - 1}; sync_every=1 stops at the exact update)")
        width = len(self.keys)
        for i, (step, _) in enumerate(self._pending):
            self.history.append({"step": step,
                                 **dict(zip(self.keys, values[i * width:(i + 1) * width]))})
        self._pending.clear()
        if not self.immediate:
            self._last_good = self._snapshot()

    def _snapshot(self) -> dict:
        return {name: copy.deepcopy(obj.state_dict()) for name, obj in self._stateful().items()}


def diverged_error(err: Exception, step: int, history: History, checkpoint) -> TrainingDivergedError:
    """The error fit raises: where it happened, the last finite numbers, and what to try."""
    last = history.last
    if last:
        shown = ", ".join(f"{k}={last[k]:.4g}" for k in ("d_loss", "g_loss", "d_real", "d_fake")
                          if k in last)
        finite = f"last finite values (step {int(last['step'])}): {shown}"
    else:
        finite = "no step had finished"
    kept = f" The checkpoint {checkpoint} was not overwritten." if checkpoint else ""
    return TrainingDivergedError(
        f"training diverged, detected at step {step} ({err}); {finite}. No optimizer step was kept with "
        f"the bad values.{kept} Try: lower learning rates (lr_g, lr_d), one-sided label "
        "smoothing (real_label=0.9), and check that the data is scaled to [-1, 1] like the "
        "generator's tanh output."
    )
