"""Paired image-to-image tasks made from MNIST: each turns digits into (source, target) pairs.

The target is always the digit itself; the source is a degraded or abstracted version of it,
computed from the digit alone, so a generator trained on pairs learns to undo the degradation.
Every function takes images (N, 1, 28, 28) in [-1, 1] (as `gan_lib.data.load_mnist` returns them)
and returns (source, target), both (N, 1, 28, 28) in [-1, 1] on the images' device:

- `super_resolution`: a 7x7 block-averaged copy (factor 4), upsampled back to 28x28 bilinearly,
  so that the generator maps an image to an image of the same size (the SRCNN setup). Deterministic.
- `inpainting`: a random square (inside the 20x20 box MNIST digits are fitted into) or a random
  half of the image set to a fill value, mid-grey 0 by default: MNIST's pixels are almost all
  background (-1) or ink (+1), so the generator can see where the hole is (a fill of -1 would
  be indistinguishable from background). Random from a `torch.Generator`; optionally returns the mask.
- `sketch`: an outline (thresholded Sobel edge map of the digit) or a one-pixel skeleton (the
  digit thinned by Zhang-Suen thinning), as {-1, +1} images. Deterministic.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from gan_lib.checks import check_choice, check_int, check_number, is_int
from .mnist import check_images

__all__ = ["super_resolution", "inpainting", "sketch", "sobel_magnitude", "skeletonize",
           "INPAINT_MODES", "SKETCH_KINDS", "UPSAMPLE_MODES"]

SIDE = 28
DIGIT_BOX = (4, 24)  # MNIST fits each digit into the central 20x20 box: rows/cols 4..23
INPAINT_MODES = ("square", "half")
SKETCH_KINDS = ("edges", "skeleton")
UPSAMPLE_MODES = ("bilinear", "nearest", None)


def super_resolution(
    images: torch.Tensor, *, factor: int = 4, upsample: str | None = "bilinear"
) -> tuple[torch.Tensor, torch.Tensor]:
    """(low-resolution source, digit): each factor x factor block averaged to one pixel.

    Block averaging is what a camera with factor-times larger pixels would record. The source is
    then upsampled back to 28x28 (bilinear by default: smooth, and a convex combination of the
    pixels, so it stays in [-1, 1]), so the task is image-to-image at one size.

    Args:
        images: (N, 1, 28, 28) in [-1, 1].
        factor: downsampling factor; must divide 28 (2, 4, 7, 14; 4 gives 7x7).
        upsample: "bilinear", "nearest" (visible blocks), or None to return the
            (N, 1, 28 / factor, 28 / factor) low-resolution image itself.
    """
    check_images(images)
    if not is_int(factor) or factor < 2 or SIDE % factor:
        valid = [f for f in range(2, SIDE + 1) if SIDE % f == 0]
        raise ValueError(f"factor must be an int that divides {SIDE}, one of {valid}; got {factor!r}")
    check_choice("upsample", upsample, UPSAMPLE_MODES)
    low = F.avg_pool2d(images, factor)  # (N, 1, 7, 7) for factor 4
    if upsample is None:
        return low, images
    kwargs = {"align_corners": False} if upsample == "bilinear" else {}
    source = F.interpolate(low, size=(SIDE, SIDE), mode=upsample, **kwargs)  # (N, 1, 28, 28)
    return source, images


def _box_mask(top: torch.Tensor, left: torch.Tensor, height: torch.Tensor | int,
              width: torch.Tensor | int) -> torch.Tensor:
    """(N, 1, 28, 28) bool mask, True inside rows [top, top + height) x cols [left, left + width)."""
    idx = torch.arange(SIDE)
    bottom, right = (top + height)[:, None], (left + width)[:, None]
    rows = (idx >= top[:, None]) & (idx < bottom)  # (N, 28)
    cols = (idx >= left[:, None]) & (idx < right)  # (N, 28)
    return (rows[:, :, None] & cols[:, None, :]).unsqueeze(1)


def inpainting(
    images: torch.Tensor,
    *,
    mode: str = "square",
    size: int = 12,
    fill: float = 0.0,
    generator: torch.Generator | None = None,
    return_mask: bool = False,
) -> tuple[torch.Tensor, torch.Tensor] | tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(digit with a region erased, digit), the region drawn at random per image.

    Args:
        images: (N, 1, 28, 28) in [-1, 1].
        mode: "square": a size x size square placed uniformly inside the central 20x20 digit
            box; "half": the top, bottom, left or right half of the image, chosen uniformly.
        size: side of the square (1..20); ignored for "half".
        fill: value written into the erased region, in [-1, 1] (default 0, mid-grey).
        generator: a CPU torch.Generator for reproducible regions (default: global RNG).
        return_mask: also return the mask, bool (N, 1, 28, 28), True where erased.
    """
    check_images(images)
    check_choice("mode", mode, INPAINT_MODES)
    lo, hi = DIGIT_BOX
    if mode == "square":
        check_int("size", size, minimum=1, maximum=hi - lo,
                  hint="the side of the square, inside the 20x20 digit box")
    check_number("fill", fill, low=-1, high=1, hint="the images' range")
    n = images.shape[0]
    if mode == "square":
        top, left = torch.randint(lo, hi - size + 1, (2, n), generator=generator)
        mask = _box_mask(top, left, size, size)
    else:
        side = torch.randint(0, 4, (n,), generator=generator)  # 0 top, 1 bottom, 2 left, 3 right
        half = SIDE // 2
        top = torch.where(side == 1, half, 0)
        left = torch.where(side == 3, half, 0)
        height = torch.where(side < 2, half, SIDE)
        width = torch.where(side < 2, SIDE, half)
        mask = _box_mask(top, left, height, width)
    mask = mask.to(images.device)
    source = images.masked_fill(mask, fill)
    return (source, images, mask) if return_mask else (source, images)


