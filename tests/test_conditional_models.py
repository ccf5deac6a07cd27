"""Class-conditional models: shapes for both families and both conditionings, the label really
changing G's and D's outputs (per sample), the projection and concat forms checked against the
unconditional networks they wrap, parameter counts against hand-computed numbers, label errors."""

import pytest
import torch
from torch import nn

from gan_lib.models import (
    CONDITIONINGS,
    LABEL_INPUTS,
    ConditionalDCGANDiscriminator,
    ConditionalDCGANGenerator,
    ConditionalMLPDiscriminator,
    ConditionalMLPGenerator,
    check_labels,
)


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def small_generator(family: str, label_input: str = "embedding"):
    if family == "mlp":
        return ConditionalMLPGenerator(latent_dim=8, hidden_dims=(16,), label_input=label_input)
    return ConditionalDCGANGenerator(latent_dim=8, base_width=4, label_input=label_input)


def small_discriminator(family: str, conditioning: str, **kwargs):
    if family == "mlp":
        return ConditionalMLPDiscriminator(conditioning=conditioning, hidden_dims=(16,), **kwargs)
    return ConditionalDCGANDiscriminator(conditioning=conditioning, base_width=4, **kwargs)


FAMILIES = ("mlp", "dcgan")
Y = torch.tensor([0, 3, 9, 3, 5])


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("label_input", LABEL_INPUTS)
def test_generator_shape_attributes_and_label_effect(family, label_input):
    torch.manual_seed(0)
    g = small_generator(family, label_input).eval()
    assert (g.latent_dim, g.num_classes) == (8, 10)
    z = torch.randn(5, 8)
    x = g(z, Y)
    assert x.shape == (5, 1, 28, 28)
    assert x.abs().max() <= 1.0  # tanh output
    # changing only sample 0's label changes only sample 0's image (eval mode: no batch coupling)
    y2 = Y.clone()
    y2[0] = 7
    x2 = g(z, y2)
    assert (x2[0] - x[0]).abs().max() > 1e-4
    torch.testing.assert_close(x2[1:], x[1:])


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("conditioning", CONDITIONINGS)
def test_discriminator_shape_and_label_effect(family, conditioning):
    torch.manual_seed(0)
    d = small_discriminator(family, conditioning).eval()
    x = torch.rand(5, 1, 28, 28) * 2 - 1
    logits = d(x, Y)
    assert logits.shape == (5,)
    y2 = Y.clone()
    y2[0] = 7
    logits2 = d(x, y2)
    assert abs(logits2[0] - logits[0]) > 1e-5
    torch.testing.assert_close(logits2[1:], logits[1:])


def test_one_hot_generator_feeds_z_joined_with_the_one_hot_code():
    g = ConditionalMLPGenerator(latent_dim=8, hidden_dims=(16,), label_input="one_hot")
    z = torch.randn(5, 8)
    expected = g.net(torch.cat([z, nn.functional.one_hot(Y, 10).float()], dim=1))
    torch.testing.assert_close(g(z, Y), expected)
    assert not any(isinstance(m, nn.Embedding) for m in g.modules())


def test_embedding_generator_feeds_z_joined_with_the_embedding():
    g = ConditionalDCGANGenerator(latent_dim=8, base_width=4, embed_dim=3).eval()
    z = torch.randn(5, 8)
    expected = g.net(torch.cat([z, g.label_code.embed.weight[Y]], dim=1))
    torch.testing.assert_close(g(z, Y), expected)
    assert g.net.latent_dim == 8 + 3


def test_dcgan_concat_adds_one_hot_label_planes():
    d = ConditionalDCGANDiscriminator(conditioning="concat", base_width=4).eval()
    x = torch.rand(5, 1, 28, 28) * 2 - 1
    planes = torch.zeros(5, 10, 28, 28)
    for i, k in enumerate(Y.tolist()):
        planes[i, k] = 1.0  # plane y all ones, the others zero
    torch.testing.assert_close(d(x, Y), d.net(torch.cat([x, planes], dim=1)))


def test_mlp_concat_appends_the_one_hot_label():
    d = ConditionalMLPDiscriminator(conditioning="concat", hidden_dims=(16,))
    x = torch.rand(5, 1, 28, 28)
    expected = d.net(torch.cat([x.flatten(1), nn.functional.one_hot(Y, 10).float()], dim=1))
    torch.testing.assert_close(d(x, Y), expected)


@pytest.mark.parametrize("family", FAMILIES)
def test_projection_is_unconditional_score_plus_inner_product(family):
    torch.manual_seed(0)
    d = small_discriminator(family, "projection").eval()
    x = torch.rand(5, 1, 28, 28) * 2 - 1
    if family == "mlp":
        phi = d.net.net[:-1](x.flatten(1))
    else:
        phi = d.net.blocks(x).flatten(1)
    y2 = (Y + 1) % 10
    # D(x, y2) - D(x, y) = <embed(y2) - embed(y), phi(x)>: psi cancels
    diff = ((d.embed.weight[y2] - d.embed.weight[Y]) * phi).sum(1)
    torch.testing.assert_close(d(x, y2) - d(x, Y), diff)
    with torch.no_grad():
        d.embed.weight.zero_()  # no class term left: the unconditional network's logit
    unconditional = d.net(x.flatten(1)) if family == "mlp" else d.net(x)
    torch.testing.assert_close(d(x, Y), unconditional)


