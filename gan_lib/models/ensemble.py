"""Train K small GANs of identical shapes as ONE generator/discriminator pair, through the ordinary `fit`.

A 2-D GAN is far too small to keep a GPU busy, and a study needs many runs (seeds, and remedies
with identical shapes). `EnsembleGenerator` and `EnsembleDiscriminator` stack K member networks'
weights on a leading axis (`torch.func.stack_module_state`) and run every member at once with
`torch.func.vmap` over `torch.func.functional_call`: one batched kernel per layer instead of K
small ones. Any member architecture works unchanged (MLP, batch norm, maxout, packing), and
`member(k)` gives member k back as a plain model of its own class.

Layout: the ensemble's "sample" holds one point per member, (K, *sample_shape), so the data
for `fit` is (N, K, *sample_shape) (`ensemble_data`): one batch of indices gives every member
its own real batch, data[idx][:, k]. The generator maps z (B, latent_dim) to (B, K, ...); the
discriminator maps (B, K, ...) to logits (B', K).

Why training the ensemble with `fit` equals K separate trainings, exactly:
- Adam is elementwise, so one Adam over the stacked weights is K Adams over the members'.
- Batch norm, per layer, normalises each member's features over that member's batch only.
- Each member sees the real batch and the noise that a separate `fit` with the same seed would
  draw: real data[idx][:, k] with the same index stream; with `shared_noise=True`, the same z;
  by default, its own slice z[:, k L:(k + 1) L] of a wider z, so the members' noises are
  independent (a separate run then equals this member when fed that slice).
- The losses average over all B' x K logits, which is (1/K) x the sum of the members' own mean
  losses. Adam would undo a constant 1/K only up to its epsilon (it acts like K x eps), so the
  discriminator's output multiplies the gradient flowing back through it by K: every member's
  weights get exactly the gradient of its own loss (the SUM over members), while the loss values
  that `fit` records stay the mean over members, comparable with a single run's.
`tests/test_ensemble.py` checks this equality against separate `fit` runs.

Not supported: objectives that differentiate D with respect to its input (WGAN-GP's penalty
would see the K members' input gradients joined into one norm, and scaled by K); D's with a
`features` method (semi-supervised); members with `torch.nn.utils.parametrizations.spectral_norm`
(its power iteration writes with `out=`, which vmap cannot batch: the constructor refuses them).
Members with dropout draw independent masks per member, which separate runs would not reproduce
bit for bit.

    members_g = [make_generator(seed) for seed in range(K)]
    G = EnsembleGenerator(members_g)                   # z (B, K * latent) -> (B, K, 2)
    D = EnsembleDiscriminator([make_discriminator(s) for s in range(K)])   # (B, K, 2) -> (B, K)
    fit(G, D, ensemble_data(points, K), steps=..., batch_size=100)
    g3 = G.member(3)                                   # a plain generator, trained
"""

from __future__ import annotations

import copy
from typing import Sequence

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from gan_lib.checks import check_int

__all__ = ["EnsembleGenerator", "EnsembleDiscriminator", "ensemble_data"]


def _key(name: str) -> str:
    # parameter names cannot contain "."; "net.0.weight" is stored as "net__0__weight"
    return name.replace(".", "__")


class _SumOverMembers(torch.autograd.Function):
    """Identity forward; multiplies the incoming gradient by K (see the module docstring)."""

    @staticmethod
    def forward(ctx, scores: torch.Tensor, k: int) -> torch.Tensor:
        ctx.k = k
        return scores.clone()

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        return grad * ctx.k, None


class _Stacked(nn.Module):
    """K networks of one architecture, with their weights stacked on a leading member axis."""

    def __init__(self, members: Sequence[nn.Module]) -> None:
        super().__init__()
        if isinstance(members, nn.Module) and not isinstance(members, nn.ModuleList):
            raise TypeError(f"members must be a list of K networks, got one {type(members).__name__}; "
                            "pass [network] for an ensemble of one")
        members = list(members)
        if len(members) == 0:
            raise ValueError("members is empty; pass a list of K >= 1 networks of one architecture")
        if not all(isinstance(m, nn.Module) for m in members):
            raise TypeError("members must all be nn.Module instances")
        first = members[0]
        shapes = {n: t.shape for n, t in (*first.named_parameters(), *first.named_buffers())}
        for i, m in enumerate(members[1:], start=1):
            other = {n: t.shape for n, t in (*m.named_parameters(), *m.named_buffers())}
            if type(m) is not type(first) or other != shapes:
                raise ValueError(
                    f"member {i} ({type(m).__name__}) does not have the architecture of member 0 "
                    f"({type(first).__name__}): an ensemble stacks networks with identical "
                    "parameter names and shapes; group the runs by architecture")
        if any(type(sub).__name__ == "_SpectralNorm" for sub in first.modules()):
            raise NotImplementedError(
                "members use torch's spectral_norm, whose power iteration cannot run under vmap; "
                "train such runs one at a time with fit")
        if any(m.training != first.training for m in members):
            raise ValueError("members mix train and eval mode; put them all in the same mode")
        params, buffers = stack_module_state(members)  # (K, ...) copies, detached from members
        self._param_names = list(params)
        self._buffer_names = list(buffers)
        for name, value in params.items():
            self.register_parameter(_key(name), nn.Parameter(value.detach().clone()))
        for name, value in buffers.items():
            self.register_buffer(_key(name), value.clone())
        # The architecture, without storage: functional_call runs it on the stacked weights. Set
        # with object.__setattr__ so that it is not a submodule (its weights are not trained).
        object.__setattr__(self, "_template", copy.deepcopy(first).to("meta"))
        self.num_members = len(members)
        self.train(first.training)

    def train(self, mode: bool = True) -> "_Stacked":
        super().train(mode)
        self._template.train(mode)  # functional_call follows the template's mode (batch norm)
        return self

    def _run(self, in_dims: tuple, *args: torch.Tensor) -> torch.Tensor:
        params = {n: self._parameters[_key(n)] for n in self._param_names}
        buffers = {n: self._buffers[_key(n)] for n in self._buffer_names}

        def one_member(p, b, *a):
            return functional_call(self._template, (p, b), a)

        # member axis 0 in the weights, `in_dims` in the inputs; out: member axis 1, (B, K, ...)
        return vmap(one_member, in_dims=(0, 0, *in_dims), out_dims=1,
                    randomness="different")(params, buffers, *args)

    def member(self, k: int) -> nn.Module:
        """Member k as a plain network of its own class, with copies of its current weights.

        Args:
            k: member index in [0, K).
        """
        check_int("k", k, minimum=0, maximum=self.num_members - 1, error=IndexError,
                  hint=f"the index of one of the {self.num_members} members")
        device = next(iter(self._parameters.values())).device
        net = copy.deepcopy(self._template).to_empty(device=device)
        with torch.no_grad():
            for name in self._param_names:
                net.get_parameter(name).copy_(self._parameters[_key(name)][k])
            for name in self._buffer_names:
                net.get_buffer(name).copy_(self._buffers[_key(name)][k])
        return net.train(self.training)

    def extra_repr(self) -> str:
        return f"num_members={self.num_members}, member={type(self._template).__name__}"


