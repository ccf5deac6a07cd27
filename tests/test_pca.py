import torch

import pytest

from gan_lib.models.pca import PCA


def test_recovers_the_direction_of_largest_variance():
    g = torch.Generator().manual_seed(0)
    t = torch.randn(2000, 1, generator=g)
    x = torch.cat([3 * t, 3 * t, 0.1 * torch.randn(2000, 1, generator=g)], 1) + 5
    pca = PCA(1).fit(x)
    expected = torch.tensor([1.0, 1.0, 0.0], dtype=torch.float64) / 2**0.5
    assert torch.allclose(pca.components[0].abs(), expected, atol=5e-3)
    assert pca.explained_variance_ratio.item() > 0.99


def test_full_rank_round_trip_and_orthonormal():
    x = torch.randn(100, 6, generator=torch.Generator().manual_seed(1))
    pca = PCA(6).fit(x)
    assert torch.allclose(pca.components @ pca.components.T, torch.eye(6, dtype=torch.float64), atol=1e-10)
    assert torch.allclose(pca.inverse_transform(pca.transform(x)), x, atol=1e-5)
    codes = pca.transform(x)
    assert torch.all(codes.var(0)[:-1] >= codes.var(0)[1:])  # sorted by variance


def test_too_many_components():
    with pytest.raises(ValueError, match="exceeds"):
        PCA(7).fit(torch.randn(10, 6))
    with pytest.raises(ValueError, match=">= 1"):
        PCA(0)
