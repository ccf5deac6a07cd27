"""gan_lib.models.ensemble: K GANs trained as one pair by `fit` equal K separate `fit` runs."""

import copy

import pytest
import torch
from torch import nn

from gan_lib.models import (EnsembleDiscriminator, EnsembleGenerator, MLPGenerator,
                            benchmark_discriminator, ensemble_data)
from gan_lib.train import fit

K, LATENT = 3, 2


@pytest.fixture
def float64():
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # fit draws z in the default dtype
    yield
    torch.set_default_dtype(previous)


def small_generator(seed):
    torch.manual_seed(seed)  # batch norm and ReLU, like the benchmark's generator, but small
    return MLPGenerator(latent_dim=LATENT, hidden_dims=(16, 16), out_shape=(2,), out_activation=None,
                        negative_slope=0.0, batch_norm=True, batch_norm_momentum=0.05)


def small_discriminator(seed, packing=1):
    torch.manual_seed(100 + seed)
    return benchmark_discriminator(packing=packing, hidden=8, depth=2, pieces=3, init_std=0.3)


class NoiseSlice(nn.Module):
    """Member k alone, fed slice k of the ensemble's wide z: what the ensemble gives member k."""

    def __init__(self, g, k):
        super().__init__()
        self.g, self.k, self.latent_dim = g, k, K * LATENT

    def forward(self, z):
        return self.g(z[:, self.k * LATENT:(self.k + 1) * LATENT])


def assert_same_weights(a, b, tol=1e-12):
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys()
    for name in sa:
        assert torch.allclose(sa[name].double(), sb[name].double(), rtol=0, atol=tol), name


def test_shapes_and_member_extraction():
    gs, ds = [small_generator(s) for s in range(K)], [small_discriminator(s) for s in range(K)]
    G, D = EnsembleGenerator(gs), EnsembleDiscriminator(ds)
    assert G.latent_dim == K * LATENT and G.num_members == K
    for k in range(K):  # before any forward pass: train-mode batch norm moves running stats
        assert_same_weights(G.member(k), gs[k], tol=0)
    z = torch.randn(6, K * LATENT)
    x = G(z)
    assert x.shape == (6, K, 2) and D(x).shape == (6, K)
    G.eval()
    for k in range(K):
        g = G.member(k)
        assert type(g) is MLPGenerator and not g.training
        assert torch.allclose(G(z)[:, k], g(z[:, k * LATENT:(k + 1) * LATENT]), atol=1e-6)
        assert torch.allclose(D(x)[:, k], ds[k](x[:, k]), atol=1e-6)
    shared = EnsembleGenerator(gs, shared_noise=True)
    assert shared.latent_dim == LATENT and shared(torch.randn(4, LATENT)).shape == (4, K, 2)


def test_packed_members_score_packs_of_their_own_samples():
    D = EnsembleDiscriminator([small_discriminator(s, packing=2) for s in range(K)])
    x = torch.randn(8, K, 2)
    out = D(x)
    assert out.shape == (4, K)
    assert torch.allclose(out[:, 1], D.member(1)(x[:, 1]), atol=1e-6)


@pytest.mark.parametrize("shared_noise, own_data", [(True, False), (False, True)])
def test_fit_of_the_ensemble_equals_separate_fits(float64, shared_noise, own_data):
    gen = torch.Generator().manual_seed(0)
    sets = [torch.randn(64, 2, generator=gen) * (k + 1) for k in range(K)]
    gs, ds = [small_generator(s) for s in range(K)], [small_discriminator(s) for s in range(K)]
    G = EnsembleGenerator([copy.deepcopy(g) for g in gs], shared_noise=shared_noise)
    D = EnsembleDiscriminator([copy.deepcopy(d) for d in ds])
    settings = dict(steps=4, batch_size=16, lr_g=1e-3, lr_d=2e-3, betas=(0.8, 0.999), seed=5,
                    progress=False, ema_decay=0.9)
    data = ensemble_data(sets) if own_data else ensemble_data(sets[0], K)
    history = fit(G, D, data, **settings)
    for k in range(K):
        g = gs[k] if shared_noise else NoiseSlice(gs[k], k)
        alone = fit(g, ds[k], sets[k] if own_data else sets[0], **settings)
        assert_same_weights(G.member(k), gs[k])
        assert_same_weights(D.member(k), ds[k])
        ema = history.ema_generator.member(k)
        assert_same_weights(ema, alone.ema_generator if shared_noise else alone.ema_generator.g)
    assert len(history) == 4


def test_ensemble_is_faithful_in_float32_too():
    x = torch.randn(64, 2)
    gs, ds = [small_generator(s) for s in range(2)], [small_discriminator(s) for s in range(2)]
    G = EnsembleGenerator([copy.deepcopy(g) for g in gs], shared_noise=True)
    D = EnsembleDiscriminator([copy.deepcopy(d) for d in ds])
    settings = dict(steps=3, batch_size=16, lr_g=1e-3, lr_d=1e-3, seed=1, progress=False)
    fit(G, D, ensemble_data(x, 2), **settings)
    fit(gs[1], ds[1], x, **settings)
    assert_same_weights(G.member(1), gs[1], tol=1e-5)


def test_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match="members is empty"):
        EnsembleGenerator([])
    with pytest.raises(TypeError, match="a list of K networks"):
        EnsembleGenerator(small_generator(0))
    with pytest.raises(ValueError, match="architecture of member 0"):
        EnsembleDiscriminator([small_discriminator(0), small_discriminator(1, packing=2)])
    with pytest.raises(TypeError, match="latent_dim"):
        EnsembleGenerator([small_discriminator(0)])
    G = EnsembleGenerator([small_generator(s) for s in range(K)])
    with pytest.raises(ValueError, match=r"expected z of shape \(B, 6\)"):
        G(torch.randn(4, LATENT))
    D = EnsembleDiscriminator([small_discriminator(s) for s in range(K)])
    with pytest.raises(ValueError, match="one sample per member"):
        D(torch.randn(4, 2))
    sn = small_discriminator(0)
    torch.nn.utils.parametrizations.spectral_norm(sn.net[-1])
    with pytest.raises(NotImplementedError, match="spectral_norm"):
        EnsembleDiscriminator([sn])
    with pytest.raises(IndexError, match=r"k must be an int in \[0, 2\]"):
        G.member(3)
    with pytest.raises(ValueError, match="num_members=K"):
        ensemble_data(torch.randn(5, 2))
    with pytest.raises(ValueError, match="same shape"):
        ensemble_data([torch.randn(5, 2), torch.randn(4, 2)])
