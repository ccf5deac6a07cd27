"""Data sets as tensors: MNIST (verified, offline-aware), digits rendered from a font, paired
image-to-image tasks built from MNIST, and balanced labelled subsets.
"""

from .label_subsets import (
    balanced_indices,
    hide_labels,
)
from .mnist import (
    check_images,
    MNIST_MD5,
    DataNotFoundError,
    ChecksumError,
    default_data_root,
    load_mnist,
    verify_mnist,
)
from .paired_tasks import (
    super_resolution,
    inpainting,
    sketch,
    sobel_magnitude,
    skeletonize,
    INPAINT_MODES,
    SKETCH_KINDS,
    UPSAMPLE_MODES,
)
from .rendered_digits import (
    render_digits,
    font_path,
    DEFAULT_FONTS,
    FIELD,
    BOX,
)

__all__ = [
    "check_images",
    "balanced_indices",
    "hide_labels",
    "MNIST_MD5",
    "DataNotFoundError",
    "ChecksumError",
    "default_data_root",
    "load_mnist",
    "verify_mnist",
    "super_resolution",
    "inpainting",
    "sketch",
    "sobel_magnitude",
    "skeletonize",
    "INPAINT_MODES",
    "SKETCH_KINDS",
    "UPSAMPLE_MODES",
    "render_digits",
    "font_path",
    "DEFAULT_FONTS",
    "FIELD",
    "BOX",
]
