"""fit and gan_step: a few steps on tiny random data, exact resume, divergence and argument
errors, corrupt checkpoints, callbacks and the time limit."""

import math

import pytest
import torch
from torch import nn

from gan_lib.train.losses import discriminator_loss, generator_loss
from gan_lib.models import MLPDiscriminator, MLPGenerator
from gan_lib.train import (
    HISTORY_KEYS,
    CheckpointError,
    History,
    TrainingDivergedError,
    fit,
    gan_step,
    grad_norm,
    load_checkpoint,
    save_checkpoint,
)


def tiny_models(seed: int = 0, dropout: float = 0.0):
    torch.manual_seed(seed)
    g = MLPGenerator(latent_dim=4, hidden_dims=(16,), out_shape=(1, 4, 4))
    d = MLPDiscriminator(in_shape=(1, 4, 4), hidden_dims=(16,), dropout=dropout)
    return g, d


@pytest.fixture
def data():
    return torch.rand(50, 1, 4, 4, generator=torch.Generator().manual_seed(1)) * 2 - 1


def states_equal(a: nn.Module, b: nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


def test_fit_changes_weights_and_fills_history(data):
    g, d = tiny_models()
    g0 = {k: v.clone() for k, v in g.state_dict().items()}
    d0 = {k: v.clone() for k, v in d.state_dict().items()}
    history = fit(g, d, data, steps=6, batch_size=8, device="cpu", progress=False)
    assert len(history) == 6 and history["step"] == [1, 2, 3, 4, 5, 6]
    assert history.keys() == list(HISTORY_KEYS)
    for key in HISTORY_KEYS:
        assert all(math.isfinite(v) for v in history[key])
    assert all(0 < v < 1 for v in history["d_real"] + history["d_fake"])
    assert all(v > 0 for v in history["g_grad_norm"] + history["d_grad_norm"])
    assert history.last == history.records[-1]
    assert all(not torch.equal(v, g0[k]) for k, v in g.state_dict().items())
    assert all(not torch.equal(v, d0[k]) for k, v in d.state_dict().items())
    assert not g.training and not d.training  # left in eval mode for sampling
    with pytest.raises(KeyError, match="available keys: step, d_loss"):
        history["nope"]


def test_fit_is_reproducible_and_seed_matters(data):
    runs = []
    for seed in (0, 0, 1):
        g, d = tiny_models()
        runs.append((fit(g, d, data, steps=4, batch_size=8, seed=seed, progress=False), g))
    assert runs[0][0] == runs[1][0] and states_equal(runs[0][1], runs[1][1])
    assert runs[0][0] != runs[2][0]


def test_epochs_counts_steps(data):
    g, d = tiny_models()
    # ceil(50 / 16) = 4 steps per epoch
    assert len(fit(g, d, data, epochs=2, batch_size=16, progress=False)) == 8


def test_resume_equals_uninterrupted_run(data, tmp_path):
    # dropout makes the global torch RNG part of the state that must be restored
    g_ref, d_ref = tiny_models(dropout=0.3)
    h_ref = fit(g_ref, d_ref, data, steps=10, batch_size=8, d_steps=2, progress=False)

    ckpt = tmp_path / "run.pt"
    g, d = tiny_models(dropout=0.3)
    fit(g, d, data, steps=5, batch_size=8, d_steps=2, checkpoint=ckpt, progress=False)
    torch.manual_seed(123)  # a resumed session starts with another global RNG state
    g2, d2 = tiny_models(seed=7, dropout=0.3)  # and other initial weights: all must come from disk
    h = fit(g2, d2, data, steps=10, batch_size=8, d_steps=2, checkpoint=ckpt, resume=True,
            progress=False)
    assert h == h_ref and len(h) == 10
    assert states_equal(g2, g_ref) and states_equal(d2, d_ref)
    assert load_checkpoint(ckpt)["step"] == 10


def test_resume_without_file_starts_fresh_and_checks_settings(data, tmp_path):
    ckpt = tmp_path / "new.pt"
    g, d = tiny_models()
    assert len(fit(g, d, data, steps=3, batch_size=8, checkpoint=ckpt, resume=True,
                   progress=False)) == 3
    with pytest.raises(ValueError, match="batch_size: checkpoint has 8, this call has 16"):
        fit(g, d, data, steps=6, batch_size=16, checkpoint=ckpt, resume=True, progress=False)
    with pytest.raises(ValueError, match="at step 3, past steps=2"):
        fit(g, d, data, steps=2, batch_size=8, checkpoint=ckpt, resume=True, progress=False)


def test_checkpoint_every_and_atomic_save(data, tmp_path):
    ckpt = tmp_path / "sub" / "c.pt"
    seen = []
    g, d = tiny_models()
    fit(g, d, data, steps=5, batch_size=8, checkpoint=ckpt, checkpoint_every=2, progress=False,
        callbacks=[lambda step, *_: seen.append(load_checkpoint(ckpt)["step"]
                                                 if ckpt.exists() else None)])
    # the callback runs before that step's save: after step 3 the file holds step 2
    assert seen == [None, None, 2, 2, 4]
    assert load_checkpoint(ckpt)["step"] == 5
    assert [p.name for p in ckpt.parent.iterdir()] == ["c.pt"]  # no temporary files left


def test_corrupt_checkpoint_error(data, tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint at all")
    g, d = tiny_models()
    with pytest.raises(CheckpointError, match=r"bad\.pt.*delete it"):
        fit(g, d, data, steps=2, batch_size=8, checkpoint=bad, resume=True, progress=False)
    save_checkpoint(bad, {"something": torch.zeros(1)})
    with pytest.raises(CheckpointError, match="lacks"):
        fit(g, d, data, steps=2, batch_size=8, checkpoint=bad, resume=True, progress=False)
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        load_checkpoint(tmp_path / "missing.pt")


def test_divergence_raises_with_context_and_keeps_weights_finite(data, tmp_path):
    ckpt = tmp_path / "c.pt"
    g, d = tiny_models()
    fit(g, d, data, steps=2, batch_size=8, checkpoint=ckpt, progress=False)
    before = ckpt.read_bytes()
    with pytest.raises(TrainingDivergedError) as info:  # the run continued on exploding data
        fit(g, d, data * 1e30, steps=200, batch_size=8, checkpoint=ckpt, resume=True,
            progress=False)
    message = str(info.value)
    assert "diverged, detected at step 3" in message and "lower learning rates" in message
    assert "label smoothing" in message and "[-1, 1]" in message
    assert "c.pt was not overwritten" in message
    assert isinstance(info.value, FloatingPointError)
    assert ckpt.read_bytes() == before
    assert all(torch.isfinite(p).all() for p in [*g.parameters(), *d.parameters()])


def test_nan_data_is_rejected(data):
    data[3, 0, 0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN or inf"):
        fit(*tiny_models(), data, steps=1, batch_size=8)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(steps=2, loss="wasserstein"), ValueError, "non-saturating, minimax"),
        (dict(steps=2, batch_size=51), ValueError, r"batch_size must be an int in \[2, N=50\]"),
        (dict(steps=2, batch_size=1), ValueError, "batch_size"),
        (dict(), ValueError, "exactly one of steps= or epochs="),
        (dict(steps=2, epochs=1), ValueError, "exactly one"),
        (dict(steps=0), ValueError, "int >= 1"),
        (dict(steps=True), ValueError, "int >= 1"),
        (dict(epochs=2.0), ValueError, "int >= 1"),
        (dict(steps=2, sync_every=0), ValueError, "sync_every"),
        (dict(steps=2, lr_g=float("nan")), ValueError, "lr_g must be a finite number"),
        (dict(steps=2, ema_decay=1.0), ValueError, "ema_decay"),
        (dict(steps=2, objective="hinge"), TypeError, "objective must be"),
        (dict(steps=2, learning_rate=1e-3), TypeError, "unknown setting.*learning_rate"),
        (dict(steps=2, lr_d=0), ValueError, "lr_d must be a finite number > 0"),
        (dict(steps=2, betas=(0.5, 1.0)), ValueError, "betas"),
        (dict(steps=2, real_label=1.5), ValueError, "real_label"),
        (dict(steps=2, d_steps=0), ValueError, "d_steps"),
        (dict(steps=2, resume=True), ValueError, "need checkpoint"),
        (dict(steps=2, checkpoint_every=5), ValueError, "need checkpoint"),
        (dict(steps=2, max_seconds=0), ValueError, "max_seconds"),
        (dict(steps=2, callbacks=[1]), TypeError, "callables"),
    ],
)
def test_bad_arguments(data, kwargs, error, match):
    with pytest.raises(error, match=match):
        fit(*tiny_models(), data, **{"batch_size": 8, **kwargs})


