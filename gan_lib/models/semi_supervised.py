"""The semi-supervised GAN (Salimans et al. 2016) on MNIST, as the reference code builds it.

`SemiSupervised` (gan_lib.train.objectives) trains the pair: real labeled digits teach D's K
classes, real unlabeled digits and the generator's fakes teach "real or fake" through the
implicit fake class. Following openai/improved-gan (`mnist_svhn_cifar10/train_mnist_feature_
matching.py` and its `nn.py`):
- D: Gaussian noise on the input (std 0.3) and on every hidden layer's output (std 0.5), in
  training only; five fully connected ReLU layers of 1000, 500, 250, 250, 250 units and K class
  logits, each weight-normalised (w = g v / ||v||, `torch.nn.utils.parametrizations.weight_norm`)
  with v ~ N(0, 0.1^2), frozen hidden scales g, and g and the biases set from a batch of real
  images (`init_from_data_`); `features(x)` is the last hidden layer before its noise;
- G: uniform z, two softplus layers of 500 with batch norm, sigmoid pixels in [0, 1];
- Adam (lr 0.003, beta1 0.5), batches of 100, and a Polyak average of D's weights for testing
  (kept by the recipe, `recipes/semi_supervised_mnist.py`).

    G, D = semi_supervised_pair()               # images in [0, 1]
    init_from_data_(D, images[:500])            # before training
    predictions = D(x).argmax(1)                # D is the classifier
"""

from __future__ import annotations

import math
from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.parametrizations import weight_norm


