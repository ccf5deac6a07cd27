"""Figures and animations the chapters share: image grids, training curves, interpolation strips,
class grids, and the animated 1-D GAN.
"""

from .animation import (
    Snapshot1D,
    SnapshotRecorder,
    plot_1d_snapshot,
    animate_1d_gan,
)
from .plots import (
    grid_image,
    show_grid,
    plot_history,
    plot_class_counts,
    show_interpolation,
    show_samples,
    show_class_grid,
)

__all__ = [
    "Snapshot1D",
    "SnapshotRecorder",
    "plot_1d_snapshot",
    "animate_1d_gan",
    "grid_image",
    "show_grid",
    "plot_history",
    "plot_class_counts",
    "show_interpolation",
    "show_samples",
    "show_class_grid",
]
