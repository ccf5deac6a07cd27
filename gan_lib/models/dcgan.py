"""Deep convolutional GAN (DCGAN, Radford et al. 2015): convolutional generator and discriminator.

The architecture guidelines, each a keyword switch so that a chapter can ablate it:
- batch norm in both networks, except the generator's output and the discriminator's input
  (`batch_norm=False` removes it everywhere);
- the generator upsamples with fractionally strided (transposed) convolutions
  (`upsample="nearest"`: nearest-neighbour upsampling followed by a 3x3 convolution instead);
- the discriminator downsamples with strided convolutions instead of pooling
  (`downsample="avgpool" | "maxpool"`: a 3x3 stride-1 convolution followed by 2x2 pooling);
- ReLU in the generator with tanh at the output, LeakyReLU(0.2) in the discriminator
  (`activation="leaky_relu"` for the generator, `activation="relu"` for the discriminator);
- no fully connected hidden layers (`fc_hidden=True` inserts one in each network).

The generator starts by reshaping z to (N, latent_dim, 1, 1): a transposed convolution whose
kernel covers the whole first feature map then projects it to a small image-like tensor (7x7 for
28-pixel images, 4x4 for 32 and 64), and each further block doubles height and width.
Weights start from N(0, 0.02) (batch-norm scales from N(1, 0.02)), as in the paper.
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["DCGANGenerator", "DCGANDiscriminator", "init_dcgan_weights", "SUPPORTED_IMAGE_SIZES"]

SUPPORTED_IMAGE_SIZES = (28, 32, 64)
_UPSAMPLE = ("transposed", "nearest")
_DOWNSAMPLE = ("strided", "avgpool", "maxpool")
_ACTIVATIONS = ("relu", "leaky_relu")


def init_dcgan_weights(module: nn.Module, *, generator: torch.Generator | None = None) -> None:
    """DCGAN initialisation, in place: conv/linear weights ~ N(0, 0.02), batch-norm scales
    ~ N(1, 0.02), every bias 0.

    Args:
        module: a model; every submodule is initialised.
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


