"""Tiny models and data the `fit` tests share (one copy, imported by the test modules)."""

import torch
from torch import nn

from gan_lib.models import MLPDiscriminator, MLPGenerator


def states_equal(a: nn.Module, b: nn.Module) -> bool:
    """Same state_dict keys and bit-identical tensors (compared on `a`'s device)."""
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k].to(sa[k].device)) for k in sa)


def mlp_pair(seed=0, out_shape=(6,)):
    """A small MLP generator and discriminator, seeded."""
    torch.manual_seed(seed)
    return (MLPGenerator(latent_dim=4, hidden_dims=(16,), out_shape=out_shape, out_activation=None),
            MLPDiscriminator(in_shape=out_shape, hidden_dims=(16,)))


def toy_data(n=40, seed=1):
    """n points of 6-D Gaussian data, seeded."""
    return torch.randn(n, 6, generator=torch.Generator().manual_seed(seed))
