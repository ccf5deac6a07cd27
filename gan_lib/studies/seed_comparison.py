"""The rule the book's multi-seed comparisons use: claim a difference only when the seed ranges
do not overlap.

With a few seeds per method, a mean difference says little on its own. The rule here asks more:
every seed of one method lies beyond every seed of the other. If the two methods' runs were
exchangeable (no real difference), each of the C(n + m, n) ways of ranking them would be equally
likely, and only 2 of those put one method's runs all above or all below the other's, so the rule
fires by chance with probability 2 / C(n + m, n) (`separation_chance`): 10% with 3 seeds a side,
3.6% with 5 against 3, 0.8% with 5 a side. Chapters state their list of comparisons before the
tables, so a reader can count the chance "differences" to expect.

    separated([0.9, 0.8, 0.85], [0.5, 0.6, 0.55])   # True
    direction([0.9, 0.8, 0.85], [0.5, 0.6, 0.55])   # 1: the first is higher in every seed
"""

from __future__ import annotations

import math
from typing import Sequence

__all__ = ["direction", "separated", "separation_chance"]


def _values(name: str, values: Sequence[float]) -> list[float]:
    out = [float(v) for v in values if not math.isnan(float(v))]
    if not out:
        raise ValueError(f"{name} has no values that are numbers (got {list(values)!r}); a "
                         "comparison needs at least one seed per method")
    return out


def direction(a: Sequence[float], b: Sequence[float]) -> int:
    """1 when every value of `a` exceeds every value of `b`, -1 when every one is below, else 0.
    NaNs (e.g. a seed with no high-quality sample to score) are left out."""
    a, b = _values("a", a), _values("b", b)
    if min(a) > max(b):
        return 1
    if max(a) < min(b):
        return -1
    return 0


def separated(a: Sequence[float], b: Sequence[float]) -> bool:
    """True when the two methods' seed ranges do not overlap (`direction` is not 0)."""
    return direction(a, b) != 0


def separation_chance(n: int, m: int) -> float:
    """The chance that `separated` fires for n against m exchangeable runs: 2 / C(n + m, n)."""
    if n < 1 or m < 1:
        raise ValueError(f"need at least one run a side, got {n} and {m}")
    return min(1.0, 2 / math.comb(n + m, n))
