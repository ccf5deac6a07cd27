"""PatchGAN discriminator (pix2pix, Isola et al. 2017): one logit per image patch.

The discriminator judges the pair (source, image): both are concatenated on the channel axis,
so it can tell a realistic image that does not match its source from a matching one. It is fully
convolutional and ends without pooling, so it returns a map of logits (N, 1, h, w): each logit
depends only on a square window of the input, its receptive field, and says whether that patch
looks real. The L1 term of the pix2pix loss already gets the low frequencies right; the patch
discriminator only has to judge local texture and sharpness.

Layers (pix2pix's "70x70 PatchGAN" for n_layers=3): `n_layers` stride-2 `down` blocks (the
first without batch norm), one 4x4 stride-1 conv + batch norm + LeakyReLU, and a 4x4 stride-1
conv to one channel. Receptive field for n_layers = 1, 2, 3: 16, 34, 70 pixels
(`receptive_field`). On 28x28 MNIST pairs the maps are 12x12, 5x5 and 1x1: n_layers=3 already
sees the whole image (an image-level discriminator); n_layers=1 judges 16-pixel patches.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import torch
from torch import nn

from gan_lib.checks import check_int, is_int

from .dcgan import init_dcgan_weights
from .unet import down

__all__ = ["PatchDiscriminator", "receptive_field", "conv_specs"]


def conv_specs(model: nn.Module) -> list[tuple[int, int, int]]:
    """(kernel, stride, dilation) of every Conv2d in `model`, in registration order.

    Only square kernels and strides are supported; pooling layers are not counted.

    Args:
        model: a network whose convolutions run in the order they were registered.
    """
    specs = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            (kh, kw), (sh, sw), (dh, dw) = m.kernel_size, m.stride, m.dilation
            if kh != kw or sh != sw or dh != dw:
                raise ValueError(f"only square kernels/strides/dilations are supported, got {m}")
            specs.append((kh, sh, dh))
    return specs


def receptive_field(specs: Iterable[Sequence[int]]) -> int:
    """Side of the input window one output value depends on, for a chain of convolutions.

    With r the receptive field and j the distance in input pixels between neighbouring outputs
    (the product of the strides so far), a layer with kernel k, stride s and dilation d gives
    r <- r + (d * (k - 1)) * j, then j <- j * s. Padding shifts the window but not its size.

    Args:
        specs: (kernel, stride) or (kernel, stride, dilation) per layer, input to output,
            e.g. `conv_specs(model)`.
    """
    r, j = 1, 1
    for spec in specs:
        if len(spec) not in (2, 3) or any(not is_int(v) or v < 1 for v in spec):
            raise ValueError(
                f"each layer spec must be (kernel, stride) or (kernel, stride, dilation) of "
                f"positive ints, got {tuple(spec)!r}"
            )
        k, s = spec[0], spec[1]
        d = spec[2] if len(spec) == 3 else 1
        r += d * (k - 1) * j
        j *= s
    return r


def _map_size(size: int, n_layers: int) -> int:
    """Logit-map side for input side `size`: every conv is 4x4 with padding 1, so a stride-2
    one maps s to (s + 2 - 4) // 2 + 1 = s // 2 and a stride-1 one maps s to s - 1."""
    for _ in range(n_layers):
        size = (size - 2) // 2 + 1
    return size - 2


class PatchDiscriminator(nn.Module):
    """(source, image), each (N, C, H, W) -> logits (N, 1, h, w), one per patch.

    Args:
        source_channels: channels of the source (the generator's input).
        image_channels: channels of the judged image (real target or generated).
        base_channels: channels of the first block; each further block doubles them.
        max_channels: cap on the channels of any block (pix2pix: 512).
        n_layers: stride-2 blocks; sets the patch size (1: 16, 2: 34, 3: 70 pixels).
        batch_norm: batch norm after every conv but the first and the last.
    """

    def __init__(
        self,
        source_channels: int = 1,
        image_channels: int = 1,
        *,
        base_channels: int = 64,
        max_channels: int = 512,
        n_layers: int = 3,
        batch_norm: bool = True,
    ) -> None:
        super().__init__()
        for name, value in dict(source_channels=source_channels, image_channels=image_channels,
                                base_channels=base_channels, max_channels=max_channels).items():
            check_int(name, value, minimum=1)
        check_int("n_layers", n_layers, minimum=1, hint="stride-2 blocks")
        self.source_channels, self.image_channels = source_channels, image_channels
        self.n_layers = n_layers
        widths = [min(base_channels * 2**i, max_channels) for i in range(n_layers + 1)]
        blocks = [down(source_channels + image_channels, widths[0], batch_norm=False)]
        blocks += [down(widths[i - 1], widths[i], batch_norm=batch_norm) for i in range(1, n_layers)]
        # Stride 1 from here on: the map stops shrinking, the patch keeps growing.
        blocks.append(nn.Sequential(
            nn.Conv2d(widths[n_layers - 1], widths[n_layers], 4, 1, 1, bias=not batch_norm),
            *([nn.BatchNorm2d(widths[n_layers])] if batch_norm else []),
            nn.LeakyReLU(0.2),
        ))
        blocks.append(nn.Conv2d(widths[n_layers], 1, 4, 1, 1))  # logits: no norm, no activation
        self.net = nn.Sequential(*blocks)
        init_dcgan_weights(self)

    @property
    def receptive_field(self) -> int:
        """Side, in input pixels, of the patch that one output logit judges."""
        return receptive_field(conv_specs(self))

    def output_size(self, size: int) -> int:
        """Side of the logit map for inputs of side `size` (< 1: the input is too small)."""
        return _map_size(size, self.n_layers)

    def forward(self, source: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
        for name, x, c in (("source", source, self.source_channels),
                           ("image", image, self.image_channels)):
            if x.dim() != 4 or x.shape[1] != c:
                raise ValueError(f"expected {name} of shape (N, {c}, H, W), got {tuple(x.shape)}")
        if source.shape[0] != image.shape[0] or source.shape[2:] != image.shape[2:]:
            raise ValueError(
                f"source and image must be pairs of the same batch size and size, got source "
                f"{tuple(source.shape)} and image {tuple(image.shape)}; resize or pad one to match"
            )
        h, w = source.shape[2:]
        if self.output_size(min(h, w)) < 1:
            fits = max((n for n in range(1, self.n_layers) if _map_size(min(h, w), n) >= 1),
                       default=None)
            hint = f"use n_layers <= {fits}" if fits else "use larger images"
            raise ValueError(
                f"images of size {h}x{w} are too small for n_layers={self.n_layers} "
                f"(the logit map would be empty); {hint}"
            )
        # Shapes below for 28x28 pairs, n_layers=1, base_channels=64.
        x = torch.cat([source, image], dim=1)  # (N, 2, 28, 28)
        return self.net(x)  # (N, 64, 14, 14) -> (N, 128, 13, 13) -> (N, 1, 12, 12)
