"""Training: the one loop `fit`, and the small pieces it is made of.

- `loop`: `fit`: draw a batch, k discriminator updates, one generator update, EMA, log, checkpoint.
- `plans`: how a batch is shaped, one conditioning mode a file (unconditional, class-conditional,
  semi-supervised, paired, refinement).
- `objectives`: how D's and G's losses come from D's scores, one GAN a file (`StandardGAN`,
  `WassersteinGP`, `Hinge`, `Paired`, `Refinement`, `SemiSupervised`, ...).
- `step`: `gan_step`, the standard GAN's update written out; `objective_step`, the same for any
  objective and batch (what `fit` runs).
- `run`: `TrainingRun`, the state a checkpoint holds (models, optimizers, EMA, random streams,
  history) and exact resume.
- `guard`: the non-finite guard: no NaN reaches the returned or saved weights.
- `config`: `TrainConfig`, every setting that shapes a run's result, as one frozen object.
- `ema`: the exponential moving average of G's weights (with optional warm-up).
- `image_history`: SimGAN's buffer of past refined images for D's fake batches.
- `history`: the per-step record. `checkpoint`: atomic, fsynced save; safe (weights-only) load.
- `losses`: the GAN losses as functions of D's scores (standard, Wasserstein, hinge, penalties).
- `classifier`: supervised training and scoring of plain classifiers (the few-labels baselines).
"""

from . import objectives
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .config import TrainConfig
from .ema import EMA
from .image_history import ImageHistory
from .guard import TrainingDivergedError
from .history import HISTORY_KEYS, History
from .loop import CHECKPOINT_FORMAT, Callback, fit
from .objectives import *  # noqa: F401,F403  (every registered objective, by class name)
from .plans import Batch
from .step import gan_step, grad_norm, objective_step

__all__ = [
    "fit",
    "TrainConfig",
    *objectives.__all__,
    "EMA",
    "ImageHistory",
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