def _plan(image_size: int) -> tuple[int, int]:
    """(side of the first feature map, number of 2x resolution changes) for an image size."""
    if image_size not in SUPPORTED_IMAGE_SIZES:
        raise ValueError(
            f"image_size={image_size!r} is not supported; allowed sizes: "
            f"{', '.join(map(str, SUPPORTED_IMAGE_SIZES))} (resize or pad your images to one)"
        )
    start = 7 if image_size == 28 else 4
    return start, int(math.log2(image_size // start))


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not valid; choose one of {', '.join(allowed)}")


def _check_positive(**kwargs: int) -> None:
    for name, value in kwargs.items():
        if not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive int, got {value!r}")


class DCGANGenerator(nn.Module):
    """z (N, latent_dim) -> images (N, channels, image_size, image_size) in [-1, 1].

    Args:
        latent_dim: size of z.
        image_size: 28 (7 -> 14 -> 28), 32 (4 -> 8 -> 16 -> 32) or 64 (4 -> ... -> 64).
        channels: image channels (1 for MNIST, 3 for RGB).
        base_width: channels of the last hidden block; each earlier block has twice as many.
        batch_norm: batch norm after every hidden layer (never after the output).
        activation: hidden activation, "relu" (the paper) or "leaky_relu" (slope 0.2).
        upsample: "transposed" (stride-2 transposed conv) or "nearest" (upsample + 3x3 conv).
        fc_hidden: project z through a fully connected hidden layer of `fc_width` units first.
        fc_width: width of that layer.
    """

    def __init__(
        self,
        *,
        latent_dim: int = 100,
        image_size: int = 28,
        channels: int = 1,
        base_width: int = 64,
        batch_norm: bool = True,
        activation: str = "relu",
        upsample: str = "transposed",
        fc_hidden: bool = False,
        fc_width: int = 1024,
    ) -> None:
        super().__init__()
        _check_positive(latent_dim=latent_dim, channels=channels, base_width=base_width,
                        fc_width=fc_width)
        _check_choice("upsample", upsample, _UPSAMPLE)
        _check_choice("activation", activation, _ACTIVATIONS)
        start, n_up = _plan(image_size)
        self.latent_dim = latent_dim
        self.image_size = image_size
        widths = [base_width * 2 ** (n_up - 1 - i) for i in range(n_up)] + [channels]

        def norm(c: int) -> list[nn.Module]:
            return [nn.BatchNorm2d(c)] if batch_norm else []

        def act() -> nn.Module:
            return nn.ReLU() if activation == "relu" else nn.LeakyReLU(0.2)

        # Stage 1: project z to a (widths[0], start, start) map. On a 1x1 input a transposed
        # convolution with a start x start kernel is a matrix multiply followed by the reshape.
        if fc_hidden:
            self.project = nn.Sequential(
                nn.Flatten(),
                nn.Linear(latent_dim, fc_width, bias=not batch_norm),
                *([nn.BatchNorm1d(fc_width)] if batch_norm else []), act(),
                nn.Linear(fc_width, widths[0] * start * start, bias=not batch_norm),
                nn.Unflatten(1, (widths[0], start, start)),
                *norm(widths[0]), act(),
            )
        else:
            self.project = nn.Sequential(
                # bias is redundant before batch norm, which subtracts the mean anyway
                nn.ConvTranspose2d(latent_dim, widths[0], start, 1, 0, bias=not batch_norm),
                *norm(widths[0]), act(),
            )
        # Stage 2: each block doubles H and W; the last one outputs the image through tanh.
        blocks = []
        for i in range(n_up):
            c_in, c_out = widths[i], widths[i + 1]
            last = i == n_up - 1
            if upsample == "transposed":
                # (H - 1) * 2 - 2 * 1 + 4 = 2H: stride 2 inserts a zero between input pixels
                up: list[nn.Module] = [nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=last or not batch_norm)]
            else:
                up = [nn.Upsample(scale_factor=2, mode="nearest"),
                      nn.Conv2d(c_in, c_out, 3, 1, 1, bias=last or not batch_norm)]
            tail = [nn.Tanh()] if last else [*norm(c_out), act()]
            blocks.append(nn.Sequential(*up, *tail))
        self.blocks = nn.Sequential(*blocks)
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
        channels: image channels.
        base_width: channels of the first block; each later block has twice as many.
        batch_norm: batch norm after every conv except the first (the input layer) and the last.
        downsample: "strided" (4x4 stride-2 conv), "avgpool" or "maxpool" (3x3 conv + 2x2 pool).
        activation: "leaky_relu" (slope 0.2) or "relu".
        fc_hidden: score the last feature map through a fully connected hidden layer.
        fc_width: width of that layer.
    """

    def __init__(
        self,
        *,
        image_size: int = 28,
        channels: int = 1,
        base_width: int = 64,
        batch_norm: bool = True,
        downsample: str = "strided",
        activation: str = "leaky_relu",
        fc_hidden: bool = False,
        fc_width: int = 1024,
    ) -> None:
        super().__init__()
        _check_positive(channels=channels, base_width=base_width, fc_width=fc_width)
        _check_choice("downsample", downsample, _DOWNSAMPLE)
        _check_choice("activation", activation, _ACTIVATIONS)
        start, n_down = _plan(image_size)
        self.image_size = image_size
        self.channels = channels
        widths = [channels] + [base_width * 2**i for i in range(n_down)]

        def act() -> nn.Module:
            return nn.LeakyReLU(0.2) if activation == "leaky_relu" else nn.ReLU()

        blocks = []
        for i in range(n_down):
            c_in, c_out = widths[i], widths[i + 1]
            use_bn = batch_norm and i > 0  # never on the input layer: it would rescale the data
            if downsample == "strided":
                # (H + 2 * 1 - 4) // 2 + 1 = H / 2: the network learns its own downsampling
                down: list[nn.Module] = [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=not use_bn)]
            else:
                pool = nn.AvgPool2d(2) if downsample == "avgpool" else nn.MaxPool2d(2)
                down = [nn.Conv2d(c_in, c_out, 3, 1, 1, bias=not use_bn), pool]
            blocks.append(nn.Sequential(*down, *([nn.BatchNorm2d(c_out)] if use_bn else []), act()))
        self.blocks = nn.Sequential(*blocks)
        if fc_hidden:
            self.head = nn.Sequential(
                nn.Flatten(), nn.Linear(widths[-1] * start * start, fc_width), act(),
                nn.Linear(fc_width, 1),
            )
        else:
            # a conv whose kernel covers the whole last map: one logit per image, no FC layer
            self.head = nn.Sequential(nn.Conv2d(widths[-1], 1, start, 1, 0), nn.Flatten())
        init_dcgan_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        expected = (self.channels, self.image_size, self.image_size)
        if tuple(x.shape[1:]) != expected:
            raise ValueError(
                f"expected images of shape (N, {', '.join(map(str, expected))}), "
                f"got {tuple(x.shape)}"
            )
        # Shapes below for image_size=28, base_width=64.
        h = self.blocks(x)  # (N, 64, 14, 14) -> (N, 128, 7, 7)
        return self.head(h).squeeze(1)  # (N, 1) -> (N,)
