"""A layer table for any model: each leaf layer with its output shape and parameter count.

Used by the chapters to show an architecture as text (deterministic, so notebook checks can
compare it), and by tests to check shapes layer by layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch
from torch import nn

__all__ = ["LayerInfo", "layer_table", "format_layer_table"]


@dataclass(frozen=True)
class LayerInfo:
    """One leaf layer: its dotted name, class name, output shape (without N), parameters."""

    name: str
    kind: str
    out_shape: tuple[int, ...]
    params: int


@torch.no_grad()
def layer_table(model: nn.Module, input_shape: Sequence[int], *, batch_size: int = 2) -> list[LayerInfo]:
    """Run a zero batch of shape (batch_size, *input_shape) through `model` and record every
    leaf layer (a module without children) in call order.

    The model runs in eval mode (batch norm does not update its running statistics) and is put
    back in its previous mode afterwards.

    Args:
        model: any nn.Module.
        input_shape: the shape of one input, e.g. (100,) for z or (1, 28, 28) for an image.
        batch_size: rows of the dummy batch (>= 2 so that batch norm in train mode would work).
    """
    rows: list[LayerInfo] = []
    names = {m: n for n, m in model.named_modules()}

    def hook(module: nn.Module, _inputs, output: torch.Tensor) -> None:
        rows.append(LayerInfo(
            names[module], type(module).__name__, tuple(output.shape[1:]),
            sum(p.numel() for p in module.parameters(recurse=False)),
        ))

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_hook(hook) for m in leaves]
    was_training = model.training
    model.eval()
    try:
        device = next(model.parameters()).device
        model(torch.zeros(batch_size, *input_shape, device=device))
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return rows


def format_layer_table(rows: Sequence[LayerInfo]) -> str:
    """The rows as an aligned text table with a total parameter count."""
    header = ("layer", "type", "output shape", "parameters")
    body = [(r.name, r.kind, "(N, " + ", ".join(map(str, r.out_shape)) + ")", f"{r.params:,}")
            for r in rows]
    total = ("total", "", "", f"{sum(r.params for r in rows):,}")
    widths = [max(len(row[i]) for row in [header, *body, total]) for i in range(4)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join([row[0].ljust(widths[0]), row[1].ljust(widths[1]),
                          row[2].ljust(widths[2]), row[3].rjust(widths[3])]).rstrip()

    rule = "-" * len(line(header))
    return "\n".join([line(header), rule, *map(line, body), rule, line(total)])
