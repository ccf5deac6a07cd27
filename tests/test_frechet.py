"""Fréchet distance: hand-computed values, metric properties, input validation."""

import math

import numpy as np
import pytest
import torch

from gan_lib.metrics import (
    frechet_distance,
    frechet_distance_from_stats,
    gaussian_stats,
)


def whitened(n: int, d: int, seed: int) -> torch.Tensor:
    """n samples whose sample mean is exactly 0 and unbiased sample covariance exactly I."""
    x = torch.randn(n, d, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    x = x - x.mean(0)
    cov = x.T @ x / (n - 1)
    vals, vecs = torch.linalg.eigh(cov)
    return x @ vecs @ torch.diag(vals.rsqrt()) @ vecs.T


def test_closed_form_for_diagonal_gaussians():
    # ||(0,0) - (3,4)||^2 = 25; Tr term for diagonal C: sum (sqrt(a_i) - sqrt(b_i))^2
    # = (2 - 1)^2 + (3 - 1)^2 = 5; total 30.
    fd = frechet_distance_from_stats(
        torch.tensor([0.0, 0.0]), torch.diag(torch.tensor([4.0, 9.0])),
        torch.tensor([3.0, 4.0]), torch.diag(torch.tensor([1.0, 1.0])),
    )
    assert fd == pytest.approx(30.0, abs=1e-10)


def test_samples_with_known_statistics_give_the_closed_form():
    # Rows scaled by (2, 3) have covariance diag(4, 9); rows + (3, 4) have mean (3, 4): FD = 30.
    a = whitened(200, 2, seed=0) * torch.tensor([2.0, 3.0], dtype=torch.float64)
    b = whitened(300, 2, seed=1) + torch.tensor([3.0, 4.0], dtype=torch.float64)
    assert frechet_distance(a, b) == pytest.approx(30.0, abs=1e-9)


def test_full_covariances_match_the_nonsymmetric_formula():
    # Tr((Ca^1/2 Cb Ca^1/2)^1/2) = sum sqrt(eig(Ca Cb)): an independent route to the same number.
    g = torch.Generator().manual_seed(3)
    a = torch.randn(400, 5, generator=g, dtype=torch.float64) @ torch.randn(5, 5, generator=g,
                                                                           dtype=torch.float64)
    b = torch.randn(400, 5, generator=g, dtype=torch.float64) * 2 + 1
    mu_a, ca = gaussian_stats(a)
    mu_b, cb = gaussian_stats(b)
    tr_sqrt = torch.linalg.eigvals(ca @ cb).real.clamp(min=0).sqrt().sum()
    expected = ((mu_a - mu_b).square().sum() + ca.trace() + cb.trace() - 2 * tr_sqrt).item()
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-9)


def test_identical_sets_have_zero_distance():
    x = torch.randn(500, 16, generator=torch.Generator().manual_seed(0))
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-8)


def test_symmetric_and_permutation_invariant():
    g = torch.Generator().manual_seed(1)
    a = torch.randn(300, 8, generator=g)
    b = torch.randn(250, 8, generator=g) * 1.5 + 0.3
    fd = frechet_distance(a, b)
    assert fd > 1.0
    assert frechet_distance(b, a) == pytest.approx(fd, rel=1e-9)
    perm = torch.randperm(300, generator=g)
    assert frechet_distance(a[perm], b) == pytest.approx(fd, rel=1e-9)


def test_mean_shift_adds_its_squared_length():
    # Same covariance, so the trace term vanishes and FD = ||shift||^2 exactly.
    x = torch.randn(400, 6, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    values = []
    for t in (0.5, 1.0, 2.0):
        shift = torch.full((6,), t, dtype=torch.float64)
        values.append(frechet_distance(x, x + shift))
        assert values[-1] == pytest.approx(6 * t * t, rel=1e-9)
    assert values == sorted(values)


def test_rank_deficient_features_stay_finite():
    # A dead ReLU unit gives a constant feature and a singular covariance.
    x = torch.randn(100, 4, generator=torch.Generator().manual_seed(4))
    x[:, 0] = 0.0
    y = x + 0.1
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-8)
    assert frechet_distance(x, y) == pytest.approx(4 * 0.01, rel=1e-6)


def test_accepts_numpy_arrays():
    x = np.random.default_rng(0).normal(size=(50, 3))
    assert frechet_distance(x, x + 1.0) == pytest.approx(3.0, rel=1e-9)


def test_gaussian_stats_are_unbiased():
    x = torch.tensor([[1.0, 2.0], [3.0, 2.0], [5.0, 8.0]])
    mu, cov = gaussian_stats(x)
    assert mu.tolist() == pytest.approx([3.0, 4.0])
    # deviations (-2,-2), (0,-2), (2,4); divided by n - 1 = 2
    assert cov.tolist() == [[4.0, 6.0], [6.0, 12.0]]
    assert cov.dtype == torch.float64


@pytest.mark.parametrize(
    "a, b, error, message",
    [
        (torch.zeros(10), torch.zeros(10, 3), ValueError, "must be 2-D"),
        (torch.zeros(10, 3), torch.zeros(10, 4), ValueError, "feature dimensions differ"),
        (torch.zeros(1, 3), torch.zeros(10, 3), ValueError, "at least 2"),
        (torch.full((5, 3), math.nan), torch.zeros(5, 3), ValueError, "NaN or infinite"),
        ([[0.0, 1.0], [1.0, 0.0]], torch.zeros(5, 2), TypeError, "torch.Tensor or numpy"),
    ],
)
def test_bad_inputs_are_rejected_clearly(a, b, error, message):
    with pytest.raises(error, match=message):
        frechet_distance(a, b)


def test_stats_shape_mismatch_is_rejected():
    with pytest.raises(ValueError, match=r"covariances of shape \(d, d\)"):
        frechet_distance_from_stats(torch.zeros(2), torch.eye(3), torch.zeros(2), torch.eye(2))
