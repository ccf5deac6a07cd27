"""U-Net generator (pix2pix, Isola et al. 2017): an encoder-decoder with skip connections.

Both halves repeat one standard block each (`down`, `up`), so the network is assembled by calls
to two builders:

- `down`: 4x4 convolution with stride 2 (halves H and W) + optional batch norm + LeakyReLU(0.2);
- `up`: 4x4 transposed convolution with stride 2 (doubles H and W) + batch norm + optional
  dropout + ReLU.

The encoder halves the image `depth` times; the decoder doubles it back, and before each decoder
block the encoder's feature map of the same size is concatenated on the channel axis (the skip
connection). Low-level detail (where the strokes are) then reaches the output without squeezing
through the bottleneck. The last layer is a transposed convolution to the output channels and tanh.
As in the paper, the first encoder block has no batch norm, the innermost `dropout_blocks` decoder
blocks use dropout 0.5 (pix2pix's only source of randomness: it is kept at test time if the
model stays in train mode), widths double per level up to `max_channels`, and weights start from
N(0, 0.02).

Image sizes. Every level halves exactly and the skips need matching shapes, so the network works
on a side divisible by 2**depth. Other sizes (MNIST's 28) are padded inside the model to the next
multiple of 2**depth (28 -> 32 for depth 3, 4 or 5) by replicating the border pixels (MNIST's
border is background, so this is background), and the output is cropped back: forward takes and
returns image_size x image_size images. A depth whose halvings leave less than one pixel of the
real image (2**depth > image_size) is refused at construction.
"""

from __future__ import annotations

import torch
from torch import nn

from gan_lib.checks import check_int, check_number, is_int

from .dcgan import init_dcgan_weights

__all__ = ["down", "up", "UNetGenerator", "valid_unet_depths"]


def down(in_ch: int, out_ch: int, *, batch_norm: bool = True) -> nn.Sequential:
    """Encoder block: Conv2d(4, stride 2, padding 1) [+ BatchNorm2d] + LeakyReLU(0.2).

    (H + 2 - 4) // 2 + 1 = H / 2 for even H.

    Args:
        in_ch: input channels.
        out_ch: output channels.
        batch_norm: add batch norm (pix2pix leaves it out of the first block).
    """
    check_int("in_ch", in_ch, minimum=1)
    check_int("out_ch", out_ch, minimum=1)
    # no conv bias before batch norm: BN subtracts the mean and adds its own shift
    layers: list[nn.Module] = [nn.Conv2d(in_ch, out_ch, 4, 2, 1, bias=not batch_norm)]
    if batch_norm:
        layers.append(nn.BatchNorm2d(out_ch))
    layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


def up(in_ch: int, out_ch: int, *, dropout: float = 0.0) -> nn.Sequential:
    """Decoder block: ConvTranspose2d(4, stride 2, padding 1) + BatchNorm2d [+ Dropout] + ReLU.

    (H - 1) * 2 - 2 + 4 = 2H.

    Args:
        in_ch: input channels (in a U-Net: the previous block's plus the skip's).
        out_ch: output channels.
        dropout: dropout probability; 0 leaves the layer out.
    """
    check_int("in_ch", in_ch, minimum=1)
    check_int("out_ch", out_ch, minimum=1)
    check_number("dropout", dropout, low=0, high=1, high_open=True, hint="a probability")
    layers: list[nn.Module] = [nn.ConvTranspose2d(in_ch, out_ch, 4, 2, 1, bias=False),
                               nn.BatchNorm2d(out_ch)]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def valid_unet_depths(image_size: int) -> tuple[int, ...]:
    """Depths a U-Net accepts for `image_size`: 1 .. floor(log2(image_size)).

    Args:
        image_size: side of the (square) images.
    """
    check_int("image_size", image_size, minimum=1)
    return tuple(range(1, image_size.bit_length()))  # 2**d <= image_size


class Crop(nn.Module):
    """Removes `(top, bottom, left, right)` pixels: undoes the padding of the input."""

    def __init__(self, top: int, bottom: int, left: int, right: int) -> None:
        super().__init__()
        self.margins = (top, bottom, left, right)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t, b, l, r = self.margins
        return x[..., t:x.shape[-2] - b, l:x.shape[-1] - r]

    def extra_repr(self) -> str:
        return "top={}, bottom={}, left={}, right={}".format(*self.margins)


