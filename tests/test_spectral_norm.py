"""Spectral normalisation: every layer's largest singular value is ~1 after power iteration, the
outputs keep their shape, the bound holds through training, and bad inputs are refused."""

import pytest
import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm

from gan_lib.models import DCGANDiscriminator, DCGANGenerator, MLPDiscriminator
from gan_lib.models.spectral_norm import apply_spectral_norm, spectral_norms
from gan_lib.train import Hinge, fit


def sigma(layer: nn.Module) -> float:
    """The largest singular value, computed here independently of the library: output channels
    first (dim 1 of a transposed convolution's weight), everything else flattened."""
    w = layer.weight.detach()
    out_dim = 1 if isinstance(layer, nn.ConvTranspose2d) else 0
    matrix = w.movedim(out_dim, 0).reshape(w.shape[out_dim], -1)
    return torch.linalg.matrix_norm(matrix, ord=2).item()


def layers(model):
    return [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear))]


@pytest.mark.parametrize("build, inputs", [
    (lambda: DCGANDiscriminator(base_width=8, batch_norm=False), lambda: torch.randn(6, 1, 28, 28)),
    (lambda: DCGANGenerator(base_width=8), lambda: torch.randn(6, 100)),
    (lambda: MLPDiscriminator(hidden_dims=(32, 16)), lambda: torch.randn(6, 1, 28, 28)),
])
def test_every_layer_has_largest_singular_value_one(build, inputs):
    torch.manual_seed(0)
    model = build()
    before = [sigma(m) for m in layers(model)]
    assert max(abs(s - 1) for s in before) > 0.2, before  # so that the test can fail
    x = inputs()
    shape = model(x).shape
    assert apply_spectral_norm(model) is model
    model.train()
    for _ in range(5):  # a few forward passes, one power-iteration step each
        out = model(x)
    assert out.shape == shape
    model.eval()  # reading .weight in eval mode runs no further power iteration
    after = [sigma(m) for m in layers(model)]
    assert len(after) == len(before) >= 2
    assert all(abs(s - 1) < 0.05 for s in after), after  # power iteration: ~1, from below
    # the library's report agrees with the independent computation
    assert list(spectral_norms(model).values()) == pytest.approx(after, rel=1e-5)


def test_the_output_is_scaled_by_one_over_sigma():
    torch.manual_seed(0)
    layer = nn.Linear(5, 3)
    w, b = layer.weight.detach().clone(), layer.bias.detach().clone()
    apply_spectral_norm(nn.Sequential(layer)).eval()
    x = torch.randn(4, 5)
    expected = x @ (w / torch.linalg.matrix_norm(w, ord=2)).T + b
    torch.testing.assert_close(layer(x), expected, atol=1e-4, rtol=1e-4)


def test_the_bound_holds_through_training():
    torch.manual_seed(0)
    g = DCGANGenerator(base_width=4)
    d = apply_spectral_norm(DCGANDiscriminator(base_width=4, batch_norm=False))
    data = torch.rand(64, 1, 28, 28) * 2 - 1
    history = fit(g, d, data, steps=10, batch_size=16, lr_d=5e-3, objective=Hinge(),
                  progress=False)
    assert len(history) == 10
    assert all(abs(s - 1) < 0.05 for s in spectral_norms(d).values()), spectral_norms(d)
    raw = [m.parametrizations.weight.original for m in layers(d)]  # what Adam updated
    assert any(abs(torch.linalg.matrix_norm(w.flatten(1), ord=2).item() - 1) > 0.05 for w in raw)


def test_errors_are_explained():
    with pytest.raises(TypeError, match="nn.Module"):
        apply_spectral_norm(lambda x: x)
    with pytest.raises(ValueError, match="nothing to spectrally normalise"):
        apply_spectral_norm(nn.Sequential(nn.ReLU(), nn.BatchNorm2d(3)))
    d = apply_spectral_norm(DCGANDiscriminator(base_width=4, batch_norm=False))
    with pytest.raises(ValueError, match="already spectrally normalised"):
        apply_spectral_norm(d)
    old_style = nn.Sequential(nn.Linear(3, 2), nn.utils.spectral_norm(nn.Linear(2, 1)))
    with pytest.raises(ValueError, match=r"layer\(s\) 1 are already"):
        apply_spectral_norm(old_style)
    with pytest.raises(ValueError, match=r"layer\(s\) 0 are already"):
        apply_spectral_norm(nn.Sequential(spectral_norm(nn.Linear(3, 2))))
    with pytest.raises(ValueError, match="n_power_iterations"):
        apply_spectral_norm(nn.Linear(2, 2), n_power_iterations=0)
