"""The stabiliser study (chapter 6): five GAN recipes on MNIST, each at its own paper's settings.

Every arm trains chapter 4's DCGAN generator (base width 32, batch norm) on batches of 64 against
its own discriminator, loss and optimizer, as its paper or the authors' released code sets them;
`recipes/stabilisers_mnist.py` trains them over seeds, and the functions below read its results:

- `at_steps` / `at_cpu_seconds`: each run's scores at a number of generator updates, or at the
  last evaluation within a CPU-time budget (the equal-time read);
- `seed_summary`: mean, sample standard deviation, min and max over seeds;
- `separated`: do two arms' seed ranges not overlap (the study's rule for "a difference");
- `robustness`: diverged and failed runs per arm at an aggressive learning rate.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from gan_lib.studies.seed_comparison import separated as ranges_separated
from gan_lib.models import DCGANDiscriminator, DCGANGenerator, apply_spectral_norm
from gan_lib.train.objectives import R1, Hinge, LeastSquares, Objective, StandardGAN, WassersteinGP

__all__ = ["Arm", "ARMS", "EMA_SETTINGS", "WIDTH", "failed", "at_steps", "at_cpu_seconds",
           "seed_summary", "separated", "robustness"]

WIDTH = 32  # chapter 4's cpu width: base_width of G and D
# Mescheder et al.'s code averages G at a constant 0.999; the warm-up (TensorFlow's
# ExponentialMovingAverage(num_updates)) keeps a short run's average off the initial weights
EMA_SETTINGS = dict(ema_decay=0.999, ema_warmup=True)


@dataclass(frozen=True)
class Arm:
    """One stabiliser at its paper's settings.

    Args:
        name: how tables name it.
        loss: the objective in words.
        source: the paper (and code) its settings come from.
        batch_norm: D keeps chapter 4's batch norm (a penalty per sample forbids it).
        spectral_norm: every D layer spectrally normalised.
        objective, lr, betas, optimizer, d_steps: `fit`'s settings (both players share lr).
    """

    name: str
    loss: str
    source: str
    batch_norm: bool
    spectral_norm: bool
    objective: Objective
    lr: float
    betas: tuple[float, float] = (0.5, 0.999)
    optimizer: str = "adam"
    d_steps: int = 1

    @property
    def key(self) -> str:
        """'SN + hinge' -> 'sn_hinge': the arm's name in file names and glue keys."""
        return "_".join(self.name.lower().replace("+", " ").replace("-", "_").split())

    def pair(self, seed: int, width: int = WIDTH) -> tuple[nn.Module, nn.Module]:
        """(G, D) initialised from `seed`: every arm of one seed starts G from the same weights."""
        torch.manual_seed(seed)
        g = DCGANGenerator(base_width=width)
        d = DCGANDiscriminator(base_width=width, batch_norm=self.batch_norm)
        if self.spectral_norm:
            apply_spectral_norm(d)
        return g, d

    def fit_settings(self, lr_factor: float = 1.0) -> dict[str, Any]:
        """`fit`'s keyword arguments, the learning rates times `lr_factor`."""
        return dict(objective=self.objective, lr_g=self.lr * lr_factor, lr_d=self.lr * lr_factor,
                    betas=self.betas, optimizer=self.optimizer, d_steps=self.d_steps)

    def describe(self) -> dict[str, str]:
        """The arm as a table row: discriminator, objective, optimizer, D steps."""
        d = "batch norm" if self.batch_norm else "no batch norm"
        if self.spectral_norm:
            d += ", spectral norm"
        opt = (f"RMSprop {self.lr:g}" if self.optimizer == "rmsprop"
               else f"Adam {self.lr:g}, betas {self.betas}")
        return {"arm": self.name, "discriminator": d, "objective": self.loss,
                "optimizer": opt, "D steps": str(self.d_steps), "settings from": self.source}


