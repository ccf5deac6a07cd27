"""Toy distributions with known densities, for checking GAN theory against code.

`distributions_1d`: `Gaussian1D`, `GaussianMixture1D` (pdf, log_prob, sample).
"""

from .distributions_1d import Gaussian1D, GaussianMixture1D

__all__ = ["Gaussian1D", "GaussianMixture1D"]
