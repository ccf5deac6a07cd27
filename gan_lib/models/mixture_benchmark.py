"""The networks of the 2-D mode-collapse benchmarks (ring and grid), as PacGAN's reference code builds them.

Lin et al. (2018), `synthetic_data_experiments/2DRing_GAN&PacGAN/{config,pacgan_task}.py` (the
grid uses the same networks), following ALI and VEEGAN:
- generator: z ~ N(0, I_2) -> 4 hidden layers of 400 units, each linear (no bias) -> batch norm
  -> ReLU, then a linear layer to the 2-D point (with bias, no output activation);
- discriminator: 3 maxout layers of 200 units with 5 pieces, then one linear logit; for PacGAN
  with packing m it reads m points side by side (2 m inputs);
- every weight ~ N(0, 0.02^2), every bias 0; batch norm's running statistics move with momentum
  0.05 (the code's population update p <- 0.95 p + 0.05 m).
"""

from __future__ import annotations

from torch import nn

from .maxout import MaxoutDiscriminator
from .mlp import MLPGenerator
from .packing import PackedDiscriminator, packed_shape

__all__ = ["benchmark_generator", "benchmark_discriminator", "init_normal_"]


def init_normal_(model: nn.Module, *, std: float = 0.02) -> nn.Module:
    """Draw every linear weight from N(0, std^2) and zero every bias, in place (batch norm keeps 1, 0).

    Args:
        model: the network to initialise; returned for chaining.
        std: standard deviation of the weights (0.02 in the benchmarks).
    """
    if not std > 0:
        raise ValueError(f"std must be > 0, got {std!r}")
    for module in model.modules():
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, 0.0, std)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
    return model


def benchmark_generator(*, latent_dim: int = 2, hidden: int = 400, depth: int = 4,
                        init_std: float = 0.02) -> MLPGenerator:
    """The benchmark's generator: z (N, latent_dim) -> points (N, 2); batch norm + ReLU hidden layers.

    Args:
        latent_dim: size of z (2 in the benchmarks).
        hidden: units per hidden layer (400).
        depth: number of hidden layers (4).
        init_std: standard deviation of the initial weights (0.02).
    """
    g = MLPGenerator(latent_dim=latent_dim, hidden_dims=(hidden,) * depth, out_shape=(2,),
                     out_activation=None, negative_slope=0.0, batch_norm=True,
                     batch_norm_momentum=0.05)
    return init_normal_(g, std=init_std)


def benchmark_discriminator(*, packing: int = 1, hidden: int = 200, depth: int = 3, pieces: int = 5,
                            init_std: float = 0.02) -> nn.Module:
    """The benchmark's maxout discriminator: points (N, 2) -> logits (N / packing,).

    Args:
        packing: m, points judged together (1: the plain GAN; 2-4: PacGAN2-4).
        hidden: maxout units per layer (200).
        depth: number of maxout layers (3).
        pieces: pieces per maxout unit (5).
        init_std: standard deviation of the initial weights (0.02).
    """
    inner = init_normal_(MaxoutDiscriminator(in_shape=packed_shape((2,), packing=packing),
                                             hidden_dims=(hidden,) * depth, pieces=pieces),
                         std=init_std)
    return inner if packing == 1 else PackedDiscriminator(inner, packing=packing)