class UNetGenerator(nn.Module):
    """source (N, in_channels, S, S) -> image (N, out_channels, S, S) in [-1, 1], S = image_size.

    Args:
        in_channels: channels of the source image.
        out_channels: channels of the generated image.
        image_size: S; sizes not divisible by 2**depth are padded inside and cropped back.
        base_channels: channels of the first encoder block; each level doubles them.
        max_channels: cap on the channels of any block (pix2pix: 512).
        depth: number of `down` blocks (and of decoder stages); the bottleneck has side
            padded_size / 2**depth.
        dropout: dropout probability in the innermost `dropout_blocks` decoder blocks.
        dropout_blocks: how many decoder blocks, counted from the bottleneck, use dropout
            (pix2pix: 3); the output layer never does.
    """

    def __init__(
        self,
        in_channels: int = 1,
        out_channels: int = 1,
        *,
        image_size: int = 28,
        base_channels: int = 64,
        max_channels: int = 512,
        depth: int = 4,
        dropout: float = 0.5,
        dropout_blocks: int = 3,
    ) -> None:
        super().__init__()
        for name, value in dict(in_channels=in_channels, out_channels=out_channels,
                                image_size=image_size, base_channels=base_channels,
                                max_channels=max_channels).items():
            check_int(name, value, minimum=1)
        check_number("dropout", dropout, low=0, high=1, high_open=True, hint="a probability")
        valid = valid_unet_depths(image_size)
        if not is_int(depth) or depth not in valid:
            raise ValueError(
                f"depth={depth!r} does not fit image_size={image_size}: {depth!r} halvings leave "
                f"less than one pixel of the image (2**depth must be <= image_size). "
                f"Valid depths for image_size={image_size}: {valid[0]}..{valid[-1]}"
                if valid else f"image_size={image_size} is too small for any U-Net; use >= 2"
            )
        check_int("dropout_blocks", dropout_blocks, minimum=0)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.image_size, self.depth = image_size, depth
        step = 2**depth
        self.padded_size = -(-image_size // step) * step  # next multiple of 2**depth
        extra = self.padded_size - image_size
        margins = (extra // 2, extra - extra // 2)  # (before, after) on each axis
        if extra:
            # ReplicationPad2d takes (left, right, top, bottom)
            self.pad: nn.Module | None = nn.ReplicationPad2d((*margins, *margins))
            self.crop: nn.Module | None = Crop(*margins, *margins)
        else:
            self.pad = self.crop = None

        widths = [min(base_channels * 2**i, max_channels) for i in range(depth)]
        # Encoder: widths[i] channels at side padded_size / 2**(i + 1).
        self.encoder = nn.ModuleList(
            [down(in_channels, widths[0], batch_norm=False)]
            + [down(widths[i - 1], widths[i]) for i in range(1, depth)]
        )
        # Decoder block k undoes encoder level depth-1-k; all but the first (which starts from the
        # bottleneck alone) read their input concatenated with the skip of the same size.
        self.decoder = nn.ModuleList()
        for k in range(depth - 1):
            level = depth - 1 - k
            c_in = widths[level] * (1 if k == 0 else 2)
            self.decoder.append(up(c_in, widths[level - 1],
                                   dropout=dropout if k < dropout_blocks else 0.0))
        out_in = widths[0] * (1 if depth == 1 else 2)
        self.output = nn.Sequential(nn.ConvTranspose2d(out_in, out_channels, 4, 2, 1), nn.Tanh())
        init_dcgan_weights(self)

    @property
    def input_shape(self) -> tuple[int, int, int]:
        """Shape of one source image, (in_channels, image_size, image_size)."""
        return (self.in_channels, self.image_size, self.image_size)

    def forward(self, source: torch.Tensor) -> torch.Tensor:
        if source.dim() != 4 or tuple(source.shape[1:]) != self.input_shape:
            raise ValueError(
                f"expected source of shape (N, {', '.join(map(str, self.input_shape))}), "
                f"got {tuple(source.shape)}"
            )
        # Shapes below for image_size=28, depth=4, base_channels=64.
        x = self.pad(source) if self.pad is not None else source  # (N, 1, 32, 32)
        skips = []
        for block in self.encoder:
            x = block(x)  # (N, 64, 16, 16) -> (N, 128, 8, 8) -> (N, 256, 4, 4) -> (N, 512, 2, 2)
            skips.append(x)
        skips.pop()  # the bottleneck is the decoder's input, not a skip
        for k, block in enumerate(self.decoder):
            x = block(x if k == 0 else torch.cat([x, skips.pop()], dim=1))
            # (N, 256, 4, 4) -> (N, 128, 8, 8) -> (N, 64, 16, 16)
        if skips:
            x = torch.cat([x, skips.pop()], dim=1)  # (N, 128, 16, 16)
        x = self.output(x)  # (N, 1, 32, 32)
        return self.crop(x) if self.crop is not None else x  # (N, 1, 28, 28)
