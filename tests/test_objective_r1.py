"""R1 (Mescheder et al. 2018): the penalty and its gradient by hand on a linear critic, taken on
the real batch only and through the same forward pass, settings validation, checkpoint round trip,
and a few steps of fit with exact resume."""

import math

import pytest
import torch
from torch import nn

from gan_lib.train import TrainConfig, fit
from gan_lib.train.losses import discriminator_loss, hinge_discriminator_loss
from gan_lib.train.objectives import (
    R1,
    REGISTRY,
    Hinge,
    LeastSquares,
    Paired,
    StandardGAN,
    WassersteinGP,
    objective_from_dict,
)
from gan_lib.train.objectives.r1 import r1_penalty

from fit_helpers import mlp_pair, states_equal, toy_data


class LinearCritic(nn.Module):
    """D(x) = w.x + c on 2-D points: grad_x D = w at every x, so the penalty is |w|^2."""

    def __init__(self, w=(0.6, -0.8), c=0.1):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(w, dtype=torch.float64))
        self.c = nn.Parameter(torch.tensor(c, dtype=torch.float64))
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        return x @ self.w + self.c


REAL = torch.tensor([[1.0, 2.0], [-1.0, 0.5], [0.0, 3.0]], dtype=torch.float64)
FAKE = torch.tensor([[0.5, -1.0], [2.0, 2.0], [-3.0, 1.0]], dtype=torch.float64)


@pytest.mark.parametrize("gamma", [0.0, 1.0, 10.0])
def test_penalty_of_a_linear_critic_and_its_gradient_by_hand(gamma):
    d = LinearCritic(w=(1.5, -2.0))
    loss, stats = R1(gamma=gamma).discriminator_loss(d, REAL, FAKE)
    w = d.w.detach()
    assert stats["r1"].item() == pytest.approx(1.5**2 + 2.0**2)  # |w|^2, before gamma/2
    r, f = d(REAL).detach(), d(FAKE).detach()
    assert loss.item() == pytest.approx(discriminator_loss(r, f).item() + gamma / 2 * 6.25)
    loss.backward()
    # the cross-entropy's part: mean (sigmoid(D) - 1) x over real + mean sigmoid(D) x over fake;
    # the penalty's part: d/dw gamma/2 |w|^2 = gamma w (create_graph lets it reach w)
    adversarial = ((torch.sigmoid(r) - 1)[:, None] * REAL).mean(0) + \
        (torch.sigmoid(f)[:, None] * FAKE).mean(0)
    torch.testing.assert_close(d.w.grad, adversarial + gamma * w)
    # the penalty does not depend on the bias: c's gradient is the cross-entropy's alone
    torch.testing.assert_close(d.c.grad, (torch.sigmoid(r) - 1).mean() + torch.sigmoid(f).mean())


def test_penalty_is_taken_on_the_real_batch_only():
    # D(x) = |x|^2: grad = 2x, so the penalty is mean 4|x_i|^2 over the real samples
    critic = lambda x: x.square().sum(1)
    _, stats = R1(gamma=1.0, adversarial=Hinge()).discriminator_loss(critic, REAL, FAKE)
    expected = 4 * REAL.square().sum(1).mean()
    assert stats["r1"].item() == pytest.approx(expected.item())
    assert stats["r1"].item() != pytest.approx(4 * FAKE.square().sum(1).mean().item())


def test_the_callers_batch_is_left_alone_and_the_forward_pass_is_reused():
    real, fake = REAL.clone(), FAKE.clone()
    d = LinearCritic()
    loss, _ = R1().discriminator_loss(d, real, fake)
    loss.backward()
    assert not real.requires_grad and real.grad is None and torch.equal(real, REAL)
    assert d.calls == 2  # real and fake once each: the penalty reuses the real batch's pass


class _ScoresACopy(Hinge):
    """An objective that never scores the real batch itself (no `name`: not registered)."""

    def discriminator_loss(self, critic, real, fake, *, rng=None):
        return super().discriminator_loss(critic, real.clone(), fake, rng=rng)


def test_an_objective_that_does_not_score_real_gets_a_pass_of_its_own():
    d = LinearCritic(w=(3.0, 4.0))
    loss, stats = R1(gamma=2.0, adversarial=_ScoresACopy()).discriminator_loss(d, REAL, FAKE)
    assert d.calls == 3 and stats["r1"].item() == pytest.approx(25.0)
    r, f = d(REAL).detach(), d(FAKE).detach()
    assert loss.item() == pytest.approx(hinge_discriminator_loss(r, f).item() + 25.0)
    loss.backward()
    torch.testing.assert_close(d.w.grad, -(r < 1).double() @ REAL / 3 + (f > -1).double() @ FAKE / 3
                               + 2.0 * d.w.detach())


