"""GAN theory you can compute: toy distributions with known densities (1-D Gaussians and mixtures,
2-D rings and grids with known modes), divergences and the optimal discriminator on a grid, and
the small games (gradient play on x * y, the Dirac-GAN) whose dynamics explain GAN training.
"""

from .distributions_1d import (
    Gaussian1D,
    GaussianMixture1D,
)
from .divergences import (
    kl_divergence,
    js_divergence,
    optimal_discriminator,
    optimal_discriminator_logit,
    value_function,
    histogram_js_divergence,
    fit_discriminator,
)
from .games import (
    BILINEAR_METHODS,
    bilinear_trajectory,
    bilinear_radius_factor,
)
from .dirac_gan import (
    DIRAC_METHODS,
    DIRAC_UPDATES,
    DiracGAN,
)
from .mixture_2d import (
    Mixture2D,
)

__all__ = [
    "Gaussian1D",
    "GaussianMixture1D",
    "kl_divergence",
    "js_divergence",
    "optimal_discriminator",
    "optimal_discriminator_logit",
    "value_function",
    "histogram_js_divergence",
    "fit_discriminator",
    "BILINEAR_METHODS",
    "bilinear_trajectory",
    "bilinear_radius_factor",
    "DIRAC_METHODS",
    "DIRAC_UPDATES",
    "DiracGAN",
    "Mixture2D",
]
