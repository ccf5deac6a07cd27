"""gan_lib.losses: values against hand-computed numbers, gradients against closed forms."""

import math

import pytest
import torch

from gan_lib.train.losses import GENERATOR_LOSSES, discriminator_loss, generator_loss

LOG2 = math.log(2.0)


def test_zero_logits_give_log2_per_term():
    zeros = torch.zeros(8)
    # D = 1/2 everywhere: each BCE term is -log(1/2) = log 2
    assert discriminator_loss(zeros, zeros).item() == pytest.approx(2 * LOG2)
    assert generator_loss(zeros, kind="non-saturating").item() == pytest.approx(LOG2)
    assert generator_loss(zeros, kind="minimax").item() == pytest.approx(-LOG2)


def test_hand_computed_values():
    real = torch.tensor([2.0, -1.0])
    fake = torch.tensor([0.5, -3.0])
    sig = torch.sigmoid
    # -mean log D(x) - mean log(1 - D(G(z)))
    expected_d = -(sig(real).log().mean() + (1 - sig(fake)).log().mean())
    assert discriminator_loss(real, fake).item() == pytest.approx(expected_d.item(), rel=1e-6)
    # softplus by hand: log(1 + e^a)
    expected_ns = sum(math.log1p(math.exp(-a)) for a in (0.5, -3.0)) / 2
    expected_mm = -sum(math.log1p(math.exp(a)) for a in (0.5, -3.0)) / 2
    assert generator_loss(fake).item() == pytest.approx(expected_ns, rel=1e-6)
    assert generator_loss(fake, kind="minimax").item() == pytest.approx(expected_mm, rel=1e-6)


def test_default_kind_is_non_saturating():
    fake = torch.tensor([-2.0, 1.0, 0.3])
    assert generator_loss(fake).item() == generator_loss(fake, kind="non-saturating").item()
    assert GENERATOR_LOSSES == ("non-saturating", "minimax")


def test_real_label_smoothing_value():
    real, fake = torch.tensor([1.5]), torch.tensor([-0.5])
    alpha = 0.9
    p = torch.sigmoid(real)
    expected = -(alpha * p.log() + (1 - alpha) * (1 - p).log()) - (1 - torch.sigmoid(fake)).log()
    got = discriminator_loss(real, fake, real_label=alpha)
    assert got.item() == pytest.approx(expected.item(), rel=1e-6)
    assert got.item() != pytest.approx(discriminator_loss(real, fake).item(), rel=1e-3)


def test_smoothed_real_loss_is_minimised_at_logit_of_alpha():
    # with target alpha, d/da BCE(a, alpha) = sigmoid(a) - alpha: zero at a = logit(alpha)
    alpha = 0.9
    a = torch.tensor([math.log(alpha / (1 - alpha))], requires_grad=True)
    discriminator_loss(a, torch.full((1,), -1e4), real_label=alpha).backward()
    assert abs(a.grad.item()) < 1e-6


@pytest.mark.parametrize("a", [-8.0, -2.0, 0.0, 0.7, 5.0])
def test_generator_gradients_match_closed_forms(a):
    s = 1 / (1 + math.exp(-a))
    logit = torch.tensor([a], dtype=torch.float64, requires_grad=True)
    generator_loss(logit, kind="minimax").backward()
    # d/da log(1 - sigmoid(a)) = -sigmoid(a)
    assert logit.grad.item() == pytest.approx(-s, rel=1e-12)
    logit.grad = None
    generator_loss(logit, kind="non-saturating").backward()
    # d/da -log sigmoid(a) = -(1 - sigmoid(a))
    assert logit.grad.item() == pytest.approx(-(1 - s), rel=1e-12)


def test_discriminator_gradients_match_closed_forms():
    real = torch.tensor([0.3, -1.2], dtype=torch.float64, requires_grad=True)
    fake = torch.tensor([2.0, -0.4], dtype=torch.float64, requires_grad=True)
    discriminator_loss(real, fake, real_label=0.8).backward()
    # d/da BCE(a, y) = (sigmoid(a) - y) / N for a batch mean over N
    torch.testing.assert_close(real.grad, (torch.sigmoid(real.detach()) - 0.8) / 2)
    torch.testing.assert_close(fake.grad, torch.sigmoid(fake.detach()) / 2)


def test_saturation_when_d_rejects_fakes():
    # D(G(z)) = sigmoid(-10) ~ 4.5e-5: the minimax gradient nearly vanishes, the other does not
    logit = torch.tensor([-10.0], requires_grad=True)
    generator_loss(logit, kind="minimax").backward()
    g_mm = logit.grad.abs().item()
    logit.grad = None
    generator_loss(logit, kind="non-saturating").backward()
    g_ns = logit.grad.abs().item()
    assert g_mm < 1e-4 and g_ns > 0.9999


@pytest.mark.parametrize("big", [1e4, -1e4])
def test_finite_values_and_gradients_for_huge_logits(big):
    real = torch.tensor([big, -big], requires_grad=True)
    fake = torch.tensor([big, -big], requires_grad=True)
    losses = [
        discriminator_loss(real, fake),
        discriminator_loss(real, fake, real_label=0.9),
        generator_loss(fake, kind="non-saturating"),
        generator_loss(fake, kind="minimax"),
    ]
    for loss in losses:
        assert torch.isfinite(loss)
        grads = torch.autograd.grad(loss, [real, fake], allow_unused=True)
        for g in grads:
            assert g is None or torch.isfinite(g).all()
    # exact value: in each batch of two, one logit is confidently wrong by 1e4 nats -> 5e3 + 5e3
    assert discriminator_loss(real, fake).item() == pytest.approx(1e4, rel=1e-6)


def test_naive_log_sigmoid_would_overflow():
    # what the with-logits form protects against: log(sigmoid(-1e4)) = log(0) = -inf in float32
    a = torch.tensor([-1e4])
    assert torch.isinf(torch.log(torch.sigmoid(a))).all()
    assert generator_loss(a).item() == pytest.approx(1e4)


def test_unknown_kind_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown generator loss kind 'wasserstein'.*non-saturating, minimax"):
        generator_loss(torch.zeros(2), kind="wasserstein")


@pytest.mark.parametrize("label", [0.0, -0.1, 1.01, 2.0])
def test_real_label_out_of_range(label):
    with pytest.raises(ValueError, match=r"real_label must be in \(0, 1\]"):
        discriminator_loss(torch.zeros(2), torch.zeros(2), real_label=label)
