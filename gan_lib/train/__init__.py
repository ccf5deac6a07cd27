"""Training: the loop `fit`, its steps, the objectives it trains, its config, history and checkpoints.

- `loop`: `fit`, the one training loop: batches from device-resident tensors, seeds, callbacks,
  progress, checkpoints with the full config, exact resume, the non-finite guard.
- `objectives`: what differs between GANs: `StandardGAN`, `WassersteinGP`, `Hinge`, `Paired`,
  `Refinement`, `SemiSupervised`.
- `config`: `TrainConfig`, every setting that shapes a run's result, as one frozen object.
- `step`: `gan_step`, the standard GAN's step written out; `objective_step`, the same for any
  objective (what `fit` runs).
- `ema`: the exponential moving average of G's weights.
- `history`: the per-step record.
- `checkpoint`: atomic, fsynced save; safe (weights-only) load.
- `losses`: the GAN losses as functions of D's scores (standard, Wasserstein, hinge, penalties).
- `classifier`: supervised training and scoring of plain classifiers (the few-labels baselines).
"""

from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .config import TrainConfig
from .ema import EMA
from .history import HISTORY_KEYS, History
from .loop import CHECKPOINT_FORMAT, Callback, fit
from .objectives import (
    Hinge,
    Objective,
    Paired,
    Refinement,
    SemiSupervised,
    StandardGAN,
    WassersteinGP,
)
from .step import Batch, TrainingDivergedError, gan_step, grad_norm, objective_step

__all__ = [
    "fit",
    "TrainConfig",
    "Objective",
    "StandardGAN",
    "WassersteinGP",
    "Hinge",
    "Paired",
    "Refinement",
    "SemiSupervised",
    "EMA",
    "gan_step",
    "objective_step",
    "Batch",
    "grad_norm",
    "History",
    "HISTORY_KEYS",
    "Callback",
    "TrainingDivergedError",
    "CheckpointError",
    "CHECKPOINT_FORMAT",
    "save_checkpoint",
    "load_checkpoint",
]
