"""U-Net generator and its blocks: layers, shapes for every valid depth, parameter counts against
hand-computed numbers, the padding of sizes that the depth does not divide, clear errors, and a
few optimisation steps that fit a tiny paired task."""

import pytest
import torch
from torch import nn

from gan_lib.models import UNetGenerator, down, format_layer_table, layer_table, up, valid_unet_depths


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_down_block_layers_shape_and_parameters():
    block = down(3, 8)
    assert [type(m) for m in block] == [nn.Conv2d, nn.BatchNorm2d, nn.LeakyReLU]
    conv = block[0]
    assert (conv.kernel_size, conv.stride, conv.padding) == ((4, 4), (2, 2), (1, 1))
    assert conv.bias is None  # batch norm supplies the shift
    assert block[2].negative_slope == 0.2
    assert block(torch.randn(2, 3, 16, 16)).shape == (2, 8, 8, 8)
    assert n_params(block) == 3 * 8 * 16 + 2 * 8
    plain = down(3, 8, batch_norm=False)
    assert [type(m) for m in plain] == [nn.Conv2d, nn.LeakyReLU]
    assert n_params(plain) == 3 * 8 * 16 + 8


def test_up_block_layers_shape_and_parameters():
    block = up(8, 4)
    assert [type(m) for m in block] == [nn.ConvTranspose2d, nn.BatchNorm2d, nn.ReLU]
    assert block(torch.randn(2, 8, 7, 7)).shape == (2, 4, 14, 14)
    assert n_params(block) == 8 * 4 * 16 + 2 * 4
    with_dropout = up(8, 4, dropout=0.5)
    assert [type(m) for m in with_dropout] == [nn.ConvTranspose2d, nn.BatchNorm2d, nn.Dropout, nn.ReLU]
    assert with_dropout[2].p == 0.5


@pytest.mark.parametrize("build, match", [
    (lambda: down(0, 4), "in_ch"),
    (lambda: up(4, -1), "out_ch"),
    (lambda: up(4, 4, dropout=1.0), "dropout"),
])
def test_block_bad_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_valid_depths():
    assert valid_unet_depths(28) == (1, 2, 3, 4)
    assert valid_unet_depths(32) == (1, 2, 3, 4, 5)
    assert valid_unet_depths(256) == tuple(range(1, 9))  # pix2pix: 8 levels, 1x1 bottleneck


@pytest.mark.parametrize("image_size, depth, padded", [
    (28, 1, 28), (28, 2, 28), (28, 3, 32), (28, 4, 32), (32, 5, 32), (20, 3, 24),
])
def test_output_shape_range_and_padding(image_size, depth, padded):
    g = UNetGenerator(image_size=image_size, depth=depth, base_channels=4)
    assert g.padded_size == padded
    assert (g.pad is None) == (padded == image_size)
    x = torch.randn(3, 1, image_size, image_size) * 10
    y = g(x)
    assert y.shape == (3, 1, image_size, image_size)
    assert y.abs().max() <= 1.0  # tanh


def test_channels_and_hand_computed_parameter_count():
    g = UNetGenerator(3, 2, image_size=32, base_channels=4, depth=3)
    assert g(torch.randn(2, 3, 32, 32)).shape == (2, 2, 32, 32)
    # widths 4, 8, 16. Encoder: conv(3->4)+bias, conv(4->8)+BN, conv(8->16)+BN.
    encoder = (3 * 4 * 16 + 4) + (4 * 8 * 16 + 2 * 8) + (8 * 16 * 16 + 2 * 16)
    # Decoder: up(16->8) from the bottleneck, up(8+8->4) after the first skip,
    # output ConvTranspose(4+4->2)+bias after the second skip.
    decoder = (16 * 8 * 16 + 2 * 8) + (16 * 4 * 16 + 2 * 4) + (8 * 2 * 16 + 2)
    assert n_params(g) == encoder + decoder