__all__ = ["GaussianNoise", "SemiSupervisedDiscriminator", "SemiSupervisedGenerator",
           "SEMI_SUPERVISED_SETTINGS", "init_from_data_", "semi_supervised_pair"]


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

    As the reference code (openai/improved-gan, `train_mnist_feature_matching.py` and `nn.py`):
    each hidden layer's weight is w = g v / ||v|| with v ~ N(0, `direction_std`^2); the scales g
    of the hidden layers are frozen (only the class layer's g trains), and g and the biases are
    set from data by `init_from_data_` before training. `features(x)` is the last hidden layer
    BEFORE its Gaussian noise, which is what the reference's feature matching compares.

    Args:
        num_classes: K, the number of real classes (the fake class is implicit: logit 0).
        in_shape: shape of one image.
        hidden_dims: widths of the hidden layers (the paper: 1000, 500, 250, 250, 250).
        input_noise: std of the Gaussian noise added to the input in training.
        hidden_noise: std of the Gaussian noise added after each hidden layer in training.
        direction_std: std of the initial directions v (the reference: 0.1).
    """

    def __init__(
        self,
        *,
        num_classes: int = 10,
        in_shape: Sequence[int] = (1, 28, 28),
        hidden_dims: Sequence[int] = (1000, 500, 250, 250, 250),
        input_noise: float = 0.3,
        hidden_noise: float = 0.5,
        direction_std: float = 0.1,
    ) -> None:
        super().__init__()
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an int >= 2, got {num_classes!r}")
        dims = tuple(hidden_dims)
        if not dims or any(isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in dims):
            raise ValueError(f"hidden_dims must be a non-empty sequence of positive ints, got {dims}")
        if not direction_std > 0:
            raise ValueError(f"direction_std must be > 0, got {direction_std!r}")
        self.num_classes = num_classes
        self.in_shape = tuple(in_shape)
        layers: list[nn.Module] = [nn.Flatten(), GaussianNoise(input_noise)]
        width = math.prod(self.in_shape)
        for i, hidden in enumerate(dims):
            if i > 0:
                layers.append(GaussianNoise(hidden_noise))
            layers += [_weight_normed(width, hidden, direction_std, train_scale=False), nn.ReLU()]
            width = hidden
        self.body = nn.Sequential(*layers)
        self.feature_noise = GaussianNoise(hidden_noise)
        self.classes = _weight_normed(width, num_classes, direction_std, train_scale=True)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1:] != self.in_shape:
            raise ValueError(f"expected images of shape (N, {', '.join(map(str, self.in_shape))}), "
                             f"got {tuple(x.shape)}")
        return self.body(x)  # (N, F), before the last noise layer

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classes(self.feature_noise(self.features(x)))  # (N, K)


def _weight_normed(n_in: int, n_out: int, direction_std: float, *, train_scale: bool) -> nn.Linear:
    layer = weight_norm(nn.Linear(n_in, n_out))  # w = g v / ||v||, norm per output unit
    with torch.no_grad():
        nn.init.normal_(layer.parametrizations.weight.original1, 0.0, direction_std)
        layer.parametrizations.weight.original0.fill_(1.0)  # unit-norm rows until the data init
        layer.bias.zero_()
    # the reference trains the scale of the class layer only; hidden scales stay as initialised
    layer.parametrizations.weight.original0.requires_grad_(train_scale)
    return layer


@torch.no_grad()
def init_from_data_(discriminator: SemiSupervisedDiscriminator,
                    images: torch.Tensor) -> SemiSupervisedDiscriminator:
    """Data-dependent initialisation (Salimans & Kingma 2016), as the reference code does it.

    Layer by layer, on one batch (the reference: 500 training images, noise on): each weight-
    normalised layer's pre-activations with unit-norm weights, a = x v/||v||, get mean m and std
    s; then g <- 1/s and b <- -m/s, so that every unit starts with zero mean and unit variance on
    real data. Without it the hidden scales (frozen at 1) leave the class logits tiny.

    Args:
        discriminator: a `SemiSupervisedDiscriminator`, modified in place and returned.
        images: a batch (N, *in_shape) of real images, N >= 2.
    """
    if not isinstance(discriminator, SemiSupervisedDiscriminator):
        raise TypeError(f"init_from_data_ needs a SemiSupervisedDiscriminator, got "
                        f"{type(discriminator).__name__}")
    if images.dim() < 2 or tuple(images.shape[1:]) != discriminator.in_shape or len(images) < 2:
        raise ValueError(f"images must be a batch (N >= 2, {discriminator.in_shape}), got "
                         f"{tuple(images.shape)}")
    was_training = discriminator.training
    discriminator.train()  # the reference initialises with its noise layers on
    h = images
    for module in [*discriminator.body, discriminator.feature_noise, discriminator.classes]:
        if hasattr(module, "parametrizations"):
            v = module.parametrizations.weight.original1
            a = h @ (v / v.norm(dim=1, keepdim=True)).T
            mean = a.mean(0)
            std = (a - mean).square().mean(0).sqrt().clamp_min(1e-8)
            module.parametrizations.weight.original0.copy_((1.0 / std).unsqueeze(1))
            module.bias.copy_(-mean / std)
            h = (a - mean) / std
        else:
            h = module(h)
    discriminator.train(was_training)
    return discriminator


class SemiSupervisedGenerator(nn.Module):
    """z (N, latent_dim) ~ N(0, I) -> images (N, 1, 28, 28) in [0, 1], the reference's generator.

    The reference draws z uniformly on [0, 1]; here z is standard normal like every generator of
    the book, and Phi(z) (the normal CDF) turns it into exactly that uniform noise. Then two
    layers of 500 softplus units, each linear (no bias) -> batch norm without a scale (a learnt
    shift only) -> softplus, and a weight-normalised linear layer (Glorot-uniform directions,
    trainable scales) to 784 sigmoid pixels.

    Args:
        latent_dim: size of z (100).
        hidden: units per hidden layer (500).
        out_shape: image shape.
    """

    def __init__(self, latent_dim: int = 100, hidden: int = 500,
                 out_shape: Sequence[int] = (1, 28, 28)) -> None:
        super().__init__()
        self.latent_dim = int(latent_dim)
        self.out_shape = tuple(out_shape)
        layers: list[nn.Module] = []
        width = self.latent_dim
        for _ in range(2):
            norm = nn.BatchNorm1d(hidden, eps=1e-6)
            norm.weight.requires_grad_(False)  # the reference's batch norm has no scale (g=None)
            layers += [nn.Linear(width, hidden, bias=False), norm, nn.Softplus()]
            width = hidden
        out = nn.Linear(width, math.prod(self.out_shape))
        with torch.no_grad():
            nn.init.xavier_uniform_(out.weight)
            out.bias.zero_()
        out = weight_norm(out)
        with torch.no_grad():
            out.parametrizations.weight.original0.fill_(1.0)
        self.net = nn.Sequential(*layers, out, nn.Sigmoid())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"expected z of shape (N, {self.latent_dim}), got {tuple(z.shape)}")
        uniform = 0.5 * (1.0 + torch.erf(z / math.sqrt(2.0)))  # Phi(z) ~ U(0, 1)
        return self.net(uniform).view(-1, *self.out_shape)


# The reference's MNIST optimizer settings, for `fit(..., **SEMI_SUPERVISED_SETTINGS)`: Adam with
# lr 0.003 and beta1 0.5, batches of 100, constant learning rate (its schedule,
# lr * min(3 - epoch/400, 1), stays at lr for all of its 300 epochs).
# Adam's eps: the reference adds 1e-8 inside the root of the second moment, which acts like an
# eps of ~1e-4 in torch's form; measured (recipes/semi_supervised_mnist.py --variant
# adam-eps-1e-4), that was worse in every seed at 6,000-7,000 steps, so torch's 1e-8 stays
SEMI_SUPERVISED_SETTINGS = {"batch_size": 100, "lr_g": 3e-3, "lr_d": 3e-3, "betas": (0.5, 0.999),
                            "adam_eps": 1e-8}


def semi_supervised_pair(num_classes: int = 10, latent_dim: int = 100):
    """(G, D) for semi-supervised MNIST as the reference builds them; images in [0, 1].

    D still needs `init_from_data_(D, images)` on a batch of real images before training.
    """
    return (SemiSupervisedGenerator(latent_dim=latent_dim),
            SemiSupervisedDiscriminator(num_classes=num_classes))
