"""Spectral normalisation (Miyato et al. 2018): every weight divided by its largest singular value.

A layer x -> W x + b changes distances by at most sigma(W), the largest singular value of W, and
LeakyReLU and ReLU by at most 1, so a network whose every weight has sigma = 1 is 1-Lipschitz
(for a convolution, with sigma taken of its kernel reshaped to a matrix, the paper's surrogate).
`apply_spectral_norm` wraps each weight with `torch.nn.utils.parametrizations.spectral_norm`:
the layer then computes with W / sigma_hat, where sigma_hat comes from power iteration, one step
per forward pass in train mode on vectors kept between steps, so it tracks W as training moves it.

Use it on a discriminator built without batch norm (`DCGANDiscriminator(batch_norm=False)`):
batch norm rescales each feature by the batch's own standard deviation, which undoes the bound.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import spectral_norm

from gan_lib.checks import check_int

__all__ = ["apply_spectral_norm", "spectral_norms", "NORMALISED_LAYERS"]

#: the layer types whose weight `apply_spectral_norm` normalises
NORMALISED_LAYERS = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)


def _is_spectrally_normalised(layer: nn.Module) -> bool:
    # the parametrization (torch.nn.utils.parametrizations) or the older hook-based version
    # (torch.nn.utils.spectral_norm, which renames the weight to weight_orig)
    if parametrize.is_parametrized(layer, "weight"):
        if any(type(p).__name__ == "_SpectralNorm" for p in layer.parametrizations.weight):
            return True
    return hasattr(layer, "weight_orig")


def _weight_matrix(layer: nn.Module) -> torch.Tensor:
    """The weight as the matrix spectral norm sees: output channels first, the rest flattened."""
    w = layer.weight
    if isinstance(layer, nn.ConvTranspose2d):  # stored (in, out, kh, kw): out is dim 1
        w = w.transpose(0, 1)
    return w.flatten(1)


def apply_spectral_norm(module: nn.Module, *, n_power_iterations: int = 1,
                        eps: float = 1e-12) -> nn.Module:
    """Spectrally normalise the weight of every Conv2d, ConvTranspose2d and Linear layer, in place.

    Biases, batch-norm layers and activations are left as they are. Apply it to a discriminator
    without batch norm (`DCGANDiscriminator(batch_norm=False)`); batch norm would rescale the
    features again and undo the Lipschitz bound.

    Args:
        module: the network, e.g. a discriminator; returned, with its layers wrapped.
        n_power_iterations: power-iteration steps per forward pass in train mode (1 in the paper:
            the vectors persist between steps, so one step per update keeps the estimate close).
        eps: added to norms in the power iteration, against division by zero.

    Raises:
        TypeError: `module` is not an nn.Module.
        ValueError: it has no layer to normalise, or some of its layers are already spectrally
            normalised (a second wrapping would divide the weight by its sigma twice).
    """
    if not isinstance(module, nn.Module):
        raise TypeError(f"apply_spectral_norm needs an nn.Module, got {type(module).__name__}")
    check_int("n_power_iterations", n_power_iterations, minimum=1)
    layers = [(name, m) for name, m in module.named_modules() if isinstance(m, NORMALISED_LAYERS)]
    if not layers:
        raise ValueError(
            f"{type(module).__name__} has no Conv2d, ConvTranspose2d or Linear layer: nothing to "
            "spectrally normalise; pass the network that holds those layers")
    done = [name or type(module).__name__ for name, m in layers if _is_spectrally_normalised(m)]
    if done:
        raise ValueError(
            f"layer(s) {', '.join(done)} are already spectrally normalised; apply_spectral_norm "
            "once per network, to a freshly built one")
    for _, layer in layers:
        # ConvTranspose2d keeps output channels in dim 1; torch's spectral_norm knows that
        spectral_norm(layer, n_power_iterations=n_power_iterations, eps=eps)
    return module


@torch.no_grad()
def spectral_norms(module: nn.Module) -> dict[str, float]:
    """The exact largest singular value of each layer's weight (as the layer uses it), by name.

    For a spectrally normalised network these are the sigmas after division, close to 1; for a
    plain one, the raw weights'. Computed with an SVD, not power iteration; reading `weight` of a
    normalised layer in train mode runs one power-iteration step, so call it in eval mode to
    leave the network untouched.

    Args:
        module: any network with Conv2d, ConvTranspose2d or Linear layers.
    """
    return {name: torch.linalg.matrix_norm(_weight_matrix(m).float(), ord=2).item()
            for name, m in module.named_modules() if isinstance(m, NORMALISED_LAYERS)}
