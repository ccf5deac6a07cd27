"""gan_lib.metrics.mode_coverage on constructed samples with known answers."""

import math

import pytest
import torch

from gan_lib.metrics import mode_coverage
from gan_lib.theory import Mixture2D

RING = Mixture2D.ring()  # 8 modes, radius 2, std 0.02


def test_real_samples_cover_every_mode():
    cov = mode_coverage(RING.sample(4000, generator=torch.Generator().manual_seed(0)), RING)
    assert cov.modes_captured == 8 and cov.num_modes == 8
    assert cov.high_quality_fraction > 0.98
    assert cov.reverse_kl < 0.01


def test_all_samples_on_one_mode():
    samples = RING.centers[3].repeat(100, 1)
    cov = mode_coverage(samples, RING)
    assert cov.modes_captured == 1 and cov.high_quality_fraction == 1.0
    assert cov.counts == (0, 0, 0, 100, 0, 0, 0, 0)
    assert math.isclose(cov.reverse_kl, math.log(8), rel_tol=1e-9)


def test_hand_computed_mix_of_good_and_bad_samples():
    c = RING.centers
    samples = torch.cat([
        c[0].repeat(3, 1),                              # 3 exact hits on mode 0
        c[1] + torch.tensor([[2.5 * 0.02, 0.0]]),        # mode 1, 2.5 std away: high quality
        c[2] + torch.tensor([[0.0, 4.0 * 0.02]]),        # nearest mode 2 but 4 std away: not
        torch.zeros(1, 2) + torch.tensor([[0.1, 0.0]]),  # near the centre: nearest mode 0, bad
    ])
    cov = mode_coverage(samples, RING)
    assert cov.counts == (4, 1, 1, 0, 0, 0, 0, 0)
    assert cov.high_quality_counts == (3, 1, 0, 0, 0, 0, 0, 0)
    assert cov.modes_captured == 2
    assert math.isclose(cov.high_quality_fraction, 4 / 6)
    q = torch.tensor([4 / 6, 1 / 6, 1 / 6], dtype=torch.float64)
    assert math.isclose(cov.reverse_kl, (q * (8 * q).log()).sum().item(), rel_tol=1e-9)
    # a looser threshold admits the 4-std sample
    assert mode_coverage(samples, RING, threshold=5.0).modes_captured == 3


def test_uniform_histogram_has_zero_reverse_kl_on_the_grid():
    grid = Mixture2D.grid()
    cov = mode_coverage(grid.centers.repeat(2, 1), grid)
    assert cov.modes_captured == 25 and cov.reverse_kl == 0.0
    assert "25/25" in cov.summary()


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        mode_coverage(torch.zeros(5, 3), RING)
    with pytest.raises(ValueError, match="empty"):
        mode_coverage(torch.zeros(0, 2), RING)
    with pytest.raises(ValueError, match="NaN"):
        mode_coverage(torch.full((2, 2), float("nan")), RING)
    with pytest.raises(TypeError, match="Mixture2D"):
        mode_coverage(torch.zeros(5, 2), "ring")
    with pytest.raises(ValueError, match="threshold"):
        mode_coverage(torch.zeros(5, 2), RING, threshold=0)


def test_reverse_kl_over_high_quality_samples_only():
    c = RING.centers
    # 2 good samples on mode 0, 2 good on mode 1, and 4 bad ones whose nearest mode is 2
    samples = torch.cat([c[0].repeat(2, 1), c[1].repeat(2, 1), (c[2] * 0.5).repeat(4, 1)])
    cov = mode_coverage(samples, RING)
    assert cov.high_quality_counts == (2, 2, 0, 0, 0, 0, 0, 0)
    assert math.isclose(cov.reverse_kl_high_quality, math.log(4), rel_tol=1e-9)  # 1/2, 1/2 of 8
    assert math.isclose(cov.reverse_kl, math.log(8 / 4) * 0.5 + math.log(8 / 2) * 0.5, rel_tol=1e-9)
    none_good = mode_coverage(torch.zeros(3, 2), RING)
    assert math.isnan(none_good.reverse_kl_high_quality)
