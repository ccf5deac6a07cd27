"""Batch plans: how `fit` shapes a batch, one conditioning mode a file.

- `unconditional`: G(z) against D(x).
- `class_conditional`: G(z, y) against D(x, y), with `labels=`.
- `semi_supervised`: G(z) against D(x), plus a labelled side batch for D's classifier.
- `paired`: G(source) against D(source, x), source i belonging to target i (pix2pix).
- `refinement`: G(source) against D(x), sources and real images unrelated (SimGAN).

An objective that needs a batch of its own shape names its plan (`Objective.batch_plan`);
otherwise the data decide: `labels=` makes the run class-conditional. A new plan is one file and
its line in `PLANS`.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Batch, BatchPlan, IndexStream
from .class_conditional import ClassConditional
from .paired import PairedPlan
from .refinement import RefinementPlan
from .semi_supervised import SemiSupervisedPlan
from .unconditional import Unconditional

__all__ = ["Batch", "BatchPlan", "IndexStream", "PLANS", "make_plan"]

PLANS: dict[str, type[BatchPlan]] = {
    plan.name: plan
    for plan in (Unconditional, ClassConditional, SemiSupervisedPlan, PairedPlan, RefinementPlan)
}
_TAKES = {  # the inputs each plan reads, beside the data
    "unconditional": ("generator",),
    "class-conditional": ("labels", "generator"),
    "semi-supervised": ("labels", "generator", "discriminator", "objective"),
    "paired": ("sources", "objective"),
    "refinement": ("sources", "objective"),
}


def make_plan(objective, data: torch.Tensor, *, labels: torch.Tensor | None,
              sources: torch.Tensor | None, generator: nn.Module,
              discriminator: nn.Module | None, batch_size: int, seed: int,
              device: torch.device) -> BatchPlan:
    """The plan for this objective and data, its inputs checked (not yet on the device)."""
    if labels is not None and sources is not None:
        raise ValueError("give labels= (class-conditional) or sources= (paired), not both")
    name = objective.batch_plan or ("class-conditional" if labels is not None else "unconditional")
    if sources is not None and "sources" not in _TAKES[name]:
        raise ValueError(f"sources= trains G(source), which objective {objective!r} does not: "
                         "use objective=Paired(...) (pix2pix) or Refinement(...) (SimGAN)")
    given = {"labels": labels, "sources": sources, "generator": generator,
             "discriminator": discriminator, "objective": objective}
    plan = PLANS[name](data, batch_size=batch_size, seed=seed, device=device,
                       **{k: given[k] for k in _TAKES[name]})
    plan.check_batch_size()
    return plan
