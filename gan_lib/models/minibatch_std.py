"""Minibatch standard deviation (Karras et al. 2018, ProGAN): let D see how varied a batch is.

A discriminator that scores one sample at a time cannot tell a generator that draws the same
point a hundred times from one that draws a hundred different points: each point alone may look
real. The minibatch standard deviation layer appends one feature to every sample: the standard
deviation of each feature over a group of samples, averaged over features. Real groups are as
varied as the data; a collapsed generator's groups have a value near 0, which D learns to reject.
It costs one feature, and unlike packing it changes neither the batch nor the input.

Where it goes matters: ProGAN appends it before the discriminator's last block, so that the
block's nonlinear layers can combine the batch's spread with the sample's own features. Appended
at the logit instead, it could only shift every score of a batch by the same amount.

`fit` scores real and generated batches in separate calls, so a group is all real or all fake.

    d = add_minibatch_std(benchmark_discriminator())   # the last hidden block reads one more feature
"""

from __future__ import annotations

import torch
from torch import nn

from gan_lib.checks import check_int, check_number

__all__ = ["MinibatchStdDev", "add_minibatch_std"]


class MinibatchStdDev(nn.Module):
    """(N, C, ...) -> (N, C + 1, ...): the group's mean standard deviation as an extra channel.

    Samples are split into groups of `group_size` consecutive samples; for each group the
    standard deviation of every feature (channel and position) is taken over the group's
    members and averaged into one number, which every member of the group receives as a
    constant extra channel.

    Args:
        group_size: samples per group; None: the whole batch is one group (ProGAN). The batch
            size must be a multiple of it (StyleGAN uses 4 and groups of min(4, N)).
        eps: added to the variance before the square root (a finite gradient at zero spread).
    """

    def __init__(self, group_size: int | None = None, *, eps: float = 1e-8) -> None:
        super().__init__()
        if group_size is not None:
            check_int("group_size", group_size, minimum=2, hint="or None: the whole batch")
        check_number("eps", eps, low=0, low_open=True)
        self.group_size = group_size
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() < 2:
            raise ValueError(f"expected a batch (N, C, ...), got shape {tuple(x.shape)}")
        n = x.shape[0]
        g = n if self.group_size is None else self.group_size
        if n < 2 or n % g:
            raise ValueError(
                f"a batch of {n} samples cannot be split into groups of {g}: the standard "
                "deviation needs >= 2 samples per group; use a batch size that is a multiple of "
                "group_size, or group_size=None for one group")
        groups = x.reshape(n // g, g, *x.shape[1:])  # (groups, g, C, ...)
        std = (groups.var(dim=1, unbiased=False) + self.eps).sqrt()  # (groups, C, ...)
        stat = std.reshape(n // g, -1).mean(dim=1)  # one number per group
        extra = stat.repeat_interleave(g)  # (N,): each sample gets its group's number
        extra = extra.view(n, 1, *([1] * (x.dim() - 2))).expand(n, 1, *x.shape[2:])
        return torch.cat([x, extra.to(x.dtype)], dim=1)

    def extra_repr(self) -> str:
        return f"group_size={self.group_size}"


def add_minibatch_std(discriminator: nn.Module, *, group_size: int | None = None,
                      init_std: float | None = 0.02, before_logit: bool = False) -> nn.Module:
    """Insert `MinibatchStdDev` before the discriminator's last hidden block, in place.

    The linear layer that feeds the last block (for an MLP or maxout D, the second-to-last
    `nn.Linear`: the last hidden layer's, inside its maxout unit if it has one) is replaced by
    the layer preceded by `MinibatchStdDev` and widened by one input; the old weights are kept
    for the old inputs. With `before_logit=True` (or a D with a single linear layer) the logit
    layer reads the feature instead.

    Args:
        discriminator: a network whose `nn.Linear` layers map features (N, F) onward, the last
            one to the logits.
        group_size: passed to `MinibatchStdDev`.
        init_std: the new input's weights ~ N(0, init_std^2); None: zero (D starts as before).
        before_logit: put the feature before the logit layer instead of the last block.
    """
    linears = [(path, m) for path, m in discriminator.named_modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError(f"{type(discriminator).__name__} has no nn.Linear layer to put the "
                         "minibatch standard deviation before")
    # named_modules is in definition order: the logit layer comes last, the last block's before it
    path, target = linears[-1] if before_logit or len(linears) == 1 else linears[-2]
    parent_path, _, name = path.rpartition(".")
    if not path:
        raise ValueError("the discriminator itself is a single nn.Linear; wrap it in nn.Sequential")
    parent = discriminator.get_submodule(parent_path) if parent_path else discriminator
    wider = nn.Linear(target.in_features + 1, target.out_features, bias=target.bias is not None,
                      device=target.weight.device, dtype=target.weight.dtype)
    with torch.no_grad():
        wider.weight[:, :-1].copy_(target.weight)
        if init_std is None:
            wider.weight[:, -1].zero_()
        else:
            wider.weight[:, -1].normal_(0.0, init_std)
        if target.bias is not None:
            wider.bias.copy_(target.bias)
    setattr(parent, name, nn.Sequential(MinibatchStdDev(group_size), wider))
    return discriminator