ARMS: dict[str, Arm] = {a.name: a for a in (
    Arm("DCGAN", "non-saturating", "Radford et al. 2016", batch_norm=True, spectral_norm=False,
        objective=StandardGAN(), lr=2e-4),
    Arm("LSGAN", "least squares", "Mao et al. 2017 (loss, a=0 b=1 c=1); DCGAN's Adam", batch_norm=True, spectral_norm=False,
        objective=LeastSquares(), lr=2e-4),
    Arm("SN + hinge", "hinge", "Lim & Ye 2017 (loss); Miyato et al.'s code, pfnet sngan_projection", batch_norm=False,
        spectral_norm=True, objective=Hinge(), lr=2e-4, betas=(0.0, 0.9), d_steps=5),
    Arm("WGAN-GP", "Wasserstein, gradient penalty 10", "Gulrajani et al. 2017", batch_norm=False, spectral_norm=False,
        objective=WassersteinGP(gp_weight=10.0), lr=1e-4, betas=(0.0, 0.9), d_steps=5),
    Arm("R1", "non-saturating + R1, gamma 10", "Mescheder et al. 2018 (gamma); their code, GAN_stability (RMSprop)", batch_norm=False, spectral_norm=False,
        objective=R1(gamma=10.0), lr=1e-4, optimizer="rmsprop"),
)}


def failed(row: dict, *, min_classes: int = 5, min_confident: float = 0.2) -> bool:
    """The robustness rule: diverged, or fewer than `min_classes` classes present, or a
    confident fraction below `min_confident` (catches broken runs, not merely worse ones)."""
    return bool(row["diverged"] or row["classes"] < min_classes
                or row["confident"] < min_confident)


def _point(run: dict, which: str, point: dict) -> dict:
    scores = point[which]
    if scores is None:
        raise ValueError(f"run {run['arm']!r} seed {run['seed']} has no {which!r} scores")
    return {**scores, "step": point["step"], "cpu_seconds": point["cpu_seconds"]}


def at_steps(run: dict, step: int, *, which: str = "last") -> dict | None:
    """The run's scores (`which`: "last" iterate or "ema") at generator update `step`; None if
    it never got there (it diverged first)."""
    for point in run["curve"]:
        if point["step"] == step:
            return _point(run, which, point)
    if run["curve"] and run["curve"][-1]["step"] > step:
        raise ValueError(f"run {run['arm']!r} seed {run['seed']} was not scored at step {step}")
    return None


def at_cpu_seconds(run: dict, seconds: float, *, which: str = "last") -> dict | None:
    """The run's scores at its last evaluation within `seconds` of training CPU time (scoring
    excluded); None if its first evaluation came later."""
    within = [p for p in run["curve"] if p["cpu_seconds"] <= seconds]
    return _point(run, which, within[-1]) if within else None


def seed_summary(values: list[float]) -> dict[str, Any]:
    """mean, sample sd (0 for one value), min, max and the values themselves."""
    if not values:
        raise ValueError("no values to summarise")
    return {"mean": statistics.mean(values),
            "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
            "min": min(values), "max": max(values), "values": list(values), "n": len(values)}


def separated(a: dict, b: dict) -> bool:
    """True when two `seed_summary`s' ranges do not overlap: every seed of one arm lies beyond
    every seed of the other (`gan_lib.studies.seed_comparison`). With three seeds a side, the
    chance of that when the two arms do not differ is 2 / C(6, 3) = 10% for a two-sided
    comparison; the study's list of comparisons is stated before its tables."""
    return ranges_separated(a["values"], b["values"])


def robustness(rows: list[dict], **rule) -> dict[str, dict[str, int]]:
    """Per arm: aggressive-rate runs, how many diverged, how many failed (`failed`)."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        if row["kind"] != "aggressive":
            continue
        arm = out.setdefault(row["arm"], {"runs": 0, "diverged": 0, "failed": 0})
        arm["runs"] += 1
        arm["diverged"] += bool(row["diverged"])
        arm["failed"] += failed(row, **rule)
    return out
