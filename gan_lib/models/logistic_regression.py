"""Multinomial logistic regression: the textbook discriminative model.

It models only P(y | x) = softmax(W x + b). It has no model of x itself, so it can classify but
cannot generate: nothing in it says which inputs are likely.
"""

from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F

__all__ = ["LogisticRegression"]


class LogisticRegression(nn.Module):
    """softmax(W x + b) over `num_classes` classes.

    Args:
        in_features: input dimension (images are flattened).
        num_classes: number of classes.
    """

    def __init__(self, *, in_features: int, num_classes: int = 10):
        super().__init__()
        self.linear = nn.Linear(in_features, num_classes)
        nn.init.zeros_(self.linear.weight)  # the convex problem needs no random start
        nn.init.zeros_(self.linear.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, num_classes) of P(y | x)."""
        return self.linear(x.reshape(len(x), -1))

    def fit(
        self, x: torch.Tensor, y: torch.Tensor, *, steps: int = 100, weight_decay: float = 1e-4
    ) -> list[float]:
        """Minimise cross-entropy + weight_decay * ||W||^2 / 2 with full-batch L-BFGS.

        The objective is convex, so L-BFGS reaches the same optimum from any start and the fit is
        deterministic (no minibatch noise). Returns the loss after each step.
        """
        x = x.reshape(len(x), -1)
        optimizer = torch.optim.LBFGS(self.parameters(), lr=1, max_iter=1,
                                      line_search_fn="strong_wolfe")

        def objective():
            optimizer.zero_grad()
            loss = F.cross_entropy(self(x), y) + 0.5 * weight_decay * self.linear.weight.square().sum()
            loss.backward()
            return loss

        return [optimizer.step(objective).item() for _ in range(steps)]

    @torch.no_grad()
    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """Most probable class (N,)."""
        return self(x).argmax(1)
