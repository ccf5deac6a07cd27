"""The shared argument checks: bools refused where numbers are meant, messages that name the fix."""

import math

import pytest

from gan_lib.checks import check_bool, check_choice, check_int, check_number, is_int, is_number


def test_bools_are_not_numbers_but_numpy_numbers_are():
    import numpy as np

    assert is_int(3) and not is_int(True) and not is_int(3.0)
    assert is_number(0.5) and is_number(2) and not is_number(False)
    assert is_int(np.int64(3)) and is_number(np.float32(0.5)) and not is_int(np.bool_(True))
    assert check_int("n", np.int64(4), minimum=1) == 4


@pytest.mark.parametrize("value, kw, match", [
    (True, dict(minimum=1), "steps must be an int >= 1, got True"),
    (0, dict(minimum=1), "steps must be an int >= 1, got 0"),
    (2.0, dict(), "steps must be an int, got 2.0"),
    (5, dict(minimum=0, maximum=4), r"steps must be an int in \[0, 4\], got 5"),
    (-1, dict(minimum=2), "steps must be an int >= 2, got -1"),
])
def test_check_int_names_the_argument_and_the_rule(value, kw, match):
    with pytest.raises(ValueError, match=match):
        check_int("steps", value, **kw)


def test_check_int_returns_good_values():
    assert check_int("n", 4, minimum=1, maximum=4) == 4


@pytest.mark.parametrize("value, kw, match", [
    (0, dict(low=0, low_open=True), "lr must be a finite number > 0, got 0"),
    (math.nan, dict(), "lr must be a finite number, got nan"),
    (math.inf, dict(low=0), "got inf"),
    (False, dict(low=0), "got False"),
    (1.0, dict(low=0, high=1, high_open=True), r"a finite number in \[0, 1\), got 1.0"),
])
def test_check_number_bounds(value, kw, match):
    with pytest.raises(ValueError, match=match):
        check_number("lr", value, **kw)
    assert check_number("lr", 0.5, low=0, high=1, low_open=True, high_open=True) == 0.5


def test_check_choice_and_bool():
    assert check_choice("loss", "minimax", ("minimax", "hinge")) == "minimax"
    with pytest.raises(ValueError, match="loss='x' is not valid; choose one of minimax, hinge"):
        check_choice("loss", "x", ("minimax", "hinge"))
    with pytest.raises(ValueError, match="flag must be True or False, got 1"):
        check_bool("flag", 1)


def test_hint_explains_the_argument_inside_the_message():
    with pytest.raises(ValueError, match=r"^packing must be an int >= 1 \(samples per input\), got 0$"):
        check_int("packing", 0, minimum=1, hint="samples per input")
    with pytest.raises(ValueError, match=r"^p must be a finite number in \(0, 1\) \(a probability\), got 1$"):
        check_number("p", 1, low=0, high=1, low_open=True, high_open=True, hint="a probability")


def test_error_chooses_the_exception_class():
    with pytest.raises(TypeError, match="latent_dim must be an int, got None"):
        check_int("latent_dim", None, error=TypeError)
    with pytest.raises(IndexError, match=r"k must be an int in \[0, 2\], got 3"):
        check_int("k", 3, minimum=0, maximum=2, error=IndexError)
    with pytest.raises(TypeError, match="got True"):
        check_number("lr", True, error=TypeError)
    assert check_int("k", 2, minimum=0, maximum=2, error=IndexError) == 2
