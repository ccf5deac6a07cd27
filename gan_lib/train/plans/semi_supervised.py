"""The semi-supervised plan: an unconditional batch plus a labelled side batch for D's classifier.

`labels` holds a class index for each labelled sample and -1 for every unlabelled one. G stays
unconditional; every step also draws a batch from the labelled samples alone (its own index
stream), which the objective's discriminator loss receives as `labeled=(images, labels)`.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Batch, BatchPlan, IndexStream
from .class_conditional import check_label_tensor
from .unconditional import latent_dim_of

__all__ = ["SemiSupervisedPlan"]


class SemiSupervisedPlan(BatchPlan):
    """`fit(G, D, images, labels=labels_or_minus_1, objective=SemiSupervised())`."""

    name = "semi-supervised"

    def __init__(self, data: torch.Tensor, *, labels: torch.Tensor | None, generator: nn.Module,
                 discriminator: nn.Module | None, objective, **kw) -> None:
        super().__init__(data, **kw)
        self.latent_dim = latent_dim_of(generator)
        if labels is None:
            raise ValueError(f"objective {objective!r} learns from labels: pass labels= (N,) "
                             "int64, with -1 for each unlabeled sample")
        low, high = check_label_tensor(labels, len(data))
        classes = getattr(discriminator, "num_classes", high + 1)  # D is the classifier
        if low < -1 or high >= classes:
            raise ValueError(f"labels must be -1 (unlabeled) or class indices in "
                             f"[0, {classes - 1}] (the discriminator's num_classes={classes}); "
                             f"found values in [{low}, {high}]")
        if high < 0:
            raise ValueError("labels has no labeled sample (all -1); label at least one")
        self.description["labeled"] = int((labels >= 0).sum())
        self.description["num_classes"] = int(classes)
        self.labels = labels
        self.fresh_feature_batch = bool(getattr(objective, "fresh_feature_batch", False))

    def start(self) -> None:
        super().start()
        self.labels = self.labels.to(self.device)
        self.labeled_idx = torch.nonzero(self.labels >= 0).flatten()
        self.streams["labeled_indices"] = IndexStream(
            len(self.labeled_idx), min(self.batch_size, len(self.labeled_idx)), self.seed + 2,
            self.device)
        if self.fresh_feature_batch:  # G's feature matching reads its own real batch
            self.streams["feature_indices"] = IndexStream(len(self.data), self.batch_size,
                                                          self.seed + 3, self.device)

    def draw(self, noise: torch.Generator) -> Batch:
        idx = self.streams["indices"].next()
        z = self.noise(noise, self.latent_dim)
        li = self.labeled_idx[self.streams["labeled_indices"].next()]
        g_extra = ({"feature_batch": self.data[self.streams["feature_indices"].next()]}
                   if self.fresh_feature_batch else {})
        return Batch(real=self.data[idx], z=z, d_extra={"labeled": (self.data[li], self.labels[li])},
                     g_extra=g_extra)