def test_projection_with_fc_hidden_uses_the_hidden_layer_as_phi():
    d = ConditionalDCGANDiscriminator(conditioning="projection", base_width=4, fc_hidden=True,
                                      fc_width=16).eval()
    assert d.embed.weight.shape == (10, 16)
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    y = torch.tensor([1, 2, 3])
    phi = d.net.head[:-1](d.net.blocks(x))
    expected = d.net.head[-1](phi).squeeze(1) + (d.embed.weight[y] * phi).sum(1)
    torch.testing.assert_close(d(x, y), expected)


def test_parameter_counts_match_hand_computed_numbers():
    # G: Embedding(10, 10); ConvT(18, 8, 7) no bias, BN(8); ConvT(8, 4, 4) no bias, BN(4);
    # ConvT(4, 1, 4) + bias
    g = ConditionalDCGANGenerator(latent_dim=8, base_width=4)
    assert n_params(g) == 10 * 10 + 18 * 8 * 49 + 16 + 8 * 4 * 16 + 8 + 4 * 16 + 1 == 7757
    # concat D: Conv(11, 4, 4) + bias; Conv(4, 8, 4) no bias, BN(8); head Conv(8, 1, 7) + bias
    d = ConditionalDCGANDiscriminator(conditioning="concat", base_width=4)
    assert n_params(d) == (11 * 4 * 16 + 4) + (4 * 8 * 16 + 16) + (8 * 49 + 1) == 1629
    # projection D: Conv(1, 4, 4) + bias; the same middle and head; Embedding(10, 8 * 7 * 7)
    d = ConditionalDCGANDiscriminator(conditioning="projection", base_width=4)
    assert n_params(d) == (16 * 4 + 4) + (4 * 8 * 16 + 16) + (8 * 49 + 1) + 10 * 392 == 4909
    # MLP G: Embedding(3, 2); Linear(4 + 2, 8); Linear(8, 4)
    g = ConditionalMLPGenerator(num_classes=3, latent_dim=4, embed_dim=2, hidden_dims=(8,),
                                out_shape=(1, 2, 2))
    assert n_params(g) == 3 * 2 + (6 * 8 + 8) + (8 * 4 + 4) == 98
    # MLP D concat: Linear(4 + 3, 8), Linear(8, 1); projection: Linear(4, 8), Linear(8, 1),
    # Embedding(3, 8)
    kw = dict(num_classes=3, in_shape=(1, 2, 2), hidden_dims=(8,))
    assert n_params(ConditionalMLPDiscriminator(conditioning="concat", **kw)) == 64 + 9 == 73
    assert n_params(ConditionalMLPDiscriminator(conditioning="projection", **kw)) == 40 + 9 + 24


def test_dcgan_options_pass_through():
    g = ConditionalDCGANGenerator(latent_dim=8, base_width=4, image_size=32, channels=3,
                                  upsample="nearest")
    assert g(torch.randn(2, 8), torch.tensor([0, 1])).shape == (2, 3, 32, 32)
    d = ConditionalDCGANDiscriminator(image_size=32, channels=3, base_width=4,
                                      conditioning="concat", downsample="avgpool")
    assert d(torch.randn(2, 3, 32, 32), torch.tensor([0, 1])).shape == (2,)


BAD_LABELS = [
    (torch.tensor([0, 1, 10, 2, 3]), ValueError, r"\[0, 9\].*got 10 at index 2"),
    (torch.tensor([0, -1, 1, 2, 3]), ValueError, r"\[0, 9\].*got -1 at index 1"),
    (torch.tensor([0.0, 1, 2, 3, 4]), TypeError, r"torch\.long.*y\.long\(\)"),
    (torch.tensor([0, 1, 2, 3, 4], dtype=torch.int32), TypeError, r"torch\.long"),
    (torch.tensor([[0], [1], [2], [3], [4]]), ValueError, r"shape \(N,\).*squeeze\(1\)"),
    (nn.functional.one_hot(Y, 10), ValueError, r"argmax\(1\)"),
    (torch.tensor([0, 1, 2]), ValueError, r"3 labels for a batch of 5"),
    ([0, 1, 2, 3, 4], TypeError, r"torch\.Tensor"),
]


@pytest.mark.parametrize("y, error, match", BAD_LABELS)
def test_bad_labels_give_clear_errors(y, error, match):
    g = small_generator("dcgan")
    with pytest.raises(error, match=match):
        g(torch.randn(5, 8), y)
    for family in FAMILIES:
        for conditioning in CONDITIONINGS:
            d = small_discriminator(family, conditioning)
            with pytest.raises(error, match=match):
                d(torch.zeros(5, 1, 28, 28), y)


def test_check_labels_names_the_argument_and_accepts_valid_labels():
    check_labels(Y, 10, batch_size=5)  # no error
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\]"):
        check_labels(torch.tensor([3]), 3, name="labels")


def test_wrong_inputs_and_arguments():
    with pytest.raises(ValueError, match=r"z of shape \(N, 8\)"):
        small_generator("mlp")(torch.randn(5, 9), Y)
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        small_discriminator("dcgan", "projection")(torch.randn(5, 1, 32, 32), Y)
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        small_discriminator("mlp", "concat")(torch.randn(5, 784), Y)
    with pytest.raises(ValueError, match="conditioning='sum'.*concat, projection"):
        ConditionalDCGANDiscriminator(conditioning="sum")
    with pytest.raises(ValueError, match="label_input='onehot'.*embedding, one_hot"):
        ConditionalMLPGenerator(label_input="onehot")
    with pytest.raises(ValueError, match="leave embed_dim=None"):
        ConditionalMLPGenerator(label_input="one_hot", embed_dim=4)
    with pytest.raises(ValueError, match="num_classes must be an int >= 2"):
        ConditionalDCGANGenerator(num_classes=1)
    with pytest.raises(ValueError, match="in_shape"):
        ConditionalMLPDiscriminator(in_shape=())
