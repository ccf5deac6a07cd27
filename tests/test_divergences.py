"""gan_lib.divergences: closed forms for KL/JSD, the D* formulas, the GAN value identity."""

import math

import pytest
import torch

from gan_lib.theory.divergences import (
    fit_discriminator,
    histogram_js_divergence,
    js_divergence,
    kl_divergence,
    optimal_discriminator,
    optimal_discriminator_logit,
    value_function,
)
from gan_lib.models import MLPDiscriminator
from gan_lib.theory import Gaussian1D, GaussianMixture1D

X = torch.linspace(-20.0, 20.0, 8001, dtype=torch.float64)
LOG4 = math.log(4.0)


def test_kl_of_gaussians_matches_closed_form():
    p, q = Gaussian1D(mean=0.0, std=1.0), Gaussian1D(mean=1.0, std=2.0)
    # KL(N(m1,s1^2) || N(m2,s2^2)) = log(s2/s1) + (s1^2 + (m1-m2)^2) / (2 s2^2) - 1/2
    expected = math.log(2.0) + (1.0 + 1.0) / 8.0 - 0.5
    assert kl_divergence(p.pdf(X), q.pdf(X), X).item() == pytest.approx(expected, abs=1e-10)


def test_kl_is_zero_for_equal_and_infinite_without_support():
    p = Gaussian1D().pdf(X)
    assert kl_divergence(p, p, X).item() == pytest.approx(0.0, abs=1e-12)
    x = torch.linspace(0.0, 2.0, 201, dtype=torch.float64)
    box_a = (x <= 1.0).double()
    box_b = (x >= 0.5).double() * 2 / 3
    assert math.isinf(kl_divergence(box_a, box_b, x).item())  # box_a has mass on [0, 0.5)
    # against a density that covers box_a's support the KL is finite
    assert math.isfinite(kl_divergence(box_a, torch.full_like(x, 0.5), x).item())


def test_jsd_bounds_and_symmetry():
    p, q = Gaussian1D(mean=-1.0).pdf(X), Gaussian1D(mean=1.5, std=0.5).pdf(X)
    jpq, jqp = js_divergence(p, q, X).item(), js_divergence(q, p, X).item()
    assert jpq == pytest.approx(jqp, abs=1e-14)
    assert 0 < jpq < math.log(2)
    assert js_divergence(p, p, X).item() == pytest.approx(0.0, abs=1e-12)
    # disjoint supports: JSD = log 2 exactly (up to quadrature of the boxes)
    far = Gaussian1D(mean=-10.0, std=0.3).pdf(X), Gaussian1D(mean=10.0, std=0.3).pdf(X)
    assert js_divergence(*far, X).item() == pytest.approx(math.log(2), abs=1e-10)


def test_optimal_discriminator_formulas():
    p_data = torch.tensor([1.0, 3.0, 0.0, 0.0, 2.0])
    p_g = torch.tensor([1.0, 1.0, 2.0, 0.0, 0.0])
    torch.testing.assert_close(optimal_discriminator(p_data, p_g), torch.tensor([0.5, 0.75, 0.0, 0.5, 1.0]))
    torch.testing.assert_close(
        optimal_discriminator(p_data, p_g, real_label=0.9),
        torch.tensor([0.45, 0.675, 0.0, 0.5, 0.9]),
    )
    torch.testing.assert_close(
        optimal_discriminator(p_data, p_g, real_label=0.9, fake_label=0.1),
        torch.tensor([0.5, 0.7, 0.1, 0.5, 0.9]),
    )


def test_optimal_discriminator_maximises_the_pointwise_objective():
    # a log y + b log(1 - y) over a fine y grid peaks at y = a / (a + b)
    y = torch.linspace(1e-4, 1 - 1e-4, 99_999, dtype=torch.float64)
    for a, b in [(0.3, 0.7), (2.0, 0.5), (1.0, 1.0)]:
        best = y[torch.argmax(a * y.log() + b * (1 - y).log())].item()
        d_star = optimal_discriminator(torch.tensor(a), torch.tensor(b)).item()
        assert best == pytest.approx(d_star, abs=1e-4)


