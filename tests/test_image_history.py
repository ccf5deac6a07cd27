"""The history buffer of refined images (SimGAN): what `mix` returns, how the buffer is updated,
its checks, its checkpoint state, and its wiring into `fit(objective=Refinement(history_size=n))`."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from gan_lib.models import MLPDiscriminator
from gan_lib.train import Refinement, fit, load_checkpoint
from gan_lib.train.image_history import ImageHistory


def batch(value: float, n: int = 4) -> torch.Tensor:
    return torch.full((n, 1, 2, 2), float(value))


def values(x: torch.Tensor) -> list[float]:
    return x[:, 0, 0, 0].tolist()


def test_mix_passes_the_batch_through_until_the_buffer_holds_half_a_batch():
    h = ImageHistory(8, seed=0)
    out = h.mix(batch(0))
    assert values(out) == [0.0] * 4 and len(h) == 2  # nothing to draw yet; two images stored
    out = h.mix(batch(1))
    assert values(out)[:2] == [1.0, 1.0]  # first half: the current batch
    assert values(out)[2:] == [0.0, 0.0]  # second half: the two stored images of step 0
    assert len(h) == 4


def test_mix_draws_past_images_without_replacement_and_the_buffer_stays_within_capacity():
    h = ImageHistory(6, seed=1)
    for step in range(20):
        current = torch.arange(8, dtype=torch.float32).view(8, 1, 1, 1) + 100 * step
        out = h.mix(current)
        assert out.shape == current.shape and len(h) <= 6
        assert torch.equal(out[:4], current[:4])
        if step:
            past = values(out[4:])
            assert all(v < 100 * step for v in past)  # from earlier steps only
            assert len(set(past)) == 4  # no image drawn twice (buffer entries are distinct)
    # once full, each step overwrites slots with the current batch's first half
    assert len(h) == 6 and (h.images.flatten() >= 100 * 19).sum() >= 1


def test_fraction_sets_the_share_of_past_images():
    h = ImageHistory(16, seed=0, fraction=0.25)
    h.mix(batch(0, n=8))
    out = h.mix(batch(1, n=8))
    assert values(out) == [1.0] * 6 + [0.0] * 2 and h.n_history(8) == 2


@pytest.mark.parametrize("kwargs, message", [
    (dict(capacity=0), "capacity"),
    (dict(capacity=2.5), "capacity"),
    (dict(capacity=8, fraction=1.0), "fraction"),
    (dict(capacity=8, fraction=0.0), "fraction"),
    (dict(capacity=8, seed=-1), "seed"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ImageHistory(**kwargs)


def test_bad_batches_are_refused_with_advice():
    h = ImageHistory(4)
    with pytest.raises(TypeError, match="floating-point batch"):
        h.mix(torch.zeros(4, 2, dtype=torch.int64))
    with pytest.raises(ValueError, match="capacity >= 5"):
        h.mix(torch.zeros(10, 1, 2, 2))
    h.mix(torch.zeros(4, 1, 2, 2))
    with pytest.raises(ValueError, match="one ImageHistory per image size"):
        h.mix(torch.zeros(4, 1, 3, 3))


def test_state_dict_round_trip_continues_identically():
    torch.manual_seed(0)
    batches = [torch.randn(6, 1, 3, 3) for _ in range(12)]
    a = ImageHistory(9, seed=3)
    for x in batches[:5]:
        a.mix(x)
    b = ImageHistory(9, seed=3)
    b.load_state_dict(a.state_dict())
    for x in batches[5:]:
        assert torch.equal(a.mix(x), b.mix(x))
    fresh = ImageHistory(9, seed=3)  # the same seed without the saved images: differs
    assert not all(torch.equal(a.mix(x), fresh.mix(x)) for x in batches[:3])
    with pytest.raises(ValueError, match="capacity=9"):
        ImageHistory(10).load_state_dict(a.state_dict())


# -- wiring into fit ------------------------------------------------------------------------------

class Refiner(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 1)

    def forward(self, source):
        return torch.tanh(self.conv(source))


def refinement_run(steps, history_size, **kw):
    torch.manual_seed(0)
    g, d = Refiner(), MLPDiscriminator(in_shape=(1, 6, 6), hidden_dims=(8,))
    source = torch.rand(24, 1, 6, 6, generator=torch.Generator().manual_seed(2)) * 2 - 1
    real = torch.rand(20, 1, 6, 6, generator=torch.Generator().manual_seed(5)) * 2 - 1
    h = fit(g, d, real, sources=source, steps=steps, batch_size=8, progress=False,
            objective=Refinement(self_weight=0.5, history_size=history_size), **kw)
    return h, g, d


def same_weights(a, b):
    return all(torch.equal(x, y) for x, y in zip(a.state_dict().values(),
                                                  b.state_dict().values()))


def test_the_buffer_changes_what_d_sees():
    seen = []

    class ImageD(MLPDiscriminator):
        def forward(self, x):
            seen.append(x.detach().clone())
            return super().forward(x)

    torch.manual_seed(0)
    source = torch.rand(24, 1, 6, 6, generator=torch.Generator().manual_seed(2)) * 2 - 1
    real = torch.rand(20, 1, 6, 6, generator=torch.Generator().manual_seed(5)) * 2 - 1
    g = Refiner()
    fit(g, ImageD(in_shape=(1, 6, 6), hidden_dims=(8,)), real, sources=source, steps=3,
        batch_size=8, progress=False, objective=Refinement(history_size=16))
    # calls per step: D(real), D(fake for D), D(fake for G); step 2's D batch ends with step 1's
    # G output (refined by the weights before step 1's update), not with the current refiner's
    step1_fake_for_g, step2_fake_for_d = seen[2], seen[4]
    past_rows = {tuple(r.flatten().tolist()) for r in step1_fake_for_g}
    assert all(tuple(r.flatten().tolist()) in past_rows for r in step2_fake_for_d[4:])
    assert not any(tuple(r.flatten().tolist()) in past_rows for r in step2_fake_for_d[:4])
    # and training differs from a run without the buffer
    _, g_on, _ = refinement_run(6, 16)
    _, g_off, _ = refinement_run(6, 0)
    assert not same_weights(g_on, g_off)


def test_resume_with_the_buffer_is_exact(tmp_path):
    h_ref, g_ref, d_ref = refinement_run(10, 16)
    ckpt = tmp_path / "run.pt"
    refinement_run(5, 16, checkpoint=ckpt)
    assert len(load_checkpoint(ckpt)["image_history"]["images"]) == 16  # the buffer was saved
    h, g, d = refinement_run(10, 16, checkpoint=ckpt, resume=True)
    assert h == h_ref and same_weights(g, g_ref) and same_weights(d, d_ref)
    with pytest.raises(ValueError, match="history_size"):  # another buffer: refused on resume
        refinement_run(12, 32, checkpoint=ckpt, resume=True)


def test_bad_history_sizes_are_refused():
    with pytest.raises(ValueError, match="history_size"):
        Refinement(history_size=-1)
    with pytest.raises(ValueError, match="at least batch_size=8"):
        refinement_run(1, 4)
    with pytest.raises(ValueError, match="image history"):
        Refinement(history_size=8).discriminator_loss(lambda x: x.flatten(1).sum(1), batch(0),
                                                      batch(1))
