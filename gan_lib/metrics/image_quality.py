"""Pixel-level image quality: how close an output is to its target, and how sharp it is.

Both functions take images in [-1, 1], as `gan_lib.data.load_mnist` returns them.

- `psnr`: peak signal-to-noise ratio in decibels, 10 log10(range^2 / MSE), per image and then
  averaged over the batch. The range of [-1, 1] images is 2, so range^2 = 4: an output that is
  off by 1 at every pixel (MSE 1) scores 10 log10(4) = 6.02 dB, one off by 0.1 everywhere 26.02 dB.
  Higher is closer; it rewards the pixel-wise mean, so blurry averages score well.
- `grey_fraction`: the share of pixels with |x| < threshold, i.e. neither clearly background (-1)
  nor clearly ink (+1). Handwritten MNIST digits are nearly binary: only the anti-aliased rim of
  each stroke is grey. A blurry output (a regression to the mean of several plausible digits)
  has wide grey halos, so its grey fraction is well above that of real digits. Compare it with
  the grey fraction of real digits, not with 0.
"""

from __future__ import annotations

import torch

__all__ = ["psnr", "grey_fraction", "DATA_RANGE"]

#: max - min of the images' value range [-1, 1]
DATA_RANGE = 2.0


def _check_pair(output: torch.Tensor, target: torch.Tensor) -> None:
    for name, x in (("output", output), ("target", target)):
        if not isinstance(x, torch.Tensor) or not x.is_floating_point():
            raise TypeError(f"{name} must be a float tensor of images in [-1, 1], got "
                            f"{type(x).__name__ if not isinstance(x, torch.Tensor) else x.dtype}")
        if x.dim() < 2 or x.shape[0] == 0:
            raise ValueError(f"{name} must be a non-empty batch (N, ...), got {tuple(x.shape)}")
    if output.shape != target.shape:
        raise ValueError(f"output and target must have the same shape, got {tuple(output.shape)} "
                         f"and {tuple(target.shape)}; pair each output with its own target")


def psnr(output: torch.Tensor, target: torch.Tensor, *, data_range: float = DATA_RANGE,
         max_db: float = 100.0) -> float:
    """Mean over the batch of each image's PSNR, 10 log10(data_range^2 / MSE), in dB.

    Args:
        output: (N, ...) images in [-1, 1].
        target: (N, ...) the images they should equal, same shape.
        data_range: max - min of the pixel scale (2 for [-1, 1]; 1 for [0, 1]).
        max_db: cap for an image equal to its target (MSE 0 would give infinity), so that one
            perfect image does not make the mean infinite.
    """
    _check_pair(output, target)
    if not data_range > 0:
        raise ValueError(f"data_range must be > 0 (2 for images in [-1, 1]), got {data_range!r}")
    mse = (output.detach().double() - target.detach().double()).pow(2).flatten(1).mean(dim=1)
    db = 10 * torch.log10(data_range**2 / mse)  # inf where mse == 0
    return float(db.clamp(max=max_db).mean())


def grey_fraction(images: torch.Tensor, *, threshold: float = 0.5) -> float:
    """Share of pixels with |x| < threshold: neither background (-1) nor ink (+1).

    Args:
        images: (N, ...) images in [-1, 1].
        threshold: in (0, 1]; 0.5 counts pixels between a quarter and three quarters of the
            way from background to ink.
    """
    if not isinstance(images, torch.Tensor) or not images.is_floating_point() or images.numel() == 0:
        raise TypeError("images must be a non-empty float tensor of images in [-1, 1]")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    return float((images.detach().abs() < threshold).double().mean())
