"""The batch plan interface: how `fit` shapes one training batch, and the pieces every plan shares.

A plan checks the data for its conditioning mode once, holds it on the training device, and
draws batches by index (`draw`). What differs between modes is only what goes into the `Batch`:
noise or a source image, class labels or a labelled side batch. The loop and the objectives never
ask which mode they are in: the batch binds G's input and D's condition itself (`Batch.generate`,
`Batch.critic`) and carries what an objective needs beyond (critic, real, fake) in `d_extra` and
`g_extra`.

Reproducibility: every index stream and the noise are drawn on the CPU from seeded
`torch.Generator`s, so the same seed draws the same batches on any device; their states go into
the checkpoint (`streams`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar

import torch
from torch import nn

__all__ = ["Batch", "BatchPlan", "IndexStream", "describe_tensor", "to_device"]


def describe_tensor(t: object) -> str:
    """A short description of a value for error messages: type, dtype and shape."""
    return f"{type(t).__name__}" + (f" of dtype {t.dtype}, shape {tuple(t.shape)}"
                                    if isinstance(t, torch.Tensor) else "")


def to_device(t: torch.Tensor, device: torch.device) -> torch.Tensor:
    """CPU -> device; to a GPU through pinned memory, asynchronously (a pageable copy would wait)."""
    if device.type == "cuda":
        return t.pin_memory().to(device, non_blocking=True)
    return t.to(device)


class IndexStream:
    """Batches of indices: consecutive slices of a stream of random permutations of range(n).

    Every batch has exactly `batch_size` indices (batch norm needs more than one sample), and
    every sample is seen once per pass through a permutation. The permutation is drawn on the
    CPU (reproducible on any device) and copied to the device once per pass, not once per step.
    """

    def __init__(self, n: int, batch_size: int, seed: int, device: torch.device) -> None:
        self.n, self.batch_size, self.device = n, batch_size, device
        self.rng = torch.Generator().manual_seed(seed)
        self._set(torch.randperm(n, generator=self.rng), 0)

    def _set(self, perm: torch.Tensor, pos: int) -> None:
        self.perm, self.pos = perm, pos
        self.perm_on_device = perm.to(self.device, non_blocking=True)

    def next(self) -> torch.Tensor:
        parts, need = [], self.batch_size
        while need:
            if self.pos == self.n:
                self._set(torch.randperm(self.n, generator=self.rng), 0)
            take = min(need, self.n - self.pos)
            parts.append(self.perm_on_device[self.pos : self.pos + take])
            self.pos, need = self.pos + take, need - take
        return parts[0] if len(parts) == 1 else torch.cat(parts)

    def state_dict(self) -> dict:
        return {"rng": self.rng.get_state(), "perm": self.perm, "pos": self.pos}

    def load_state_dict(self, state: dict) -> None:
        self.rng.set_state(state["rng"])
        self._set(state["perm"], int(state["pos"]))


@dataclass
class Batch:
    """One training batch, on the training device.

    Args:
        real: real data (B, ...); for paired training the targets.
        z: noise (B, latent_dim), or None for a generator of source images.
        labels: int64 class indices (B,) for class-conditional training: the real samples' labels,
            also asked of G for the fakes, so both halves follow the data's label distribution.
        source: source images (B, ...): G(source) is the fake.
        source_to_critic: whether D sees the source beside the image (paired: D(source, x)) or
            the image alone (unpaired refinement: D(x)).
        d_extra, g_extra: keyword arguments for the objective's discriminator / generator loss
            beyond (critic, real, fake): e.g. a labelled side batch, or the sources themselves.
    """

    real: torch.Tensor
    z: torch.Tensor | None = None
    labels: torch.Tensor | None = None
    source: torch.Tensor | None = None
    source_to_critic: bool = True
    d_extra: dict[str, Any] = field(default_factory=dict)
    g_extra: dict[str, Any] = field(default_factory=dict)

    def generate(self, generator: nn.Module) -> torch.Tensor:
        """G's output for this batch: G(source), G(z, labels) or G(z)."""
        if self.source is not None:
            return generator(self.source)
        if self.labels is not None:
            return generator(self.z, self.labels)
        return generator(self.z)

    def critic(self, discriminator: nn.Module) -> Callable[[torch.Tensor], torch.Tensor]:
        """D with this batch's condition bound: x -> D(source, x), D(x, labels) or D(x)."""
        if self.source is not None and self.source_to_critic:
            return lambda x: discriminator(self.source, x)
        if self.labels is not None:
            return lambda x: discriminator(x, self.labels)
        return discriminator


class BatchPlan:
    """Base class. A subclass checks its inputs in `__init__` and implements `draw`.

    Args:
        data: the whole training set (N, ...), float; the targets for paired training.
        batch_size: samples per batch.
        seed: seeds the index stream(s) (the noise stream, seed + 1, belongs to the run).
        device: where batches are made.
    """

    name: ClassVar[str] = "plan"

    def __init__(self, data: torch.Tensor, *, batch_size: int, seed: int,
                 device: torch.device) -> None:
        if not isinstance(data, torch.Tensor) or not data.is_floating_point() or data.dim() < 2:
            raise TypeError("data must be one floating-point tensor of shape (N, ...), e.g. the "
                            f"images from load_mnist('train'); got {describe_tensor(data)}")
        if not bool(torch.isfinite(data).all()):
            raise ValueError("data contains NaN or inf values; clean or rescale it before training")
        self.batch_size, self.seed, self.device = batch_size, seed, device
        #: what a checkpoint records about the data; resume compares it
        self.description: dict[str, Any] = {"n": len(data), "shape": list(data.shape[1:]),
                                            "num_classes": None, "source_shape": None}
        self.data = data
        self.streams: dict[str, IndexStream] = {}

    def check_batch_size(self) -> None:
        """After the plan's own checks: a batch must fit in the data."""
        if self.batch_size > len(self.data):
            raise ValueError(f"batch_size must be an int in [2, N={len(self.data)}], got "
                             f"{self.batch_size}")

    def start(self) -> None:
        """Move the data to the device and open the index streams (after all checks passed)."""
        self.data = self.data.to(self.device)
        self.streams["indices"] = IndexStream(len(self.data), self.batch_size, self.seed,
                                              self.device)

    def draw(self, noise: torch.Generator) -> Batch:
        """The next batch; `noise` is the run's CPU generator for z."""
        raise NotImplementedError

    def noise(self, noise: torch.Generator, latent_dim: int) -> torch.Tensor:
        """z ~ N(0, I) of shape (batch_size, latent_dim), drawn on the CPU, on the device."""
        return to_device(torch.randn(self.batch_size, latent_dim, generator=noise), self.device)
