"""Latent projection, sketches and nearest neighbours: a linear generator where the optimum is
known in closed form, the mask, the shipped generator (its own samples are recovered, its weights
untouched), a conditional generator, and the input checks."""

import math

import pytest
import torch
from torch import nn

from gan_lib.sampling.latent import generate
from gan_lib.sampling.projection import draw_strokes, nearest_neighbour, project_to_latent
from gan_lib import weights
from gan_lib.models import ConditionalMLPGenerator


class LinearGenerator(nn.Module):
    """G(z) = W z as a (1, 4, 4) image: a generator whose best z is known in closed form."""

    def __init__(self, latent_dim: int = 3) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.fc = nn.Linear(latent_dim, 16, bias=False)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.fc(z).view(-1, 1, 4, 4)


@pytest.fixture
def linear():
    torch.manual_seed(0)
    return LinearGenerator()


Z_TRUE = torch.tensor([[0.5, -1.0, 2.0]])


def test_recovers_z_of_a_linear_generator_without_prior(linear):
    target = linear(Z_TRUE).detach()
    result = project_to_latent(linear, target, prior_weight=0.0, steps=300, lr=0.05,
                               n_restarts=2)
    torch.testing.assert_close(result.z, Z_TRUE, atol=1e-3, rtol=0)
    assert result.masked_error < 1e-8
    assert result.image.shape == (1, 1, 4, 4)
    assert len(result.losses) == 301  # before each step, and after the last
    assert result.losses[-1] < result.losses[0]
    assert result.masked_error == result.start_errors[result.best_start]


def test_gaussian_prior_gives_the_ridge_solution(linear):
    # L(z) = |W z - t|^2 / P + lam |z|^2 / d  ->  (W'W / P + lam / d I) z = W't / P
    target = linear(Z_TRUE).detach()[0]
    lam = 0.5
    w = linear.fc.weight.detach()
    p, d = w.shape
    ridge = torch.linalg.solve(w.T @ w / p + lam / d * torch.eye(d), w.T @ target.flatten() / p)
    result = project_to_latent(linear, target, prior="gaussian", prior_weight=lam, steps=500,
                               lr=0.05, n_restarts=2)
    torch.testing.assert_close(result.z[0], ridge, atol=1e-3, rtol=0)
    assert result.z.norm() < Z_TRUE.norm()  # the prior shrinks z


def test_unmasked_pixels_do_not_affect_the_result(linear):
    target = linear(Z_TRUE).detach()[0]
    mask = torch.zeros(4, 4)
    mask[:2] = 1  # the top half: 8 pixels, enough to pin down 3 coordinates
    noisy = target.clone()
    noisy[:, 2:] = torch.randn(1, 2, 4) * 5  # garbage where the mask is 0
    a = project_to_latent(linear, target, mask=mask, prior_weight=0.0, steps=300, lr=0.05)
    b = project_to_latent(linear, noisy, mask=mask, prior_weight=0.0, steps=300, lr=0.05)
    assert a.losses == b.losses
    torch.testing.assert_close(b.z, Z_TRUE, atol=1e-3, rtol=0)
    # without the mask the garbage pulls z away
    c = project_to_latent(linear, noisy, prior_weight=0.0, steps=300, lr=0.05)
    assert (c.z - Z_TRUE).abs().max() > 0.1


def test_masked_error_counts_only_masked_pixels(linear):
    target = torch.zeros(1, 4, 4)
    mask = torch.zeros(4, 4)
    mask[0, 0] = 1
    result = project_to_latent(linear, target, mask=mask, steps=1, n_restarts=1)
    assert math.isclose(result.masked_error, result.image[0, 0, 0, 0].item() ** 2, rel_tol=1e-5)


def test_shipped_generator_recovers_its_own_sample_and_keeps_its_weights():
    g = weights.get("dcgan_mnist_reference").load().train()  # left in train mode, stays so
    before = {k: v.clone() for k, v in g.state_dict().items()}
    g.blocks[0][0].weight.requires_grad_(False)  # a flag the caller set is kept
    target = generate(g, n=1, seed=7)  # (1, 1, 28, 28)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a batch of 4 small images: extra threads only contend
    try:
        result = project_to_latent(g, target, steps=150, n_restarts=4, seed=0)
    finally:
        torch.set_num_threads(threads)
    assert result.masked_error < 0.01, result.masked_error  # pixels in [-1, 1]
    # a random z is far from it: the match comes from the search, not from any z
    far = generate(g, n=1, seed=8)
    assert ((far - target) ** 2).mean() > 10 * result.masked_error
    assert abs(result.z.norm() / math.sqrt(g.latent_dim) - 1) < 0.2  # the "shell" prior
    assert g.training
    assert not g.blocks[0][0].weight.requires_grad
    assert all(p.requires_grad for n, p in g.named_parameters() if n != "blocks.0.0.weight")
    for k, v in g.state_dict().items():
        assert torch.equal(v, before[k]), k  # weights and batch-norm statistics untouched


