"""Multi-run experiments (many seeds, many methods) and the code that reads their shipped results.

- `mode_collapse`: the 2-D mode-collapse study (remedies x ring/grid x seeds, PacGAN's protocol).
- `mode_collapse_results`: the shipped studies from the registry (`load_shipped_study`), files
  you made (`read_study`), and which recorded part trained a row (`recorded_part`).
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
]
