"""`fit`: the one training loop of the book, for every generator/discriminator pair.

It knows nothing of MNIST or of any architecture: it needs a generator with a `latent_dim`
attribute that maps (B, latent_dim) noise to samples, a discriminator that maps samples to logits
(B,), and the data as ONE tensor (N, ...). Batches are gathered by index from that tensor on the
training device, so no DataLoader or per-sample transform sits in the hot path. Batch indices and
noise come from two CPU `torch.Generator`s seeded from `seed`, so a run is reproducible on any
device, and a checkpoint that stores their states resumes exactly where it stopped.
"""

from __future__ import annotations

import math
import os
import time
from typing import Callable, Sequence

import torch
from torch import nn

from ..losses import GENERATOR_LOSSES
from ..utils import choose_device
from .checkpoint import load_checkpoint, save_checkpoint
from .history import HISTORY_KEYS, History
from .step import TrainingDivergedError, gan_step

__all__ = ["fit", "Callback"]

Callback = Callable[[int, nn.Module, nn.Module, History], None]
_FORMAT = "gan_lib.fit/1"


class _IndexStream:
    """Batches of indices: consecutive slices of a stream of random permutations of range(n).

    Every batch has exactly `batch_size` indices (batch norm needs more than one sample), and
    every sample is seen once per pass through a permutation.
    """

    def __init__(self, n: int, batch_size: int, seed: int) -> None:
        self.n, self.batch_size = n, batch_size
        self.rng = torch.Generator().manual_seed(seed)
        self.perm = torch.randperm(n, generator=self.rng)
        self.pos = 0

    def next(self) -> torch.Tensor:
        parts, need = [], self.batch_size
        while need:
            if self.pos == self.n:
                self.perm, self.pos = torch.randperm(self.n, generator=self.rng), 0
            take = min(need, self.n - self.pos)
            parts.append(self.perm[self.pos : self.pos + take])
            self.pos, need = self.pos + take, need - take
        return torch.cat(parts)

    def state_dict(self) -> dict:
        return {"rng": self.rng.get_state(), "perm": self.perm, "pos": self.pos}

    def load_state_dict(self, state: dict) -> None:
        self.rng.set_state(state["rng"])
        self.perm, self.pos = state["perm"], int(state["pos"])


def _validate(generator, data, steps, epochs, batch_size, lr_g, lr_d, betas, loss, real_label,
              d_steps, checkpoint, checkpoint_every, resume, max_seconds, callbacks) -> int:
    """Check fit's arguments; return the number of steps to train."""
    if not isinstance(getattr(generator, "latent_dim", None), int):
        raise TypeError("the generator needs an int attribute `latent_dim` (the size of z)")
    if not isinstance(data, torch.Tensor) or not data.is_floating_point() or data.dim() < 2:
        raise TypeError(
            "data must be one floating-point tensor of shape (N, ...), e.g. the images from "
            f"load_mnist('train'); got {type(data).__name__}"
            + (f" of dtype {data.dtype}, shape {tuple(data.shape)}" if isinstance(data, torch.Tensor) else "")
        )
    if not bool(torch.isfinite(data).all()):
        raise ValueError("data contains NaN or inf values; clean or rescale it before training")
    if not isinstance(batch_size, int) or not 2 <= batch_size <= len(data):
        raise ValueError(f"batch_size must be an int in [2, N={len(data)}], got {batch_size!r}")
    if (steps is None) == (epochs is None):
        raise ValueError("give exactly one of steps= or epochs=")
    count = steps if steps is not None else epochs
    if not isinstance(count, int) or count <= 0:
        raise ValueError(f"steps/epochs must be a positive int, got {count!r}")
    for name, lr in (("lr_g", lr_g), ("lr_d", lr_d)):
        if not lr > 0:
            raise ValueError(f"{name} must be > 0, got {lr}")
    if len(betas) != 2 or not all(0.0 <= b < 1.0 for b in betas):
        raise ValueError(f"betas must be two numbers in [0, 1), got {betas}")
    if loss not in GENERATOR_LOSSES:
        raise ValueError(f"unknown loss {loss!r}; valid kinds: {', '.join(GENERATOR_LOSSES)}")
    if not 0.0 < real_label <= 1.0:
        raise ValueError(f"real_label must be in (0, 1], got {real_label}")
    if not isinstance(d_steps, int) or d_steps < 1:
        raise ValueError(f"d_steps must be an int >= 1, got {d_steps!r}")
    if checkpoint is None and (resume or checkpoint_every is not None):
        raise ValueError("resume=True and checkpoint_every need checkpoint=<path>")
    if checkpoint_every is not None and (not isinstance(checkpoint_every, int) or checkpoint_every < 1):
        raise ValueError(f"checkpoint_every must be an int >= 1, got {checkpoint_every!r}")
    if max_seconds is not None and not max_seconds > 0:
        raise ValueError(f"max_seconds must be > 0, got {max_seconds}")
    if not all(callable(cb) for cb in callbacks):
        raise TypeError("callbacks must be a sequence of callables cb(step, G, D, history)")
    return steps if steps is not None else epochs * math.ceil(len(data) / batch_size)