def test_conditional_generator_takes_the_label():
    torch.manual_seed(0)
    g = ConditionalMLPGenerator(num_classes=3, latent_dim=4, hidden_dims=(8,), out_shape=(1, 4, 4))
    target = g(torch.zeros(1, 4), torch.tensor([2])).detach()
    result = project_to_latent(g, target, label=2, prior_weight=0.0, steps=200, n_restarts=2)
    assert result.masked_error < 1e-4
    with pytest.raises(ValueError, match="label=<int>"):
        project_to_latent(g, target)
    with pytest.raises(ValueError, match=r"label must be an int in \[0, 2\]"):
        project_to_latent(g, target, label=3)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(target=torch.zeros(2, 1, 4, 4)), ValueError, r"one image"),
        (dict(target=torch.zeros(1, 4, 4, dtype=torch.long)), TypeError, "float image"),
        (dict(mask=torch.zeros(4, 4)), ValueError, "all zeros"),
        (dict(mask=torch.ones(5, 5)), ValueError, r"does not fit the target \(1, 4, 4\)"),
        (dict(mask=torch.full((4, 4), 2.0)), ValueError, r"\[0, 1\]"),
        (dict(prior="laplace"), ValueError, "gaussian, shell"),
        (dict(steps=0), ValueError, "steps"),
        (dict(label=1), ValueError, "only for conditional"),
        (dict(target=torch.zeros(1, 5, 5)), ValueError, r"draws images of shape \(1, 4, 4\)"),
    ],
)
def test_bad_inputs(linear, kwargs, error, match):
    args = dict(target=torch.zeros(1, 4, 4), steps=2)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        project_to_latent(linear, **args)


def test_draw_strokes_renders_segments():
    img = draw_strokes([((2, 5), (10, 5))], size=12, width=1.0)
    assert img.shape == (1, 12, 12)
    assert img.min() == -1 and img.max() == 1
    assert (img[0, 5, 2:11] == 1).all()  # on the segment: full ink
    assert (img[0, 7, :] == -1).all()  # two rows away from a 1-pixel stroke: background
    assert (img[0, 5, 12 - 1] == -1)  # past the end point
    # a point, width 2: ink = clamp(1.5 - distance, 0, 1), mapped to [-1, 1] as 2 ink - 1
    dot = draw_strokes([((3, 4), (3, 4))], size=8, width=2.0)
    assert dot[0, 4, 3] == 1  # the pixel itself
    assert dot[0, 4, 4] == 0 and dot[0, 3, 3] == 0  # 4 neighbours at distance 1: half ink
    assert math.isclose(dot[0, 5, 4].item(), 2 * (1.5 - math.sqrt(2)) - 1, rel_tol=1e-5)
    assert (dot > -1).sum() == 9
    wide = draw_strokes([((2, 5), (10, 5))], size=12, width=3.0)
    assert (wide[0, 4:7, 2:11] == 1).all()
    with pytest.raises(ValueError, match=r"\(\(x0, y0\), \(x1, y1\)\)"):
        draw_strokes([(1, 2, 3)])
    with pytest.raises(ValueError, match="width"):
        draw_strokes([((0, 0), (1, 1))], width=0)


def test_nearest_neighbour_finds_the_closest_row_and_respects_the_mask():
    data = torch.zeros(5, 1, 2, 2)
    data[1, 0, 0] = 1.0  # top row ones
    data[3, 0, 1] = 1.0  # bottom row ones
    query = torch.tensor([[[0.9, 1.0], [0.1, 0.0]]])
    nn_ = nearest_neighbour(query, data)
    assert nn_.index == 1
    assert math.isclose(nn_.distance, math.sqrt(0.01 + 0.01), rel_tol=1e-5)
    torch.testing.assert_close(nn_.image, data[1:2])
    # looking at the bottom row only, row 0 (zeros) is closest; in chunks of 1 the same answer
    mask = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    assert nearest_neighbour(query, data, mask=mask, batch_size=1).index == 0
    with pytest.raises(ValueError, match=r"\(N, 1, 2, 2\)"):
        nearest_neighbour(query, torch.zeros(5, 1, 3, 3))
