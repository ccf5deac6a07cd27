"""gan_lib.games: gradient play on x * y spirals out, cycles or converges, as the algebra says."""

import math

import pytest
import torch

from gan_lib.theory.games import bilinear_radius_factor, bilinear_trajectory


def test_simultaneous_spirals_out_at_the_predicted_rate():
    path = bilinear_trajectory(x0=1.0, y0=0.5, lr=0.2, steps=50, method="simultaneous")
    assert path.shape == (51, 2)
    torch.testing.assert_close(path[0], torch.tensor([1.0, 0.5], dtype=torch.float64))
    torch.testing.assert_close(path[1], torch.tensor([1.0 - 0.2 * 0.5, 0.5 + 0.2 * 1.0],
                                                     dtype=torch.float64))
    r = path.norm(dim=1)
    torch.testing.assert_close(r[1:] / r[:-1], torch.full((50,), math.sqrt(1.04), dtype=torch.float64))
    assert bilinear_radius_factor(lr=0.2) == math.sqrt(1.04)


def test_alternating_moves_y_first_then_x_answers():
    # fit's order: D (the maximiser y) moves first, then G (the minimiser x) against the new y
    lr = 0.3
    step = bilinear_trajectory(x0=1.0, y0=0.0, lr=lr, steps=1, method="alternating")[1]
    assert step[1].item() == pytest.approx(lr)  # y' = 0 + lr * 1
    assert step[0].item() == pytest.approx(1.0 - lr**2)  # x' = 1 - lr * y', not 1 - lr * 0


def test_alternating_keeps_its_invariant_and_stays_bounded():
    lr = 0.3
    path = bilinear_trajectory(x0=1.0, y0=1.0, lr=lr, steps=500, method="alternating")
    x, y = path[:, 0], path[:, 1]
    invariant = x**2 + y**2 + lr * x * y
    torch.testing.assert_close(invariant, torch.full_like(invariant, 2 + lr), rtol=0, atol=1e-12)
    # the other order's invariant is not conserved by this map
    assert (x**2 + y**2 - lr * x * y).std() > 1e-3
    r = path.norm(dim=1)
    assert r.max() < 2.0 and r[-100:].min() > 0.5  # neither escapes nor converges


def test_extragradient_converges():
    path = bilinear_trajectory(x0=1.0, y0=1.0, lr=0.3, steps=200, method="extragradient")
    r = path.norm(dim=1)
    torch.testing.assert_close(r[1:] / r[:-1], torch.full((200,), bilinear_radius_factor(
        lr=0.3, method="extragradient"), dtype=torch.float64))
    assert r[-1] < 1e-3


def test_bad_arguments():
    with pytest.raises(ValueError, match="method='adam' is not valid; choose one of simultaneous"):
        bilinear_trajectory(method="adam")
    with pytest.raises(ValueError, match="lr"):
        bilinear_trajectory(lr=0.0)
    with pytest.raises(ValueError, match="steps"):
        bilinear_trajectory(steps=-1)
    with pytest.raises(ValueError, match="alternating"):
        bilinear_radius_factor(lr=0.1, method="alternating")
