"""`TrainingRun`: the state of one `fit` run, everything its checkpoint holds, and exact resume.

The models, their optimizers, the EMA of G, the random streams (batch indices in the plan, noise
here, the global RNG for dropout), the history and the step. `save` writes it all with the run's
`TrainConfig` and the data's description; `resume` reads it back after checking that every
setting matches (a ValueError names each difference), so a resumed run equals an uninterrupted
one.
"""

from __future__ import annotations

import os

import torch
from torch import nn

from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .config import LATER_SETTINGS, TrainConfig, config_differences
from .ema import EMA
from .history import History
from .plans import BatchPlan

__all__ = ["TrainingRun", "CHECKPOINT_FORMAT"]

CHECKPOINT_FORMAT = "gan_lib.fit/2"


class TrainingRun:
    """Models, optimizers, EMA and random state of a run, placed on `device`.

    Args:
        generator, discriminator: the pair (discriminator None when the objective has no D).
        plan: the batch plan (its index streams are part of the state).
        cfg: the run's settings.
        device: where to train.
        compile: run G and D through `torch.compile` (True or its keyword arguments).
    """

    def __init__(self, generator: nn.Module, discriminator: nn.Module | None, plan: BatchPlan,
                 cfg: TrainConfig, device: torch.device, compile: bool | dict = False) -> None:
        objective = cfg.objective
        if objective.uses_discriminator and discriminator is None:
            raise ValueError(f"objective {objective!r} trains a discriminator; pass one")
        if not objective.uses_discriminator:
            if discriminator is not None:
                raise ValueError(f"objective {objective!r} trains no discriminator; pass "
                                 "discriminator=None")
            if cfg.d_steps != 1:
                raise ValueError("d_steps must be 1 when no discriminator is trained")
        self.generator, self.discriminator, self.plan, self.cfg = generator, discriminator, plan, cfg
        self.device = device
        self.models = [m for m in (generator, discriminator) if m is not None]
        for model in self.models:
            model.to(device)
        plan.start()
        options = compile if isinstance(compile, dict) else {}
        # what the steps call; checkpoints, callbacks and the EMA see the plain modules
        self.g_run = torch.compile(generator, **options) if compile else generator
        self.d_run = (torch.compile(discriminator, **options) if compile and discriminator
                      else discriminator)
        fused = device.type == "cuda"  # one kernel for the whole update; CPU keeps the reference
        self.opt_g = cfg.make_optimizer(generator.parameters(), cfg.lr_g, fused=fused)
        self.opt_d = (cfg.make_optimizer(discriminator.parameters(), cfg.lr_d, fused=fused)
                      if discriminator is not None else None)
        self.ema = (EMA(generator, cfg.ema_decay, warmup=cfg.ema_warmup)
                    if cfg.ema_decay is not None else None)
        self.noise = torch.Generator().manual_seed(cfg.seed + 1)  # z, and objectives' own draws
        self.step = 0
        self.history = History(config=cfg)
        self.history.ema_generator = self.ema.module if self.ema else None

    def stateful(self) -> dict:
        """{name: object with state_dict()} for the weights and optimizers (what a NaN can spoil)."""
        named = {"generator": self.generator, "discriminator": self.discriminator,
                 "opt_g": self.opt_g, "opt_d": self.opt_d, "ema": self.ema}
        return {name: obj for name, obj in named.items() if obj is not None}

    def train_mode(self) -> None:
        for model in self.models:
            model.train()

    def eval_mode(self) -> None:
        for model in self.models:
            model.eval()

    def save(self, path: str | os.PathLike) -> None:
        """Write the whole state (atomically) at the last recorded step."""
        names = ("generator", "discriminator", "opt_g", "opt_d", "ema")
        stateful = self.stateful()
        save_checkpoint(path, {
            "format": CHECKPOINT_FORMAT, "step": int(self.history.last["step"]),
            "config": self.cfg.to_dict(), "data": self.plan.description,
            **{name: stateful[name].state_dict() if name in stateful else None for name in names},
            **{name: stream.state_dict() for name, stream in self.plan.streams.items()},
            "noise": self.noise.get_state(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": (torch.cuda.get_rng_state(self.device) if self.device.type == "cuda"
                         else None),
            "history": self.history.records,
        })

    def resume(self, path: str | os.PathLike, total: int) -> None:
        """Continue from the checkpoint at `path`: same settings required, steps may grow."""
        state = load_checkpoint(path, required=("format", "step", "config", "generator"))
        if state["format"] != CHECKPOINT_FORMAT:
            raise CheckpointError(
                f"checkpoint {path} has format {state['format']!r}; this gan_lib reads "
                f"{CHECKPOINT_FORMAT!r}. It was written by another version of gan_lib: train "
                "again without resume=True, or resume with the version that wrote it."
            )
        if not isinstance(state["config"], dict):
            raise CheckpointError(f"checkpoint {path} is damaged: its settings are not a dict; "
                                  "train again without resume=True")
        saved = {**LATER_SETTINGS, **state["config"]}  # a checkpoint older than those settings
        diffs = config_differences(saved, self.cfg.to_dict(), ignore=("steps", "epochs"))
        diffs += config_differences({"data": state["data"]}, {"data": self.plan.description})
        if diffs:
            raise ValueError(
                f"checkpoint {path} was written with other settings:\n  " + "\n  ".join(diffs)
                + "\nResume with the same settings, or pass resume=False to start over."
            )
        self.step = int(state["step"])
        if self.step > total:
            raise ValueError(f"checkpoint {path} is at step {self.step}, past steps={total}")
        for name, obj in self.stateful().items():
            obj.load_state_dict(state[name])
        for name, stream in self.plan.streams.items():
            stream.load_state_dict(state[name])
        self.noise.set_state(state["noise"])
        torch.set_rng_state(state["torch_rng"])  # dropout and other global-RNG layers
        if self.device.type == "cuda" and state.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(state["cuda_rng"], self.device)
        ema_generator = self.history.ema_generator
        self.history = History(state["history"], config=self.cfg)
        self.history.ema_generator = ema_generator
