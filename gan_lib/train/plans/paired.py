"""The paired plan (pix2pix): source i belongs to target i; G(source) against D(source, image)."""

from __future__ import annotations

import torch

from .base import Batch, BatchPlan, describe_tensor

__all__ = ["PairedPlan", "check_sources"]


def check_sources(sources: object, objective) -> torch.Tensor:
    """Check that `sources` is a finite floating-point tensor (N, ...) for a G(source) objective."""
    if sources is None:
        raise ValueError(f"objective {objective!r} trains G(source): pass sources=<tensor> "
                         "(with data=<targets> for paired training, <real images> for refinement)")
    if not isinstance(sources, torch.Tensor) or not sources.is_floating_point():
        raise TypeError(f"sources must be a floating-point tensor (N, ...); got "
                        f"{describe_tensor(sources)}")
    if not bool(torch.isfinite(sources).all()):
        raise ValueError("sources contain NaN or inf values; clean them before training")
    return sources


class PairedPlan(BatchPlan):
    """`fit(G, D, targets, sources=sources, objective=Paired(...))`: one index picks both."""

    name = "paired"

    def __init__(self, data: torch.Tensor, *, sources: torch.Tensor | None, objective,
                 **kw) -> None:
        super().__init__(data, **kw)
        self.sources = check_sources(sources, objective)
        if len(self.sources) != len(data):
            raise ValueError(f"sources and data (the targets) must pair up one to one: "
                             f"{len(self.sources)} sources, {len(data)} targets")
        self.description["source_shape"] = list(self.sources.shape[1:])

    def start(self) -> None:
        super().start()
        self.sources = self.sources.to(self.device)

    def draw(self, noise: torch.Generator) -> Batch:
        idx = self.streams["indices"].next()
        return Batch(real=self.data[idx], source=self.sources[idx])
