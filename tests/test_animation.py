"""gan_lib.animation: snapshots hold what G and D computed, frames draw them, clear errors."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

from gan_lib.viz.animation import (  # noqa: E402
    Snapshot1D,
    SnapshotRecorder,
    animate_1d_gan,
    plot_1d_snapshot,
)
from gan_lib.models import MLPDiscriminator, MLPGenerator  # noqa: E402
from gan_lib.theory import GaussianMixture1D  # noqa: E402
from gan_lib.train import fit  # noqa: E402

GRID = torch.linspace(-4.0, 4.0, 81)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _players(seed=0):
    torch.manual_seed(seed)
    g = MLPGenerator(latent_dim=3, hidden_dims=(8,), out_shape=(1,), out_activation=None)
    d = MLPDiscriminator(in_shape=(1,), hidden_dims=(8,))
    return g, d


def test_record_holds_g_samples_on_fixed_noise_and_d_probabilities():
    g, d = _players()
    rec = SnapshotRecorder(grid=GRID, every=5, n_samples=50, seed=3)
    snap = rec.record(0, g, d)
    z = torch.randn(50, 3, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        torch.testing.assert_close(snap.samples, g(z)[:, 0])
        torch.testing.assert_close(snap.d_prob, torch.sigmoid(d(GRID[:, None])))
    assert snap.step == 0 and snap.samples.shape == (50,) and snap.d_prob.shape == (81,)
    # the same noise every time: unchanged weights give identical samples
    again = rec.record(1, g, d)
    assert torch.equal(again.samples, snap.samples)
    assert not snap.samples.requires_grad


def test_recorder_as_fit_callback_records_every_k_steps():
    g, d = _players()
    data = GaussianMixture1D().sample(256, generator=torch.Generator().manual_seed(0))
    rec = SnapshotRecorder(grid=GRID, every=4, n_samples=20)
    rec.record(0, g, d)
    fit(g, d, data, steps=10, batch_size=32, device="cpu", callbacks=[rec], progress=False)
    assert [s.step for s in rec.snapshots] == [0, 4, 8]
    # training moved the generator, so frames differ
    assert not torch.equal(rec.snapshots[0].samples, rec.snapshots[-1].samples)


def test_plot_draws_density_d_and_histogram():
    snap = Snapshot1D(7, torch.tensor([0.0, 0.1, 0.2, 3.0]), torch.full((81,), 0.25))
    p = torch.exp(-GRID**2 / 2) / np.sqrt(2 * np.pi)
    ax = plot_1d_snapshot(snap, grid=GRID, p_data=p, bins=8)
    assert ax.get_title() == "step 7"
    curves = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(curves["$p_{data}(x)$"].get_ydata(), p.numpy(), rtol=1e-6)
    np.testing.assert_allclose(curves["$D(x)$"].get_ydata(), 0.25)
    heights = [patch.get_height() for patch in ax.patches]
    # density histogram of 4 samples in 8 bins of width 1: three in [0, 1), one in [3, 4]
    assert len(heights) == 8
    assert heights[4] == pytest.approx(0.75) and heights[7] == pytest.approx(0.25)


def test_animation_has_one_frame_per_snapshot_and_renders():
    snaps = [Snapshot1D(k, torch.randn(30), torch.full((81,), 0.5)) for k in range(3)]
    p = torch.ones(81) / 8
    anim = animate_1d_gan(snaps, grid=GRID, p_data=p, bins=10)
    assert isinstance(anim, FuncAnimation)
    html = anim.to_jshtml()
    assert html.count("data:image/png;base64") == 3


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: SnapshotRecorder(grid=torch.zeros(2, 2), every=1), ValueError, "1-D tensor"),
        (lambda: SnapshotRecorder(grid=GRID, every=0), ValueError, "every must be an int >= 1"),
        (lambda: SnapshotRecorder(grid=GRID, every=1, n_samples=0), ValueError, "n_samples"),
        (lambda: animate_1d_gan([], grid=GRID, p_data=torch.ones(81)), ValueError, "non-empty"),
        (
            lambda: plot_1d_snapshot(Snapshot1D(0, torch.zeros(3), torch.zeros(5)), grid=GRID,
                                     p_data=torch.ones(81)),
            ValueError,
            "must match the grid",
        ),
    ],
)
def test_bad_inputs_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_recorder_rejects_generators_without_latent_dim_or_multi_d_output():
    _, d = _players()
    rec = SnapshotRecorder(grid=GRID, every=1, n_samples=4)
    with pytest.raises(TypeError, match="latent_dim"):
        rec.record(0, torch.nn.Linear(3, 1), d)
    g2 = MLPGenerator(latent_dim=3, hidden_dims=(8,), out_shape=(2,), out_activation=None)
    with pytest.raises(ValueError, match="expected 1-D samples"):
        rec.record(0, g2, d)


def test_recording_does_not_change_the_training_run():
    # a G with batch norm and dropout: recording in train mode would update BN statistics and
    # draw from the global RNG; the recorder must look without touching either
    from gan_lib.models import MLPDiscriminator
    from gan_lib.train import fit

    def models():
        torch.manual_seed(0)
        g = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.BatchNorm1d(8),
                                torch.nn.Dropout(0.2), torch.nn.Linear(8, 1))
        g.latent_dim = 2
        return g, MLPDiscriminator(in_shape=(1,), hidden_dims=(8,), dropout=0.2)

    data = torch.randn(64, 1, generator=torch.Generator().manual_seed(0))
    g1, d1 = models()
    plain = fit(g1, d1, data, steps=6, batch_size=16, progress=False)
    g2, d2 = models()
    recorder = SnapshotRecorder(grid=torch.linspace(-3, 3, 11), every=1, n_samples=50)
    recorded = fit(g2, d2, data, steps=6, batch_size=16, progress=False, callbacks=[recorder])
    assert plain == recorded and len(recorder.snapshots) == 6
    assert all(torch.equal(a, b) for a, b in zip(g1.state_dict().values(), g2.state_dict().values()))
