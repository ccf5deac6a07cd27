"""`TrainConfig`: every setting of a training run that shapes its result, as one frozen object.

`fit(G, D, data, steps=2000, lr_g=1e-3)` builds one from its keyword arguments; a config can also
be made once and passed around (`fit(..., config=cfg)`, `dataclasses.replace(cfg, seed=1)`).
What `fit` saves in a checkpoint is `config.to_dict()` (plain types, so the checkpoint loads with
`weights_only=True`); what resume compares is the same dict, setting by setting.

Settings that do not change what is computed stay plain arguments of `fit`: the device, callbacks,
progress bar, checkpoint path and frequency, time limit, how often the device is synchronised.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import torch

from gan_lib.checks import check_bool, check_int, check_number, is_number

from .objectives import Objective, StandardGAN, objective_from_dict

__all__ = ["TrainConfig", "config_differences", "make_config"]

_SHORTHANDS = ("loss", "real_label")
OPTIMIZERS = ("adam", "rmsprop")  # of objective=StandardGAN(loss, real_label)
# settings added after checkpoints were first written, with the value those checkpoints used
LATER_SETTINGS = {"ema_warmup": False, "optimizer": "adam", "adam_eps": 1e-8}


@dataclass(frozen=True)
class TrainConfig:
    """The settings of one training run.

    Args:
        steps: number of generator updates; or
        epochs: passes over the data: steps = epochs * ceil(N / batch_size).
        batch_size: samples per batch (real and fake each).
        lr_g, lr_d: learning rates of G and D.
        betas: Adam's betas (DCGAN: beta1 = 0.5; WGAN-GP: (0, 0.9)); unused by RMSprop.
        adam_eps: Adam's epsilon, added to the root of the second moment (torch's 1e-8 by
            default). Larger values damp the steps of parameters whose gradients are tiny:
            openai/improved-gan's Adam adds 1e-8 *inside* the root, which acts like ~1e-4 here.
        optimizer: "adam" (the default of nearly every GAN paper) or "rmsprop" (torch's
            defaults, alpha 0.99: what Mescheder et al.'s R1 experiments use).
        d_steps: discriminator updates per generator update, each on a fresh batch.
        objective: how the losses are computed (`StandardGAN()`, `WassersteinGP()`, `Hinge()`,
            `Paired(...)`).
        ema_decay: keep an exponential moving average of G's weights with this decay (e.g.
            0.999); None: no average.
        ema_warmup: ramp the EMA's decay up over its first updates (see `EMA`).
        seed: seeds the batch-index stream (seed) and the noise stream (seed + 1).
    """

    steps: int | None = None
    epochs: int | None = None
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    adam_eps: float = 1e-8
    optimizer: str = "adam"
    d_steps: int = 1
    objective: Objective = field(default_factory=StandardGAN)
    ema_decay: float | None = None
    ema_warmup: bool = False
    seed: int = 0

    def __post_init__(self) -> None:
        if self.steps is not None and self.epochs is not None:
            raise ValueError("give exactly one of steps= or epochs=, not both")
        for name in ("steps", "epochs"):
            if getattr(self, name) is not None:
                check_int(name, getattr(self, name), minimum=1)
        if self.batch_size is True or not check_int("batch_size", self.batch_size) >= 2:
            raise ValueError(f"batch_size must be an int >= 2 (batch norm needs two samples), "
                             f"got {self.batch_size!r}")
        check_number("lr_g", self.lr_g, low=0, low_open=True)
        check_number("lr_d", self.lr_d, low=0, low_open=True)
        check_number("adam_eps", self.adam_eps, low=0, low_open=True)
        betas = tuple(self.betas) if isinstance(self.betas, (tuple, list)) else ()
        if len(betas) != 2 or not all(is_number(b) and 0.0 <= b < 1.0 for b in betas):
            raise ValueError(f"betas must be two numbers in [0, 1), got {self.betas!r}")
        object.__setattr__(self, "betas", tuple(float(b) for b in betas))
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        check_int("d_steps", self.d_steps, minimum=1)
        if not isinstance(self.objective, Objective):
            raise TypeError(
                "objective must be a gan_lib.train objective such as StandardGAN(), "
                f"WassersteinGP(), Hinge() or Paired(...); got {self.objective!r}"
            )
        if self.ema_decay is not None:
            check_number("ema_decay", self.ema_decay, low=0, high=1, low_open=True, high_open=True)
        check_bool("ema_warmup", self.ema_warmup)
        if self.ema_warmup and self.ema_decay is None:
            raise ValueError("ema_warmup=True needs ema_decay (the average to warm up)")
        check_int("seed", self.seed)
        # plain Python numbers: a checkpoint stores these settings and loads them with
        # weights_only=True, which refuses NumPy scalars
        for name in ("steps", "epochs", "batch_size", "d_steps", "seed"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, int(getattr(self, name)))
        for name in ("lr_g", "lr_d", "adam_eps", "ema_decay"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, float(getattr(self, name)))

    def make_optimizer(self, parameters, lr: float, *, fused: bool = False) -> torch.optim.Optimizer:
        """The optimizer this config names, over `parameters`, at rate `lr`."""
        if self.optimizer == "rmsprop":
            return torch.optim.RMSprop(parameters, lr=lr)
        return torch.optim.Adam(parameters, lr=lr, betas=self.betas, eps=self.adam_eps,
                                fused=fused)

    def total_steps(self, n_data: int) -> int:
        """The number of generator updates for a data set of `n_data` samples."""
        if self.steps is None and self.epochs is None:
            raise ValueError("give exactly one of steps= or epochs=")
        if self.steps is not None:
            return self.steps
        return self.epochs * math.ceil(n_data / self.batch_size)

    def to_dict(self) -> dict[str, Any]:
        """Plain types only (what a checkpoint stores)."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["betas"] = list(self.betas)
        out["objective"] = self.objective.to_dict()
        return out

    @classmethod
    def from_dict(cls, settings: dict[str, Any]) -> "TrainConfig":
        """Inverse of `to_dict`."""
        settings = {**LATER_SETTINGS, **settings}  # written before those settings existed
        settings["objective"] = objective_from_dict(settings["objective"])
        settings["betas"] = tuple(settings["betas"])
        return cls(**settings)


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out = {}
    for key, value in d.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def config_differences(saved: dict[str, Any], current: dict[str, Any], *,
                       ignore: tuple[str, ...] = ()) -> list[str]:
    """'name: saved -> current' for every setting that differs between two `to_dict()`s."""
    a, b = _flatten(saved), _flatten(current)
    diffs = []
    for key in sorted(set(a) | set(b)):
        if key in ignore:
            continue
        if a.get(key, "<missing>") != b.get(key, "<missing>"):
            diffs.append(f"{key}: checkpoint has {a.get(key, '<missing>')!r}, "
                         f"this call has {b.get(key, '<missing>')!r}")
    return diffs


def make_config(config: TrainConfig | None, settings: dict) -> TrainConfig:
    """The run's config: `config` (or the defaults) with the keyword `settings` applied."""
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
