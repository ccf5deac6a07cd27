"""The two classifiers of the generative-vs-discriminative chapter, on constructed and real data."""

import math

import pytest
import torch

from gan_lib.models.gaussian_class_conditional import GaussianClassConditional
from gan_lib.models.logistic_regression import LogisticRegression
from gan_lib.models.pca import PCA


def two_blobs(n=500, seed=0):
    g = torch.Generator().manual_seed(seed)
    x0 = torch.randn(n, 2, generator=g) * torch.tensor([1.0, 0.5]) + torch.tensor([-2.0, 0.0])
    x1 = torch.randn(n, 2, generator=g) * torch.tensor([0.5, 1.5]) + torch.tensor([2.0, 1.0])
    return torch.cat([x0, x1]), torch.cat([torch.zeros(n), torch.ones(n)]).long()


def test_gaussian_recovers_parameters_and_density_is_exact():
    x, y = two_blobs(n=20000)
    model = GaussianClassConditional(covariance="full", reg=0.0).fit(x, y)
    assert torch.allclose(model.means[1].float(), torch.tensor([2.0, 1.0]), atol=0.05)
    cov1 = model.scale_tril[1] @ model.scale_tril[1].T
    assert torch.allclose(cov1.float(), torch.diag(torch.tensor([0.25, 2.25])), atol=0.06)
    assert torch.allclose(model.log_prior.exp(), torch.tensor([0.5, 0.5], dtype=torch.float64))
    # log N(mu; mu, Sigma) = -0.5 (log det Sigma + d log 2 pi): check at the class mean
    at_mean = model.log_joint(model.means[1:2].float())[0, 1]
    expected = math.log(0.5) - 0.5 * (torch.logdet(cov1).item() + 2 * math.log(2 * math.pi))
    assert at_mean.item() == pytest.approx(expected, abs=1e-5)


def test_density_integrates_to_one():
    x, y = two_blobs()
    model = GaussianClassConditional(covariance="diagonal").fit(x, y)
    g = torch.linspace(-10, 10, 801)
    grid = torch.cartesian_prod(g, g)
    mass = model.log_density(grid).exp().sum() * (g[1] - g[0]) ** 2
    assert mass.item() == pytest.approx(1.0, abs=1e-3)


def test_shared_covariance_is_the_same_for_every_class():
    x, y = two_blobs()
    model = GaussianClassConditional(covariance="shared").fit(x, y)
    assert torch.equal(model.scale_tril[0], model.scale_tril[1])


def test_sampling_is_reproducible_and_follows_the_class():
    x, y = two_blobs(n=5000)
    model = GaussianClassConditional().fit(x, y)
    a, la = model.sample(4000, label=1, generator=torch.Generator().manual_seed(3))
    b, _ = model.sample(4000, label=1, generator=torch.Generator().manual_seed(3))
    assert torch.equal(a, b) and torch.all(la == 1)
    assert torch.allclose(a.mean(0), torch.tensor([2.0, 1.0]), atol=0.1)
    _, labels = model.sample(4000, generator=torch.Generator().manual_seed(4))
    assert 0.45 < labels.float().mean().item() < 0.55


def test_bad_arguments():
    with pytest.raises(ValueError, match="full, shared, diagonal"):
        GaussianClassConditional(covariance="spherical")
    x, y = two_blobs(n=10)
    with pytest.raises(ValueError, match="label 7"):
        GaussianClassConditional().fit(x, y).sample(3, label=7)


def test_both_classifiers_separate_blobs():
    x, y = two_blobs()
    xt, yt = two_blobs(seed=1)
    gauss = GaussianClassConditional().fit(x, y)
    logreg = LogisticRegression(in_features=2, num_classes=2)
    losses = logreg.fit(x, y, steps=30)
    assert losses[-1] < losses[0]
    assert (gauss.predict(xt) == yt).float().mean() > 0.98
    assert (logreg.predict(xt) == yt).float().mean() > 0.98


def test_on_real_mnist_digits(mnist_test):
    images, labels = mnist_test
    x, y, xt, yt = images[:5000], labels[:5000], images[5000:], labels[5000:]
    pca = PCA(30).fit(x)
    codes, test_codes = pca.transform(x), pca.transform(xt)
    logreg = LogisticRegression(in_features=30)
    logreg.fit(codes, y, steps=30)
    acc_logreg = (logreg.predict(test_codes) == yt).float().mean().item()
    acc_gauss = (GaussianClassConditional().fit(codes, y).predict(test_codes) == yt).float().mean().item()
    assert acc_logreg > 0.85 and acc_gauss > 0.90
