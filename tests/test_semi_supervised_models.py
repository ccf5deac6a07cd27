"""The semi-supervised GAN's networks: GaussianNoise (noise in training only, of the right std),
SemiSupervisedDiscriminator (shapes, weight norm, noise only in training, input errors), the
(G, D) pair, and SEMI_SUPERVISED_SETTINGS as accepted by fit."""

import math

import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize

from gan_lib.data.label_subsets import balanced_indices, hide_labels
from gan_lib.models import (
    SEMI_SUPERVISED_SETTINGS,
    GaussianNoise,
    SemiSupervisedDiscriminator,
    semi_supervised_pair,
)
from gan_lib.train import SemiSupervised, fit

SMALL = (32, 16)  # hidden widths that keep a test fast


def images(n, seed=0, shape=(1, 28, 28)):
    return torch.rand(n, *shape, generator=torch.Generator().manual_seed(seed)) * 2 - 1


# -- GaussianNoise ------------------------------------------------------------------------------

def test_noise_is_the_identity_in_eval_mode():
    x = images(8)
    noise = GaussianNoise(0.5).eval()
    assert noise(x) is x


@pytest.mark.parametrize("std", [0.3, 0.5, 2.0])
def test_noise_in_training_has_mean_zero_and_the_given_std(std):
    torch.manual_seed(0)
    x = torch.linspace(-3, 3, 200_000)
    added = GaussianNoise(std).train()(x) - x
    # 200,000 draws: the standard errors of the mean and the std are std/447 and std/632
    assert abs(added.mean().item()) < 0.02 * std
    assert added.std().item() == pytest.approx(std, rel=0.02)


def test_zero_std_adds_nothing_even_in_training():
    x = images(4)
    assert torch.equal(GaussianNoise(0.0).train()(x), x)


@pytest.mark.parametrize("std", [-0.1, float("nan")])
def test_negative_or_nan_noise_std_is_refused(std):
    with pytest.raises(ValueError, match="noise std must be >= 0"):
        GaussianNoise(std)


def test_noise_shows_its_std_in_the_repr():
    assert "std=0.3" in repr(GaussianNoise(0.3))


# -- SemiSupervisedDiscriminator ----------------------------------------------------------------

def test_default_discriminator_gives_k_logits_and_250_features():
    d = SemiSupervisedDiscriminator().eval()
    x = images(5)
    assert d(x).shape == (5, 10)
    assert d.features(x).shape == (5, 250)
    assert d.num_classes == 10 and d.in_shape == (1, 28, 28)


def test_custom_classes_shape_and_hidden_dims():
    d = SemiSupervisedDiscriminator(num_classes=3, in_shape=(2, 4, 4), hidden_dims=(12, 7)).eval()
    x = images(6, shape=(2, 4, 4))
    assert d(x).shape == (6, 3)
    assert d.features(x).shape == (6, 7)
    widths = [m.out_features for m in d.modules() if isinstance(m, nn.Linear)]
    assert widths == [12, 7, 3]


def test_logits_are_the_class_layer_of_the_features():
    d = SemiSupervisedDiscriminator(hidden_dims=SMALL).eval()
    x = images(4)
    assert torch.allclose(d(x), d.classes(d.features(x)))


def test_eval_mode_is_deterministic_train_mode_is_noisy():
    d = SemiSupervisedDiscriminator(hidden_dims=SMALL)
    x = images(4)
    d.eval()
    assert torch.equal(d(x), d(x))
    d.train()
    torch.manual_seed(0)
    assert not torch.allclose(d(x), d(x))


def test_without_noise_train_mode_equals_eval_mode():
    d = SemiSupervisedDiscriminator(hidden_dims=SMALL, input_noise=0.0, hidden_noise=0.0)
    x = images(4)
    assert torch.equal(d.train()(x), d.eval()(x))


def test_noise_layers_have_the_given_stds():
    d = SemiSupervisedDiscriminator(hidden_dims=(8, 8, 8), input_noise=0.2, hidden_noise=0.7)
    stds = [m.std for m in d.modules() if isinstance(m, GaussianNoise)]
    assert stds == [0.2, 0.7, 0.7, 0.7]


