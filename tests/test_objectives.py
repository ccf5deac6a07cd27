"""The losses beside BCE (Wasserstein, hinge), the gradient penalty, and the objectives that
combine them: values on hand-checkable inputs, gradients against their formulas."""

import math

import pytest
import torch
from torch import nn

from gan_lib.train.losses import (
    gradient_penalty,
    hinge_discriminator_loss,
    hinge_generator_loss,
    wasserstein_critic_loss,
    wasserstein_generator_loss,
)
from gan_lib.train import (
    Hinge,
    Paired,
    Refinement,
    SemiSupervised,
    StandardGAN,
    TrainConfig,
    WassersteinGP,
)
from gan_lib.train.objectives import objective_from_dict


def test_wasserstein_losses_and_gradients():
    real = torch.tensor([1.0, 3.0], requires_grad=True)
    fake = torch.tensor([0.5, -0.5, 2.0], requires_grad=True)
    loss = wasserstein_critic_loss(real, fake)
    assert loss.item() == pytest.approx(2.0 / 3 - 2.0)  # mean fake 2/3, mean real 2
    loss.backward()
    # d/d real_i = -1/N_real, d/d fake_j = +1/N_fake
    torch.testing.assert_close(real.grad, torch.full((2,), -0.5))
    torch.testing.assert_close(fake.grad, torch.full((3,), 1 / 3))
    fake.grad = None
    g = wasserstein_generator_loss(fake)
    assert g.item() == pytest.approx(-2.0 / 3)
    g.backward()
    torch.testing.assert_close(fake.grad, torch.full((3,), -1 / 3))


def test_hinge_losses_and_gradients():
    real = torch.tensor([2.0, 0.5], requires_grad=True)   # 2.0 is past the margin
    fake = torch.tensor([-3.0, 0.0], requires_grad=True)  # -3.0 is past the margin
    loss = hinge_discriminator_loss(real, fake)
    # relu(1-2)=0, relu(1-0.5)=0.5 -> 0.25; relu(1-3)=0, relu(1+0)=1 -> 0.5
    assert loss.item() == pytest.approx(0.75)
    loss.backward()
    torch.testing.assert_close(real.grad, torch.tensor([0.0, -0.5]))  # no gradient past the margin
    torch.testing.assert_close(fake.grad, torch.tensor([0.0, 0.5]))
    fake.grad = None
    hinge_generator_loss(fake).backward()
    torch.testing.assert_close(fake.grad, torch.tensor([-0.5, -0.5]))


def test_gradient_penalty_of_a_linear_critic_is_exact():
    torch.manual_seed(0)
    critic = nn.Sequential(nn.Flatten(), nn.Linear(12, 1), nn.Flatten(0))
    real, fake = torch.randn(5, 3, 2, 2), torch.randn(5, 3, 2, 2)
    w_norm = critic[1].weight.norm().item()
    gp = gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(1))
    assert gp.item() == pytest.approx((w_norm - 1) ** 2, rel=1e-5)
    # its own gradient reaches the weights (create_graph): d/dw (||w|| - 1)^2 = 2 (||w|| - 1) w/||w||
    gp.backward()
    w = critic[1].weight.detach()
    torch.testing.assert_close(critic[1].weight.grad, 2 * (w_norm - 1) * w / w_norm,
                               rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        gradient_penalty(critic, real, fake[:4])


def test_gradient_penalty_is_reproducible_with_a_generator():
    critic = lambda x: (x ** 2).flatten(1).sum(1)  # nonlinear: the interpolates matter
    real, fake = torch.randn(6, 4), torch.randn(6, 4)
    a = gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(3))
    b = gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(3))
    c = gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(4))
    assert torch.equal(a, b) and not torch.equal(a, c)


def _linear_critic():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(4, 1), nn.Flatten(0))


