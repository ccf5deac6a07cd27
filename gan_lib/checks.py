"""Argument checks shared by the whole package: one wording for every error, one rule for bools.

Python's `bool` is a subclass of `int`, so `isinstance(True, int)` holds and `steps=True` would
silently mean one step. Every check here refuses bools where a number is meant, and every error
names the argument, what it must be and what it got, so the message says how to fix the call.

    check_int("steps", steps, minimum=1)
    check_number("lr", lr, low=0, low_open=True)       # lr > 0, finite
    check_choice("loss", loss, ("minimax", "non-saturating"))
    check_int("packing", packing, minimum=1, hint="samples per discriminator input")
    check_int("generator.latent_dim", latent_dim, minimum=1, error=TypeError)

`hint` says what the argument means, inside the message ("packing must be an int >= 1 (samples per
discriminator input), got 0"); `error` keeps the exception type a caller already catches
where a bad value is not a ValueError (a wrong attribute type is a TypeError, an index an
IndexError).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Iterable

import numpy as np

__all__ = ["is_int", "is_number", "check_int", "check_number", "check_choice", "check_bool"]


def _is_bool(x: object) -> bool:
    return isinstance(x, (bool, np.bool_))  # Python's or NumPy's


def is_int(x: object) -> bool:
    """An integer that is not a bool: a Python int or a NumPy integer (`numbers.Integral`)."""
    return isinstance(x, numbers.Integral) and not _is_bool(x)


def is_number(x: object) -> bool:
    """A real number that is not a bool: int, float, or a NumPy integer or float."""
    return isinstance(x, numbers.Real) and not _is_bool(x)


def _fail(name: str, want: str, value: Any, hint: str | None, error: type[Exception]) -> None:
    note = f" ({hint})" if hint else ""
    raise error(f"{name} must be {want}{note}, got {value!r}")


def check_int(name: str, value: Any, *, minimum: int | None = None,
              maximum: int | None = None, hint: str | None = None,
              error: type[Exception] = ValueError) -> int:
    """`value` must be an int (not a bool) in [minimum, maximum]; returns it.

    Args:
        hint: what the argument means, shown in the error after the rule.
        error: the exception class raised (ValueError unless a caller expects another).
    """
    ok = is_int(value) and (minimum is None or value >= minimum) \
        and (maximum is None or value <= maximum)
    if not ok:
        if minimum is not None and maximum is not None:
            want = f"an int in [{minimum}, {maximum}]"
        elif minimum is not None:
            want = f"an int >= {minimum}"
        elif maximum is not None:
            want = f"an int <= {maximum}"
        else:
            want = "an int"
        _fail(name, want, value, hint, error)
    return value


def check_number(name: str, value: Any, *, low: float | None = None, high: float | None = None,
                 low_open: bool = False, high_open: bool = False, hint: str | None = None,
                 error: type[Exception] = ValueError) -> float:
    """`value` must be a finite int or float (not a bool) within the given bounds; returns it.

    Args:
        low, high: bounds (None: unbounded on that side).
        low_open, high_open: exclude the bound itself (`low=0, low_open=True` means > 0).
        hint: what the argument means, shown in the error after the rule.
        error: the exception class raised (ValueError unless a caller expects another).
    """
    ok = is_number(value) and math.isfinite(value)
    if ok and low is not None:
        ok = value > low if low_open else value >= low
    if ok and high is not None:
        ok = value < high if high_open else value <= high
    if not ok:
        if low is not None and high is not None:
            want = (f"a finite number in {'(' if low_open else '['}{low}, {high}"
                    f"{')' if high_open else ']'}")
        elif low is not None:
            want = f"a finite number {'>' if low_open else '>='} {low}"
        elif high is not None:
            want = f"a finite number {'<' if high_open else '<='} {high}"
        else:
            want = "a finite number"
        _fail(name, want, value, hint, error)
    return value


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """`value` must be one of `allowed`; the error lists them."""
    allowed = tuple(allowed)
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not valid; choose one of "
                         f"{', '.join(map(str, allowed))}")
    return value


def check_bool(name: str, value: Any) -> bool:
    """`value` must be True or False (not 0/1 or None)."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value