def test_every_linear_layer_is_weight_normalised():
    d = SemiSupervisedDiscriminator(hidden_dims=SMALL)
    linears = [m for m in d.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == len(SMALL) + 1
    for layer in linears:
        assert parametrize.is_parametrized(layer, "weight")
        g = layer.parametrizations.weight.original0  # the norm of each row
        v = layer.parametrizations.weight.original1  # the direction
        assert torch.allclose(layer.weight, g * v / v.norm(dim=1, keepdim=True), atol=1e-6)
        before = layer.weight.detach().clone()
        with torch.no_grad():
            g.mul_(2.0)  # the norm is a parameter of its own: doubling it doubles the weight
        assert torch.allclose(layer.weight, 2 * before, atol=1e-6)


def test_gradients_reach_every_parameter():
    d = SemiSupervisedDiscriminator(hidden_dims=SMALL).train()
    d(images(4)).logsumexp(1).sum().backward()
    trainable = [p for p in d.parameters() if p.requires_grad]
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in trainable)
    # the hidden layers' weight-norm scales are frozen, as in the reference code: no gradient
    frozen = [p for p in d.parameters() if not p.requires_grad]
    assert len(frozen) == len(SMALL) and all(p.grad is None for p in frozen)


def re_tuple(shape):
    return r"\(" + ", ".join(map(str, shape)) + r"\)"


@pytest.mark.parametrize("shape", [(2, 784), (2, 1, 14, 14), (2, 3, 28, 28)])
def test_a_wrong_image_shape_names_the_expected_one(shape):
    d = SemiSupervisedDiscriminator(hidden_dims=SMALL)
    with pytest.raises(ValueError, match=r"expected images of shape \(N, 1, 28, 28\), got "
                       + re_tuple(shape)):
        d(torch.zeros(shape))
    with pytest.raises(ValueError, match=r"expected images of shape \(N, 1, 28, 28\)"):
        d.features(torch.zeros(shape))


@pytest.mark.parametrize("k", [1, 0, -3, True, 2.0])
def test_fewer_than_two_classes_or_a_non_int_is_refused(k):
    with pytest.raises(ValueError, match="num_classes must be an int >= 2"):
        SemiSupervisedDiscriminator(num_classes=k, hidden_dims=SMALL)


@pytest.mark.parametrize("dims", [(), [], (0,), (16, -1), (8, 2.5), (True, 4)])
def test_empty_or_invalid_hidden_dims_are_refused(dims):
    with pytest.raises(ValueError, match="hidden_dims must be a non-empty sequence of positive ints"):
        SemiSupervisedDiscriminator(hidden_dims=dims)


@pytest.mark.parametrize("kw", [dict(input_noise=-0.3), dict(hidden_noise=-1.0)])
def test_negative_noise_std_is_refused(kw):
    with pytest.raises(ValueError, match="noise std must be >= 0"):
        SemiSupervisedDiscriminator(hidden_dims=SMALL, **kw)


# -- the pair and the settings ------------------------------------------------------------------

def test_pair_maps_noise_to_digits_in_range_and_has_a_ten_class_d():
    g, d = semi_supervised_pair()
    torch.manual_seed(0)
    z = torch.randn(6, 100)
    for mode in (True, False):  # batch norm behaves differently in the two modes
        x = g.train(mode)(z)
        assert x.shape == (6, 1, 28, 28)
        assert x.min() >= -1 and x.max() <= 1
    assert isinstance(d, SemiSupervisedDiscriminator) and d.num_classes == 10
    assert d.eval()(x).shape == (6, 10)


def test_pair_follows_num_classes_and_latent_dim():
    g, d = semi_supervised_pair(num_classes=4, latent_dim=12)
    x = g.eval()(torch.randn(3, 12))
    assert x.shape == (3, 1, 28, 28)
    assert d.eval()(x).shape == (3, 4)


def test_settings_are_accepted_by_fit_with_the_semi_supervised_objective():
    g, _ = semi_supervised_pair()
    d = SemiSupervisedDiscriminator(hidden_dims=SMALL)
    n = 128  # the settings' batch of 100 must fit in the data
    x = images(n)
    true_labels = torch.arange(n) % 10
    labels = hide_labels(true_labels, balanced_indices(true_labels, 1, seed=0))  # 10 labelled
    assert (labels >= 0).sum() == 10
    torch.manual_seed(0)
    history = fit(g, d, x, labels=labels, objective=SemiSupervised(), steps=2, progress=False,
                  device="cpu", **SEMI_SUPERVISED_SETTINGS)
    assert len(history) == 2
    assert {"supervised", "feature_matching"} <= set(history.keys())
    assert all(math.isfinite(v) for row in history for v in row.values())
    cfg = history.config
    assert (cfg.batch_size, cfg.lr_g, cfg.lr_d, tuple(cfg.betas)) == (
        100, 3e-3, 3e-3, (0.5, 0.999))
