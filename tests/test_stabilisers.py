"""Packing (PacGAN): shapes, which samples share a pack, use inside fit, errors."""

import pytest
import torch
from torch import nn

from gan_lib.models import MLPDiscriminator, MLPGenerator
from gan_lib.models.packing import PackedDiscriminator, packed_shape
from gan_lib.train import fit


def test_packed_shape():
    assert packed_shape((2,), packing=4) == (8,)
    assert packed_shape((1, 28, 28), packing=3) == (3, 28, 28)
    assert packed_shape((2,), packing=1) == (2,)
    with pytest.raises(ValueError, match="packing must be"):
        packed_shape((2,), packing=0)


class Recorder(nn.Module):
    """Returns the first feature of each packed input and remembers what it saw."""

    def forward(self, x):
        self.seen = x
        return x.flatten(1)[:, 0]


def test_consecutive_samples_are_packed_side_by_side():
    d = PackedDiscriminator(Recorder(), packing=2)
    x = torch.arange(12.0).reshape(6, 2)  # six 2-D points
    logits = d(x)
    assert logits.shape == (3,)
    torch.testing.assert_close(d.discriminator.seen, torch.tensor(
        [[0.0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]))
    images = torch.randn(4, 1, 5, 5)
    d = PackedDiscriminator(Recorder(), packing=2)
    d(images)
    assert d.discriminator.seen.shape == (2, 2, 5, 5)
    torch.testing.assert_close(d.discriminator.seen[1, 0], images[2, 0])
    torch.testing.assert_close(d.discriminator.seen[1, 1], images[3, 0])


def test_a_packed_discriminator_sees_diversity():
    # identical samples and distinct samples differ only jointly, never one by one
    inner = MLPDiscriminator(in_shape=packed_shape((2,), packing=2), hidden_dims=(8,))
    d = PackedDiscriminator(inner, packing=2)
    same = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    different = torch.tensor([[1.0, 0.0], [-1.0, 0.0]])
    assert not torch.allclose(d(same), d(different))


def test_packed_discriminator_trains_in_fit():
    torch.manual_seed(0)
    g = MLPGenerator(latent_dim=2, hidden_dims=(16,), out_shape=(2,), out_activation=None)
    d = PackedDiscriminator(MLPDiscriminator(in_shape=(8,), hidden_dims=(16,)), packing=4)
    before = [p.clone() for p in d.parameters()]
    data = torch.randn(64, 2)
    history = fit(g, d, data, steps=3, batch_size=16, progress=False)
    assert len(history) == 3 and all(0 < v < 1 for v in history["d_fake"])
    assert all(not torch.equal(a, b) for a, b in zip(before, d.parameters()))


def test_errors_are_explained():
    d = PackedDiscriminator(Recorder(), packing=4)
    with pytest.raises(ValueError, match="divisible by packing=4"):
        d(torch.zeros(6, 2))
    with pytest.raises(TypeError, match="nn.Module"):
        PackedDiscriminator(lambda x: x, packing=2)
    with pytest.raises(ValueError, match="packing must be"):
        PackedDiscriminator(Recorder(), packing=True)