def test_bad_data_and_generator():
    g, d = tiny_models()
    with pytest.raises(TypeError, match="floating-point tensor"):
        fit(g, d, [[0.0]], steps=1)
    with pytest.raises(TypeError, match="floating-point tensor.*int64"):
        fit(g, d, torch.zeros(10, 1, 4, 4, dtype=torch.long), steps=1)
    with pytest.raises(TypeError, match="latent_dim"):
        fit(nn.Linear(4, 16), d, torch.zeros(10, 1, 4, 4), steps=1)


def test_callbacks_and_max_seconds(data):
    calls = []
    g, d = tiny_models()
    h = fit(g, d, data, steps=1000, batch_size=8, max_seconds=1e-9, progress=False,
            callbacks=[lambda step, gen, dis, hist: calls.append((step, gen is g, len(hist)))])
    assert len(h) == 1 and calls == [(1, True, 1)]


def test_gan_step_matches_hand_written_losses():
    g, d = tiny_models()
    real = torch.rand(8, 1, 4, 4) * 2 - 1
    z = torch.randn(8, 4)
    with torch.no_grad():
        fake = g(z)
        expected_d = discriminator_loss(d(real), d(fake), real_label=0.9).item()
        expected_dx = torch.sigmoid(d(real)).mean().item()
    opt_g = torch.optim.SGD(g.parameters(), lr=0.1)
    opt_d = torch.optim.SGD(d.parameters(), lr=0.1)
    d_weights = [p.clone() for p in d.parameters()]
    m = gan_step(g, d, real, z, opt_g, opt_d, loss="minimax", real_label=0.9)
    assert m["d_loss"].item() == pytest.approx(expected_d, rel=1e-6)
    assert m["d_real"].item() == pytest.approx(expected_dx, rel=1e-6)
    # G's loss is scored by the UPDATED discriminator: exactly D_new(G_old(z)) (G updates last),
    # and not D_old(G_old(z)), which differs
    with torch.no_grad():
        assert torch.equal(m["g_loss"], generator_loss(d(fake), kind="minimax"))
        d_old = MLPDiscriminator(in_shape=(1, 4, 4), hidden_dims=(16,))
        d_old.load_state_dict({k: w for k, w in zip(d.state_dict(), d_weights)})
        assert not torch.equal(m["g_loss"], generator_loss(d_old(fake), kind="minimax"))
    assert any(not torch.equal(a, b) for a, b in zip(d_weights, d.parameters()))
    only_d = gan_step(g, d, real, z, opt_g, opt_d, update_g=False)
    assert set(only_d) == {"d_loss", "d_real", "d_fake", "d_grad_norm"}


