"""Batch plans: which plan a run gets, what its batches hold, and the errors of a wrong mix."""

import inspect

import pytest
import torch
from torch import nn

from gan_lib.train import Hinge, Paired, Refinement, SemiSupervised, StandardGAN, fit, loop
from gan_lib.train.plans import PLANS, make_plan

CPU = torch.device("cpu")


class G(nn.Module):
    latent_dim = 3
    num_classes = 4

    def forward(self, z, y=None):
        return z


def plan(objective=StandardGAN(), labels=None, sources=None, n=10, batch_size=4, d=None):
    return make_plan(objective, torch.randn(n, 3), labels=labels, sources=sources, generator=G(),
                     discriminator=d, batch_size=batch_size, seed=0, device=CPU)


def test_the_objective_names_its_plan_else_the_data_decide():
    labels = torch.arange(10) % 4
    assert plan().name == "unconditional"
    assert plan(Hinge(), labels=labels).name == "class-conditional"
    assert plan(Paired(), sources=torch.randn(10, 3)).name == "paired"
    assert plan(Refinement(), sources=torch.randn(7, 3)).name == "refinement"
    semi = plan(SemiSupervised(), labels=torch.where(labels < 2, labels, -1))
    assert semi.name == "semi-supervised" and semi.description["labeled"] == 6
    assert set(PLANS) == {"unconditional", "class-conditional", "semi-supervised", "paired",
                          "refinement"}


def test_each_plan_fills_its_batch():
    noise = torch.Generator().manual_seed(1)
    labels = torch.arange(10) % 4
    p = plan(labels=labels)
    p.start()
    b = p.draw(noise)
    assert b.z.shape == (4, 3) and torch.equal(b.labels % 4, b.labels) and b.source is None
    p = plan(Refinement(), sources=torch.randn(7, 3))
    p.start()
    b = p.draw(noise)
    assert b.z is None and not b.source_to_critic and b.g_extra["source"] is b.source
    p = plan(SemiSupervised(), labels=torch.where(labels < 2, labels, -1))
    p.start()
    x_l, y_l = p.draw(noise).d_extra["labeled"]
    assert bool((y_l >= 0).all()) and len(x_l) == 4


def test_index_streams_are_seeded_and_see_every_sample_once_per_pass():
    p = plan(n=8, batch_size=4)
    p.start()
    first = torch.cat([p.streams["indices"].next() for _ in range(2)])
    assert sorted(first.tolist()) == list(range(8))
    q = plan(n=8, batch_size=4)
    q.start()
    assert torch.equal(q.streams["indices"].next(), first[:4])


@pytest.mark.parametrize("kw, error, match", [
    (dict(sources=torch.randn(10, 3)), ValueError, "use objective=Paired"),
    (dict(labels=torch.zeros(10, dtype=torch.long), sources=torch.randn(10, 3)), ValueError,
     "not both"),
    (dict(objective=Paired()), ValueError, "pass sources="),
    (dict(objective=SemiSupervised()), ValueError, "learns from labels"),
    (dict(labels=torch.full((10,), 4)), ValueError, r"\[0, 3\]"),
    (dict(batch_size=11), ValueError, "batch_size"),
])
def test_a_wrong_mix_names_the_fix(kw, error, match):
    with pytest.raises(error, match=match):
        plan(**kw)


def test_the_loop_asks_no_plan_or_objective_what_it_is():
    # batch shaping lives in the plans and losses in the objectives: the loop has no isinstance
    assert "isinstance(" not in inspect.getsource(loop.fit)


def test_a_sources_run_without_a_source_objective_fails_before_training():
    g = G()
    with pytest.raises(ValueError, match="sources= trains G"):
        fit(g, nn.Linear(3, 1), torch.randn(10, 3), sources=torch.randn(10, 3), steps=1,
            batch_size=4, progress=False)