def test_objectives_compute_their_losses():
    critic = _linear_critic()
    real, fake = torch.randn(8, 4), torch.randn(8, 4)
    r, f = critic(real), critic(fake)
    loss, stats = Hinge().discriminator_loss(critic, real, fake)
    assert torch.equal(loss, hinge_discriminator_loss(r, f))
    torch.testing.assert_close(stats["d_real"], r.mean())
    loss, stats = WassersteinGP(gp_weight=2.0).discriminator_loss(
        critic, real, fake, rng=torch.Generator().manual_seed(0))
    gp = gradient_penalty(critic, real, fake, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(loss, f.mean() - r.mean() + 2.0 * gp)
    torch.testing.assert_close(stats["gp"], gp)
    loss, stats = StandardGAN(real_label=0.9).discriminator_loss(critic, real, fake)
    assert 0 < stats["d_real"].item() < 1  # probabilities for the standard GAN


def test_paired_objective_adds_weighted_l1():
    critic = _linear_critic()
    target, output = torch.zeros(2, 4), torch.full((2, 4), 0.5)
    loss, stats = Paired(l1_weight=10.0).generator_loss(critic, target, output)
    adv, _ = StandardGAN().generator_loss(critic, target, output)
    torch.testing.assert_close(loss, adv + 10.0 * 0.5)
    assert stats["l1"].item() == 0.5
    only_l1 = Paired(l1_weight=10.0, adversarial=None)
    assert not only_l1.uses_discriminator and only_l1.history_keys() == ("g_loss", "g_grad_norm", "l1")
    assert only_l1.generator_loss(None, target, output)[0].item() == 5.0
    assert Paired(adversarial=WassersteinGP()).extra_stats == ("gp", "l1")


@pytest.mark.parametrize("make, error, match", [
    (lambda: StandardGAN(loss="wasserstein"), ValueError, "non-saturating, minimax"),
    (lambda: StandardGAN(real_label=0.0), ValueError, "real_label"),
    (lambda: WassersteinGP(gp_weight=-1), ValueError, "gp_weight"),
    (lambda: Paired(l1_weight=-1), ValueError, "l1_weight"),
    (lambda: Paired(adversarial=Paired()), TypeError, "unpaired objective"),
    (lambda: Paired(l1_weight=0, adversarial=None), ValueError, "nothing to train"),
])
def test_objective_settings_are_validated(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_config_round_trips_through_plain_dicts():
    cfg = TrainConfig(steps=10, objective=Paired(l1_weight=50.0, adversarial=Hinge()),
                      ema_decay=0.99, betas=[0.0, 0.9])
    plain = cfg.to_dict()
    assert plain["objective"] == {"name": "paired", "l1_weight": 50.0,
                                  "adversarial": {"name": "hinge"}}
    assert TrainConfig.from_dict(plain) == cfg and cfg.betas == (0.0, 0.9)
    assert objective_from_dict(WassersteinGP(3.0).to_dict()) == WassersteinGP(3.0)
    with pytest.raises(ValueError, match="unknown objective 'nope'"):
        objective_from_dict({"name": "nope"})
    assert math.isclose(TrainConfig(epochs=2, batch_size=16).total_steps(50), 8)


class _Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Identity()
        self.head = nn.Identity()

    def features(self, x):
        return self.body(x)

    def forward(self, x):
        return self.head(x)


def test_semi_supervised_losses_by_hand():
    # D = identity: the "class logits" are the inputs themselves (K = 2)
    d = _Classifier()
    real = torch.tensor([[0.0, 0.0]])           # Z = 2: D(real) = 2/3
    fake = torch.tensor([[math.log(0.5), -100.0]])  # Z ~ 0.5: D(fake) = 1/3
    x_l, y_l = torch.tensor([[1.0, 0.0]]), torch.tensor([0])
    loss, stats = SemiSupervised(supervised_weight=2.0).discriminator_loss(
        d, real, fake, labeled=(x_l, y_l))
    supervised = -math.log(math.e / (math.e + 1))     # softmax of class 0
    unsupervised = -math.log(2 / 3) - math.log(1 - 1 / 3)
    assert loss.item() == pytest.approx(2.0 * supervised + unsupervised, rel=1e-5)
    assert stats["d_real"].item() == pytest.approx(2 / 3, rel=1e-5)
    assert stats["d_fake"].item() == pytest.approx(1 / 3, rel=1e-4)
    # feature matching: squared distance between the batch means of D's features, averaged
    # over the F = 2 features (as the reference code)
    g_loss, _ = SemiSupervised().generator_loss(d, torch.tensor([[1.0, 1.0], [3.0, 1.0]]),
                                                torch.tensor([[0.0, 0.0], [0.0, 2.0]]))
    assert g_loss.item() == pytest.approx(((2 - 0) ** 2 + (1 - 1) ** 2) / 2)
    with pytest.raises(ValueError, match="needs a labeled batch"):
        SemiSupervised().discriminator_loss(d, real, fake)
    with pytest.raises(TypeError, match="features"):
        SemiSupervised().generator_loss(nn.Identity(), real, fake)


def test_refinement_adds_self_regularisation_to_the_synthetic_input():
    critic = _linear_critic()
    synthetic, refined = torch.zeros(2, 4), torch.full((2, 4), 0.25)
    loss, stats = Refinement(self_weight=4.0).generator_loss(critic, None, refined, source=synthetic)
    adv, _ = StandardGAN().generator_loss(critic, None, refined)
    torch.testing.assert_close(loss, adv + 4.0 * 0.25)
    assert stats["self_l1"].item() == 0.25 and Refinement.batch_plan == "refinement"
    with pytest.raises(ValueError, match="needs the synthetic sources"):
        Refinement().generator_loss(critic, None, refined)
    with pytest.raises(TypeError, match="unpaired objective"):
        Refinement(adversarial=Paired())
    with pytest.raises(TypeError, match="unpaired objective"):
        Paired(adversarial=Refinement())
    assert objective_from_dict(Refinement(0.5, Hinge()).to_dict()) == Refinement(0.5, Hinge())