def test_grad_norm_by_hand():
    a = nn.Parameter(torch.zeros(2))
    b = nn.Parameter(torch.zeros(1))
    c = nn.Parameter(torch.zeros(1))  # no grad: skipped
    a.grad, b.grad = torch.tensor([3.0, 0.0]), torch.tensor([4.0])
    assert grad_norm([a, b, c]).item() == 5.0


def test_history_round_trip():
    h = History()
    assert h.last is None and len(h) == 0 and repr(h) == "History(0 steps)"
    h.append({"step": 1, "d_loss": torch.tensor(0.5)})
    assert h["d_loss"] == [0.5] and isinstance(h["d_loss"][0], float)
    assert History(h.records) == h


@pytest.mark.parametrize("env, shown", [("1", False), ("true", False), ("", True)])
def test_progress_none_follows_tqdm_disable_even_for_notebook_bars(data, monkeypatch, env, shown):
    # tqdm.notebook ignores TQDM_DISABLE; fit must read it so executed notebooks stay quiet.
    import tqdm.auto

    seen = {}

    class Recorder(tqdm.auto.tqdm):
        def __init__(self, *args, **kwargs):
            seen["disable"] = kwargs.get("disable")
            super().__init__(*args, **{**kwargs, "disable": True})

    monkeypatch.setenv("TQDM_DISABLE", env)
    monkeypatch.setattr(tqdm.auto, "tqdm", Recorder)
    g, d = tiny_models()
    fit(g, d, data, steps=2, batch_size=8)
    assert seen["disable"] is (not shown)
