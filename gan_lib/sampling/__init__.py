"""Drawing from trained generators: latent noise and paths between latent vectors, seeded
class-conditional samples and class grids, and projection of an image into latent space.
"""

from .class_grid import (
    class_labels,
    generate_conditional,
    sample_class_grid,
)
from .latent import (
    sample_latent,
    generate,
    lerp,
    slerp,
)
from .projection import (
    PRIORS,
    Projection,
    project_to_latent,
    draw_strokes,
    Neighbour,
    nearest_neighbour,
)

__all__ = [
    "class_labels",
    "generate_conditional",
    "sample_class_grid",
    "sample_latent",
    "generate",
    "lerp",
    "slerp",
    "PRIORS",
    "Projection",
    "project_to_latent",
    "draw_strokes",
    "Neighbour",
    "nearest_neighbour",
]
