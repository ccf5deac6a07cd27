"""DCGAN ablations: each keyword swaps exactly the parts it names, keeps the shapes, changes the
parameter count by the hand-computed amount, and draws the same random numbers as a plain build."""

import pytest
import torch
from torch import nn

from gan_lib.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    ablated_dcgan_discriminator,
    ablated_dcgan_generator,
)

BATCH_NORM = (nn.BatchNorm1d, nn.BatchNorm2d)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def count(model: nn.Module, kind: type) -> int:
    return sum(type(m) is kind for m in model.modules())


def same_state(a: nn.Module, b: nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return list(sa) == list(sb) and all(torch.equal(sa[k], sb[k]) for k in sa)


# Small networks: G(latent_dim=8, base_width=8) and D(base_width=8) on 28-pixel images.
# Plain G: ConvT(8->16, 7x7) + BN(16) + ConvT(16->8, 4x4) + BN(8) + ConvT(8->1, 4x4) with bias
PLAIN_G = 8 * 16 * 49 + 2 * 16 + 16 * 8 * 16 + 2 * 8 + (8 * 16 + 1)
# Plain D: Conv(1->8, 4x4) with bias + Conv(8->16, 4x4) + BN(16) + head Conv(16->1, 7x7) with bias
PLAIN_D = (16 * 8 + 8) + 8 * 16 * 16 + 2 * 16 + (16 * 49 + 1)


def small_g(**ablation) -> DCGANGenerator:
    return ablated_dcgan_generator(latent_dim=8, base_width=8, **ablation)


def small_d(**ablation) -> DCGANDiscriminator:
    return ablated_dcgan_discriminator(base_width=8, **ablation)


def test_hand_computed_baselines():
    assert n_params(DCGANGenerator(latent_dim=8, base_width=8)) == PLAIN_G == 8497
    assert n_params(DCGANDiscriminator(base_width=8)) == PLAIN_D == 3001


@pytest.mark.parametrize("seed", [0, 5])
def test_no_ablation_is_the_plain_network_draw_for_draw(seed):
    # same weights, and the global stream left where a plain build leaves it, so the next
    # network built (the discriminator of a pair) gets the same weights too
    torch.manual_seed(seed)
    g, d = DCGANGenerator(base_width=8), DCGANDiscriminator(base_width=8)
    after_plain = torch.rand(3)
    torch.manual_seed(seed)
    g2, d2 = ablated_dcgan_generator(base_width=8), ablated_dcgan_discriminator(base_width=8)
    assert same_state(g, g2) and same_state(d, d2)
    assert torch.equal(torch.rand(3), after_plain)


def test_variant_is_reproducible_and_moves_the_stream_like_a_build():
    torch.manual_seed(1)
    a = small_g(upsample="nearest", fc_hidden=True, fc_width=16)
    torch.manual_seed(1)
    b = small_g(upsample="nearest", fc_hidden=True, fc_width=16)
    assert same_state(a, b)
    torch.manual_seed(2)
    c = small_g(upsample="nearest", fc_hidden=True, fc_width=16)
    assert not same_state(a, c)


def test_generator_without_batch_norm():
    g = small_g(batch_norm=False)
    assert not any(isinstance(m, BATCH_NORM) for m in g.modules())
    # every conv regains the bias that batch norm's shift had made redundant
    assert all(m.bias is not None for m in g.modules() if isinstance(m, nn.ConvTranspose2d))
    assert n_params(g) == PLAIN_G - (2 * 16 + 2 * 8) + (16 + 8) == 8473
    assert [k for k in g.state_dict() if k.startswith("project")] == ["project.0.weight",
                                                                      "project.0.bias"]


def test_generator_leaky_relu_keeps_tanh():
    g = small_g(activation="leaky_relu")
    assert count(g, nn.ReLU) == 0 and count(g, nn.LeakyReLU) == 2
    assert all(m.negative_slope == 0.2 for m in g.modules() if isinstance(m, nn.LeakyReLU))
    assert isinstance(g.blocks[-1][-1], nn.Tanh)
    assert n_params(g) == PLAIN_G  # activations have no parameters


def test_generator_nearest_upsampling():
    g = small_g(upsample="nearest")
    assert count(g, nn.Upsample) == 2
    assert [m.kernel_size for m in g.modules() if isinstance(m, nn.Conv2d)] == [(3, 3), (3, 3)]
    assert count(g, nn.ConvTranspose2d) == 1  # only the projection of z is left
    # the 4x4 transposed convs become 3x3 convs: 16*8*9 and 8*1*9 + bias
    assert n_params(g) == PLAIN_G - (16 * 8 * 16 + 8 * 16) + (16 * 8 * 9 + 8 * 9) == 7545


def test_generator_fully_connected_hidden_layer():
    g = small_g(fc_hidden=True, fc_width=32)
    linear = [m for m in g.modules() if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linear] == [(8, 32), (32, 16 * 7 * 7)]
    assert count(g, nn.BatchNorm1d) == 1 and count(g, nn.ConvTranspose2d) == 2
    # Linear(8, 32) + BN1d(32) + Linear(32, 784) + BN2d(16), both linears without bias
    assert n_params(g) == (PLAIN_G - 8 * 16 * 49) + 8 * 32 + 2 * 32 + 32 * 784 == 27633


def test_discriminator_without_batch_norm_equals_the_critic():
    d = small_d(batch_norm=False)
    assert not any(isinstance(m, BATCH_NORM) for m in d.modules())
    assert n_params(d) == PLAIN_D - 2 * 16 + 16 == 2985
    torch.manual_seed(0)
    a = small_d(batch_norm=False)
    torch.manual_seed(0)
    assert same_state(a, DCGANDiscriminator(base_width=8, batch_norm=False))


def test_discriminator_relu():
    d = small_d(activation="relu")
    assert count(d, nn.LeakyReLU) == 0 and count(d, nn.ReLU) == 2


@pytest.mark.parametrize("downsample, pool", [("avgpool", nn.AvgPool2d), ("maxpool", nn.MaxPool2d)])
def test_discriminator_pooling(downsample, pool):
    d = small_d(downsample=downsample)
    assert count(d, pool) == 2
    convs = [m for m in d.blocks.modules() if isinstance(m, nn.Conv2d)]
    assert all(m.kernel_size == (3, 3) and m.stride == (1, 1) for m in convs)
    # Conv(1->8, 3x3) + bias, Conv(8->16, 3x3) + BN(16), the same head
    assert n_params(d) == (9 * 8 + 8) + 8 * 16 * 9 + 2 * 16 + (16 * 49 + 1) == 2049


def test_discriminator_fully_connected_head():
    d = small_d(fc_hidden=True, fc_width=32, activation="relu")
    assert [(m.in_features, m.out_features) for m in d.head if isinstance(m, nn.Linear)] == [
        (16 * 49, 32), (32, 1)]
    assert isinstance(d.head[2], nn.ReLU)  # the activation keyword reaches the new layer too
    assert n_params(d) == (PLAIN_D - (16 * 49 + 1)) + (784 * 32 + 32) + (32 + 1) == 27369


@pytest.mark.parametrize("size", [28, 32, 64])
def test_every_ablation_at_once_keeps_shapes_and_trains(size):
    g = ablated_dcgan_generator(latent_dim=8, image_size=size, channels=3, base_width=4,
                                batch_norm=False, activation="leaky_relu", upsample="nearest",
                                fc_hidden=True, fc_width=16)
    d = ablated_dcgan_discriminator(image_size=size, channels=3, base_width=4, batch_norm=False,
                                    activation="relu", downsample="maxpool", fc_hidden=True,
                                    fc_width=16)
    x = g(torch.randn(5, 8))
    assert x.shape == (5, 3, size, size) and x.abs().max() <= 1.0
    logits = d(x)
    assert logits.shape == (5,)
    logits.sum().backward()
    # every parameter, the biases added by the swaps included, is a real tensor that learns
    for model in (g, d):
        for name, p in model.named_parameters():
            assert p.device.type == "cpu" and p.grad is not None, name


def test_materialised_weights_follow_dcgan_init():
    torch.manual_seed(0)
    g = ablated_dcgan_generator(fc_hidden=True, batch_norm=True)  # Linear(100, 1024), BN1d(1024)
    hidden = g.project[1].weight  # 102,400 draws
    assert abs(hidden.mean().item()) < 1e-3 and abs(hidden.std().item() - 0.02) < 1e-3
    bn = g.project[2]
    assert abs(bn.weight.mean().item() - 1.0) < 0.01 and torch.all(bn.bias == 0)
    # the skeleton's empty buffers are reset: running statistics start at mean 0, variance 1
    assert torch.all(bn.running_mean == 0) and torch.all(bn.running_var == 1)
    assert bn.num_batches_tracked.item() == 0
    g = small_g(batch_norm=False)
    assert all(torch.all(m.bias == 0) for m in g.modules() if isinstance(m, nn.ConvTranspose2d))


@pytest.mark.parametrize("build, match", [
    (lambda: ablated_dcgan_generator(upsample="bilinear"),
     "upsample='bilinear' is not valid; choose one of transposed, nearest"),
    (lambda: ablated_dcgan_generator(activation="elu"),
     "activation='elu' is not valid; choose one of relu, leaky_relu"),
    (lambda: ablated_dcgan_discriminator(downsample="none"),
     "downsample='none' is not valid; choose one of strided, avgpool, maxpool"),
    (lambda: ablated_dcgan_discriminator(activation="tanh"), "choose one of relu, leaky_relu"),
    (lambda: ablated_dcgan_generator(fc_hidden=True, fc_width=0),
     "fc_width must be a positive int, got 0"),
    (lambda: ablated_dcgan_generator(image_size=27),
     "image_size=27 is not supported; allowed sizes: 28, 32, 64"),
    (lambda: ablated_dcgan_discriminator(image_size=100, batch_norm=False),
     "image_size=100 is not supported; allowed sizes: 28, 32, 64"),
])
def test_bad_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()


def test_ablations_leave_the_default_device_alone():
    # the skeleton is built on the meta device; the caller's default device is restored
    small_g(fc_hidden=True, fc_width=8)
    assert torch.empty(1).device.type == "cpu"


def test_fully_connected_variant_at_the_book_width():
    # base_width=32 (the cpu profile), the default 1,024 hidden units: the FC layers dominate
    g, g_fc = DCGANGenerator(base_width=32), ablated_dcgan_generator(base_width=32, fc_hidden=True)
    d, d_fc = (DCGANDiscriminator(base_width=32),
               ablated_dcgan_discriminator(base_width=32, fc_hidden=True))
    assert n_params(g) == 100 * 64 * 49 + 128 + 64 * 32 * 16 + 64 + (32 * 16 + 1) == 347073
    # the 7x7 projection (313,600) becomes Linear(100, 1024) + BN1d(1024) + Linear(1024, 64*49)
    assert n_params(g_fc) == n_params(g) - 313600 + 102400 + 2048 + 1024 * 3136 == 3349185
    assert n_params(d) == (16 * 32 + 32) + 32 * 64 * 16 + 128 + (64 * 49 + 1) == 36577
    # the 7x7 head (3,137) becomes Linear(3136, 1024) + Linear(1024, 1), with biases
    assert n_params(d_fc) == n_params(d) - 3137 + (3136 * 1024 + 1024) + 1025 == 3246753