@pytest.mark.parametrize(
    "p_g",
    [
        Gaussian1D(mean=0.0, std=1.0),
        Gaussian1D(mean=3.0, std=0.5),
        GaussianMixture1D(means=(-2.0, 2.0), stds=(0.5, 0.5)),
    ],
)
def test_value_at_optimal_d_is_minus_log4_plus_two_jsd(p_g):
    pd = GaussianMixture1D(means=(-2.0, 2.0), stds=(0.5, 0.5), weights=(0.3, 0.7)).pdf(X)
    pg = p_g.pdf(X)
    v = value_function(optimal_discriminator_logit(pd, pg), pd, pg, X).item()
    assert v == pytest.approx(-LOG4 + 2 * js_divergence(pd, pg, X).item(), abs=1e-10)
    # any other discriminator does worse: D* is the maximiser
    for other in (torch.zeros_like(X), X.clone(), 0.9 * optimal_discriminator_logit(pd, pg)):
        assert value_function(other, pd, pg, X).item() <= v + 1e-12


def test_value_at_equilibrium_is_minus_log4():
    p = Gaussian1D(mean=0.3, std=1.2).pdf(X)
    assert torch.all(optimal_discriminator(p, p) == 0.5)
    a = optimal_discriminator_logit(p, p)
    assert torch.all(a == 0.0)
    assert value_function(a, p, p, X).item() == pytest.approx(-LOG4, abs=1e-12)


def test_logit_agrees_with_probability_and_stays_finite():
    pd, pg = Gaussian1D().pdf(X), Gaussian1D(mean=2.0, std=0.5).pdf(X)
    d, a = optimal_discriminator(pd, pg, real_label=0.9), optimal_discriminator_logit(pd, pg, real_label=0.9)
    torch.testing.assert_close(torch.sigmoid(a), d)
    # at x = -8, p_g / p_data = 2 exp(-168) ~ 1e-73: D* rounds to 1, the logit stays finite:
    # log p_data - log p_g = -64/2 - (-(10/0.5)^2/2 - log 0.5) = 168 - log 2
    i = int(torch.searchsorted(X, torch.tensor(-8.0, dtype=torch.float64)))
    assert X[i].item() == -8.0
    assert optimal_discriminator(pd, pg)[i].item() == 1.0
    assert optimal_discriminator_logit(pd, pg)[i].item() == pytest.approx(168 - math.log(2), abs=1e-9)
    assert optimal_discriminator_logit(torch.tensor([0.0, 1.0, 0.0]), torch.tensor([0.0, 0.0, 1.0])).tolist() == [0.0, math.inf, -math.inf]
    assert value_function(torch.tensor([0.0, math.inf, -math.inf]), torch.tensor([0.0, 1.0, 0.0]), torch.tensor([0.0, 0.0, 1.0]), torch.arange(3.0)).item() == 0.0


def test_histogram_jsd():
    gen = torch.Generator().manual_seed(0)
    a = Gaussian1D().sample(20_000, generator=gen)
    b = Gaussian1D().sample(20_000, generator=gen)
    c = Gaussian1D(mean=20.0).sample(20_000, generator=gen)
    same = histogram_js_divergence(a, b, bins=40, range=(-5, 5))
    assert 0 < same < 0.005  # only sampling noise
    assert histogram_js_divergence(a, c, bins=40) == pytest.approx(math.log(2), abs=1e-12)
    # matches the closed-form JSD of two shifted Gaussians within binning/sampling error
    d = Gaussian1D(mean=1.0).sample(20_000, generator=gen)
    exact = js_divergence(Gaussian1D().pdf(X), Gaussian1D(mean=1.0).pdf(X), X).item()
    assert histogram_js_divergence(a[:, 0], d, bins=60, range=(-6, 7)) == pytest.approx(exact, abs=0.01)


