"""PatchGAN discriminator: the receptive field formula against the paper's 70x70 and against
the gradient of one logit, map shapes, parameter counts, and clear errors for bad pairs."""

import pytest
import torch
from torch import nn

from gan_lib.models import PatchDiscriminator, conv_specs, receptive_field


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_receptive_field_formula():
    # pix2pix's default D: three stride-2 and two stride-1 4x4 convs, the "70x70 PatchGAN"
    assert receptive_field([(4, 2), (4, 2), (4, 2), (4, 1), (4, 1)]) == 70
    assert receptive_field([(3, 1)] * 3) == 7  # three 3x3 convs see 7x7 (VGG's argument)
    assert receptive_field([(3, 1, 2)]) == 5  # dilation 2 spreads a 3x3 kernel over 5 pixels
    assert receptive_field([]) == 1
    with pytest.raises(ValueError, match="kernel, stride"):
        receptive_field([(4, 0)])


@pytest.mark.parametrize("n_layers, expected", [(1, 16), (2, 34), (3, 70)])
def test_receptive_field_of_the_model(n_layers, expected):
    d = PatchDiscriminator(n_layers=n_layers, base_channels=4)
    assert conv_specs(d) == [(4, 2, 1)] * n_layers + [(4, 1, 1)] * 2
    assert d.receptive_field == expected


@pytest.mark.parametrize("n_layers, size", [(1, 40), (2, 64), (3, 110)])
def test_receptive_field_matches_the_gradient_of_one_logit(n_layers, size):
    # Eval mode: in train mode batch norm's batch statistics couple every pixel to every logit.
    torch.manual_seed(0)
    d = PatchDiscriminator(n_layers=n_layers, base_channels=4).double().eval()
    source = torch.randn(1, 1, size, size, dtype=torch.double, requires_grad=True)
    image = torch.randn(1, 1, size, size, dtype=torch.double, requires_grad=True)
    logits = d(source, image)
    c = logits.shape[-1] // 2  # a central logit, whose window lies inside the input
    logits[0, 0, c, c].backward()
    rf = d.receptive_field
    for grad in (source.grad[0, 0], image.grad[0, 0]):
        nonzero = grad != 0
        rows = nonzero.any(dim=1).nonzero().flatten()
        cols = nonzero.any(dim=0).nonzero().flatten()
        assert rows[0] > 0 and rows[-1] < size - 1  # not clipped by the border
        assert rows[-1] - rows[0] + 1 == rf
        assert cols[-1] - cols[0] + 1 == rf
        assert nonzero.sum() == rf * rf  # the whole square, nothing outside it


@pytest.mark.parametrize("n_layers, side", [(1, 12), (2, 5), (3, 1)])
def test_logit_map_shape_on_mnist_pairs(n_layers, side):
    d = PatchDiscriminator(n_layers=n_layers, base_channels=4)
    x = torch.randn(3, 1, 28, 28)
    assert d(x, x).shape == (3, 1, side, side)
    assert d.output_size(28) == side
    for size in (32, 45, 64):
        x = torch.randn(2, 1, size, size)
        assert d(x, x).shape[-1] == d.output_size(size)


def test_parameter_count_and_channels():
    d = PatchDiscriminator(2, 3, base_channels=4, n_layers=2)
    # widths 4, 8, 16: down(5->4) with bias, down(4->8)+BN, conv(8->16)+BN, conv(16->1)+bias
    assert n_params(d) == (5 * 4 * 16 + 4) + (4 * 8 * 16 + 16) + (8 * 16 * 16 + 32) + (16 * 16 + 1)
    assert d(torch.randn(2, 2, 28, 28), torch.randn(2, 3, 28, 28)).shape == (2, 1, 5, 5)
    no_bn = PatchDiscriminator(base_channels=4, n_layers=2, batch_norm=False)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in no_bn.modules())
    capped = PatchDiscriminator(base_channels=8, max_channels=16, n_layers=3)
    assert [m.out_channels for m in capped.modules() if isinstance(m, nn.Conv2d)] == [8, 16, 16, 16, 1]


def test_the_source_changes_the_verdict():
    torch.manual_seed(0)
    d = PatchDiscriminator(base_channels=4, n_layers=1).eval()
    image = torch.randn(2, 1, 28, 28)
    assert not torch.allclose(d(torch.randn(2, 1, 28, 28), image), d(torch.randn(2, 1, 28, 28), image))


@pytest.mark.parametrize("source, image, match", [
    ((2, 1, 28, 28), (2, 1, 32, 32), "same batch size and size"),
    ((2, 1, 28, 28), (3, 1, 28, 28), "same batch size and size"),
    ((2, 2, 28, 28), (2, 1, 28, 28), r"source of shape \(N, 1, H, W\)"),
    ((2, 1, 28, 28), (2, 1, 28), r"image of shape \(N, 1, H, W\)"),
    ((2, 1, 8, 8), (2, 1, 8, 8), r"8x8 are too small for n_layers=3.*n_layers <= 1"),
])
def test_bad_pairs(source, image, match):
    d = PatchDiscriminator(base_channels=4)
    with pytest.raises(ValueError, match=match):
        d(torch.randn(*source), torch.randn(*image))


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_layers=0), "n_layers"),
    (dict(base_channels=0), "base_channels"),
    (dict(source_channels=-1), "source_channels"),
])
def test_bad_configurations(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PatchDiscriminator(**kwargs)
