"""The refinement plan (SimGAN): synthetic sources and real images are two unrelated sets.

Each batch draws real images and synthetic sources by two independent index streams; D sees
images alone (refined against real), and G's loss also receives the sources, to keep G(s) close
to s. With `Refinement(history_size=n)` the plan also owns the history buffer of refined images
(`ImageHistory`), which the objective mixes into D's fake batch; it sits among the plan's
`streams`, so a checkpoint holds its images and random stream and resume is exact.
"""

from __future__ import annotations

import torch

from ..image_history import ImageHistory
from .base import Batch, BatchPlan, IndexStream
from .paired import check_sources

__all__ = ["RefinementPlan"]


class RefinementPlan(BatchPlan):
    """`fit(G, D, real_images, sources=synthetic_images, objective=Refinement())`."""

    name = "refinement"

    def __init__(self, data: torch.Tensor, *, sources: torch.Tensor | None, objective,
                 **kw) -> None:
        super().__init__(data, **kw)
        self.sources = check_sources(sources, objective)
        if self.batch_size > len(self.sources):
            raise ValueError(f"batch_size must be at most the number of sources, "
                             f"{len(self.sources)}; got {self.batch_size}")
        self.description["source_shape"] = list(self.sources.shape[1:])
        self.description["n_sources"] = len(self.sources)
        self.history_size = getattr(objective, "history_size", 0)
        if self.history_size and self.history_size < self.batch_size:
            raise ValueError(f"history_size must be 0 (off) or at least batch_size="
                             f"{self.batch_size}; got {self.history_size}")

    def start(self) -> None:
        super().start()
        self.sources = self.sources.to(self.device)
        self.streams["source_indices"] = IndexStream(len(self.sources), self.batch_size,
                                                     self.seed + 3, self.device)
        if self.history_size:  # random state like the index streams: saved and restored with them
            self.streams["image_history"] = ImageHistory(self.history_size, seed=self.seed + 5)

    def draw(self, noise: torch.Generator) -> Batch:
        idx = self.streams["indices"].next()
        source = self.sources[self.streams["source_indices"].next()]
        d_extra = {"image_history": self.streams["image_history"]} if self.history_size else {}
        return Batch(real=self.data[idx], source=source, source_to_critic=False,
                     d_extra=d_extra, g_extra={"source": source})