def fit(
    generator: nn.Module,
    discriminator: nn.Module,
    data: torch.Tensor,
    *,
    steps: int | None = None,
    epochs: int | None = None,
    batch_size: int = 64,
    lr_g: float = 2e-4,
    lr_d: float = 2e-4,
    betas: tuple[float, float] = (0.5, 0.999),
    loss: str = "non-saturating",
    real_label: float = 1.0,
    d_steps: int = 1,
    device: str | torch.device | None = None,
    seed: int = 0,
    callbacks: Sequence[Callback] = (),
    progress: bool | None = None,
    checkpoint: str | os.PathLike | None = None,
    checkpoint_every: int | None = None,
    resume: bool = False,
    max_seconds: float | None = None,
) -> History:
    """Train a GAN with Adam and return its per-step history.

    Each step makes `d_steps` discriminator updates and one generator update (see `gan_step`).
    Both models are moved to `device` and left there in eval mode, ready for sampling.

    Args:
        generator: maps z (B, generator.latent_dim) to samples shaped like data[0].
        discriminator: maps samples to logits (B,).
        data: the whole training set as one floating-point tensor (N, ...).
        steps: number of generator updates; or
        epochs: passes over the data: steps = epochs * ceil(N / batch_size).
        batch_size: samples per batch (real and fake each).
        lr_g, lr_d: Adam learning rates; betas: Adam's betas (DCGAN: beta1 = 0.5).
        loss: generator loss kind, one of GENERATOR_LOSSES.
        real_label: D's target for real data (0.9: one-sided label smoothing).
        d_steps: discriminator updates per generator update, each on a fresh batch.
        device: where to train; default CUDA when available, else CPU.
        seed: seeds the batch-index and noise generators (seed and seed + 1).
        callbacks: cb(step, generator, discriminator, history) after every step.
        progress: tqdm bar; None shows it unless the environment sets TQDM_DISABLE=1.
        checkpoint: file to save the full training state to (at the end and every
            `checkpoint_every` steps).
        resume: continue from `checkpoint` if it exists (else start fresh); the result equals
            that of an uninterrupted run with the same arguments.
        max_seconds: stop after the first step that ends past this wall-clock budget.

    Raises:
        TrainingDivergedError: a loss or gradient became NaN/inf (the message says what to try).
    """
    total = _validate(generator, data, steps, epochs, batch_size, lr_g, lr_d, betas, loss,
                      real_label, d_steps, checkpoint, checkpoint_every, resume, max_seconds,
                      callbacks)
    device = choose_device(device) if not isinstance(device, torch.device) else device
    generator.to(device)
    discriminator.to(device)
    data = data.to(device)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr_g, betas=betas)
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=lr_d, betas=betas)
    indices = _IndexStream(len(data), batch_size, seed)
    noise = torch.Generator().manual_seed(seed + 1)
    history = History()
    config = {"batch_size": batch_size, "seed": seed, "n_data": len(data), "d_steps": d_steps}

    start = 0
    if resume and os.path.exists(checkpoint):
        state = load_checkpoint(checkpoint, required=("format", "step", "config", "generator"))
        for key, value in config.items():
            if state["config"].get(key) != value:
                raise ValueError(
                    f"checkpoint {checkpoint} was written with {key}={state['config'].get(key)}, "
                    f"this call has {key}={value}; resume with the same settings, or pass "
                    "resume=False to start over"
                )
        start = int(state["step"])
        if start > total:
            raise ValueError(f"checkpoint {checkpoint} is at step {start}, past steps={total}")
        generator.load_state_dict(state["generator"])
        discriminator.load_state_dict(state["discriminator"])
        opt_g.load_state_dict(state["opt_g"])
        opt_d.load_state_dict(state["opt_d"])
        indices.load_state_dict(state["indices"])
        noise.set_state(state["noise"])
        torch.set_rng_state(state["torch_rng"])  # dropout and other global-RNG layers
        if device.type == "cuda" and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(state["cuda_rng"], device)
        history = History(state["history"])

    def save(step: int) -> None:
        save_checkpoint(checkpoint, {
            "format": _FORMAT, "step": step, "config": config,
            "generator": generator.state_dict(), "discriminator": discriminator.state_dict(),
            "opt_g": opt_g.state_dict(), "opt_d": opt_d.state_dict(),
            "indices": indices.state_dict(), "noise": noise.get_state(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state(device) if device.type == "cuda" else None,
            "history": history.records,
        })

    from tqdm.auto import tqdm

    if progress is None:
        # tqdm's console bar reads TQDM_DISABLE, but its notebook bar (what tqdm.auto picks in
        # Jupyter) does not: read it here so executed notebooks stay quiet under papermill/nbval.
        progress = os.environ.get("TQDM_DISABLE", "").lower() not in ("1", "true", "yes")
    bar = tqdm(total=total, initial=start, desc="fit", unit="step", disable=not progress)
    started = time.perf_counter()
    try:
        for step in range(start + 1, total + 1):
            generator.train()
            discriminator.train()
            try:
                for k in range(d_steps):
                    real = data[indices.next().to(device)]
                    z = torch.randn(batch_size, generator.latent_dim, generator=noise).to(device)
                    metrics = gan_step(generator, discriminator, real, z, opt_g, opt_d, loss=loss,
                                       real_label=real_label, update_g=k == d_steps - 1)
            except TrainingDivergedError as err:
                raise _diverged(err, step, history, checkpoint) from err
            # one device sync per step for all the numbers
            values = torch.stack([metrics[k] for k in HISTORY_KEYS[1:]]).tolist()
            history.append({"step": step, **dict(zip(HISTORY_KEYS[1:], values))})
            for cb in callbacks:
                cb(step, generator, discriminator, history)
            if checkpoint is not None and checkpoint_every and step % checkpoint_every == 0:
                save(step)
            bar.update(1)
            if step % 50 == 0 or step == total:
                bar.set_postfix(d_loss=f"{values[0]:.3f}", g_loss=f"{values[1]:.3f}")
            if max_seconds is not None and time.perf_counter() - started >= max_seconds:
                break
    finally:
        bar.close()
    if checkpoint is not None and history.last is not None:
        save(int(history.last["step"]))
    generator.eval()
    discriminator.eval()
    return history


def _diverged(err: Exception, step: int, history: History, checkpoint) -> TrainingDivergedError:
    last = history.last
    finite = (
        f"last finite values (step {int(last['step'])}): d_loss={last['d_loss']:.4g}, "
        f"g_loss={last['g_loss']:.4g}, D(x)={last['d_real']:.3f}, D(G(z))={last['d_fake']:.3f}"
        if last else "no step had finished"
    )
    kept = f" The checkpoint {checkpoint} was not overwritten." if checkpoint else ""
    return TrainingDivergedError(
        f"training diverged at step {step} ({err}); {finite}. No optimizer step was taken with "
        f"the bad values.{kept} Try: lower learning rates (lr_g, lr_d), one-sided label "
        "smoothing (real_label=0.9), and check that the data is scaled to [-1, 1] like the "
        "generator's tanh output."
    )
