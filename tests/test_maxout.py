"""gan_lib.models.maxout: the maxout layer computed by hand, and the maxout discriminator."""

import pytest
import torch

from gan_lib.models import (Maxout, MaxoutDiscriminator, PackedDiscriminator, benchmark_discriminator,
                            benchmark_generator)


def test_maxout_is_the_max_over_each_units_pieces():
    layer = Maxout(2, 2, pieces=3)
    with torch.no_grad():  # unit 0 owns outputs 0..2, unit 1 owns 3..5 (Blocks' layout)
        layer.linear.weight.copy_(torch.tensor([[1., 0.], [0., 1.], [-1., 0.],
                                                [2., 0.], [0., -2.], [1., 1.]]))
        layer.linear.bias.copy_(torch.tensor([0., 0., 0.5, 0., 0., -1.]))
    x = torch.tensor([[1., 2.], [-3., 0.5]])
    expected = torch.tensor([
        [max(1., 2., -1. + 0.5), max(2., -4., 3. - 1.)],
        [max(-3., 0.5, 3. + 0.5), max(-6., -1., -2.5 - 1.)],
    ])
    assert torch.equal(layer(x), expected)


def test_one_piece_is_a_linear_layer():
    layer = Maxout(3, 4, pieces=1)
    x = torch.randn(5, 3)
    assert torch.equal(layer(x), layer.linear(x))


def test_discriminator_shapes_and_parameter_count():
    d = MaxoutDiscriminator(in_shape=(2,), hidden_dims=(200, 200, 200), pieces=5)
    assert d(torch.randn(7, 2)).shape == (7,)
    # 2 -> 200x5, 200 -> 200x5 twice, 200 -> 1
    assert sum(p.numel() for p in d.parameters()) == 3 * 1000 + 2 * 201 * 1000 + 201


def test_benchmark_networks():
    g, d = benchmark_generator(), benchmark_discriminator(packing=2)
    assert g(torch.randn(10, 2)).shape == (10, 2)
    assert isinstance(d, PackedDiscriminator) and d(torch.randn(10, 2)).shape == (5,)
    hidden = [m for m in g.modules() if isinstance(m, torch.nn.Linear)][:-1]
    assert all(m.bias is None for m in hidden)  # batch norm's shift replaces the bias
    w = torch.cat([m.weight.flatten() for m in d.modules() if isinstance(m, torch.nn.Linear)])
    assert abs(w.std().item() - 0.02) < 0.001  # N(0, 0.02^2) initial weights


@pytest.mark.parametrize("kwargs, match", [
    (dict(hidden_dims=()), "at least one hidden layer"),
    (dict(pieces=0), "pieces must be an int >= 1"),
    (dict(in_shape=()), "in_shape"),
])
def test_bad_settings_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MaxoutDiscriminator(**kwargs)


def test_wrong_input_shape_is_rejected():
    with pytest.raises(ValueError, match=r"expected input of shape \(N, 2\)"):
        MaxoutDiscriminator()(torch.randn(4, 3))
    with pytest.raises(ValueError, match=r"expected input \(\.\.\., 2\)"):
        Maxout(2, 3)(torch.randn(4, 5))
