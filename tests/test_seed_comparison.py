"""The overlap rule claims a difference only when every seed of one method lies beyond every seed
of the other, and its chance under exchangeable runs is what the chapters quote."""

import itertools
import math

import pytest

from gan_lib.studies.seed_comparison import direction, separated, separation_chance


def test_direction_and_separation():
    assert direction([3, 4, 5], [0, 1, 2]) == 1
    assert direction([0, 1, 2], [3, 4, 5]) == -1
    assert direction([0, 4, 5], [1, 2, 3]) == 0 and not separated([0, 4, 5], [1, 2, 3])
    assert direction([1, 2], [2, 3]) == 0  # a tie is an overlap
    assert direction([math.nan, 5.0], [1.0, 2.0]) == 1  # a seed without a value is left out


def test_a_method_without_values_is_refused():
    with pytest.raises(ValueError, match="no values"):
        direction([math.nan], [1.0])


@pytest.mark.parametrize("n, m", [(3, 3), (5, 3), (5, 5), (2, 4)])
def test_the_chance_is_the_share_of_rankings_that_separate(n, m):
    # every assignment of ranks 0..n+m-1 to the two methods is equally likely when they do not differ
    ranks = range(n + m)
    hits = total = 0
    for chosen in itertools.combinations(ranks, n):
        rest = [r for r in ranks if r not in chosen]
        hits += separated(list(chosen), rest)
        total += 1
    assert separation_chance(n, m) == pytest.approx(hits / total)


def test_quoted_values():
    assert separation_chance(3, 3) == pytest.approx(0.1)
    assert separation_chance(5, 5) == pytest.approx(2 / 252)
    with pytest.raises(ValueError, match="at least one run"):
        separation_chance(0, 3)