class EnsembleGenerator(_Stacked):
    """K generators run as one: z (B, latent_dim) -> samples (B, K, *sample_shape).

    Args:
        members: K generators of one architecture, each with an int `latent_dim` L.
        shared_noise: False (default): latent_dim = K L and member k reads its own slice
            z[:, k L:(k + 1) L], so the members' noises are independent. True: latent_dim = L and
            every member reads the same z (what K separate runs with the same seed would draw).
    """

    def __init__(self, members: Sequence[nn.Module], *, shared_noise: bool = False) -> None:
        super().__init__(members)
        latent = getattr(self._template, "latent_dim", None)
        check_int(f"{type(self._template).__name__}.latent_dim", latent, error=TypeError,
                  hint="the size of z, an attribute every generator needs")
        self.member_latent_dim = latent
        self.shared_noise = bool(shared_noise)
        self.latent_dim = latent if self.shared_noise else self.num_members * latent

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            how = ("the members share z" if self.shared_noise else
                   f"K = {self.num_members} members x latent_dim {self.member_latent_dim} each")
            raise ValueError(f"expected z of shape (B, {self.latent_dim}) ({how}), "
                             f"got {tuple(z.shape)}")
        if self.shared_noise:
            return self._run((None,), z)
        z = z.view(z.shape[0], self.num_members, self.member_latent_dim)  # (B, K, L)
        return self._run((1,), z)


class EnsembleDiscriminator(_Stacked):
    """K discriminators run as one: samples (B, K, *sample_shape) -> logits (B', K).

    Member k scores x[:, k]; B' is what one member returns for B samples (B for a plain D,
    B / m for a `PackedDiscriminator` with packing m). The gradient that flows back through the
    logits is multiplied by K, so that `fit`'s mean over all logits trains each member on its own
    loss exactly (see the module docstring); forward values are untouched.

    Args:
        members: K discriminators of one architecture, each returning logits (B',).
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() < 2 or x.shape[1] != self.num_members:
            raise ValueError(
                f"expected samples of shape (B, K={self.num_members}, ...), one sample per member; "
                f"got {tuple(x.shape)}. Build the data with ensemble_data(data, {self.num_members})")
        scores = self._run((1,), x)  # (B', K)
        if torch.is_grad_enabled() and scores.requires_grad:
            scores = _SumOverMembers.apply(scores, self.num_members)
        return scores


def ensemble_data(data: torch.Tensor | Sequence[torch.Tensor],
                  num_members: int | None = None) -> torch.Tensor:
    """Training data for an ensemble: (N, K, *sample_shape), member k's data in [:, k].

    Args:
        data: one tensor (N, ...) that every member trains on (returned as a view, no copy:
            with one index stream, every member then sees the same real batch, as K separate
            runs with the same seed would); or a sequence of K tensors (N, ...), one data set
            per member.
        num_members: K; required with one shared tensor, checked against a sequence's length.
    """
    if isinstance(data, torch.Tensor):
        check_int("num_members", num_members, minimum=1,
                  hint="with one shared data tensor, pass num_members=K")
        if data.dim() < 2:
            raise ValueError(f"data must be (N, ...) samples, got shape {tuple(data.shape)}")
        return data.unsqueeze(1).expand(data.shape[0], num_members, *data.shape[1:])
    sets = list(data)
    if not sets or not all(isinstance(t, torch.Tensor) for t in sets):
        raise TypeError("data must be one tensor (N, ...) or a non-empty sequence of K tensors "
                        "(N, ...)")
    if num_members is not None and num_members != len(sets):
        raise ValueError(f"num_members={num_members} but {len(sets)} data sets were given")
    if len({tuple(t.shape) for t in sets}) != 1:
        raise ValueError(f"every member's data must have the same shape (N, ...), got "
                         f"{sorted({tuple(t.shape) for t in sets})}")
    return torch.stack(sets, dim=1)
