"""Gradient play on the bilinear game min_x max_y f(x, y) = x * y, the smallest non-converging GAN.

The unique equilibrium is (0, 0), and the gradients are simple: df/dx = y, df/dy = x. Each
player follows its own gradient with step `lr` (x descends, y ascends):

- "simultaneous": both move from the same point,
      x' = x - lr * y,   y' = y + lr * x.
  The map multiplies the distance to the equilibrium by sqrt(1 + lr^2) every step: an outward
  spiral, for every lr > 0.
- "alternating": y (the discriminator's role, the maximiser) moves first and x (the generator's
  role) answers the new y, the order of `fit` and `gan_step` (D, then G against the updated D):
      y' = y + lr * x,   x' = x - lr * y'.
  This map has determinant 1 and keeps x^2 + y^2 + lr * x * y constant (expand
  x'^2 + y'^2 + lr * x' * y' = x^2 + y' * (y' - lr * x) = x^2 + y' * y): the iterates circle the
  equilibrium for ever (lr < 2), neither escaping nor arriving.
- "extragradient": look ahead one simultaneous step, then update from the original point with
  the gradient at the look-ahead point; the distance shrinks by sqrt(1 - lr^2 + lr^4) per step,
  so it converges for 0 < lr < 1.
"""

from __future__ import annotations

import math

import torch

from gan_lib.checks import check_choice, check_int, check_number

__all__ = ["BILINEAR_METHODS", "bilinear_trajectory", "bilinear_radius_factor"]

BILINEAR_METHODS = ("simultaneous", "alternating", "extragradient")


def bilinear_trajectory(
    *, x0: float = 1.0, y0: float = 1.0, lr: float = 0.1, steps: int = 100,
    method: str = "simultaneous",
) -> torch.Tensor:
    """The iterates (steps + 1, 2) of gradient play on f(x, y) = x * y, starting at (x0, y0).

    Args:
        x0, y0: the starting point.
        lr: step size of both players, > 0.
        steps: number of updates.
        method: "simultaneous", "alternating" or "extragradient".
    """
    check_choice("method", method, BILINEAR_METHODS)
    check_number("lr", lr, low=0, low_open=True)
    check_int("steps", steps, minimum=0)
    x, y = float(x0), float(y0)
    path = [(x, y)]
    for _ in range(steps):
        if method == "simultaneous":
            x, y = x - lr * y, y + lr * x
        elif method == "alternating":
            y = y + lr * x  # D's role moves first, as in `fit`
            x = x - lr * y  # G's role answers the y just played
        else:
            xh, yh = x - lr * y, y + lr * x  # look-ahead
            x, y = x - lr * yh, y + lr * xh
        path.append((x, y))
    return torch.tensor(path, dtype=torch.float64)


def bilinear_radius_factor(*, lr: float, method: str = "simultaneous") -> float:
    """Per-step factor on the distance to (0, 0) (simultaneous, extragradient; exact).

    Args:
        lr: step size, > 0.
        method: "simultaneous" (sqrt(1 + lr^2)) or "extragradient" (sqrt(1 - lr^2 + lr^4)).
            Alternating play has no constant factor: its distance oscillates within bounds.
    """
    # alternating play is not offered: its distance oscillates, there is no constant factor
    check_choice("method", method, ("simultaneous", "extragradient"))
    if method == "simultaneous":
        return math.sqrt(1 + lr**2)
    return math.sqrt(1 - lr**2 + lr**4)
