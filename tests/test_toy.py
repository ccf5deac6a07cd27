"""gan_lib.toy: 1-D densities integrate to 1, samples match the moments, validation errors."""

import math

import pytest
import torch

from gan_lib.theory import Gaussian1D, GaussianMixture1D

GRID = torch.linspace(-15.0, 15.0, 6001, dtype=torch.float64)


def test_gaussian_pdf_hand_values():
    g = Gaussian1D(mean=1.0, std=2.0)
    x = torch.tensor([1.0, 3.0], dtype=torch.float64)
    expected = torch.tensor(
        [1 / (2 * math.sqrt(2 * math.pi)), math.exp(-0.5) / (2 * math.sqrt(2 * math.pi))],
        dtype=torch.float64,
    )
    torch.testing.assert_close(g.pdf(x), expected)
    torch.testing.assert_close(g.log_prob(x), expected.log())


@pytest.mark.parametrize(
    "dist",
    [
        Gaussian1D(mean=0.5, std=0.7),
        GaussianMixture1D(means=(-2.0, 2.0), stds=(0.5, 0.5)),
        GaussianMixture1D(means=(-3.0, 0.0, 4.0), stds=(0.3, 1.0, 0.8), weights=(0.2, 0.5, 0.3)),
    ],
)
def test_pdf_integrates_to_one_and_matches_moments(dist):
    p = dist.pdf(GRID)
    assert p.shape == GRID.shape and p.dtype == torch.float64
    assert abs(torch.trapezoid(p, GRID).item() - 1.0) < 1e-9
    mean = torch.trapezoid(GRID * p, GRID).item()
    var = torch.trapezoid((GRID - mean) ** 2 * p, GRID).item()
    assert mean == pytest.approx(dist.mean, abs=1e-8)
    assert var == pytest.approx(dist.variance, abs=1e-8)


def test_mixture_pdf_is_weighted_sum_and_log_prob_stable_in_tails():
    mix = GaussianMixture1D(means=(-1.0, 2.0), stds=(0.5, 1.5), weights=(0.25, 0.75))
    x = torch.linspace(-4, 6, 11, dtype=torch.float64)
    by_hand = 0.25 * Gaussian1D(mean=-1, std=0.5).pdf(x) + 0.75 * Gaussian1D(mean=2, std=1.5).pdf(x)
    torch.testing.assert_close(mix.pdf(x), by_hand)
    # far in the tail the pdf underflows to 0 but log-sum-exp keeps log_prob finite
    far = torch.tensor([200.0], dtype=torch.float64)
    assert mix.pdf(far).item() == 0.0
    assert torch.isfinite(mix.log_prob(far)).all()
    assert mix.log_prob(far).item() == pytest.approx(
        Gaussian1D(mean=2, std=1.5).log_prob(far).item() + math.log(0.75)
    )


def test_pdf_keeps_shape_and_promotes_integers():
    mix = GaussianMixture1D()
    assert mix.pdf(torch.zeros(4, 1)).shape == (4, 1)
    assert mix.pdf(torch.arange(3)).dtype == torch.get_default_dtype()


@pytest.mark.parametrize(
    "dist",
    [Gaussian1D(mean=-1.0, std=0.5), GaussianMixture1D(means=(-2.0, 3.0), stds=(0.5, 1.0), weights=(0.3, 0.7))],
)
def test_samples_match_moments_and_are_reproducible(dist):
    n = 200_000
    s = dist.sample(n, generator=torch.Generator().manual_seed(0))
    assert s.shape == (n, 1) and s.dtype == torch.float32
    # standard error of the mean is std/sqrt(n) ~ 0.005 here; 5 standard errors of slack
    assert s.mean().item() == pytest.approx(dist.mean, abs=5 * math.sqrt(dist.variance / n))
    assert s.var().item() == pytest.approx(dist.variance, rel=0.02)
    again = dist.sample(n, generator=torch.Generator().manual_seed(0))
    other = dist.sample(n, generator=torch.Generator().manual_seed(1))
    assert torch.equal(s, again)
    assert not torch.equal(s, other)


def test_mixture_component_frequencies_follow_weights():
    mix = GaussianMixture1D(means=(-10.0, 10.0), stds=(0.1, 0.1), weights=(0.2, 0.8))
    s = mix.sample(50_000, generator=torch.Generator().manual_seed(3))
    assert (s < 0).float().mean().item() == pytest.approx(0.2, abs=0.01)


def test_sample_dtype_and_zero():
    assert Gaussian1D().sample(3, dtype=torch.float64).dtype == torch.float64
    assert GaussianMixture1D().sample(0).shape == (0, 1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(means=(0.0, 1.0), stds=(1.0, 1.0), weights=(0.5, 0.6)), "weights must sum to 1"),
        (dict(means=(0.0, 1.0), stds=(1.0, 1.0), weights=(1.5, -0.5)), "weights must be finite and >= 0"),
        (dict(means=(0.0, 1.0), stds=(1.0,)), "same length"),
        (dict(means=(0.0, 1.0), stds=(1.0, 1.0), weights=(1.0,)), "one entry per component"),
        (dict(means=(0.0, 1.0), stds=(1.0, 0.0)), r"stds\[1\] must be a finite number > 0"),
        (dict(means=(), stds=()), "at least one component"),
    ],
)
def test_mixture_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        GaussianMixture1D(**kwargs)


def test_gaussian_validation_and_bad_inputs():
    with pytest.raises(ValueError, match="std must be a finite number > 0"):
        Gaussian1D(std=-1.0)
    with pytest.raises(ValueError, match="mean must be a finite number"):
        Gaussian1D(mean=float("nan"))
    with pytest.raises(TypeError, match="torch.as_tensor"):
        Gaussian1D().pdf([0.0, 1.0])
    with pytest.raises(ValueError, match="number of samples"):
        Gaussian1D().sample(-1)
    with pytest.raises(ValueError, match="number of samples"):
        GaussianMixture1D().sample(2.5)
