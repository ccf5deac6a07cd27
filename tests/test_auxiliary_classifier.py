"""ACGAN (Odena et al. 2017): the auxiliary-classifier discriminator and objective. Losses by hand
on tiny inputs, bad labels and bad discriminators refused with clear errors, settings and
checkpoint round trip, and a few steps of fit."""

import math

import pytest
import torch
from torch import nn

from gan_lib.models import ConditionalDCGANGenerator
from gan_lib.models.auxiliary_classifier import AuxiliaryClassifierDiscriminator
from gan_lib.train import AuxiliaryClassifier, fit
from gan_lib.train.objectives import REGISTRY, objective_from_dict


class TableCritic(nn.Module):
    """D(x, y) for 1-D 'images' x (N, 1) holding an index into fixed tables: a real/fake logit
    and 3 class logits per index, so every loss can be written down by hand."""

    SOURCE = torch.tensor([2.0, -1.0, 0.0], dtype=torch.float64)
    CLASSES = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 2.0, -1.0]],
                           dtype=torch.float64)

    def __init__(self, labels):
        super().__init__()
        self.labels = labels

    def __call__(self, x):
        i = x[:, 0].long()
        log_q = torch.log_softmax(self.CLASSES[i], 1).gather(1, self.labels[:, None]).squeeze(1)
        return torch.stack([self.SOURCE[i], log_q], 1)


def softplus(v):
    return math.log1p(math.exp(v))


def log_softmax(row, k):
    return row[k] - math.log(sum(math.exp(v) for v in row))


def test_losses_by_hand():
    labels = torch.tensor([0, 2])
    critic = TableCritic(labels)
    real = torch.tensor([[0.0], [2.0]], dtype=torch.float64)  # s = 2, 0
    fake = torch.tensor([[1.0], [2.0]], dtype=torch.float64)  # s = -1, 0
    rows = TableCritic.CLASSES.tolist()
    ce_real = -(log_softmax(rows[0], 0) + log_softmax(rows[2], 2)) / 2
    ce_fake = -(log_softmax(rows[1], 0) + log_softmax(rows[2], 2)) / 2
    # BCE(s, 1) = softplus(-s), BCE(s, 0) = softplus(s), each a mean over its batch
    adv_d = (softplus(-2) + softplus(0)) / 2 + (softplus(-1) + softplus(0)) / 2
    loss, stats = AuxiliaryClassifier().discriminator_loss(critic, real, fake)
    assert loss.item() == pytest.approx(adv_d + ce_real + ce_fake)
    assert stats["ce_real"].item() == pytest.approx(ce_real)
    assert stats["ce_fake"].item() == pytest.approx(ce_fake)
    d_real = (torch.sigmoid(torch.tensor(2.0)).item() + 0.5) / 2
    assert stats["d_real"].item() == pytest.approx(d_real)
    g_loss, g_stats = AuxiliaryClassifier().generator_loss(critic, real, fake)
    adv_g = (softplus(1) + softplus(0)) / 2  # non-saturating: -log sigmoid(s) = softplus(-s)
    assert g_loss.item() == pytest.approx(adv_g + ce_fake)
    assert g_stats["ce_fake"].item() == pytest.approx(ce_fake)
    # the class weight scales only the cross-entropies
    half, _ = AuxiliaryClassifier(class_weight=0.5).discriminator_loss(critic, real, fake)
    assert half.item() == pytest.approx(adv_d + 0.5 * (ce_real + ce_fake))
    minimax, _ = AuxiliaryClassifier(loss="minimax").generator_loss(critic, real, fake)
    adv_minimax = -(softplus(-1) + softplus(0)) / 2  # log(1 - sigmoid(s)) = -softplus(s)
    assert minimax.item() == pytest.approx(adv_minimax + ce_fake)


def test_discriminator_forward_is_the_source_logit_and_the_label_log_probability():
    torch.manual_seed(0)
    D = AuxiliaryClassifierDiscriminator(base_width=4).eval()
    x, y = torch.randn(5, 1, 28, 28), torch.tensor([0, 3, 9, 3, 1])
    out = D(x, y)
    source, classes = D.heads(x)
    assert out.shape == (5, 2) and classes.shape == (5, 10)
    torch.testing.assert_close(out[:, 0], source)
    torch.testing.assert_close(out[:, 1], torch.log_softmax(classes, 1)[torch.arange(5), y])
    torch.testing.assert_close(D.classify(x), classes)


