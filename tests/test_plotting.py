"""Plots and latent paths: grid geometry and pixel values, curves equal to the history, the
interpolation math by hand, deterministic sample figures, clear errors."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from gan_lib.sampling.latent import generate, lerp, sample_latent, slerp  # noqa: E402
from gan_lib.models import MLPGenerator  # noqa: E402
from gan_lib.viz.plots import (  # noqa: E402
    grid_image,
    plot_class_counts,
    plot_history,
    show_grid,
    show_interpolation,
    show_samples,
)
from gan_lib.train import History  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_grid_geometry_and_values():
    images = -torch.ones(10, 1, 28, 28)
    images[1] = 1.0
    images[2] = 5.0  # clipped to 1
    grid = grid_image(images, nrow=5)
    # 5 columns of 28 px + 6 paddings of 2 px; 2 rows
    assert grid.shape == (2 * 30 + 2, 5 * 30 + 2, 3)
    assert grid[2, 2].tolist() == [0.0, 0.0, 0.0]  # image 0, value -1 -> black
    assert grid[2, 32].tolist() == [1.0, 1.0, 1.0]  # image 1, value 1 -> white
    assert grid[2, 62].tolist() == [1.0, 1.0, 1.0]
    assert grid[0, 0].tolist() == [1.0, 1.0, 1.0]  # padding is white


def test_show_grid_draws_on_given_axes():
    _, ax = plt.subplots()
    out = show_grid(torch.zeros(4, 3, 8, 8), nrow=2, title="t", ax=ax)
    assert out is ax and ax.get_title() == "t"
    assert ax.images[0].get_array().shape == (2 * 10 + 2, 2 * 10 + 2, 3)
    np.testing.assert_allclose(ax.images[0].get_array()[2, 2], [0.5, 0.5, 0.5])


@pytest.mark.parametrize("bad", [torch.zeros(1, 28, 28), torch.zeros(2, 2, 8, 8), [1, 2]])
def test_grid_rejects_bad_input(bad):
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)|1 or 3 channels"):
        grid_image(bad)


def test_plot_history_lines_equal_history():
    h = History()
    for step in range(1, 6):
        h.append(dict(step=step, d_loss=step, g_loss=2 * step, d_real=0.9, d_fake=0.1,
                      g_grad_norm=1, d_grad_norm=1))
    axes = plot_history(h)
    assert [list(line.get_ydata()) for line in axes[0].lines] == [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10]]
    assert list(axes[1].lines[1].get_ydata()) == [0.1] * 5
    smooth = plot_history(h, window=2, axes=plt.subplots(1, 2)[1])
    assert list(smooth[0].lines[0].get_xdata()) == [2, 3, 4, 5]
    assert list(smooth[0].lines[0].get_ydata()) == [1.5, 2.5, 3.5, 4.5]
    short = plot_history(h, window=50, axes=plt.subplots(1, 2)[1])  # window > steps: one mean
    assert list(short[0].lines[0].get_ydata()) == [3.0]
    with pytest.raises(ValueError, match="two Axes"):
        plot_history(h, axes=[plt.gca()])


def test_lerp_by_hand():
    path = lerp(torch.tensor([0.0, 2.0]), torch.tensor([4.0, 0.0]), 5)
    assert path.tolist() == [[0, 2], [1, 1.5], [2, 1], [3, 0.5], [4, 0]]


def test_slerp_by_hand():
    path = slerp(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), 3)
    r = math.sqrt(0.5)
    torch.testing.assert_close(path, torch.tensor([[1.0, 0.0], [r, r], [0.0, 1.0]]))
    # stays on the circle all the way, where lerp cuts inside it
    path = slerp(torch.tensor([3.0, 0.0]), torch.tensor([0.0, 3.0]), 7)
    torch.testing.assert_close(path.norm(dim=1), torch.full((7,), 3.0))
    assert lerp(torch.tensor([3.0, 0.0]), torch.tensor([0.0, 3.0]), 3)[1].norm() < 2.2


def test_slerp_parallel_falls_back_to_lerp():
    z = torch.tensor([1.0, 2.0, 3.0])
    torch.testing.assert_close(slerp(z, 2 * z, 4), lerp(z, 2 * z, 4))


def test_latent_norms_in_high_dimension():
    g = torch.Generator().manual_seed(0)
    z = sample_latent(2, 100, generator=g)
    mid_lerp, mid_slerp = lerp(z[0], z[1], 3)[1], slerp(z[0], z[1], 3)[1]
    # nearly orthogonal draws: the straight midpoint has about 1/sqrt(2) of the norm
    assert mid_lerp.norm() < 0.8 * z.norm(dim=1).min()
    assert mid_slerp.norm() > 0.95 * z.norm(dim=1).min()


def test_interpolation_errors():
    with pytest.raises(ValueError, match="same size"):
        lerp(torch.zeros(3), torch.zeros(4), 5)
    with pytest.raises(ValueError, match="1-D"):
        slerp(torch.zeros(1, 3), torch.zeros(1, 3), 5)
    with pytest.raises(ValueError, match="steps must be an int >= 2"):
        lerp(torch.zeros(3), torch.ones(3), 1)
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        sample_latent(0, 3)


def test_show_interpolation_rows_and_labels():
    strips = torch.zeros(2, 6, 1, 8, 8)
    ax = show_interpolation(strips, labels=["lerp", "slerp"])
    assert ax.images[0].get_array().shape == (2 * 10 + 2, 6 * 10 + 2, 3)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["lerp", "slerp"]
    assert show_interpolation(strips[0]).images[0].get_array().shape[0] == 12
    with pytest.raises(ValueError, match="2 rows"):
        show_interpolation(strips, labels=["one"])


def test_show_samples_is_deterministic_and_restores_mode():
    torch.manual_seed(0)
    g = MLPGenerator(latent_dim=4, hidden_dims=(8,), out_shape=(1, 6, 6))
    a = show_samples(g, n=4, nrow=2, seed=3).images[0].get_array()
    torch.randn(10)  # global RNG use in between must not matter
    b = show_samples(g, n=4, nrow=2, seed=3).images[0].get_array()
    c = show_samples(g, n=4, nrow=2, seed=4).images[0].get_array()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert g.training


def test_generate_is_seeded_batched_and_restores_mode():
    torch.manual_seed(0)
    g = MLPGenerator(latent_dim=4, hidden_dims=(8,), out_shape=(1, 6, 6))
    g.net.insert(1, torch.nn.Dropout(0.5))  # eval mode must switch it off
    a = generate(g, n=10, seed=1, batch_size=3)
    b = generate(g, n=10, seed=1, batch_size=10)
    assert a.shape == (10, 1, 6, 6) and a.device.type == "cpu"
    torch.testing.assert_close(a, b)
    assert not torch.equal(a, generate(g, n=10, seed=2))
    z = sample_latent(10, 4, generator=torch.Generator().manual_seed(1))
    torch.testing.assert_close(generate(g, z=z), a)
    with torch.no_grad():
        g.eval()
        torch.testing.assert_close(g(z), a)
        g.train()
    assert g.training


def test_generate_errors():
    g = MLPGenerator(latent_dim=4, hidden_dims=(8,), out_shape=(1, 6, 6))
    with pytest.raises(ValueError, match="exactly one of n="):
        generate(g)
    with pytest.raises(ValueError, match="exactly one of n="):
        generate(g, n=2, z=torch.zeros(2, 4))
    with pytest.raises(ValueError, match=r"shape \(n, 4\)"):
        generate(g, z=torch.zeros(2, 5))
    with pytest.raises(TypeError, match="latent_dim"):
        generate(torch.nn.Linear(2, 2), n=2)


def test_plot_class_counts_bars_are_shares():
    ax = plot_class_counts({"a": [1, 3], "b": [2, 2]})
    heights = [p.get_height() for p in ax.patches]
    assert heights == [0.25, 0.75, 0.5, 0.5]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="same number of classes"):
        plot_class_counts({"a": [1, 2], "b": [1, 2, 3]})
    with pytest.raises(ValueError, match="positive total"):
        plot_class_counts({"a": [0, 0]})
    with pytest.raises(ValueError, match="empty"):
        plot_class_counts({})
