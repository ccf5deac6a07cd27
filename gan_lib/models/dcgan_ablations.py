"""DCGAN ablations: DCGANs with some of the paper's guidelines undone, built by swapping parts.

`DCGANGenerator` and `DCGANDiscriminator` follow every guideline of Radford et al. (2015). To
measure what a guideline buys (the DCGAN chapter's ablation study), `ablated_dcgan_generator` and
`ablated_dcgan_discriminator` build the plain network and swap the parts that a keyword names:

- `batch_norm=False` (batch norm in both networks): every BatchNorm is dropped, and the layer
  before it gets back the bias that batch norm's own shift had made redundant;
- `activation="leaky_relu"` in G (ReLU in G): each hidden ReLU becomes LeakyReLU(0.2), tanh stays;
- `activation="relu"` in D (LeakyReLU in D): each LeakyReLU(0.2) becomes ReLU;
- `fc_hidden=True` (no fully connected hidden layers): G's projecting convolution becomes
  Linear(z, fc_width) + BN + activation + Linear + reshape; D's head becomes
  Linear(features, fc_width) + activation + Linear(fc_width, 1);
- `upsample="nearest"` (no unpooling in G): each stride-2 4x4 transposed convolution becomes
  nearest-neighbour 2x upsampling and a 3x3 convolution;
- `downsample="avgpool"` or `"maxpool"` (no pooling in D): each stride-2 4x4 convolution becomes
  a 3x3 convolution and 2x2 pooling.

Keywords combine; with every keyword at its default the result is the plain network.

Random numbers: the plain network is first built as a skeleton on the meta device (no memory, no
random draws), its parts are swapped, and only then is it materialised and initialised: each layer
draws PyTorch's default initialisation in order, as its constructor would, and `init_dcgan_weights`
then draws the DCGAN initialisation over it. So after `torch.manual_seed(s)` a variant holds the
weights a network built directly in its final shape would hold, the plain case equals
`DCGANGenerator(...)` exactly, and the global random stream moves on by the same amount, so a
network built next (the discriminator of a pair) starts from the same state too.
"""

from __future__ import annotations

from typing import Callable, TypeVar

import torch
from torch import nn

from .dcgan import DCGANDiscriminator, DCGANGenerator, init_dcgan_weights

__all__ = ["ablated_dcgan_generator", "ablated_dcgan_discriminator", "UPSAMPLE", "DOWNSAMPLE",
           "ACTIVATIONS"]

UPSAMPLE = ("transposed", "nearest")
DOWNSAMPLE = ("strided", "avgpool", "maxpool")
ACTIVATIONS = ("relu", "leaky_relu")
_WEIGHTED = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)
_BATCH_NORM = (nn.BatchNorm1d, nn.BatchNorm2d)
Edit = Callable[[list[nn.Module]], list[nn.Module]]  # a Sequential's layers -> its new layers
Model = TypeVar("Model", bound=nn.Module)


def ablated_dcgan_generator(*, batch_norm: bool = True, activation: str = "relu",
                            upsample: str = "transposed", fc_hidden: bool = False,
                            fc_width: int = 1024, **dcgan) -> DCGANGenerator:
    """A `DCGANGenerator` with the named guidelines undone (the plain network by default).

    Args:
        batch_norm: False drops every batch norm.
        activation: hidden activation, "relu" (the paper) or "leaky_relu" (slope 0.2); tanh stays.
        upsample: "transposed" (the paper) or "nearest" (nearest-neighbour 2x + 3x3 conv).
        fc_hidden: project z through a fully connected hidden layer of `fc_width` units first.
        fc_width: width of that layer.
        **dcgan: arguments of `DCGANGenerator` (latent_dim, image_size, channels, base_width).
    """
    _check_choice("activation", activation, ACTIVATIONS)
    _check_choice("upsample", upsample, UPSAMPLE)
    _check_width(fc_width)
    device = torch.get_default_device()
    with torch.device("meta"):
        g = DCGANGenerator(**dcgan)
        if fc_hidden:
            g.project = _fully_connected_projection(g.project, fc_width)
        if upsample == "nearest":
            g.blocks = nn.Sequential(*(_upsample_then_conv(block) for block in g.blocks))
        if activation == "leaky_relu":
            _edit_sequentials(g, _swap(nn.ReLU, lambda: nn.LeakyReLU(0.2)))
        if not batch_norm:
            _edit_sequentials(g, _without_batch_norm)
    return _materialise(g, device)


