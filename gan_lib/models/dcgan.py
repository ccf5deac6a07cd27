"""Deep convolutional GAN (DCGAN, Radford et al. 2015): convolutional generator and discriminator.

Both networks follow the paper's architecture guidelines:
- batch norm in both networks, except the generator's output and the discriminator's input;
- the generator upsamples with fractionally strided (transposed) convolutions, the discriminator
  downsamples with strided convolutions: no pooling, no unpooling;
- ReLU in the generator with tanh at its output, LeakyReLU(0.2) in the discriminator;
- no fully connected hidden layers.

The generator reads z as a (latent_dim, 1, 1) image: a transposed convolution whose kernel covers
the whole first feature map projects it to a small image-like tensor (7x7 for 28-pixel images, 4x4
for 32 and 64), and each further block doubles height and width. The discriminator mirrors it and
ends in a convolution whose kernel covers the whole last map: one logit per image.

Both constructors end with `init_dcgan_weights` (and so do the builders of `dcgan_ablations`):
every conv and linear weight from N(0, 0.02^2), i.e. standard deviation 0.02, as the paper
specifies; batch-norm scales from N(1, 0.02^2) and every bias 0, the convention of the
pytorch/examples DCGAN (the paper says nothing of them). Loaded weights (the shipped
reference generator) replace them; `apply_spectral_norm` divides them by sigma.

`DCGANDiscriminator(batch_norm=False)` is the critic for WGAN-GP and spectral normalisation: batch
norm makes each logit depend on the whole batch, which breaks the gradient penalty (taken per
input) and rescales features after spectral norm has bounded them. Variants that undo
the other guidelines, for ablation studies, are built outside these classes by `dcgan_ablations`.
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["DCGANGenerator", "DCGANDiscriminator", "init_dcgan_weights", "SUPPORTED_IMAGE_SIZES"]

SUPPORTED_IMAGE_SIZES = (28, 32, 64)


def init_dcgan_weights(module: nn.Module, *, generator: torch.Generator | None = None) -> None:
    """DCGAN initialisation, in place: conv/linear weights ~ N(0, 0.02^2), batch-norm scales
    ~ N(1, 0.02^2), every bias 0 (standard deviation 0.02 in both draws).

    Args:
        module: a model; every submodule is initialised, in `module.modules()` order.
        generator: optional torch.Generator for a reproducible draw (default: the global RNG).
    """
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            with torch.no_grad():
                m.weight.normal_(0.0, 0.02, generator=generator)
                if m.bias is not None:
                    m.bias.zero_()
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.weight.normal_(1.0, 0.02, generator=generator)
                m.bias.zero_()


def _feature_map_plan(image_size: int) -> tuple[int, int]:
    """(side of the smallest feature map, number of 2x resolution steps) for an image size:
    28 -> (7, 2), 32 -> (4, 3), 64 -> (4, 4)."""
    if image_size not in SUPPORTED_IMAGE_SIZES:
        raise ValueError(
            f"image_size={image_size!r} is not supported; allowed sizes: "
            f"{', '.join(map(str, SUPPORTED_IMAGE_SIZES))} (resize or pad your images to one)"
        )
    start = 7 if image_size == 28 else 4
    return start, int(math.log2(image_size // start))


def _check_positive(**kwargs: int) -> None:
    for name, value in kwargs.items():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive int, got {value!r}")


class DCGANGenerator(nn.Module):
    """z (N, latent_dim) -> images (N, channels, image_size, image_size) in [-1, 1].

    Args:
        latent_dim: size of z.
        image_size: 28 (7 -> 14 -> 28), 32 (4 -> 8 -> 16 -> 32) or 64 (4 -> ... -> 64).
        channels: image channels (1 for MNIST, 3 for RGB).
        base_width: channels of the last hidden block; each earlier block has twice as many.
    """

    def __init__(self, *, latent_dim: int = 100, image_size: int = 28, channels: int = 1,
                 base_width: int = 64) -> None:
        super().__init__()
        _check_positive(latent_dim=latent_dim, channels=channels, base_width=base_width)
        start, n_up = _feature_map_plan(image_size)
        self.latent_dim, self.image_size, self.channels = latent_dim, image_size, channels
        widths = [base_width * 2 ** (n_up - 1 - i) for i in range(n_up)]  # 28: [2w, w]
        # On a 1x1 input a transposed conv with a start x start kernel is a matrix multiply and a
        # reshape. No bias before batch norm: it subtracts the mean, and adds its own shift.
        self.project = nn.Sequential(
            nn.ConvTranspose2d(latent_dim, widths[0], start, 1, 0, bias=False),
            nn.BatchNorm2d(widths[0]), nn.ReLU(),
        )
        # (H - 1) * 2 - 2 * 1 + 4 = 2H: each stride-2 block doubles height and width
        self.blocks = nn.Sequential(
            *(nn.Sequential(nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False),
                            nn.BatchNorm2d(c_out), nn.ReLU())
              for c_in, c_out in zip(widths, widths[1:])),
            nn.Sequential(nn.ConvTranspose2d(widths[-1], channels, 4, 2, 1), nn.Tanh()),
        )
        init_dcgan_weights(self)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"expected z of shape (N, {self.latent_dim}), got {tuple(z.shape)}")
        # Shapes below for image_size=28, base_width=64.
        x = z.view(z.shape[0], self.latent_dim, 1, 1)  # (N, 100, 1, 1): z as a 1x1 image
        x = self.project(x)  # (N, 128, 7, 7)
        return self.blocks(x)  # (N, 64, 14, 14) -> (N, 1, 28, 28)


class DCGANDiscriminator(nn.Module):
    """images (N, channels, image_size, image_size) -> logits (N,).

    Args:
        image_size: 28, 32 or 64.
        channels: image channels (or the channels of a pack, for PacGAN).
        base_width: channels of the first block; each later block has twice as many.
        batch_norm: batch norm after every conv but the first and the head; False for a critic
            that is spectrally normalised or gradient-penalised.
    """

    def __init__(self, *, image_size: int = 28, channels: int = 1, base_width: int = 64,
                 batch_norm: bool = True) -> None:
        super().__init__()
        _check_positive(channels=channels, base_width=base_width)
        start, n_down = _feature_map_plan(image_size)
        self.image_size, self.channels = image_size, channels
        widths = [base_width * 2**i for i in range(n_down)]  # 28: [w, 2w]

        def block(c_in: int, c_out: int, norm: bool) -> nn.Sequential:
            # (H + 2 * 1 - 4) // 2 + 1 = H / 2: a stride-2 conv learns its own downsampling
            return nn.Sequential(nn.Conv2d(c_in, c_out, 4, 2, 1, bias=not norm),
                                 *([nn.BatchNorm2d(c_out)] if norm else []), nn.LeakyReLU(0.2))

        # no batch norm on the input layer: it would rescale the data
        self.blocks = nn.Sequential(
            block(channels, widths[0], norm=False),
            *(block(c_in, c_out, norm=batch_norm) for c_in, c_out in zip(widths, widths[1:])),
        )
        # a conv whose kernel covers the whole last map: one logit per image, no FC layer
        self.head = nn.Sequential(nn.Conv2d(widths[-1], 1, start, 1, 0), nn.Flatten())
        init_dcgan_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        expected = (self.channels, self.image_size, self.image_size)
        if x.dim() != 4 or tuple(x.shape[1:]) != expected:
            raise ValueError(
                f"expected images of shape (N, {', '.join(map(str, expected))}), "
                f"got {tuple(x.shape)}"
            )
        # Shapes below for image_size=28, base_width=64.
        h = self.blocks(x)  # (N, 64, 14, 14) -> (N, 128, 7, 7)
        return self.head(h).squeeze(1)  # (N, 1) -> (N,)
