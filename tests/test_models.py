"""Models: output shapes for every supported size, parameter counts against hand-computed
numbers, logits of shape (N,), clear errors. The DCGAN ablations: tests/test_dcgan_ablations.py."""

import pytest
import torch
from torch import nn

from gan_lib.models import (
    SUPPORTED_IMAGE_SIZES,
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
    init_dcgan_weights,
)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------- MLP


def test_mlp_shapes_and_parameter_counts():
    g, d = MLPGenerator(), MLPDiscriminator()
    x = g(torch.randn(5, 100))
    assert x.shape == (5, 1, 28, 28)
    assert d(x).shape == (5,)
    # Linear(100,256) + Linear(256,512) + Linear(512,784), weights plus biases
    assert n_params(g) == (100 * 256 + 256) + (256 * 512 + 512) + (512 * 784 + 784) == 559632
    # Linear(784,512) + Linear(512,256) + Linear(256,1)
    assert n_params(d) == (784 * 512 + 512) + (512 * 256 + 256) + (256 + 1) == 533505


def test_mlp_generator_output_range_and_linear_option():
    g = MLPGenerator(latent_dim=4, hidden_dims=(8,))
    x = g(torch.randn(64, 4) * 100)
    assert x.abs().max() <= 1.0  # tanh
    assert g.latent_dim == 4
    toy = MLPGenerator(latent_dim=2, hidden_dims=(16,), out_shape=(1,), out_activation=None)
    with torch.no_grad():
        toy.net[-1].bias.fill_(5.0)  # a linear output is not clipped to [-1, 1]
    assert toy(torch.zeros(3, 2)).shape == (3, 1)
    assert toy(torch.zeros(3, 2)).min() > 1.0
    assert not any(isinstance(m, nn.Tanh) for m in toy.modules())
    assert any(isinstance(m, nn.LeakyReLU) for m in toy.modules())


def test_mlp_discriminator_dropout_and_1d():
    d = MLPDiscriminator(in_shape=(1,), hidden_dims=(8,), dropout=0.5)
    assert d(torch.randn(7, 1)).shape == (7,)
    assert sum(isinstance(m, nn.Dropout) for m in d.modules()) == 1


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: MLPGenerator(hidden_dims=()), "at least one hidden layer"),
        (lambda: MLPDiscriminator(hidden_dims=()), "at least one hidden layer"),
        (lambda: MLPGenerator(out_activation="sigmoid"), "out_activation"),
        (lambda: MLPGenerator(latent_dim=0), "latent_dim"),
        (lambda: MLPDiscriminator(dropout=1.0), "dropout"),
        (lambda: MLPDiscriminator(in_shape=()), "in_shape"),
    ],
)
def test_mlp_bad_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_mlp_wrong_input_shapes():
    with pytest.raises(ValueError, match=r"expected z of shape \(N, 100\)"):
        MLPGenerator()(torch.randn(2, 10))
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        MLPDiscriminator()(torch.randn(2, 1, 32, 32))


def test_keyword_only():
    for cls, arg in [(MLPGenerator, 100), (MLPDiscriminator, (1, 28, 28)),
                     (DCGANGenerator, 100), (DCGANDiscriminator, 28)]:
        with pytest.raises(TypeError):
            cls(arg)


# ---------------------------------------------------------------- DCGAN


@pytest.mark.parametrize("size", SUPPORTED_IMAGE_SIZES)
@pytest.mark.parametrize("channels", [1, 3])
def test_dcgan_shapes(size, channels):
    g = DCGANGenerator(latent_dim=16, image_size=size, channels=channels, base_width=8)
    d = DCGANDiscriminator(image_size=size, channels=channels, base_width=8)
    x = g(torch.randn(3, 16))
    assert x.shape == (3, channels, size, size)
    assert x.abs().max() <= 1.0
    assert d(x).shape == (3,)


def test_dcgan_parameter_counts_28():
    g, d = DCGANGenerator(), DCGANDiscriminator()
    # G: ConvT(100->128, 7x7, no bias) + BN(128) + ConvT(128->64, 4x4, no bias) + BN(64)
    #    + ConvT(64->1, 4x4) with bias
    assert n_params(g) == 100 * 128 * 49 + 2 * 128 + 128 * 64 * 16 + 2 * 64 + 64 * 16 + 1 == 759681
    # D: Conv(1->64, 4x4) with bias + Conv(64->128, 4x4, no bias) + BN(128) + Conv(128->1, 7x7)
    assert n_params(d) == (16 * 64 + 64) + 64 * 128 * 16 + 2 * 128 + (128 * 49 + 1) == 138689


def test_dcgan_parameter_counts_32():
    g, d = DCGANGenerator(image_size=32), DCGANDiscriminator(image_size=32)
    # G: 4x4 start, three doublings: ConvT(100->256, 4x4) + BN(256) + ConvT(256->128) + BN(128)
    #    + ConvT(128->64) + BN(64) + ConvT(64->1) with bias; every hidden conv without bias
    assert n_params(g) == (100 * 256 * 16 + 2 * 256 + 256 * 128 * 16 + 2 * 128 + 128 * 64 * 16
                           + 2 * 64 + 64 * 16 + 1) == 1066881
    # D: Conv(1->64) with bias + Conv(64->128) + BN(128) + Conv(128->256) + BN(256)
    #    + Conv(256->1, 4x4) head with bias
    assert n_params(d) == ((16 * 64 + 64) + 64 * 128 * 16 + 2 * 128 + 128 * 256 * 16 + 2 * 256
                           + (256 * 16 + 1)) == 661313


