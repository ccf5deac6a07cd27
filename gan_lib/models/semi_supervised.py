"""The discriminator of the semi-supervised GAN (Salimans et al. 2016) on MNIST: a K-class classifier.

`SemiSupervised` (gan_lib.train.objectives) trains it: real labeled digits teach the K classes,
real unlabeled digits and the generator's fakes teach "real or fake" through the implicit fake
class. The network follows the paper's MNIST model:
- Gaussian noise on the input (std 0.3) and after every hidden layer (std 0.5), during training
  only: with 100 labels, this noise is most of the regularisation;
- five fully connected ReLU layers of 1000, 500, 250, 250, 250 units, each weight-normalised
  (`torch.nn.utils.parametrizations.weight_norm`), which the paper uses instead of batch norm so
  that a batch of fakes and a batch of reals are not normalised differently;
- K linear class logits; `features(x)` is the last hidden layer, the statistics the generator's
  feature-matching loss matches.

    D = SemiSupervisedDiscriminator()          # (N, 1, 28, 28) -> class logits (N, 10)
    predictions = D(x).argmax(1)                # it is the classifier
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm

from .mlp import MLPGenerator

__all__ = ["GaussianNoise", "SemiSupervisedDiscriminator", "SEMI_SUPERVISED_SETTINGS",
           "semi_supervised_pair"]


class GaussianNoise(nn.Module):
    """Adds N(0, std^2) noise in training mode; the identity in eval mode."""

    def __init__(self, std: float) -> None:
        super().__init__()
        if not std >= 0:
            raise ValueError(f"noise std must be >= 0, got {std!r}")
        self.std = float(std)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training and self.std > 0:
            return x + self.std * torch.randn_like(x)
        return x

    def extra_repr(self) -> str:
        return f"std={self.std}"


class SemiSupervisedDiscriminator(nn.Module):
    """images (N, *in_shape) -> K class logits (N, K); `features(x)` -> last hidden layer (N, F).

    Args:
        num_classes: K, the number of real classes (the fake class is implicit: logit 0).
        in_shape: shape of one image.
        hidden_dims: widths of the hidden layers (the paper: 1000, 500, 250, 250, 250).
        input_noise: std of the Gaussian noise added to the input in training.
        hidden_noise: std of the Gaussian noise added after each hidden layer in training.
    """

    def __init__(
        self,
        *,
        num_classes: int = 10,
        in_shape: Sequence[int] = (1, 28, 28),
        hidden_dims: Sequence[int] = (1000, 500, 250, 250, 250),
        input_noise: float = 0.3,
        hidden_noise: float = 0.5,
    ) -> None:
        super().__init__()
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an int >= 2, got {num_classes!r}")
        dims = tuple(hidden_dims)
        if not dims or any(isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in dims):
            raise ValueError(f"hidden_dims must be a non-empty sequence of positive ints, got {dims}")
        self.num_classes = num_classes
        self.in_shape = tuple(in_shape)
        layers: list[nn.Module] = [nn.Flatten(), GaussianNoise(input_noise)]
        width = math.prod(self.in_shape)
        for hidden in dims:
            layers += [weight_norm(nn.Linear(width, hidden)), nn.ReLU(), GaussianNoise(hidden_noise)]
            width = hidden
        self.body = nn.Sequential(*layers)
        self.classes = weight_norm(nn.Linear(width, num_classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1:] != self.in_shape:
            raise ValueError(f"expected images of shape (N, {', '.join(map(str, self.in_shape))}), "
                             f"got {tuple(x.shape)}")
        return self.body(x)  # (N, F)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classes(self.features(x))  # (N, K)


# The paper's MNIST optimizer settings, for `fit(..., **SEMI_SUPERVISED_SETTINGS)`: Adam with
# lr 0.003 and beta1 0.5, batches of 100 (its learning-rate decay over 300 epochs is not used).
SEMI_SUPERVISED_SETTINGS = {"batch_size": 100, "lr_g": 3e-3, "lr_d": 3e-3, "betas": (0.5, 0.999)}


def semi_supervised_pair(num_classes: int = 10, latent_dim: int = 100):
    """(G, D) for semi-supervised MNIST: D as above; G two hidden layers of 500 with batch norm.

    The paper's generator uses softplus units and a sigmoid output for pixels in [0, 1]; this one
    uses the book's `MLPGenerator` (LeakyReLU, tanh for pixels in [-1, 1]). Feature matching cares
    about D's statistics of G's output, not about G's units.
    """
    generator = MLPGenerator(latent_dim=latent_dim, hidden_dims=(500, 500), batch_norm=True)
    return generator, SemiSupervisedDiscriminator(num_classes=num_classes)
