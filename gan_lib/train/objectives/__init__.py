"""Objectives: what differs between GANs, one small object a file (see `base` for the interface).

A new objective is one file here, a subclass of `Objective`, plus its import line below: it then
registers itself by name, so checkpoints that name it resume.
"""

from .base import REGISTRY, Critic, Objective, Stats, objective_from_dict
from .standard import StandardGAN
from .wasserstein_gp import WassersteinGP
from .hinge import Hinge
from .paired import Paired
from .semi_supervised import SemiSupervised
from .refinement import Refinement
from .least_squares import LeastSquares
from .r1 import R1
from .auxiliary_classifier import AuxiliaryClassifier

__all__ = ["Objective", "Critic", "Stats", "REGISTRY", "objective_from_dict",
           *(cls.__name__ for cls in REGISTRY.values())]