@pytest.mark.parametrize("bad, error, words", [
    (torch.tensor([0, 3, 10]), ValueError, "must lie in [0, 9]"),
    (torch.tensor([0.0, 3.0, 1.0]), TypeError, "torch.long"),
    (torch.tensor([0, 3]), ValueError, "2 labels for a batch of 3"),
    (torch.tensor([[0], [3], [1]]), ValueError, "squeeze(1)"),
    ([0, 3, 1], TypeError, "torch.Tensor"),
])
def test_bad_labels_are_refused_clearly(bad, error, words):
    D = AuxiliaryClassifierDiscriminator(base_width=4)
    with pytest.raises(error) as info:
        D(torch.zeros(3, 1, 28, 28), bad)
    assert words in str(info.value)


def test_bad_settings_and_a_plain_discriminator_are_refused():
    with pytest.raises(ValueError, match="class_weight"):
        AuxiliaryClassifier(class_weight=-1.0)
    with pytest.raises(ValueError, match="unknown loss"):
        AuxiliaryClassifier(loss="hinge")
    with pytest.raises(ValueError, match="num_classes"):
        AuxiliaryClassifierDiscriminator(num_classes=1)
    # a discriminator returning one logit per sample (projection, concat) is not an ACGAN one
    one_logit = lambda x: torch.zeros(len(x))
    with pytest.raises(ValueError, match=r"returns \(N, 2\)"):
        AuxiliaryClassifier().discriminator_loss(one_logit, torch.zeros(2, 1), torch.zeros(2, 1))


def test_registered_and_round_trips_through_a_checkpoint_dict():
    assert REGISTRY["auxiliary-classifier"] is AuxiliaryClassifier
    objective = AuxiliaryClassifier(class_weight=2)
    again = objective_from_dict(objective.to_dict())
    assert again == objective and isinstance(again.class_weight, float)


def test_a_few_fit_steps_train_the_class_head():
    torch.manual_seed(0)
    n = 64
    labels = torch.arange(n) % 2
    # two easy classes: images bright on the left half or on the right half
    images = -torch.ones(n, 1, 28, 28)
    images[labels == 0, :, :, :14] = 1.0
    images[labels == 1, :, :, 14:] = 1.0
    G = ConditionalDCGANGenerator(num_classes=2, latent_dim=8, base_width=4)
    D = AuxiliaryClassifierDiscriminator(num_classes=2, base_width=4)
    history = fit(G, D, images, labels=labels, objective=AuxiliaryClassifier(), steps=30,
                  batch_size=16, lr_g=1e-3, lr_d=2e-3, device="cpu", seed=0, progress=False)
    assert len(history) == 30 and {"ce_real", "ce_fake"} <= set(history.keys())
    D.eval()
    with torch.no_grad():
        accuracy = (D.classify(images).argmax(1) == labels).float().mean().item()
    assert accuracy == 1.0  # the class head has learned the two classes of the real data
    assert all(math.isfinite(v) for row in history for v in row.values())
    # D's loss on the real digits' classes fell: the cross-entropy is recorded every step
    assert history["ce_real"][-1] < history["ce_real"][0]


def test_parameter_count_is_the_dcgan_discriminator_plus_a_linear_class_head():
    from gan_lib.models import DCGANDiscriminator

    count = lambda m: sum(p.numel() for p in m.parameters())
    D = AuxiliaryClassifierDiscriminator(base_width=4)
    features = 2 * 4 * 7 * 7  # the last feature map, flattened: phi(x)
    assert count(D) == count(DCGANDiscriminator(base_width=4)) + features * 10 + 10
    fc = AuxiliaryClassifierDiscriminator(base_width=4, fc_hidden=True, fc_width=16)
    source, classes = fc.heads(torch.zeros(2, 1, 28, 28))
    assert source.shape == (2,) and classes.shape == (2, 10)
