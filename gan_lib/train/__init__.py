"""Training: the loop `fit`, its step `gan_step`, the `History` it returns, and checkpoints.

- `step`: one discriminator update then one generator update, with the math in comments.
- `loop`: `fit`, which repeats that step over a data tensor, with seeds, callbacks, progress,
  checkpoints and exact resume.
- `history`: the per-step record.
- `checkpoint`: atomic save, safe (weights-only) load.
- `monitor`: `TrainingMonitor`, a callback that warns on saturation, class collapse, NaN losses.
"""

from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .history import HISTORY_KEYS, History
from .loop import Callback, fit
from .monitor import GANTrainingWarning, TrainingAlert, TrainingMonitor
from .step import TrainingDivergedError, gan_step, grad_norm

__all__ = [
    "fit",
    "gan_step",
    "grad_norm",
    "History",
    "HISTORY_KEYS",
    "Callback",
    "TrainingDivergedError",
    "CheckpointError",
    "save_checkpoint",
    "load_checkpoint",
    "TrainingMonitor",
    "TrainingAlert",
    "GANTrainingWarning",
]
