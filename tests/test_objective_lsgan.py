"""LeastSquares (LSGAN, Mao et al. 2017): losses and gradients by hand, its target codes, settings
validation, checkpoint round trip, and a few steps of fit (with exact resume)."""

import math

import pytest
import torch
from torch import nn

from gan_lib.train import TrainConfig, fit
from gan_lib.train.objectives import REGISTRY, LeastSquares, objective_from_dict

from fit_helpers import mlp_pair, states_equal, toy_data


class LinearCritic(nn.Module):
    """D(x) = w.x + c on 2-D points: scores and their gradients are easy to write by hand."""

    def __init__(self, w=(1.0, -2.0), c=0.5):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(w, dtype=torch.float64))
        self.c = nn.Parameter(torch.tensor(c, dtype=torch.float64))

    def forward(self, x):
        return x @ self.w + self.c


REAL = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)   # D = 1.5, -1.5
FAKE = torch.tensor([[2.0, 1.0], [0.0, 0.0], [1.0, 1.0]], dtype=torch.float64)  # D = 0.5, 0.5, -0.5


def test_losses_of_the_default_0_1_coding_by_hand():
    critic = LinearCritic()
    loss, stats = LeastSquares().discriminator_loss(critic, REAL, FAKE)
    # b = 1: 1/2 mean((0.5)^2, (-2.5)^2) = 1/2 * 6.5/2; a = 0: 1/2 mean(0.25, 0.25, 0.25)
    assert loss.item() == pytest.approx(0.5 * 6.5 / 2 + 0.5 * 0.25)
    # raw mean scores, not probabilities (a mean of sigmoids is never 0)
    assert stats.keys() == {"d_real", "d_fake"}
    assert stats["d_real"].item() == pytest.approx(0.0)
    assert stats["d_fake"].item() == pytest.approx(0.5 / 3)
    assert not stats["d_real"].requires_grad and stats["d_real"].dim() == 0
    g_loss, g_stats = LeastSquares().generator_loss(critic, REAL, FAKE)
    # c = 1: 1/2 mean((-0.5)^2, (-0.5)^2, (-1.5)^2) = 1/2 * 2.75 / 3
    assert g_loss.item() == pytest.approx(0.5 * 2.75 / 3) and g_stats == {}


def test_losses_of_the_minus1_1_0_coding_by_hand():
    critic = LinearCritic()
    objective = LeastSquares(a=-1.0, b=1.0, c=0.0)
    loss, _ = objective.discriminator_loss(critic, REAL, FAKE)
    # a = -1: 1/2 mean(1.5^2, 1.5^2, 0.5^2) = 1/2 * 4.75 / 3
    assert loss.item() == pytest.approx(0.5 * 6.5 / 2 + 0.5 * 4.75 / 3)
    g_loss, _ = objective.generator_loss(critic, REAL, FAKE)
    assert g_loss.item() == pytest.approx(0.5 * (0.25 + 0.25 + 0.25) / 3)  # c = 0


@pytest.mark.parametrize("a, b, c", [(0.0, 1.0, 1.0), (-1.0, 1.0, 0.0), (0.2, -0.7, 3.0)])
def test_gradients_match_the_closed_forms(a, b, c):
    real_scores = torch.tensor([1.5, -1.5], dtype=torch.float64, requires_grad=True)
    fake_scores = torch.tensor([0.5, 0.5, -0.5], dtype=torch.float64, requires_grad=True)
    # the critic returns prepared scores, so the gradients w.r.t. the scores are exposed
    critic = lambda x: real_scores if x is REAL else fake_scores
    objective = LeastSquares(a=a, b=b, c=c)
    objective.discriminator_loss(critic, REAL, FAKE)[0].backward()
    # d/dD_i of 1/2 mean (D - target)^2 is (D_i - target) / N
    torch.testing.assert_close(real_scores.grad, (real_scores.detach() - b) / 2)
    torch.testing.assert_close(fake_scores.grad, (fake_scores.detach() - a) / 3)
    fake_scores.grad = None
    objective.generator_loss(critic, REAL, FAKE)[0].backward()
    torch.testing.assert_close(fake_scores.grad, (fake_scores.detach() - c) / 3)
    # and through a linear critic to its weights: d/dw = mean (D - b) x + mean (D - a) x
    d = LinearCritic()
    objective.discriminator_loss(d, REAL, FAKE)[0].backward()
    r, f = d(REAL).detach(), d(FAKE).detach()
    expected = ((r - b)[:, None] * REAL).mean(0) + ((f - a)[:, None] * FAKE).mean(0)
    torch.testing.assert_close(d.w.grad, expected)
    torch.testing.assert_close(d.c.grad, (r - b).mean() + (f - a).mean())


