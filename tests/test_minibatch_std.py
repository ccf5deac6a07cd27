"""gan_lib.models.minibatch_std: the batch-spread feature and its insertion before D's logit."""

import pytest
import torch
from torch import nn

from gan_lib.models import EnsembleDiscriminator, MLPDiscriminator, benchmark_discriminator
from gan_lib.models.minibatch_std import MinibatchStdDev, add_minibatch_std


def test_vectors_get_the_mean_feature_std_as_one_more_feature():
    x = torch.tensor([[0.0, 1.0], [2.0, 5.0], [4.0, 3.0], [6.0, 7.0]])
    out = MinibatchStdDev(eps=1e-12)(x)
    assert out.shape == (4, 3)
    assert torch.equal(out[:, :2], x)  # the inputs pass through unchanged
    expected = (x.var(dim=0, unbiased=False).sqrt().mean())  # feature stds 2.236, 2.236
    assert torch.allclose(out[:, 2], expected.expand(4))


def test_groups_each_get_their_own_statistic():
    x = torch.cat([torch.zeros(2, 3), torch.tensor([[0.0, 0.0, 0.0], [2.0, 2.0, 2.0]])])
    out = MinibatchStdDev(group_size=2, eps=1e-12)(x)
    assert torch.allclose(out[:2, 3], torch.zeros(2), atol=1e-5)  # identical pair: no spread
    assert torch.allclose(out[2:, 3], torch.ones(2))  # values 0 and 2: std 1 in every feature


def test_images_get_a_constant_extra_channel():
    x = torch.randn(8, 3, 5, 5, generator=torch.Generator().manual_seed(0))
    out = MinibatchStdDev(group_size=4)(x)
    assert out.shape == (8, 4, 5, 5)
    first = x[:4].var(dim=0, unbiased=False).add(1e-8).sqrt().mean()
    assert torch.allclose(out[:4, 3], first.expand(4, 5, 5))


def test_a_collapsed_batch_reads_near_zero_and_a_varied_one_does_not():
    layer = MinibatchStdDev()
    collapsed = torch.ones(16, 4)
    varied = torch.randn(16, 4, generator=torch.Generator().manual_seed(1))
    assert layer(collapsed)[0, -1] < 1e-3
    assert layer(varied)[0, -1] > 0.5


def test_gradient_is_finite_on_a_collapsed_batch():
    x = torch.ones(8, 3, requires_grad=True)
    MinibatchStdDev()(x)[:, -1].sum().backward()
    assert torch.isfinite(x.grad).all()


@pytest.mark.parametrize("group_size, batch", [(4, 6), (None, 1), (3, 1)])
def test_batches_that_cannot_be_grouped_are_refused(group_size, batch):
    with pytest.raises(ValueError, match="groups of"):
        MinibatchStdDev(group_size)(torch.randn(batch, 2))


@pytest.mark.parametrize("bad", [1, 0, True, 2.5])
def test_bad_group_size_is_refused(bad):
    with pytest.raises(ValueError, match="group_size"):
        MinibatchStdDev(bad)


def test_added_before_the_last_block_as_progan_places_it():
    d = benchmark_discriminator()
    x = torch.randn(10, 2, generator=torch.Generator().manual_seed(0))
    before = d(x)
    add_minibatch_std(d, init_std=None)  # the new input's weight is 0: D computes what it did
    last_hidden = d.net[3].linear  # the third maxout layer's pieces read the feature
    assert isinstance(last_hidden, nn.Sequential) and isinstance(last_hidden[0], MinibatchStdDev)
    assert last_hidden[1].in_features == 201 and last_hidden[1].out_features == 1000
    assert all(layer.linear.in_features in (2, 200) for layer in d.net[1:3])  # earlier ones untouched
    assert isinstance(d.net[-1], nn.Linear) and d.net[-1].in_features == 200  # the logit too
    assert torch.allclose(d(x), before, atol=1e-6)


def test_the_feature_changes_scores_unevenly_only_before_the_last_block():
    # at the logit the extra input adds one constant to every score of a batch; before a
    # nonlinear block it can change samples' scores by different amounts
    x = torch.randn(10, 2, generator=torch.Generator().manual_seed(0))
    shifts = {}
    for before_logit in (True, False):
        torch.manual_seed(0)
        d = benchmark_discriminator(init_std=0.5)  # pieces far enough apart to differ by sample
        base = d(x)
        add_minibatch_std(d, init_std=None, before_logit=before_logit)
        with torch.no_grad():
            wider = d.net[-1][1] if before_logit else d.net[3].linear[1]
            # different weights per piece: a maxout unit can then switch pieces
            wider.weight[:, -1].copy_(torch.linspace(-3.0, 3.0, len(wider.weight)))
        shifts[before_logit] = (d(x) - base).detach()
    assert torch.allclose(shifts[True], shifts[True][0].expand(10), atol=1e-5)
    assert shifts[False].std() > 1e-3


def test_before_logit_keeps_the_old_placement():
    d = add_minibatch_std(benchmark_discriminator(), before_logit=True)
    assert isinstance(d.net[-1], nn.Sequential) and d.net[-1][1].in_features == 201
    assert all(isinstance(layer.linear, nn.Linear) for layer in d.net[1:4])


def test_the_new_weight_is_drawn_and_the_old_ones_kept():
    torch.manual_seed(0)
    d = MLPDiscriminator(in_shape=(2,), hidden_dims=(8,))
    old = [m for m in d.modules() if isinstance(m, nn.Linear)][-2].weight.detach().clone()
    add_minibatch_std(d, init_std=0.5)
    new = [m for m in d.modules() if isinstance(m, nn.Linear)][-2].weight  # the hidden layer's
    assert torch.equal(new[:, :-1], old)
    assert new[:, -1].abs().min() > 0


def test_a_network_without_a_linear_layer_is_refused():
    with pytest.raises(ValueError, match="no nn.Linear"):
        add_minibatch_std(nn.Sequential(nn.ReLU()))


def test_runs_per_member_inside_an_ensemble():
    members = [add_minibatch_std(benchmark_discriminator(hidden=8, depth=2, pieces=3))
               for _ in range(2)]
    ens = EnsembleDiscriminator(members)
    x = torch.randn(6, 2, 2, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        together = ens(x)
        alone = torch.stack([members[k](x[:, k]) for k in range(2)], dim=1)
    assert torch.allclose(together, alone, atol=1e-6)  # each member's own batch statistic
