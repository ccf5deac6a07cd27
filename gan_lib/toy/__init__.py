"""Toy distributions with known densities, for checking GAN theory against code.

`distributions_1d`: `Gaussian1D`, `GaussianMixture1D` (pdf, log_prob, sample).
`mixture_2d`: `Mixture2D` (`ring()`, `grid()`): 2-D mixtures with known modes, for mode collapse.
"""

from .distributions_1d import Gaussian1D, GaussianMixture1D
from .mixture_2d import Mixture2D

__all__ = ["Gaussian1D", "GaussianMixture1D", "Mixture2D"]
