"""The stabiliser study's arms are their papers' settings, and its readers (equal steps, equal
CPU time, seed summaries, the overlap rule, robustness counts) compute what they say."""

from __future__ import annotations

import pytest
import torch

from gan_lib.studies.stabilisers import (
    ARMS,
    at_cpu_seconds,
    at_steps,
    failed,
    robustness,
    seed_summary,
    separated,
)
from gan_lib.train import TrainConfig
from gan_lib.train.objectives import R1, Hinge, LeastSquares, StandardGAN, WassersteinGP

# name: (objective type, lr, betas, optimizer, d_steps, D batch norm, spectral norm)
PAPERS = {
    "DCGAN": (StandardGAN, 2e-4, (0.5, 0.999), "adam", 1, True, False),
    "LSGAN": (LeastSquares, 2e-4, (0.5, 0.999), "adam", 1, True, False),
    "SN + hinge": (Hinge, 2e-4, (0.0, 0.9), "adam", 5, False, True),
    "WGAN-GP": (WassersteinGP, 1e-4, (0.0, 0.9), "adam", 5, False, False),
    "R1": (R1, 1e-4, (0.5, 0.999), "rmsprop", 1, False, False),
}


@pytest.mark.parametrize("name", list(PAPERS))
def test_each_arm_is_its_papers_settings(name):
    kind, lr, betas, optimizer, d_steps, bn, sn = PAPERS[name]
    arm = ARMS[name]
    cfg = TrainConfig(steps=1, **arm.fit_settings())
    assert isinstance(cfg.objective, kind)
    assert (cfg.lr_g, cfg.lr_d, cfg.betas, cfg.optimizer, cfg.d_steps) == (lr, lr, betas,
                                                                           optimizer, d_steps)
    assert TrainConfig(steps=1, **arm.fit_settings(10.0)).lr_d == pytest.approx(10 * lr)
    g, d = arm.pair(seed=0, width=8)
    has_bn = any(isinstance(m, torch.nn.BatchNorm2d) for m in d.modules())
    has_sn = any(hasattr(m, "parametrizations") for m in d.modules())
    assert (has_bn, has_sn) == (bn, sn)
    g2, _ = ARMS["DCGAN"].pair(seed=0, width=8)  # every arm of a seed starts G alike
    assert all(torch.equal(a, b) for a, b in zip(g.state_dict().values(),
                                                  g2.state_dict().values()))
    assert set(arm.describe()) >= {"arm", "discriminator", "objective", "optimizer"}
    assert ARMS["WGAN-GP"].objective.gp_weight == 10.0 and ARMS["R1"].objective.gamma == 10.0


def test_keys_name_the_arms_for_files_and_glue():
    assert [a.key for a in ARMS.values()] == ["dcgan", "lsgan", "sn_hinge", "wgan_gp", "r1"]


def run(arm="DCGAN", seed=0, fds=(90.0, 50.0, 30.0), cpu=(10.0, 20.0, 30.0)):
    curve = [{"step": 100 * (i + 1), "cpu_seconds": c,
              "last": {"fd": f, "confident": 0.5, "classes": 10},
              "ema": {"fd": f - 1, "confident": 0.6, "classes": 10}}
             for i, (f, c) in enumerate(zip(fds, cpu))]
    return {"arm": arm, "seed": seed, "curve": curve}


def test_reads_at_equal_steps_and_equal_cpu_time():
    r = run()
    assert at_steps(r, 200)["fd"] == 50.0 and at_steps(r, 200, which="ema")["fd"] == 49.0
    assert at_steps(r, 400) is None  # never got there
    with pytest.raises(ValueError, match="not scored at step 150"):
        at_steps(r, 150)
    assert at_cpu_seconds(r, 25.0)["step"] == 200  # the last evaluation within the budget
    assert at_cpu_seconds(r, 30.0)["fd"] == 30.0
    assert at_cpu_seconds(r, 5.0) is None


def test_seed_summary_and_the_overlap_rule():
    a, b = seed_summary([1.0, 2.0, 3.0]), seed_summary([3.5, 4.0, 5.0])
    assert a["mean"] == 2.0 and a["sd"] == pytest.approx(1.0) and (a["min"], a["max"]) == (1, 3)
    assert separated(a, b) and separated(b, a)
    assert not separated(a, seed_summary([2.5, 4.0, 5.0]))  # 2.5 lies inside a's range
    assert seed_summary([4.0])["sd"] == 0.0
    with pytest.raises(ValueError, match="no values"):
        seed_summary([])


def test_robustness_counts_diverged_and_failed_runs_per_arm():
    rows = [
        {"arm": "DCGAN", "kind": "aggressive", "diverged": True, "classes": 0, "confident": 0.0},
        {"arm": "DCGAN", "kind": "aggressive", "diverged": False, "classes": 3, "confident": 0.9},
        {"arm": "DCGAN", "kind": "aggressive", "diverged": False, "classes": 10, "confident": 0.1},
        {"arm": "R1", "kind": "aggressive", "diverged": False, "classes": 10, "confident": 0.5},
        {"arm": "R1", "kind": "main", "diverged": True, "classes": 0, "confident": 0.0},
    ]
    assert robustness(rows) == {"DCGAN": {"runs": 3, "diverged": 1, "failed": 3},
                                "R1": {"runs": 1, "diverged": 0, "failed": 0}}
    assert not failed(rows[3]) and failed(rows[3], min_confident=0.6)