def ablated_dcgan_discriminator(*, batch_norm: bool = True, activation: str = "leaky_relu",
                                downsample: str = "strided", fc_hidden: bool = False,
                                fc_width: int = 1024, **dcgan) -> DCGANDiscriminator:
    """A `DCGANDiscriminator` with the named guidelines undone (the plain network by default).

    Args:
        batch_norm: False drops every batch norm (as `DCGANDiscriminator(batch_norm=False)`).
        activation: "leaky_relu" (the paper, slope 0.2) or "relu".
        downsample: "strided" (the paper) or "avgpool" / "maxpool" (3x3 conv + 2x2 pooling).
        fc_hidden: score the last feature map through a fully connected hidden layer.
        fc_width: width of that layer.
        **dcgan: arguments of `DCGANDiscriminator` (image_size, channels, base_width).
    """
    _check_choice("activation", activation, ACTIVATIONS)
    _check_choice("downsample", downsample, DOWNSAMPLE)
    _check_width(fc_width)
    device = torch.get_default_device()
    with torch.device("meta"):
        d = DCGANDiscriminator(batch_norm=batch_norm, **dcgan)
        if downsample != "strided":
            pool = nn.AvgPool2d if downsample == "avgpool" else nn.MaxPool2d
            d.blocks = nn.Sequential(*(_conv_then_pool(block, pool) for block in d.blocks))
        if fc_hidden:
            d.head = _fully_connected_head(d.head, fc_width)
        if activation == "relu":
            _edit_sequentials(d, _swap(nn.LeakyReLU, nn.ReLU))
    return _materialise(d, device)


# ---------------------------------------------------------------- the swaps


def _fully_connected_projection(project: nn.Sequential, width: int) -> nn.Sequential:
    """[ConvT(z -> C, s x s), BN, act] -> [Linear(z, width), BN, act, Linear(width, C*s*s),
    reshape to (C, s, s), BN, act]: the hidden layer the paper's guideline removes."""
    conv, *rest = project
    c, s = conv.out_channels, conv.kernel_size[0]
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(conv.in_channels, width, bias=False), nn.BatchNorm1d(width), nn.ReLU(),
        nn.Linear(width, c * s * s, bias=False), nn.Unflatten(1, (c, s, s)),
        *rest,
    )


def _fully_connected_head(head: nn.Sequential, width: int) -> nn.Sequential:
    """[Conv(C -> 1, s x s), Flatten] -> [Flatten, Linear(C*s*s, width), act, Linear(width, 1)]."""
    conv = head[0]
    features = conv.in_channels * conv.kernel_size[0] * conv.kernel_size[1]
    return nn.Sequential(nn.Flatten(), nn.Linear(features, width), nn.LeakyReLU(0.2),
                         nn.Linear(width, 1))


def _upsample_then_conv(block: nn.Sequential) -> nn.Sequential:
    """[ConvT(4x4, stride 2), ...] -> [Upsample(2x, nearest), Conv(3x3, stride 1), ...]."""
    up, *rest = block
    conv = nn.Conv2d(up.in_channels, up.out_channels, 3, 1, 1, bias=up.bias is not None)
    return nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), conv, *rest)


def _conv_then_pool(block: nn.Sequential, pool: type[nn.Module]) -> nn.Sequential:
    """[Conv(4x4, stride 2), ...] -> [Conv(3x3, stride 1), 2x2 pool, ...]."""
    down, *rest = block
    conv = nn.Conv2d(down.in_channels, down.out_channels, 3, 1, 1, bias=down.bias is not None)
    return nn.Sequential(conv, pool(2), *rest)


def _swap(old: type[nn.Module], new: Callable[[], nn.Module]) -> Edit:
    """An edit that replaces each layer of exactly type `old` by `new()`."""
    return lambda layers: [new() if type(m) is old else m for m in layers]


def _without_batch_norm(layers: list[nn.Module]) -> list[nn.Module]:
    """Drop each batch norm and give the weighted layer before it a bias: batch norm's own shift
    had made that bias redundant, and without batch norm the layer needs it again."""
    kept: list[nn.Module] = []
    for m in layers:
        if isinstance(m, _BATCH_NORM):
            layer = next(k for k in reversed(kept) if isinstance(k, _WEIGHTED))
            n_out = layer.out_features if isinstance(layer, nn.Linear) else layer.out_channels
            layer.bias = nn.Parameter(torch.empty(n_out))  # drawn in _materialise
        else:
            kept.append(m)
    return kept



def _edit_sequentials(module: nn.Module, edit: Edit) -> None:
    """Rebuild every nn.Sequential inside `module` from `edit(its layers)`, innermost first;
    rebuilding renumbers the layers, as a network built in the new shape numbers them."""
    for name, child in module.named_children():
        _edit_sequentials(child, edit)
        if isinstance(child, nn.Sequential):
            setattr(module, name, nn.Sequential(*edit(list(child))))


def _materialise(model: Model, device: torch.device) -> Model:
    """Give the skeleton real tensors and draw them as a directly built network would: PyTorch's
    default initialisation layer by layer (it only moves the random stream: the DCGAN
    initialisation overwrites it), then `init_dcgan_weights`."""
    model.to_empty(device=device)
    for m in model.modules():
        if hasattr(m, "reset_parameters"):  # also resets batch norm's running statistics
            m.reset_parameters()
    init_dcgan_weights(model)
    return model


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not valid; choose one of {', '.join(allowed)}")


def _check_width(fc_width: int) -> None:
    if isinstance(fc_width, bool) or not isinstance(fc_width, int) or fc_width <= 0:
        raise ValueError(f"fc_width must be a positive int, got {fc_width!r}")
