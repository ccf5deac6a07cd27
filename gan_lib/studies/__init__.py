"""Multi-run experiments (many seeds, many methods) and the code that reads their shipped results.
"""

from .mode_collapse import (
    Remedy,
    REMEDIES,
    MIXTURES,
    PUBLISHED,
    run_remedy,
    summarise,
    load_shipped_study,
    recorded_part,
    SHIPPED_STUDY,
    SHIPPED_SAMPLES,
    SHIPPED_GRID_LONG,
    SHIPPED_GRID_LONG_SAMPLES,
)

__all__ = [
    "Remedy",
    "REMEDIES",
    "MIXTURES",
    "PUBLISHED",
    "run_remedy",
    "summarise",
    "load_shipped_study",
    "recorded_part",
    "SHIPPED_STUDY",
    "SHIPPED_SAMPLES",
    "SHIPPED_GRID_LONG",
    "SHIPPED_GRID_LONG_SAMPLES",
]
