"""gan_lib.toy.Mixture2D: layouts of ring and grid, sample statistics, nearest modes, errors."""

import math

import pytest
import torch

from gan_lib.theory import Mixture2D


def test_ring_centres_lie_on_the_circle_evenly_spaced():
    mix = Mixture2D.ring()
    assert mix.num_modes == 8 and mix.centers.shape == (8, 2) and mix.std == 0.02
    torch.testing.assert_close(mix.centers.norm(dim=1), torch.full((8,), 2.0))
    torch.testing.assert_close(mix.centers[0], torch.tensor([2.0, 0.0]))
    torch.testing.assert_close(mix.centers[2], torch.tensor([0.0, 2.0]), atol=1e-6, rtol=0)
    gaps = (mix.centers - mix.centers.roll(1, 0)).norm(dim=1)
    torch.testing.assert_close(gaps, torch.full((8,), 2 * 2.0 * math.sin(math.pi / 8)))


def test_grid_is_a_centred_lattice():
    mix = Mixture2D.grid()
    assert mix.num_modes == 25 and mix.std == 0.05
    assert sorted(set(mix.centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    assert sorted(set(mix.centers[:, 1].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    torch.testing.assert_close(mix.centers.mean(0), torch.zeros(2))
    assert Mixture2D.grid(side=3, spacing=1.0).centers.abs().max() == 1.0


def test_samples_are_balanced_and_have_the_right_spread():
    mix = Mixture2D.ring(std=0.1)
    x, modes = mix.sample_with_modes(40000, generator=torch.Generator().manual_seed(0))
    assert x.shape == (40000, 2) and x.dtype == torch.float32
    share = torch.bincount(modes, minlength=8).float() / 40000
    assert (share - 1 / 8).abs().max() < 0.01
    offsets = x - mix.centers[modes]
    assert abs(offsets.std().item() - 0.1) < 0.003 and offsets.mean().abs().max() < 0.003
    nearest, dist = mix.nearest_mode(x)
    assert torch.equal(nearest, modes)  # modes 1.5 apart, std 0.1: never confused
    assert (dist <= 3.0).float().mean() > 0.98  # P(chi_2 <= 3) = 1 - exp(-4.5) = 0.989


def test_sampling_is_reproducible_with_a_generator():
    mix = Mixture2D.grid()
    a = mix.sample(100, generator=torch.Generator().manual_seed(3))
    b = mix.sample(100, generator=torch.Generator().manual_seed(3))
    c = mix.sample(100, generator=torch.Generator().manual_seed(4))
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert mix.sample(0).shape == (0, 2)


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match=r"shape \(K, 2\)"):
        Mixture2D(centers=torch.zeros(3, 3), std=1.0)
    with pytest.raises(TypeError, match="torch.Tensor"):
        Mixture2D(centers=[[0.0, 0.0]], std=1.0)
    with pytest.raises(ValueError, match="std must be"):
        Mixture2D.ring(std=0.0)
    with pytest.raises(ValueError, match="num_modes"):
        Mixture2D.ring(num_modes=0)
    with pytest.raises(ValueError, match="side"):
        Mixture2D.grid(side=0)
    with pytest.raises(ValueError, match="int >= 0"):
        Mixture2D.ring().sample(-1)
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        Mixture2D.ring().nearest_mode(torch.zeros(4))


def test_protocol_presets_match_pacgans_code():
    ring, grid = Mixture2D.ring_protocol(), Mixture2D.grid_protocol()
    assert ring.num_modes == 8 and ring.std == 0.01
    assert torch.allclose(ring.centers.norm(dim=1), torch.ones(8))
    assert grid.num_modes == 25 and grid.std == 0.05
    assert sorted(set(grid.centers[:, 0].tolist())) == [-4.0, -2.0, 0.0, 2.0, 4.0]
