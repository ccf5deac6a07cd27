"""`fit`: the one training loop of the book, for every generator/discriminator pair and objective.

It knows nothing of MNIST or of any architecture. It needs the data as ONE tensor (N, ...) and
  - unconditional:      G(z) with an int attribute `latent_dim`, D(x) -> scores;
  - class-conditional:  `labels=` (N,) int64; G(z, y), D(x, y);
  - paired:             `sources=` (N, ...); G(source), D(source, image); `data` holds the targets.
What differs between GANs (how the two losses come from a batch) is the objective
(`gan_lib.train.objectives`); everything else lives here once.

Speed: batches are gathered by index from device-resident tensors (no DataLoader in the hot
path). Nothing in a step waits for the device: the numbers of each step stay on the device and
are fetched together every `sync_every` steps, and so is the non-finite guard's flag (see
`fit`'s docstring for how no NaN reaches the returned or saved weights).

Reproducibility: batch indices and noise come from two CPU `torch.Generator`s seeded from `seed`,
so the same run draws the same batches and noise on any device; a checkpoint stores their
states, the weights, the optimizers and the full `TrainConfig`, and resumes exactly.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import time
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

import torch
from torch import nn

from gan_lib.runtime import choose_device, progress_disabled
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .config import TrainConfig, config_differences
from .ema import EMA
from .history import History
from .objectives import Paired, StandardGAN
from .step import Batch, TrainingDivergedError, objective_step

__all__ = ["fit", "Callback", "CHECKPOINT_FORMAT"]

Callback = Callable[[int, nn.Module, nn.Module, History], None]
CHECKPOINT_FORMAT = "gan_lib.fit/2"
_SHORTHANDS = ("loss", "real_label")  # of objective=StandardGAN(loss, real_label)


class _IndexStream:
    """Batches of indices: consecutive slices of a stream of random permutations of range(n).

    Every batch has exactly `batch_size` indices (batch norm needs more than one sample), and
    every sample is seen once per pass through a permutation. The permutation is drawn on the
    CPU (reproducible on any device) and copied to the device once per pass, not once per step.
    """

    def __init__(self, n: int, batch_size: int, seed: int, device: torch.device) -> None:
        self.n, self.batch_size, self.device = n, batch_size, device
        self.rng = torch.Generator().manual_seed(seed)
        self._set(torch.randperm(n, generator=self.rng), 0)

    def _set(self, perm: torch.Tensor, pos: int) -> None:
        self.perm, self.pos = perm, pos
        self.perm_on_device = perm.to(self.device, non_blocking=True)

    def next(self) -> torch.Tensor:
        parts, need = [], self.batch_size
        while need:
            if self.pos == self.n:
                self._set(torch.randperm(self.n, generator=self.rng), 0)
            take = min(need, self.n - self.pos)
            parts.append(self.perm_on_device[self.pos : self.pos + take])
            self.pos, need = self.pos + take, need - take
        return parts[0] if len(parts) == 1 else torch.cat(parts)

    def state_dict(self) -> dict:
        return {"rng": self.rng.get_state(), "perm": self.perm, "pos": self.pos}

    def load_state_dict(self, state: dict) -> None:
        self.rng.set_state(state["rng"])
        self._set(state["perm"], int(state["pos"]))


def _to_device(t: torch.Tensor, device: torch.device) -> torch.Tensor:
    # CPU -> GPU through pinned memory, asynchronously: a pageable copy would wait for the GPU
    if device.type == "cuda":
        return t.pin_memory().to(device, non_blocking=True)
    return t.to(device)


def _make_config(config: TrainConfig | None, settings: dict) -> TrainConfig:
    valid = [f.name for f in dataclasses.fields(TrainConfig)]
    unknown = sorted(set(settings) - set(valid) - set(_SHORTHANDS))
    if unknown:
        raise TypeError(f"fit() got unknown setting(s) {', '.join(unknown)}; the settings are "
                        f"{', '.join(valid)} (and loss=, real_label= for the standard GAN)")
    if config is not None and not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig, got {type(config).__name__}")
    shorthand = {k: settings.pop(k) for k in _SHORTHANDS if k in settings}
    if shorthand:
        base = settings.get("objective", config.objective if config else StandardGAN())
        if not isinstance(base, StandardGAN):
            raise ValueError(
                f"{', '.join(f'{k}=' for k in shorthand)} set the standard GAN's loss; this run's "
                f"objective is {base!r}: set the option on the objective instead"
            )
        settings["objective"] = dataclasses.replace(base, **shorthand)
    if config is None:
        return TrainConfig(**settings)
    if {"steps", "epochs"} & set(settings):  # a new length replaces the config's, of either kind
        config = dataclasses.replace(config, steps=None, epochs=None)
    return dataclasses.replace(config, **settings)


def _describe(t: torch.Tensor) -> str:
    return f"{type(t).__name__}" + (f" of dtype {t.dtype}, shape {tuple(t.shape)}"
                                    if isinstance(t, torch.Tensor) else "")


def _validate(generator, discriminator, data, labels, sources, cfg: TrainConfig, checkpoint,
              checkpoint_every, resume, max_seconds, callbacks, sync_every) -> dict:
    """Check fit's inputs; return the description of the data that the checkpoint records."""
    objective = cfg.objective
    if not isinstance(data, torch.Tensor) or not data.is_floating_point() or data.dim() < 2:
        raise TypeError("data must be one floating-point tensor of shape (N, ...), e.g. the images "
                        f"from load_mnist('train'); got {_describe(data)}")
    if not bool(torch.isfinite(data).all()):
        raise ValueError("data contains NaN or inf values; clean or rescale it before training")
    n = len(data)
    if sources is None and (isinstance(objective, Paired) or objective.needs_source):
        raise ValueError(f"objective {objective!r} trains G(source): pass sources=<tensor> "
                         "(with data=<targets> for paired training, <real images> for refinement)")
    if sources is None and not isinstance(getattr(generator, "latent_dim", None), int):
        raise TypeError("the generator needs an int attribute `latent_dim` (the size of z)")
    if cfg.batch_size > n:
        raise ValueError(f"batch_size must be an int in [2, N={n}], got {cfg.batch_size}")
    if labels is not None and sources is not None:
        raise ValueError("give labels= (class-conditional) or sources= (paired), not both")
    described = {"n": n, "shape": list(data.shape[1:]), "num_classes": None, "source_shape": None}
    if objective.learns_from_labels and labels is None:
        raise ValueError(f"objective {objective!r} learns from labels: pass labels= (N,) int64, "
                         "with -1 for each unlabeled sample")
    if labels is not None:
        if not isinstance(labels, torch.Tensor) or labels.dtype != torch.int64:
            raise TypeError("labels must be an int64 tensor of class indices (N,), e.g. the labels "
                            f"from load_mnist('train'); got {_describe(labels)}; use .long()")
        if labels.shape != (n,):
            raise ValueError(f"labels must have shape (N,) = ({n},) to match data, got "
                             f"{tuple(labels.shape)}")
        low, high = int(labels.min()), int(labels.max())
        if objective.learns_from_labels:
            # semi-supervised: D classifies, -1 marks an unlabeled sample
            classes = getattr(discriminator, "num_classes", high + 1)
            if low < -1 or high >= classes:
                raise ValueError(f"labels must be -1 (unlabeled) or class indices in "
                                 f"[0, {classes - 1}] (the discriminator's num_classes={classes}); "
                                 f"found values in [{low}, {high}]")
            if high < 0:
                raise ValueError("labels has no labeled sample (all -1); label at least one")
            described["labeled"] = int((labels >= 0).sum())
        else:
            classes = getattr(generator, "num_classes", high + 1)
            if low < 0 or high >= classes:
                raise ValueError(f"labels must be class indices in [0, {classes - 1}] (the "
                                 f"generator's num_classes={classes}); found values in "
                                 f"[{low}, {high}]")
        described["num_classes"] = int(classes)
    if sources is not None:
        if not isinstance(sources, torch.Tensor) or not sources.is_floating_point():
            raise TypeError(f"sources must be a floating-point tensor (N, ...); got {_describe(sources)}")
        if objective.pairs_sources and len(sources) != n:
            raise ValueError(f"sources and data (the targets) must pair up one to one: "
                             f"{len(sources)} sources, {n} targets")
        if not objective.pairs_sources and cfg.batch_size > len(sources):
            raise ValueError(f"batch_size must be at most the number of sources, "
                             f"{len(sources)}; got {cfg.batch_size}")
        if not bool(torch.isfinite(sources).all()):
            raise ValueError("sources contain NaN or inf values; clean them before training")
        described["source_shape"] = list(sources.shape[1:])
        if not objective.pairs_sources:
            described["n_sources"] = len(sources)
    if objective.uses_discriminator and discriminator is None:
        raise ValueError(f"objective {objective!r} trains a discriminator; pass one")
    if not objective.uses_discriminator:
        if discriminator is not None:
            raise ValueError(f"objective {objective!r} trains no discriminator; pass "
                             "discriminator=None")
        if cfg.d_steps != 1:
            raise ValueError("d_steps must be 1 when no discriminator is trained")
    if checkpoint is None and (resume or checkpoint_every is not None):
        raise ValueError("resume=True and checkpoint_every need checkpoint=<path>")
    if checkpoint_every is not None and (isinstance(checkpoint_every, bool)
                                         or not isinstance(checkpoint_every, int)
                                         or checkpoint_every < 1):
        raise ValueError(f"checkpoint_every must be an int >= 1, got {checkpoint_every!r}")
    if max_seconds is not None and not max_seconds > 0:
        raise ValueError(f"max_seconds must be > 0, got {max_seconds}")
    if sync_every is not None and (isinstance(sync_every, bool) or not isinstance(sync_every, int)
                                   or sync_every < 1):
        raise ValueError(f"sync_every must be an int >= 1 or None, got {sync_every!r}")
    if not all(callable(cb) for cb in callbacks):
        raise TypeError("callbacks must be a sequence of callables cb(step, G, D, history)")
    return described


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
    """Train a GAN with Adam and return its per-step history.

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
        checkpoint: file for the full training state (at the end and every `checkpoint_every`).
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
    cfg = _make_config(config, settings)
    described = _validate(generator, discriminator, data, labels, sources, cfg, checkpoint,
                          checkpoint_every, resume, max_seconds, callbacks, sync_every)
    total = cfg.total_steps(len(data))
    objective = cfg.objective
    device = choose_device(device) if not isinstance(device, torch.device) else device
    models = [m for m in (generator, discriminator) if m is not None]
    for model in models:
        model.to(device)
    data = data.to(device)
    labels = labels.to(device) if labels is not None else None
    sources = sources.to(device) if sources is not None else None
    if compile:
        options = compile if isinstance(compile, dict) else {}
        g_run = torch.compile(generator, **options)
        d_run = torch.compile(discriminator, **options) if discriminator is not None else None
    else:
        g_run, d_run = generator, discriminator
    fused = device.type == "cuda"  # one kernel for the whole update; CPU keeps the reference path
    opt_g = torch.optim.Adam(generator.parameters(), lr=cfg.lr_g, betas=cfg.betas, fused=fused)
    opt_d = (torch.optim.Adam(discriminator.parameters(), lr=cfg.lr_d, betas=cfg.betas, fused=fused)
             if discriminator is not None else None)
    ema = (EMA(generator, cfg.ema_decay, warmup=cfg.ema_warmup) if cfg.ema_decay is not None
           else None)
    indices = _IndexStream(len(data), cfg.batch_size, cfg.seed, device)
    noise = torch.Generator().manual_seed(cfg.seed + 1)
    streams = {"indices": indices}
    if objective.learns_from_labels:  # a labeled batch every step, from the labeled samples only
        labeled_idx = torch.nonzero(labels >= 0).flatten()
        streams["labeled_indices"] = _IndexStream(
            len(labeled_idx), min(cfg.batch_size, len(labeled_idx)), cfg.seed + 2, device)
    if sources is not None and not objective.pairs_sources:  # unpaired: sources drawn on their own
        streams["source_indices"] = _IndexStream(len(sources), cfg.batch_size, cfg.seed + 3, device)
    keys = objective.history_keys()
    history = History(config=cfg)
    stateful = {"generator": generator, "discriminator": discriminator, "opt_g": opt_g,
                "opt_d": opt_d, "ema": ema}

    start = 0
    if resume and os.path.exists(checkpoint):
        state = load_checkpoint(checkpoint, required=("format", "step", "config", "generator"))
        if state["format"] != CHECKPOINT_FORMAT:
            raise CheckpointError(
                f"checkpoint {checkpoint} has format {state['format']!r}; this gan_lib reads "
                f"{CHECKPOINT_FORMAT!r}. It was written by another version of gan_lib: train "
                "again without resume=True, or resume with the version that wrote it."
            )
        diffs = config_differences(state["config"], cfg.to_dict(), ignore=("steps", "epochs"))
        diffs += config_differences({"data": state["data"]}, {"data": described})
        if diffs:
            raise ValueError(
                f"checkpoint {checkpoint} was written with other settings:\n  "
                + "\n  ".join(diffs)
                + "\nResume with the same settings, or pass resume=False to start over."
            )
        start = int(state["step"])
        if start > total:
            raise ValueError(f"checkpoint {checkpoint} is at step {start}, past steps={total}")
        for name, obj in stateful.items():
            if obj is not None:
                obj.load_state_dict(state[name])
        for name, stream in streams.items():
            stream.load_state_dict(state[name])
        noise.set_state(state["noise"])
        torch.set_rng_state(state["torch_rng"])  # dropout and other global-RNG layers
        if device.type == "cuda" and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(state["cuda_rng"], device)
        history = History(state["history"], config=cfg)

    def save(step: int) -> None:
        save_checkpoint(checkpoint, {
            "format": CHECKPOINT_FORMAT, "step": step, "config": cfg.to_dict(), "data": described,
            **{name: obj.state_dict() if obj is not None else None
               for name, obj in stateful.items()},
            **{name: stream.state_dict() for name, stream in streams.items()},
            "noise": noise.get_state(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state(device) if device.type == "cuda" else None,
            "history": history.records,
        })

    if ema is not None:  # callbacks may sample from the average during training
        history.ema_generator = ema.module
    if sync_every is None:
        sync_every = 1 if device.type == "cpu" else 25
    immediate = sync_every == 1 or bool(callbacks)  # callbacks read the history every step
    bad = torch.zeros((), dtype=torch.bool, device=device)  # any non-finite value since the last check
    pending: list[tuple[int, dict[str, torch.Tensor]]] = []
    last_good = None  # deferred mode: the state at the last passed check, put back on failure

    def check(values: dict[str, torch.Tensor]) -> None:
        finite = torch.isfinite(torch.stack([v.detach().float() for v in values.values()])).all()
        if immediate:
            if not bool(finite):  # one sync, before the optimizer step that would use them
                bad_values = ", ".join(f"{k}={v.item()}" for k, v in values.items()
                                       if not torch.isfinite(v))
                raise TrainingDivergedError(f"non-finite {bad_values}")
        else:
            bad.logical_or_(~finite)

    def snapshot():
        return {name: copy.deepcopy(obj.state_dict()) for name, obj in stateful.items()
                if obj is not None}

    def flush() -> None:
        """Fetch the pending steps' numbers (and the guard's flag) in one device sync."""
        nonlocal last_good
        if not pending:
            return
        table = torch.stack([torch.stack([m[k].float() for k in keys]) for _, m in pending])
        values = torch.cat([table.flatten(), bad.float().reshape(1)]).tolist()
        if values[-1]:
            first, last = pending[0][0], pending[-1][0]
            for name, obj in stateful.items():
                if obj is not None:
                    obj.load_state_dict(last_good[name])
            raise TrainingDivergedError(
                f"a non-finite loss or gradient between steps {first} and {last} (checked every "
                f"{sync_every} steps; the models were put back to their state after step "
                f"{first - 1}; sync_every=1 stops at the exact update)")
        width = len(keys)
        for i, (step, _) in enumerate(pending):
            history.append({"step": step, **dict(zip(keys, values[i * width:(i + 1) * width]))})
        pending.clear()
        if not immediate:
            last_good = snapshot()

    from tqdm.auto import tqdm

    if progress is None:
        progress = not progress_disabled()
    bar = tqdm(total=total, initial=start, desc="fit", unit="step", disable=not progress)
    latent_dim = getattr(generator, "latent_dim", None)
    started = time.perf_counter()
    step = start
    try:
        with _deterministic(deterministic, device):
            if not immediate:
                last_good = snapshot()
            for step in range(start + 1, total + 1):
                for model in models:
                    model.train()
                try:
                    for k in range(cfg.d_steps):
                        idx = indices.next()
                        batch = Batch(real=data[idx])
                        if sources is not None and objective.pairs_sources:
                            batch.source = sources[idx]
                        elif sources is not None:
                            batch.source = sources[streams["source_indices"].next()]
                            batch.source_to_critic = False
                        else:
                            z = torch.randn(cfg.batch_size, latent_dim, generator=noise)
                            batch.z = _to_device(z, device)
                            if objective.learns_from_labels:
                                li = labeled_idx[streams["labeled_indices"].next()]
                                batch.labeled = (data[li], labels[li])
                            elif labels is not None:
                                batch.labels = labels[idx]
                        metrics = objective_step(
                            g_run, d_run, batch, opt_g, opt_d, objective,
                            update_g=k == cfg.d_steps - 1, rng=noise, check=check,
                            after_g_step=(lambda: ema.update(generator, step)) if ema else None)
                    pending.append((step, metrics))
                    out_of_time = (max_seconds is not None
                                   and time.perf_counter() - started >= max_seconds)
                    saving = (checkpoint is not None and checkpoint_every
                              and step % checkpoint_every == 0)
                    if immediate or step % sync_every == 0 or step == total or saving or out_of_time:
                        flush()
                except TrainingDivergedError as err:
                    raise _diverged(err, step, history, checkpoint) from err
                for cb in callbacks:
                    cb(step, generator, discriminator, history)
                if saving:
                    save(step)
                bar.update(1)
                if history.last is not None and (step % 50 == 0 or step == total):
                    last = history.last
                    bar.set_postfix({k: f"{last[k]:.3f}" for k in ("d_loss", "g_loss") if k in last})
                if out_of_time:
                    break
    finally:
        bar.close()
    if checkpoint is not None and history.last is not None:
        save(int(history.last["step"]))
    for model in models:
        model.eval()
    if ema is not None:
        history.ema_generator = ema.module
    return history


def _diverged(err: Exception, step: int, history: History, checkpoint) -> TrainingDivergedError:
    last = history.last
    if last:
        shown = ", ".join(f"{k}={last[k]:.4g}" for k in ("d_loss", "g_loss", "d_real", "d_fake")
                          if k in last)
        finite = f"last finite values (step {int(last['step'])}): {shown}"
    else:
        finite = "no step had finished"
    kept = f" The checkpoint {checkpoint} was not overwritten." if checkpoint else ""
    return TrainingDivergedError(
        f"training diverged at step {step} ({err}); {finite}. No optimizer step was kept with "
        f"the bad values.{kept} Try: lower learning rates (lr_g, lr_d), one-sided label "
        "smoothing (real_label=0.9), and check that the data is scaled to [-1, 1] like the "
        "generator's tanh output."
    )