def test_it_wraps_the_adversarial_objective():
    d = LinearCritic()
    for adversarial in (StandardGAN(loss="minimax"), Hinge(), LeastSquares()):
        objective = R1(adversarial=adversarial)
        g_loss, g_stats = objective.generator_loss(d, REAL, FAKE)
        expected, expected_stats = adversarial.generator_loss(d, REAL, FAKE)
        assert torch.equal(g_loss, expected) and g_stats == expected_stats  # G's loss unchanged
        _, stats = objective.discriminator_loss(d, REAL, FAKE)
        _, adv_stats = adversarial.discriminator_loss(d, REAL, FAKE)
        assert stats.keys() == {"d_real", "d_fake", "r1"}
        assert torch.equal(stats["d_real"], adv_stats["d_real"])
        assert objective.probabilistic == adversarial.probabilistic
    assert R1().probabilistic and not R1(adversarial=Hinge()).probabilistic
    wgan = R1(adversarial=WassersteinGP())
    assert wgan.extra_stats == ("gp", "r1") and wgan.history_keys()[-2:] == ("gp", "r1")
    # the wrapped objective's randomness still comes from the caller's generator
    a = wgan.discriminator_loss(d, REAL, FAKE, rng=torch.Generator().manual_seed(3))[0]
    b = wgan.discriminator_loss(d, REAL, FAKE, rng=torch.Generator().manual_seed(3))[0]
    assert torch.equal(a, b)


def test_r1_penalty_asks_for_an_input_that_requires_grad():
    with pytest.raises(ValueError, match=r"requires_grad_\(True\)"):
        r1_penalty(REAL.sum(1), REAL)


@pytest.mark.parametrize("settings, error, match", [
    (dict(gamma=-1.0), ValueError, "gamma must be a finite number >= 0.*got -1.0"),
    (dict(gamma=math.nan), ValueError, "gamma must be a finite number >= 0.*got nan"),
    (dict(gamma=math.inf), ValueError, "gamma must be a finite number"),
    (dict(gamma="10"), ValueError, "got '10'"),
    (dict(gamma=True), ValueError, "got True"),
    (dict(adversarial=Paired()), TypeError, "unpaired objective"),
    (dict(adversarial="standard"), TypeError, "unpaired objective.*got 'standard'"),
    (dict(adversarial=R1()), TypeError, "already an R1"),
])
def test_settings_are_validated(settings, error, match):
    with pytest.raises(error, match=match):
        R1(**settings)


def test_registered_and_round_trips_through_plain_dicts():
    assert REGISTRY["r1"] is R1
    assert R1().to_dict() == {"name": "r1", "gamma": 10.0,
                              "adversarial": {"name": "standard", "loss": "non-saturating",
                                              "real_label": 1.0}}
    objective = R1(gamma=1, adversarial=LeastSquares(a=-1.0, c=0.0))
    assert type(objective.gamma) is float
    assert objective_from_dict(objective.to_dict()) == objective
    cfg = TrainConfig(steps=3, objective=objective)
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    assert Paired(adversarial=R1()).extra_stats == ("r1", "l1")  # R1 may itself be wrapped


# -- a few steps of the real loop -----------------------------------------------------------------


def test_fit_records_the_penalty_and_resumes_exactly(tmp_path):
    kw = dict(objective=R1(gamma=5.0), batch_size=8, progress=False)
    g_ref, d_ref = mlp_pair()
    h_ref = fit(g_ref, d_ref, toy_data(), steps=8, **kw)
    assert h_ref.keys() == ["step", "d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm",
                            "d_grad_norm", "r1"]
    assert all(math.isfinite(v) for r in h_ref for v in r.values())
    assert all(v > 0 for v in h_ref["r1"])  # an MLP's input gradient is not zero
    assert all(0 < v < 1 for v in h_ref["d_real"] + h_ref["d_fake"])  # standard GAN: probabilities
    ckpt = tmp_path / "r1.pt"
    fit(*mlp_pair(), toy_data(), steps=4, checkpoint=ckpt, **kw)
    torch.manual_seed(99)  # another global RNG state
    g, d = mlp_pair(seed=99)  # and other initial weights: everything comes from the checkpoint
    h = fit(g, d, toy_data(), steps=8, checkpoint=ckpt, resume=True, **kw)
    assert h == h_ref and len(h) == 8
    assert states_equal(g, g_ref) and states_equal(d, d_ref)


def test_fit_penalty_shrinks_the_gradient_on_real_data():
    # same data, seeds and steps; only gamma differs: the penalised D ends flatter on the data
    kw = dict(batch_size=8, steps=25, lr_d=1e-2, progress=False)
    free = fit(*mlp_pair(), toy_data(), objective=R1(gamma=0.0), **kw)
    penalised = fit(*mlp_pair(), toy_data(), objective=R1(gamma=50.0), **kw)
    assert free["r1"][0] == penalised["r1"][0]  # the first step sees the same D
    assert sum(penalised["r1"][-5:]) < 0.1 * sum(free["r1"][-5:])
