"""Synthetic digits rendered from a font, framed like MNIST: the "simulated" domain of refinement.

SimGAN (Shrivastava et al. 2017) refines cheap synthetic images until they look real while
keeping what made them useful (their label). Here the synthetic images are digits typeset in the
DejaVu fonts that Matplotlib ships (`matplotlib/mpl-data/fonts/ttf`, so nothing is downloaded),
drawn with PIL and normalised the way MNIST was built:

1. the glyph is drawn large (`render_size` pixels per em) with a random extra stroke width, then
   distorted by a small random affine map (rotation, horizontal shear, width scaling) -- the
   variation a writer adds;
2. its bounding box is resized, aspect ratio kept, to fit a 20x20 box (anti-aliased);
3. it is placed in a 28x28 field so that its centre of mass lands on pixel (14, 14), rounded to
   whole pixels (MNIST's centring; MNIST test digits have their centre of mass at (13.99, 14.01)
   on average).

All randomness comes from one `torch.Generator`, so a seed fixes the whole batch.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import matplotlib
import numpy as np
import torch

from gan_lib.checks import check_int, check_number

__all__ = ["render_digits", "font_path", "DEFAULT_FONTS", "FIELD", "BOX"]

FIELD = 28  # side of the image, as MNIST
BOX = 20  # MNIST fits each digit's bounding box into 20x20
_CENTRE = 14.0  # where MNIST puts the centre of mass (row, col), pixel-index coordinates
DEFAULT_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                 "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")


def font_path(name: str) -> Path:
    """Path of a font file that Matplotlib ships, e.g. "DejaVuSans.ttf".

    Args:
        name: a file name in matplotlib's `mpl-data/fonts/ttf` folder.
    """
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    path = folder / name
    if not path.is_file():
        shipped = sorted(p.name for p in folder.glob("DejaVu*.ttf"))
        raise ValueError(f"font {name!r} is not in {folder}; Matplotlib ships e.g. {shipped}")
    return path


@lru_cache(maxsize=16)
def _font(name: str, size: int):
    from PIL import ImageFont  # deferred: only this module needs PIL directly

    return ImageFont.truetype(str(font_path(name)), size)


def _glyph(digit: int, font: str, size: int, stroke: int, angle: float, shear: float,
           aspect: float) -> np.ndarray:
    """The distorted glyph cropped to its bounding box, float32 in [0, 1], at render size."""
    from PIL import Image, ImageDraw

    canvas = 2 * size
    img = Image.new("L", (canvas, canvas), 0)
    ImageDraw.Draw(img).text((canvas / 2, canvas / 2), str(digit), fill=255,
                             font=_font(font, size), anchor="mm",
                             stroke_width=stroke, stroke_fill=255)
    # Forward map about the centre: A = R(angle) @ Shear(shear) @ diag(aspect, 1); PIL's AFFINE
    # wants the inverse (output pixel -> input pixel).
    c, s = math.cos(angle), math.sin(angle)
    a = np.array([[c, -s], [s, c]]) @ np.array([[1.0, shear], [0.0, 1.0]]) @ np.diag([aspect, 1.0])
    inv = np.linalg.inv(a)
    centre = np.array([canvas / 2, canvas / 2])
    offset = centre - inv @ centre
    img = img.transform((canvas, canvas), Image.Transform.AFFINE,
                        (inv[0, 0], inv[0, 1], offset[0], inv[1, 0], inv[1, 1], offset[1]),
                        resample=Image.Resampling.BILINEAR)
    bbox = img.getbbox()
    img = img.crop(bbox)
    # 2. fit the bounding box into BOX x BOX, aspect ratio kept
    w, h = img.size
    scale = BOX / max(w, h)
    img = img.resize((max(1, round(w * scale)), max(1, round(h * scale))),
                     Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=np.float32) / 255.0


def _place(glyph: np.ndarray) -> np.ndarray:
    """3. the glyph in a FIELD x FIELD image, centre of mass at (14, 14) rounded to whole pixels."""
    h, w = glyph.shape
    mass = glyph.sum()
    com_r = (glyph.sum(axis=1) * np.arange(h)).sum() / mass
    com_c = (glyph.sum(axis=0) * np.arange(w)).sum() / mass
    top = int(np.clip(round(_CENTRE - com_r), 0, FIELD - h))  # never cut the glyph
    left = int(np.clip(round(_CENTRE - com_c), 0, FIELD - w))
    out = np.zeros((FIELD, FIELD), dtype=np.float32)
    out[top:top + h, left:left + w] = glyph
    return out


def render_digits(
    n: int,
    *,
    labels: torch.Tensor | Sequence[int] | None = None,
    generator: torch.Generator | None = None,
    fonts: Sequence[str] = DEFAULT_FONTS,
    max_rotation: float = 12.0,
    max_shear: float = 0.25,
    aspect_range: tuple[float, float] = (0.8, 1.1),
    max_extra_stroke: float = 0.04,
    render_size: int = 96,
) -> tuple[torch.Tensor, torch.Tensor]:
    """n font-rendered digits framed like MNIST, with random small affine jitter.

    Args:
        n: number of digits.
        labels: the digits to draw, n ints in 0..9; default uniform from `generator`.
        generator: a CPU torch.Generator; the same seed gives the same images and labels.
        fonts: file names of Matplotlib-shipped fonts (`font_path`); one is drawn per digit.
        max_rotation: rotation uniform in [-max_rotation, max_rotation] degrees.
        max_shear: horizontal shear uniform in [-max_shear, max_shear] (a slant).
        aspect_range: width scaling uniform in this range (narrow to wide writing).
        max_extra_stroke: an outline of width uniform in [0, max_extra_stroke] em is added
            around the glyph (a thicker pen).
        render_size: font size in pixels of the high-resolution drawing.

    Returns:
        images: float32 (n, 1, 28, 28) in [-1, 1] (background -1, ink +1), like load_mnist.
        labels: int64 (n,).
    """
    check_int("n", n, minimum=1, hint="the number of digits")
    check_int("render_size", render_size, minimum=20, hint="pixels per em")
    if not fonts:
        raise ValueError("fonts is empty; pass at least one font file name, e.g. 'DejaVuSans.ttf'")
    for name in fonts:
        font_path(name)  # fail before drawing anything
    lo, hi = aspect_range
    if not 0 < lo <= hi:
        raise ValueError(f"aspect_range must be (low, high) with 0 < low <= high, got {aspect_range!r}")
    for name, value in dict(max_rotation=max_rotation, max_shear=max_shear,
                            max_extra_stroke=max_extra_stroke).items():
        check_number(name, value, low=0)
    if labels is None:
        labels = torch.randint(0, 10, (n,), generator=generator)
    else:
        labels = torch.as_tensor(labels, dtype=torch.int64).flatten().cpu()
        if labels.numel() != n or labels.min() < 0 or labels.max() > 9:
            raise ValueError(f"labels must be {n} digits in 0..9, got {labels.tolist()[:20]}")
    u = torch.rand(5, n, generator=generator, dtype=torch.float64)  # all draws at once
    font_idx = (u[0] * len(fonts)).long().clamp(max=len(fonts) - 1)
    angles = torch.deg2rad((2 * u[1] - 1) * max_rotation)
    shears = (2 * u[2] - 1) * max_shear
    aspects = lo + (hi - lo) * u[3]
    strokes = (u[4] * max_extra_stroke * render_size).round().long()

    images = np.stack([
        _place(_glyph(int(labels[i]), fonts[int(font_idx[i])], render_size, int(strokes[i]),
                      float(angles[i]), float(shears[i]), float(aspects[i])))
        for i in range(n)
    ])
    images = torch.from_numpy(images).unsqueeze(1)  # (n, 1, 28, 28) in [0, 1]
    return images * 2 - 1, labels.to(torch.int64)
