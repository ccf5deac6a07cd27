"""`fit`: the one training loop of the book, for every generator/discriminator pair and objective.

It knows nothing of MNIST or of any architecture. The body is the algorithm:

    for each step:
        for k in 1..d_steps:   draw a batch; update D on it (the last time, G's update follows,
                               scored by the freshly updated D on the same fakes)
        update the EMA of G;   record the numbers;   call the callbacks;   checkpoint

Everything else has its own small home: how a batch is shaped for each conditioning mode
(`plans`), how the losses come from D's scores (`objectives`), one update of D and G
(`step.objective_step`), the state a checkpoint holds and exact resume (`run.TrainingRun`), and
the non-finite guard that keeps NaNs out of the weights (`guard`).

Speed: batches are gathered by index from device-resident tensors (no DataLoader in the hot
path); on a GPU the step numbers stay on the device and are fetched every `sync_every` steps.
Reproducibility: batch indices and noise come from CPU `torch.Generator`s seeded from `seed`, so
the same run draws the same batches and noise on any device.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

import torch
from torch import nn

from gan_lib.checks import check_int, check_number
from gan_lib.runtime import choose_device, progress_disabled

from .config import TrainConfig, make_config
from .guard import NonFiniteGuard, TrainingDivergedError, diverged_error
from .history import History
from .plans import make_plan
from .run import CHECKPOINT_FORMAT, TrainingRun
from .step import objective_step

__all__ = ["fit", "Callback", "CHECKPOINT_FORMAT"]

Callback = Callable[[int, nn.Module, nn.Module, History], None]


def fit(
    generator: nn.Module,
    discriminator: nn.Module | None,
    data: torch.Tensor,
    *,
    labels: torch.Tensor | None = None,
    sources: torch.Tensor | None = None,
    config: TrainConfig | None = None,
    device: str | torch.device | None = None,
    callbacks: Sequence[Callback] = (),
    progress: bool | None = None,
    checkpoint: str | os.PathLike | None = None,
    checkpoint_every: int | None = None,
    resume: bool = False,
    max_seconds: float | None = None,
    sync_every: int | None = None,
    deterministic: bool = False,
    compile: bool | dict = False,
    **settings,
) -> History:
    """Train a GAN with Adam (or RMSprop) and return its per-step history.

    Each step makes `d_steps` discriminator updates and one generator update with the losses of
    `objective` (see `objective_step`). Both models are moved to `device` and left there in eval
    mode, ready for sampling.

    Args:
        generator: G(z), G(z, y) with `labels`, or G(source) with `sources`.
        discriminator: D(x), D(x, y) or D(source, x), returning scores (logits for the standard
            GAN); None when the objective trains no D (`Paired(adversarial=None)`).
        data: the whole training set as one floating-point tensor (N, ...); the targets for
            paired training.
        labels: int64 class indices (N,) for class-conditional training. Fakes are asked for the
            labels of the real batch beside them, so they follow the data's label distribution.
        sources: source images (N, ...) paired with `data`, for image-to-image training.
        config: a `TrainConfig`; keyword settings below override its fields.
        **settings: any field of `TrainConfig`: steps or epochs, batch_size, lr_g, lr_d, betas,
            d_steps, objective, ema_decay, seed; and `loss=`, `real_label=` as shorthands for
            `objective=StandardGAN(loss=..., real_label=...)`.
        device: where to train; default CUDA when available, else CPU.
        callbacks: cb(step, generator, discriminator, history) after every step (the history is
            then fetched from the device every step).
        progress: tqdm bar; None shows it unless the environment sets TQDM_DISABLE=1.
        checkpoint: file for the full training state (at the end and every `checkpoint_every`);
            an existing file is continued with `resume=True` and otherwise refused, never
            overwritten.
        resume: continue from `checkpoint` if it exists (else start fresh). The result equals an
            uninterrupted run's; every setting must match the checkpoint's (a ValueError lists
            those that differ), except steps/epochs, which may grow.
        max_seconds: stop after the first step that ends past this wall-clock budget.
        sync_every: fetch the step numbers and the non-finite flag from the device every this
            many steps. Default: 1 on the CPU (free there), 25 on a GPU. With 1 (and always when
            callbacks are given), a non-finite loss or gradient stops training before the
            optimizer step that would use it. With more, the check runs every `sync_every` steps;
            if it finds a non-finite value, the weights and optimizer states are put back to those
            of the last check that passed before the error is raised. Either way no NaN reaches
            the returned models or a checkpoint, which is only written after a passed check.
        deterministic: `torch.use_deterministic_algorithms(True)` for the run (and cuDNN
            autotuning off): bit-identical reruns on one GPU, at some speed; without it, cuDNN
            may pick different convolution algorithms between runs and the last bits differ.
        compile: run G and D through `torch.compile` (True, or a dict of its arguments, e.g.
            {"mode": "reduce-overhead"} for CUDA graphs). It pays only for long runs: on two CPU
            cores compiling the DCGAN pair took ~110 s and saved ~18% per step. Checkpoints,
            callbacks and the EMA see the plain modules, so sampling in eval mode does not
            trigger a recompile of the training graphs.

    Returns:
        The `History` (per-step records, `.config`, and `.ema_generator` when `ema_decay` is set).

    Raises:
        TrainingDivergedError: a loss or gradient became NaN/inf (the message says what to try).
        ValueError, TypeError: bad settings or data, or a checkpoint written with other settings.
    """
    cfg = make_config(config, settings)
    _check_options(checkpoint, checkpoint_every, resume, max_seconds, sync_every, callbacks)
    device = choose_device(device)
    plan = make_plan(cfg.objective, data, labels=labels, sources=sources, generator=generator,
                     discriminator=discriminator, batch_size=cfg.batch_size, seed=cfg.seed,
                     device=device)
    total = cfg.total_steps(len(data))
    run = TrainingRun(generator, discriminator, plan, cfg, device, compile=compile)
    if resume and os.path.exists(checkpoint):
        run.resume(checkpoint, total)
    elif checkpoint is not None and os.path.exists(checkpoint):
        raise FileExistsError(f"checkpoint {checkpoint} exists: pass resume=True to continue that "
                              "run, or delete or rename the file to start over (fit never "
                              "overwrites a run it was not asked to continue)")
    if callbacks or sync_every is None and device.type == "cpu":
        sync_every = 1  # callbacks read the history every step; on the CPU a sync is free
    guard = NonFiniteGuard(run.history, cfg.objective.history_keys(),
                           sync_every=sync_every or 25, stateful=run.stateful, device=device)

    from tqdm.auto import tqdm

    bar = tqdm(total=total, initial=run.step, desc="fit", unit="step",
               disable=not (progress if progress is not None else not progress_disabled()))
    started = time.perf_counter()
    step = run.step
    try:
        with _deterministic(deterministic, device):
            for step in range(run.step + 1, total + 1):
                run.train_mode()
                try:
                    for k in range(cfg.d_steps):
                        batch = plan.draw(run.noise)
                        metrics = objective_step(
                            run.g_run, run.d_run, batch, run.opt_g, run.opt_d, cfg.objective,
                            update_g=k == cfg.d_steps - 1, rng=run.noise, check=guard.check)
                    if run.ema is not None:
                        run.ema.update(generator, step)
                    out_of_time = (max_seconds is not None
                                   and time.perf_counter() - started >= max_seconds)
                    saving = checkpoint is not None and checkpoint_every and \
                        step % checkpoint_every == 0
                    guard.record(step, metrics, fetch=step == total or saving or out_of_time)
                except TrainingDivergedError as err:
                    raise diverged_error(err, step, run.history, checkpoint) from err
                for cb in callbacks:
                    cb(step, generator, discriminator, run.history)
                if saving:
                    run.save(checkpoint)
                bar.update(1)
                last = run.history.last
                if last is not None and (step % 50 == 0 or step == total):
                    bar.set_postfix({k: f"{last[k]:.3f}" for k in ("d_loss", "g_loss") if k in last})
                if out_of_time:
                    break
    finally:
        bar.close()
    if checkpoint is not None and run.history.last is not None:
        run.save(checkpoint)
    run.eval_mode()
    return run.history


def _check_options(checkpoint, checkpoint_every, resume, max_seconds, sync_every,
                   callbacks) -> None:
    """fit's own arguments (the settings are checked by TrainConfig, the data by the plan)."""
    if checkpoint is None and (resume or checkpoint_every is not None):
        raise ValueError("resume=True and checkpoint_every need checkpoint=<path>")
    for name, value in (("checkpoint_every", checkpoint_every), ("sync_every", sync_every)):
        if value is not None:
            check_int(name, value, minimum=1)
    if max_seconds is not None:
        check_number("max_seconds", max_seconds, low=0, low_open=True)
    if not all(callable(cb) for cb in callbacks):
        raise TypeError("callbacks must be a sequence of callables cb(step, G, D, history)")


@contextmanager
def _deterministic(enabled: bool, device: torch.device) -> Iterator[None]:
    if not enabled:
        yield
        return
    previous = torch.are_deterministic_algorithms_enabled(), torch.backends.cudnn.benchmark
    if device.type == "cuda":
        # cuBLAS needs a fixed workspace to be deterministic; read when its handle is created
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous[0])
        torch.backends.cudnn.benchmark = previous[1]
