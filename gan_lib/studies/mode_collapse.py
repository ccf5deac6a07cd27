"""The 2-D mode-collapse study: remedies on the ring and grid benchmarks, with PacGAN's protocol.

Lin et al. (2018) measure mode collapse on two mixtures where every mode is known: 8 Gaussians
on a circle of radius 1 (std 0.01) and 25 on a 5x5 grid with spacing 2 (std 0.05). Their code
(and ALI's and VEEGAN's before it) trains a 4 x 400 batch-norm generator against a 3 x 200
maxout discriminator with Adam (lr 1e-4, beta1 0.8) on batches of 100 from a fixed set of
100,000 points, and scores 2,500 samples from a fixed z: modes with a sample within 3 std,
the share of such high-quality samples, and a reverse KL over the modes.

This module runs that protocol for each remedy and seed and records a curve of the three
numbers over training; `recipes/mode_collapse_study.py` ran it for longer than a chapter can and
shipped the result (the registry entries "mode_collapse_study" and "mode_collapse_study_grid_long",
read with `gan_lib.studies.mode_collapse_results.load_shipped_study`). Remedies (`REMEDIES`):

- `gan`: the plain GAN of the protocol;
- `pacgan2`: D judges 2 samples at once (PacGAN; 100 packs per batch, as the reference code);
- `wgan-gp`: a Wasserstein critic with a gradient penalty (lambda 10, 5 critic steps, Adam
  (0, 0.9), Gulrajani et al. 2017); the maxout critic has no batch norm, as WGAN-GP requires;
- `wgan-gp-toy`: the same with the settings of the WGAN-GP authors' own toy script
  (`gan_toy.py`: lambda 0.1, Adam (0.5, 0.9)) instead of the paper's image defaults;
- `sn-hinge`: spectral normalisation of every D layer with the hinge loss (Miyato et al. 2018);
- `minibatch-std`: D gets the batch's mean standard deviation as an extra feature (Karras et al.
  2018).

The remedies change only what their paper changes; everything else is the protocol. Seeds of
remedies that `EnsembleDiscriminator` supports train as one ensemble (one kernel per layer: a GPU
saving; on a CPU it is no faster), the others one seed at a time.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch
from torch import nn

from gan_lib.metrics import mode_coverage
from gan_lib.models import (EnsembleDiscriminator, EnsembleGenerator, benchmark_discriminator,
                     benchmark_generator, ensemble_data)
from gan_lib.models.minibatch_std import add_minibatch_std
from gan_lib.models.spectral_norm import apply_spectral_norm
from gan_lib.theory import Mixture2D
from gan_lib.train import fit
from gan_lib.train.checkpoint import load_checkpoint, save_checkpoint
from gan_lib.train.objectives import Hinge, StandardGAN, WassersteinGP

__all__ = ["Remedy", "REMEDIES", "MIXTURES", "PUBLISHED", "PUBLISHED_STEPS", "run_remedy", "summarise"]

MIXTURES: dict[str, Callable[[], Mixture2D]] = {"ring": Mixture2D.ring_protocol,
                                                "grid": Mixture2D.grid_protocol}

# PacGAN's Table 1 (Lin et al. 2018): 10 runs of 400,000 steps, mean and standard ERROR.
# (modes captured, high-quality fraction, reverse KL) per mixture; keys match REMEDIES where the
# remedy is the same method.
PUBLISHED: dict[str, dict[str, dict[str, tuple[float, float]]]] = {
    "gan": {"ring": dict(modes=(6.3, 0.5), high_quality=(0.982, 0.002), reverse_kl=(0.45, 0.09)),
            "grid": dict(modes=(17.3, 0.8), high_quality=(0.948, 0.007), reverse_kl=(0.70, 0.07))},
    "pacgan2": {"ring": dict(modes=(7.9, 0.1), high_quality=(0.956, 0.020), reverse_kl=(0.07, 0.03)),
                "grid": dict(modes=(23.8, 0.7), high_quality=(0.913, 0.008), reverse_kl=(0.13, 0.04))},
    "pacgan3": {"ring": dict(modes=(7.8, 0.1), high_quality=(0.977, 0.003), reverse_kl=(0.10, 0.02)),
                "grid": dict(modes=(24.6, 0.4), high_quality=(0.942, 0.004), reverse_kl=(0.06, 0.02))},
    "pacgan4": {"ring": dict(modes=(7.8, 0.1), high_quality=(0.959, 0.014), reverse_kl=(0.07, 0.02)),
                "grid": dict(modes=(24.8, 0.2), high_quality=(0.936, 0.006), reverse_kl=(0.04, 0.01))},
}
PUBLISHED_STEPS = 400_000  # 400 epochs over 100,000 points in batches of 100
PUBLISHED_RUNS = 10


@dataclass(frozen=True)
class Remedy:
    """One configuration of the study: what differs from the protocol's plain GAN.

    Args:
        name: key in `REMEDIES`.
        label: how tables and plots name it.
        packing: points D judges together (PacGAN-m); the batch holds 100 packs.
        objective: "standard" (non-saturating), "wgan-gp" or "hinge".
        d_steps: D updates per G update.
        betas: Adam's betas (the protocol: (0.8, 0.999)).
        spectral_norm: spectral normalisation of every D layer.
        minibatch_std: a minibatch standard deviation feature before D's logit.
        gp_weight: the gradient penalty's weight (objective "wgan-gp" only).
    """

    name: str
    label: str
    packing: int = 1
    objective: str = "standard"
    d_steps: int = 1
    betas: tuple[float, float] = (0.8, 0.999)
    spectral_norm: bool = False
    minibatch_std: bool = False
    lr: float = 1e-4
    packs_per_batch: int = 100
    gp_weight: float = 10.0

    @property
    def batch_size(self) -> int:
        return self.packs_per_batch * self.packing

    @property
    def ensemble_supported(self) -> bool:
        """Can the seeds train as one `EnsembleDiscriminator`? (No input gradients, no SN.)"""
        return self.objective != "wgan-gp" and not self.spectral_norm

    def pair(self, seed: int) -> tuple[nn.Module, nn.Module]:
        """The protocol's G and this remedy's D, initialised from `seed`."""
        torch.manual_seed(seed)
        g = benchmark_generator()
        d = benchmark_discriminator(packing=self.packing)
        if self.minibatch_std:
            add_minibatch_std(d)
        if self.spectral_norm:
            apply_spectral_norm(d)
        return g, d

    def fit_settings(self) -> dict:
        objective = {"standard": StandardGAN(), "wgan-gp": WassersteinGP(gp_weight=self.gp_weight),
                     "hinge": Hinge()}[self.objective]
        return dict(batch_size=self.batch_size, lr_g=self.lr, lr_d=self.lr, betas=self.betas,
                    d_steps=self.d_steps, objective=objective)


REMEDIES: dict[str, Remedy] = {r.name: r for r in (
    Remedy("gan", "GAN (plain)"),
    Remedy("pacgan2", "PacGAN2", packing=2),
    Remedy("wgan-gp", "WGAN-GP", objective="wgan-gp", d_steps=5, betas=(0.0, 0.9)),
    # the authors' toy script lowers lambda to 0.1 to train toy data faster
    Remedy("wgan-gp-toy", "WGAN-GP, toy settings", objective="wgan-gp", d_steps=5,
           betas=(0.5, 0.9), gp_weight=0.1),
    Remedy("sn-hinge", "SN + hinge", objective="hinge", spectral_norm=True),
    Remedy("minibatch-std", "minibatch std", minibatch_std=True),
)}


def _remedy(name: str) -> Remedy:
    if name not in REMEDIES:
        raise ValueError(f"unknown remedy {name!r}; choose from {sorted(REMEDIES)}")
    return REMEDIES[name]


def _mixture(name: str) -> Mixture2D:
    if name not in MIXTURES:
        raise ValueError(f"unknown mixture {name!r}; choose from {sorted(MIXTURES)}")
    return MIXTURES[name]()


def training_set(mixture: Mixture2D, seed: int, size: int = 100_000) -> torch.Tensor:
    """A run's fixed training set (each reference run drew its own), from `seed`."""
    return mixture.sample(size, generator=torch.Generator().manual_seed(10_000 + seed))


