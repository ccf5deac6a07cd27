"""Multi-run experiments (many seeds, many methods) and the code that reads their shipped results.

- `mode_collapse`: the 2-D mode-collapse study (remedies x ring/grid x seeds, PacGAN's protocol).
- `mode_collapse_results`: the shipped studies from the registry (`load_shipped_study`), files
  you made (`read_study`), and which recorded part trained a row (`recorded_part`).
- `seed_comparison`: the overlap rule every multi-seed comparison uses, and its chance level.
- `stabilisers`: chapter 6's study of stabilisers on MNIST (arms, equal-step and equal-time reads).
"""

from .mode_collapse import (
    Remedy,
    REMEDIES,
    MIXTURES,
    PUBLISHED,
    PUBLISHED_STEPS,
    run_remedy,
    summarise,
)
from .mode_collapse_results import load_shipped_study, read_study, recorded_part
from .seed_comparison import direction, separated, separation_chance

__all__ = [
    "Remedy",
    "REMEDIES",
    "MIXTURES",
    "PUBLISHED",
    "PUBLISHED_STEPS",
    "run_remedy",
    "summarise",
    "load_shipped_study",
    "read_study",
    "recorded_part",
    "direction",
    "separated",
    "separation_chance",
]