def test_channel_cap_and_dropout_placement():
    g = UNetGenerator(base_channels=8, max_channels=16, depth=4, dropout_blocks=2)
    widths = [block[0].out_channels for block in g.encoder]
    assert widths == [8, 16, 16, 16]
    has_dropout = [any(isinstance(m, nn.Dropout) for m in block) for block in g.decoder]
    assert has_dropout == [True, True, False]  # the two innermost decoder blocks
    assert not any(isinstance(m, nn.Dropout) for m in UNetGenerator(dropout=0.0).modules())


def test_skip_connections_carry_the_encoder_features():
    g = UNetGenerator(base_channels=4, depth=3, image_size=32)
    # every decoder stage after the first reads twice the channels its `up` produced before
    assert g.decoder[1][0].in_channels == 2 * g.decoder[0][0].out_channels
    assert g.output[0].in_channels == 2 * g.decoder[1][0].out_channels


def test_padding_replicates_the_border_and_crop_undoes_it():
    g = UNetGenerator(image_size=28, depth=4, base_channels=4)
    x = torch.randn(2, 1, 28, 28)
    padded = g.pad(x)
    assert padded.shape == (2, 1, 32, 32)
    assert torch.equal(padded[..., 2:30, 2:30], x)
    assert torch.equal(padded[..., 0, 2:30], x[..., 0, :])  # top border copies the first row
    assert torch.equal(g.crop(padded), x)


def test_layer_table_is_deterministic_and_shows_pad_bottleneck_crop():
    g = UNetGenerator(base_channels=8, depth=4)
    rows = layer_table(g, (1, 28, 28))
    assert (rows[0].name, rows[0].out_shape) == ("pad", (1, 32, 32))
    assert (rows[-1].name, rows[-1].out_shape) == ("crop", (1, 28, 28))
    assert ("encoder.3.0", (64, 2, 2)) in [(r.name, r.out_shape) for r in rows]  # bottleneck
    assert sum(r.params for r in rows) == n_params(g)
    text = format_layer_table(rows)
    assert text == format_layer_table(layer_table(UNetGenerator(base_channels=8, depth=4), (1, 28, 28)))
    assert f"{n_params(g):,}" in text.splitlines()[-1]


@pytest.mark.parametrize("kwargs, match", [
    (dict(image_size=28, depth=5), r"depth=5 does not fit image_size=28.*1\.\.4"),
    (dict(image_size=32, depth=6), r"depth=6 does not fit image_size=32.*1\.\.5"),
    (dict(depth=0), r"depth=0 .*Valid depths"),
    (dict(image_size=1, depth=1), "too small"),
    (dict(base_channels=0), "base_channels"),
    (dict(dropout=-0.1), "dropout"),
    (dict(dropout_blocks=-1), "dropout_blocks"),
])
def test_bad_configurations_fail_at_construction(kwargs, match):
    with pytest.raises(ValueError, match=match):
        UNetGenerator(**kwargs)


def test_wrong_source_shape():
    with pytest.raises(ValueError, match=r"expected source of shape \(N, 1, 28, 28\)"):
        UNetGenerator(base_channels=4)(torch.randn(2, 1, 32, 32))
    with pytest.raises(TypeError):
        UNetGenerator(1, 1, 28)  # image_size is keyword-only


def test_a_few_steps_fit_a_tiny_paired_task():
    # target = negated source: the skips make this easy, so L1 must fall clearly in 30 steps
    torch.manual_seed(0)
    g = UNetGenerator(image_size=16, base_channels=8, depth=3, dropout=0.0)
    source = torch.rand(4, 1, 16, 16) * 2 - 1
    target = -source
    opt = torch.optim.Adam(g.parameters(), lr=1e-2)
    losses = []
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a batch of 4 small images: extra threads only contend
    try:
        for _ in range(30):
            loss = (g(source) - target).abs().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    finally:
        torch.set_num_threads(threads)
    assert losses[-1] < 0.4 * losses[0]  # measured: 0.50 -> 0.09 (seeds 0, 1, 2)