def evaluation_noise(num_seeds: int, samples: int = 2500) -> torch.Tensor:
    """One fixed z for every evaluation (the reference code's fixed seed 2333); seed k reads
    columns 2k, 2k + 1, so a run scores the same z whether it trained alone or in an ensemble."""
    return torch.randn(samples, 2 * num_seeds, generator=torch.Generator().manual_seed(2333))


@dataclass
class _Curve:
    rows: list = field(default_factory=list)
    final_samples: dict = field(default_factory=dict)


def _score(samples: torch.Tensor, mixture: Mixture2D) -> dict:
    cov = mode_coverage(samples, mixture)
    return dict(modes=cov.modes_captured, high_quality=round(cov.high_quality_fraction, 4),
                reverse_kl=round(cov.reverse_kl, 4),
                reverse_kl_high_quality=round(cov.reverse_kl_high_quality, 4))


def run_remedy(mixture: str, remedy: str, seeds, *, steps: int, eval_every: int,
               data_size: int = 100_000, eval_samples: int = 2500, device=None,
               ensemble: bool | None = None, fit_seed: int = 0,
               log: Callable[[str], None] | None = None,
               checkpoint_dir: str | Path | None = None) -> dict:
    """Train `remedy` on `mixture` for each seed; score every `eval_every` steps and at the end.

    Args:
        mixture: "ring" or "grid".
        remedy: a key of `REMEDIES`.
        seeds: the runs' seeds (initial weights and training sets).
        steps: generator updates per run (the published runs: 400,000).
        eval_every: steps between evaluations.
        data_size: points in each run's fixed training set (100,000).
        eval_samples: generated points scored per evaluation (2,500).
        device: where to train; default CUDA when available.
        ensemble: train the seeds as one ensemble; default: when the remedy supports it.
        fit_seed: `fit`'s batch-order and noise seed (shared by the seeds' runs).
        log: called with one line per evaluation.
        checkpoint_dir: a folder for the runs' training states and the scores so far: a run
            killed part-way continues from its last evaluation when called again with the same
            arguments, and ends with the same numbers (None: keep nothing).

    Returns:
        {"mixture", "remedy", "seeds", "steps", "seconds", "ensemble", "curve": [{"step",
        "modes": [per seed], "high_quality": [...], "reverse_kl": [...], ...}],
        "samples": {seed: (eval_samples, 2) tensor at the end}}.
    """
    mix, rem = _mixture(mixture), _remedy(remedy)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty; pass at least one seed")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be an int >= 1, got {steps!r}")
    if isinstance(eval_every, bool) or not isinstance(eval_every, int) or eval_every < 1:
        raise ValueError(f"eval_every must be an int >= 1, got {eval_every!r}")
    if ensemble is None:
        ensemble = rem.ensemble_supported
    if ensemble and not rem.ensemble_supported:
        raise ValueError(f"{remedy} cannot train as an ensemble (its D needs input gradients or "
                         "spectral norm); pass ensemble=False")
    device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
    z = evaluation_noise(len(seeds), eval_samples)
    checks = sorted({*range(eval_every, steps + 1, eval_every), steps})
    scores: dict[int, dict[int, dict]] = {}  # step -> seed -> scores
    samples: dict[int, torch.Tensor] = {}
    settings = dict(rem.fit_settings(), steps=steps, seed=fit_seed, device=device, progress=False)
    progress_file = None
    if checkpoint_dir is not None:
        stem = Path(checkpoint_dir) / f"{mixture}_{remedy}"
        progress_file = stem.with_name(stem.name + "_scores.pt")
        if progress_file.exists():  # what a killed run scored before its last checkpoint
            saved = load_checkpoint(progress_file, required=("scores", "samples"))
            scores, samples = saved["scores"], saved["samples"]

    def checkpointing(tag: str) -> dict:
        if checkpoint_dir is None:
            return {}
        # checkpoints at the evaluations: a resumed run re-scores nothing it already saved
        return dict(checkpoint=stem.with_name(f"{stem.name}_{tag}.pt"), checkpoint_every=eval_every,
                    resume=True)

    def scorer(columns: Callable[[torch.Tensor], torch.Tensor], members: list[int]):
        def callback(step, g, d, history):
            if step not in checks:
                return
            g.eval()  # batch norm's running statistics, as the reference evaluation
            with torch.no_grad():
                out = g(columns(z).to(device)).cpu()
            g.train()
            out = out.view(eval_samples, len(members), 2)
            for j, seed in enumerate(members):
                scores.setdefault(step, {})[seed] = _score(out[:, j], mix)
                if step == steps:
                    samples[seed] = out[:, j].clone()
            if progress_file is not None:  # before fit's checkpoint of this step, never after
                save_checkpoint(progress_file, {"scores": scores, "samples": samples})
        return callback

    started = time.perf_counter()
    if ensemble:
        pairs = [rem.pair(s) for s in seeds]
        G = EnsembleGenerator([g for g, _ in pairs])
        D = EnsembleDiscriminator([d for _, d in pairs])
        data = ensemble_data([training_set(mix, s, data_size) for s in seeds])
        fit(G, D, data, callbacks=[scorer(lambda z: z, seeds)], **settings,
            **checkpointing("ensemble"))
    else:
        for k, seed in enumerate(seeds):
            g, d = rem.pair(seed)
            fit(g, d, training_set(mix, seed, data_size),
                callbacks=[scorer(lambda z, k=k: z[:, 2 * k:2 * k + 2], [seed])], **settings,
                **checkpointing(f"seed{seed}"))
    seconds = time.perf_counter() - started
    curve = []
    for step in checks:
        row = {"step": step}
        for key in ("modes", "high_quality", "reverse_kl", "reverse_kl_high_quality"):
            row[key] = [scores[step][s][key] for s in seeds]
        curve.append(row)
        if log:
            log(f"{mixture} {remedy:13s} step {step:>6}: " + _describe(row, mix.num_modes))
    return {"mixture": mixture, "remedy": remedy, "seeds": seeds, "steps": steps,
            "seconds": round(seconds, 1), "ensemble": bool(ensemble), "curve": curve,
            "samples": samples}


def _mean_sd(values) -> tuple[float, float]:
    values = [float(v) for v in values]
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def _describe(row: dict, num_modes: int) -> str:
    m, msd = _mean_sd(row["modes"])
    hq, hqsd = _mean_sd(row["high_quality"])
    kl, klsd = _mean_sd(row["reverse_kl"])
    return (f"modes {m:5.2f} ± {msd:4.2f} /{num_modes}  high-quality {hq:.3f} ± {hqsd:.3f}  "
            f"reverse KL {kl:.3f} ± {klsd:.3f}  per seed {row['modes']}")


def summarise(result: dict, step: int | None = None) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation over seeds of each number at `step` (default: the last)."""
    rows = result["curve"]
    row = rows[-1] if step is None else next((r for r in rows if r["step"] == step), None)
    if row is None:
        raise ValueError(f"no evaluation at step {step}; evaluated at {[r['step'] for r in rows]}")
    return {key: _mean_sd(row[key]) for key in ("modes", "high_quality", "reverse_kl")}