def test_optimal_discriminator_is_the_weighted_mean_of_the_codes():
    # the paper's D*(x) = (b p_data + a p_g) / (p_data + p_g): where both put equal mass on the
    # same point, D's loss is stationary at (a + b) / 2 and nowhere else
    x = torch.zeros(4, 2, dtype=torch.float64)
    for a, b in [(0.0, 1.0), (-1.0, 1.0)]:
        for score, stationary in [((a + b) / 2, True), (b, False)]:
            s = torch.tensor(score, dtype=torch.float64, requires_grad=True)
            LeastSquares(a=a, b=b).discriminator_loss(lambda z: s.expand(len(z)), x, x)[0].backward()
            assert (abs(s.grad.item()) < 1e-12) == stationary


@pytest.mark.parametrize("settings, error, match", [
    (dict(a=1.0, b=1.0), ValueError, r"a and b must differ.*a = b = 1\.0"),
    (dict(a=0, b=0.0), ValueError, "a and b must differ"),
    (dict(a=math.nan), ValueError, "a must be finite, got nan"),
    (dict(b=math.inf), ValueError, "b must be finite, got inf"),
    (dict(c=-math.inf), ValueError, "c must be finite"),
    (dict(c="1"), TypeError, "c must be a real number.*'1' of type str"),
    (dict(a=True), TypeError, "a must be a real number.*True of type bool"),
    (dict(b=torch.tensor(1.0)), TypeError, "b must be a real number.*Tensor"),
])
def test_settings_are_validated(settings, error, match):
    with pytest.raises(error, match=match):
        LeastSquares(**settings)


def test_registered_and_round_trips_through_plain_dicts():
    assert REGISTRY["lsgan"] is LeastSquares
    objective = LeastSquares(a=-1, b=1, c=0)  # ints become floats: plain, weights_only-loadable
    assert objective.to_dict() == {"name": "lsgan", "a": -1.0, "b": 1.0, "c": 0.0}
    assert all(type(v) is float for k, v in objective.to_dict().items() if k != "name")
    assert objective_from_dict(objective.to_dict()) == objective
    assert objective_from_dict({"name": "lsgan"}) == LeastSquares(a=0.0, b=1.0, c=1.0)
    cfg = TrainConfig(steps=3, objective=objective)
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    assert not objective.probabilistic and objective.extra_stats == ()


# -- a few steps of the real loop -----------------------------------------------------------------


def test_fit_trains_with_least_squares_and_resumes_exactly(tmp_path):
    kw = dict(objective=LeastSquares(a=-1.0, b=1.0, c=0.0), batch_size=8, progress=False)
    g_ref, d_ref = mlp_pair()
    h_ref = fit(g_ref, d_ref, toy_data(), steps=8, **kw)
    assert h_ref.keys() == ["step", "d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm",
                            "d_grad_norm"]
    assert h_ref.config.objective == LeastSquares(a=-1.0, b=1.0, c=0.0)
    assert all(math.isfinite(v) for r in h_ref for v in r.values())
    assert all(v >= 0 for v in h_ref["d_loss"] + h_ref["g_loss"])  # sums of squares
    ckpt = tmp_path / "lsgan.pt"
    fit(*mlp_pair(), toy_data(), steps=4, checkpoint=ckpt, **kw)
    g, d = mlp_pair(seed=99)  # other initial weights: everything comes from the checkpoint
    h = fit(g, d, toy_data(), steps=8, checkpoint=ckpt, resume=True, **kw)
    assert h == h_ref and states_equal(g, g_ref) and states_equal(d, d_ref)