_SOBEL_X = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def sobel_magnitude(images: torch.Tensor) -> torch.Tensor:
    """Gradient magnitude sqrt(gx^2 + gy^2) of images (N, 1, H, W) by the 3x3 Sobel filters.

    Borders are replicated, so a uniform border has zero gradient. On [0, 1] images the largest
    possible value is 4 * sqrt(2) (a step edge along a diagonal).

    Args:
        images: (N, 1, H, W) float tensor.
    """
    kernel = torch.stack([_SOBEL_X, _SOBEL_X.T]).unsqueeze(1).to(images)  # (2, 1, 3, 3)
    grad = F.conv2d(F.pad(images, (1, 1, 1, 1), mode="replicate"), kernel)  # (N, 2, H, W)
    return grad.pow(2).sum(dim=1, keepdim=True).sqrt()  # (N, 1, H, W)


def _zhang_suen_tables() -> torch.Tensor:
    """(2, 256) bool: for each sub-step and each 8-neighbourhood code (bit i = neighbour
    P(i+2), clockwise from north), whether Zhang-Suen removes a set pixel with that neighbourhood."""
    tables = torch.zeros(2, 256, dtype=torch.bool)
    for code in range(256):
        p = [(code >> i) & 1 for i in range(8)]  # P2, P3, ..., P9
        p2, _, p4, _, p6, _, p8, _ = p
        b = sum(p)  # set neighbours: 2..6 keeps end points and interior pixels
        a = sum(p[i] == 0 and p[(i + 1) % 8] == 1 for i in range(8))  # 0->1 transitions
        if 2 <= b <= 6 and a == 1:  # removal keeps the shape connected
            tables[0, code] = p2 * p4 * p6 == 0 and p4 * p6 * p8 == 0  # south-east boundary
            tables[1, code] = p2 * p4 * p8 == 0 and p2 * p6 * p8 == 0  # north-west boundary
    return tables


_ZS_TABLES = _zhang_suen_tables()
# (dy, dx) of P2 .. P9: north, then clockwise.
_ZS_OFFSETS = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def _neighbourhood_code(x: torch.Tensor) -> torch.Tensor:
    """Per pixel of a {0, 1} long tensor (N, 1, H, W): sum of P(i+2) * 2**i, zero outside."""
    h, w = x.shape[-2:]
    p = F.pad(x, (1, 1, 1, 1))
    code = torch.zeros_like(x)
    for bit, (dy, dx) in enumerate(_ZS_OFFSETS):
        code |= p[..., 1 + dy:1 + dy + h, 1 + dx:1 + dx + w] << bit
    return code


def skeletonize(binary: torch.Tensor, *, max_iterations: int = 100) -> torch.Tensor:
    """One-pixel-wide skeleton of binary shapes by Zhang-Suen thinning (Zhang & Suen 1984).

    Each pass removes, in two sub-steps, boundary pixels whose removal keeps the shape connected
    (exactly one 0->1 transition around them, 2..6 set neighbours) until nothing changes. The
    rule depends only on the 8 neighbours, so it is a lookup in a 256-entry table per sub-step.

    Args:
        binary: (N, 1, H, W) bool or {0, 1} tensor.
        max_iterations: safety bound on passes (a 28x28 digit needs fewer than 15).
    """
    x = (binary > 0).to(torch.uint8)
    tables = _ZS_TABLES.to(x.device)
    active = torch.arange(x.shape[0], device=x.device)  # shapes that may still thin
    for _ in range(max_iterations):
        if active.numel() == 0:
            break
        y = x[active]
        changed = torch.zeros(active.numel(), dtype=torch.bool, device=x.device)
        for step in (0, 1):
            remove = (y > 0) & tables[step][_neighbourhood_code(y).long()]  # (n, 1, H, W)
            y = y.masked_fill(remove, 0)
            changed |= remove.flatten(1).any(dim=1)
        x[active] = y
        active = active[changed]  # a pass that removes nothing is a fixed point
    return x > 0


def sketch(
    images: torch.Tensor, *, kind: str = "edges", edge_threshold: float = 2.0,
    ink_threshold: float = 0.0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """(line drawing of the digit, digit): its outline or its skeleton, as {-1, +1} images.

    Args:
        images: (N, 1, 28, 28) in [-1, 1].
        kind: "edges": pixels where the Sobel gradient magnitude of the ink (the images mapped
            to [0, 1]) exceeds `edge_threshold`, an outline on both sides of each stroke;
            "skeleton": the ink (pixels above `ink_threshold`) thinned to one-pixel lines.
        edge_threshold: default 2, half the response to a full 0 -> 1 step (4), which keeps
            a two-pixel outline and drops the faint anti-aliased rim.
        ink_threshold: pixel value in [-1, 1) above which a pixel counts as ink.
    """
    check_images(images)
    check_choice("kind", kind, SKETCH_KINDS)
    check_number("edge_threshold", edge_threshold, low=0, low_open=True,
                 hint="4 is a full step edge")
    check_number("ink_threshold", ink_threshold, low=-1, high=1, high_open=True,
                 hint="a pixel value in the images' range")
    if kind == "edges":
        lines = sobel_magnitude((images + 1) / 2) > edge_threshold  # (N, 1, 28, 28) bool
    else:
        lines = skeletonize(images > ink_threshold)
    return lines.to(images.dtype) * 2 - 1, images