def test_dcgan_parameter_count_64_matches_reference():
    # pytorch/examples' DCGAN generator (nz=100, ngf=64, nc=3) has 3,576,704 parameters, with no
    # bias on its last layer; ours with nc=1 differs only in the last layer (64*1*16 + 1 bias).
    g = DCGANGenerator(image_size=64)
    assert n_params(g) == 3576704 - 64 * 3 * 16 + 64 * 1 * 16 + 1


def test_dcgan_follows_guidelines():
    g, d = DCGANGenerator(), DCGANDiscriminator()
    # no BN on G's output block nor on D's input block
    assert not any(isinstance(m, nn.BatchNorm2d) for m in g.blocks[-1].modules())
    assert not any(isinstance(m, nn.BatchNorm2d) for m in d.blocks[0].modules())
    assert sum(isinstance(m, nn.BatchNorm2d) for m in g.modules()) == 2
    assert sum(isinstance(m, nn.BatchNorm2d) for m in d.modules()) == 1
    assert not any(isinstance(m, (nn.Linear, nn.MaxPool2d, nn.AvgPool2d, nn.Upsample))
                   for m in [*g.modules(), *d.modules()])
    leaky = [m for m in d.modules() if isinstance(m, nn.LeakyReLU)]
    assert leaky and all(m.negative_slope == 0.2 for m in leaky)
    assert isinstance(g.blocks[-1][-1], nn.Tanh)


@pytest.mark.parametrize("size", [0, 16, 27, 100])
def test_dcgan_bad_size(size):
    for cls in (DCGANGenerator, DCGANDiscriminator):
        with pytest.raises(ValueError, match="allowed sizes: 28, 32, 64"):
            cls(image_size=size)


def test_dcgan_discriminator_without_batch_norm():
    # the critic of WGAN-GP and spectral norm: no BN, and the middle conv gets its bias back
    d = DCGANDiscriminator(base_width=8, batch_norm=False)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in d.modules())
    assert all(m.bias is not None for m in d.modules() if isinstance(m, nn.Conv2d))
    # Conv(1->8, 4x4) + bias, Conv(8->16, 4x4) + bias, head Conv(16->1, 7x7) + bias
    assert n_params(d) == (16 * 8 + 8) + (8 * 16 * 16 + 16) + (16 * 49 + 1) == 2985
    assert d(torch.randn(3, 1, 28, 28)).shape == (3,)


@pytest.mark.parametrize("build, match", [
    (lambda: DCGANGenerator(base_width=0), "base_width must be a positive int, got 0"),
    (lambda: DCGANGenerator(latent_dim=True), "latent_dim must be a positive int, got True"),
    (lambda: DCGANDiscriminator(channels=-1), "channels must be a positive int, got -1"),
])
def test_dcgan_bad_widths(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_dcgan_ablation_switches_are_not_model_arguments():
    # the ablations live in gan_lib.models.dcgan_ablations; the model takes the paper's arguments
    with pytest.raises(TypeError, match="fc_hidden"):
        DCGANGenerator(fc_hidden=True)
    with pytest.raises(TypeError, match="downsample"):
        DCGANDiscriminator(downsample="avgpool")


def test_dcgan_wrong_input_shapes():
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\), got \(2, 3, 28, 28\)"):
        DCGANDiscriminator()(torch.randn(2, 3, 28, 28))
    with pytest.raises(ValueError, match=r"\(N, 3, 32, 32\), got \(3, 32, 32\)"):
        DCGANDiscriminator(image_size=32, channels=3)(torch.randn(3, 32, 32))
    with pytest.raises(ValueError, match=r"\(N, 100\)"):
        DCGANGenerator()(torch.randn(2, 100, 1, 1))


def test_init_dcgan_weights_statistics_and_generator():
    torch.manual_seed(0)
    g = DCGANGenerator(image_size=64)  # large enough for tight sample statistics
    w = g.project[0].weight  # 100 * 512 * 16 = 819,200 draws
    assert abs(w.mean().item()) < 1e-3 and abs(w.std().item() - 0.02) < 1e-3
    bn = g.project[1]
    assert abs(bn.weight.mean().item() - 1.0) < 0.01 and torch.all(bn.bias == 0)
    assert torch.all(g.blocks[-1][0].bias == 0)
    a, b = DCGANDiscriminator(base_width=8), DCGANDiscriminator(base_width=8)
    init_dcgan_weights(a, generator=torch.Generator().manual_seed(3))
    init_dcgan_weights(b, generator=torch.Generator().manual_seed(3))
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values()))


# ---------------------------------------------------------------- layer table


def test_layer_table_rows_and_total():
    from gan_lib.models import format_layer_table, layer_table

    g = DCGANGenerator()
    g.train()
    rows = layer_table(g, (100,))
    assert [r.out_shape for r in rows if r.kind == "ConvTranspose2d"] == [
        (128, 7, 7), (64, 14, 14), (1, 28, 28)]
    assert rows[0].params == 100 * 128 * 49 and rows[-1].kind == "Tanh"
    assert sum(r.params for r in rows) == n_params(g)
    assert g.training  # mode restored
    text = format_layer_table(rows)
    assert text.splitlines()[-1].split() == ["total", "759,681"]
    assert "project.0   ConvTranspose2d  (N, 128, 7, 7)      627,200" in text
    bn = g.project[1]
    assert bn.num_batches_tracked.item() == 0  # eval mode: running statistics untouched