@pytest.mark.parametrize("alpha", [1.0, 0.8])
def test_fit_discriminator_approaches_the_optimal_discriminator(alpha):
    # N(-1, 1) against N(1, 1): D*(x) = sigmoid(-2x), times alpha with one-sided smoothing
    real, fake = Gaussian1D(mean=-1.0), Gaussian1D(mean=1.0)
    torch.manual_seed(0)
    d = MLPDiscriminator(in_shape=(1,), hidden_dims=(16,))
    x = torch.linspace(-2.0, 2.0, 41)
    with torch.no_grad():
        before = (torch.sigmoid(d(x[:, None])) - alpha * torch.sigmoid(-2 * x)).abs().max().item()
    losses = fit_discriminator(d, real=real, fake=fake, steps=200, batch_size=128, lr=1e-2,
                               real_label=alpha, generator=torch.Generator().manual_seed(0))
    assert len(losses) == 200 and not d.training
    with torch.no_grad():
        after = (torch.sigmoid(d(x[:, None])) - alpha * torch.sigmoid(-2 * x)).abs().max().item()
    assert after < 0.05 < before
    assert sum(losses[-50:]) / 50 < losses[0]  # training lowered the loss


def test_fit_discriminator_is_reproducible_and_validates():
    def run():
        torch.manual_seed(1)
        d = MLPDiscriminator(in_shape=(1,), hidden_dims=(4,))
        return fit_discriminator(d, real=Gaussian1D(), fake=Gaussian1D(mean=2.0), steps=5,
                                 batch_size=8, generator=torch.Generator().manual_seed(2))
    assert run() == run()
    d = MLPDiscriminator(in_shape=(1,), hidden_dims=(4,))
    with pytest.raises(TypeError, match=r"real must have a \.sample"):
        fit_discriminator(d, real=torch.zeros(3), fake=Gaussian1D(), steps=1)
    with pytest.raises(ValueError, match="steps must be an int >= 1"):
        fit_discriminator(d, real=Gaussian1D(), fake=Gaussian1D(), steps=0)
    with pytest.raises(ValueError, match="lr must be a finite number > 0"):
        fit_discriminator(d, real=Gaussian1D(), fake=Gaussian1D(), steps=1, lr=0.0)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: kl_divergence(torch.ones(3), torch.ones(4), torch.arange(3.0)), ValueError, "one value per grid point"),
        (lambda: js_divergence(torch.ones(3), torch.ones(3), torch.tensor([0.0, 2.0, 1.0])), ValueError, "strictly increasing"),
        (lambda: kl_divergence(-torch.ones(3), torch.ones(3), torch.arange(3.0)), ValueError, "finite and >= 0"),
        (lambda: kl_divergence([1.0, 1.0], torch.ones(2), torch.arange(2.0)), TypeError, "p must be a torch.Tensor"),
        (lambda: optimal_discriminator(torch.ones(2), torch.ones(3)), ValueError, "same shape"),
        (lambda: optimal_discriminator(torch.ones(2), torch.ones(2), real_label=0.0), ValueError, r"real_label must be a finite number in \(0, 1\]"),
        (lambda: optimal_discriminator(torch.ones(2), torch.ones(2), fake_label=1.0), ValueError, r"fake_label must be a finite number in \[0, 1\)"),
        (lambda: value_function(torch.ones(2), torch.ones(3), torch.ones(3), torch.arange(3.0)), ValueError, "one logit per grid point"),
        (lambda: value_function(torch.full((3,), math.nan), torch.ones(3), torch.ones(3), torch.arange(3.0)), ValueError, "NaN"),
        (lambda: histogram_js_divergence(torch.ones(3, 2), torch.ones(3)), ValueError, r"shape \(n,\) or \(n, 1\)"),
        (lambda: histogram_js_divergence(torch.ones(3), torch.ones(3), range=(1, 1)), ValueError, "low < high"),
    ],
)
def test_bad_inputs_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
