"""The semi-supervised GAN's models and objective follow the reference code (openai/improved-gan)."""

import pytest
import torch

from gan_lib.models import (SemiSupervisedDiscriminator, SemiSupervisedGenerator, init_from_data_,
                            semi_supervised_pair)
from gan_lib.train import SemiSupervised, fit


def _small_d(**kw):
    return SemiSupervisedDiscriminator(in_shape=(1, 4, 4), hidden_dims=(8, 6), **kw)


def test_data_dependent_init_gives_every_unit_zero_mean_unit_variance():
    torch.manual_seed(0)
    d = _small_d(input_noise=0.0, hidden_noise=0.0)  # no noise: the check is exact
    x = torch.rand(64, 1, 4, 4)
    init_from_data_(d, x)
    h = x.flatten(1)
    for layer in [m for m in d.body if hasattr(m, "parametrizations")] + [d.classes]:
        a = torch.nn.functional.linear(h, layer.weight, layer.bias)
        torch.testing.assert_close(a.mean(0), torch.zeros(a.shape[1]), atol=1e-5, rtol=0)
        torch.testing.assert_close(a.std(0, unbiased=False), torch.ones(a.shape[1]), atol=1e-4,
                                   rtol=0)
        h = torch.relu(a)


def test_only_the_class_layer_trains_its_scale():
    d = _small_d()
    scales = {n: p.requires_grad for n, p in d.named_parameters() if n.endswith("original0")}
    assert scales == {"body.2.parametrizations.weight.original0": False,
                      "body.5.parametrizations.weight.original0": False,
                      "classes.parametrizations.weight.original0": True}


def test_features_are_read_before_the_last_noise_layer():
    torch.manual_seed(0)
    d = _small_d(input_noise=0.0, hidden_noise=0.5).train()
    d.body[4].std = 0.0  # the noise between the two hidden layers off: features are deterministic
    x = torch.rand(5, 1, 4, 4)
    torch.testing.assert_close(d.features(x), d.features(x))
    assert not torch.equal(d(x), d(x))  # the last noise layer sits between features and logits


def test_init_from_data_refuses_bad_input():
    with pytest.raises(ValueError, match="batch"):
        init_from_data_(_small_d(), torch.rand(1, 1, 4, 4))
    with pytest.raises(ValueError, match="batch"):
        init_from_data_(_small_d(), torch.rand(8, 1, 28, 28))
    with pytest.raises(TypeError, match="SemiSupervisedDiscriminator"):
        init_from_data_(torch.nn.Linear(2, 2), torch.rand(8, 2))


def test_generator_maps_normal_noise_to_pixels_in_0_1():
    torch.manual_seed(0)
    g = SemiSupervisedGenerator()
    z = torch.randn(256, 100)
    out = g(z)
    assert out.shape == (256, 1, 28, 28) and 0 <= out.min() and out.max() <= 1
    uniform = 0.5 * (1 + torch.erf(z / 2 ** 0.5))  # what G feeds its first layer
    assert abs(uniform.mean().item() - 0.5) < 0.01 and abs(uniform.var().item() - 1 / 12) < 0.005
    assert not g.net[1].weight.requires_grad  # batch norm without a scale, as the reference
    with pytest.raises(ValueError, match="z of shape"):
        g(torch.randn(2, 3))


def test_unsupervised_weight_scales_the_real_vs_fake_term():
    torch.manual_seed(0)
    d = _small_d(input_noise=0.0, hidden_noise=0.0)
    real, fake = torch.rand(4, 1, 4, 4), torch.rand(4, 1, 4, 4)
    labeled = (torch.rand(4, 1, 4, 4), torch.tensor([0, 1, 2, 3]))
    full, stats = SemiSupervised().discriminator_loss(d, real, fake, labeled=labeled)
    half, _ = SemiSupervised(unsupervised_weight=0.5).discriminator_loss(d, real, fake,
                                                                         labeled=labeled)
    supervised = stats["supervised"]
    torch.testing.assert_close(half, supervised + 0.5 * (full - supervised))
    with pytest.raises(ValueError, match="unsupervised_weight"):
        SemiSupervised(unsupervised_weight=0)


def test_feature_matching_reads_the_fresh_batch_when_given():
    d = _small_d(input_noise=0.0, hidden_noise=0.0)
    real, fake, other = torch.rand(4, 1, 4, 4), torch.rand(4, 1, 4, 4), torch.rand(4, 1, 4, 4)
    objective = SemiSupervised(fresh_feature_batch=True)
    with_other, _ = objective.generator_loss(d, real, fake, feature_batch=other)
    expected = (d.features(fake).mean(0) - d.features(other).mean(0)).square().mean()
    torch.testing.assert_close(with_other, expected)
    with pytest.raises(TypeError, match="fresh_feature_batch"):
        SemiSupervised(fresh_feature_batch=1)


def test_fit_trains_the_reference_pair_and_counts_steps_from_one():
    torch.manual_seed(0)
    g, d = semi_supervised_pair()
    x = torch.rand(300, 1, 28, 28)
    labels = torch.full((300,), -1)
    labels[:20] = torch.arange(20) % 10
    init_from_data_(d, x[:100])
    frozen = d.body[2].parametrizations.weight.original0.clone()
    seen = []
    history = fit(g, d, x, labels=labels, steps=3, progress=False, batch_size=50,
                  objective=SemiSupervised(unsupervised_weight=0.5, fresh_feature_batch=True),
                  callbacks=[lambda step, *_: seen.append(step)])
    # the step a callback sees is the number of updates made: evaluate at step % every == 0
    assert seen == [1, 2, 3] and len(history.records) == 3
    torch.testing.assert_close(d.body[2].parametrizations.weight.original0, frozen)
