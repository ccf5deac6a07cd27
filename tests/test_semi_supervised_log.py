"""The shipped log of the longer semi-supervised run, which chapter 7 plots beside its own curve."""

import pytest

from gan_lib.models.semi_supervised import SEMI_SUPERVISED_LOG, semi_supervised_reference_curve


def test_shipped_log_records_a_run_longer_than_the_chapter_and_how_it_was_made():
    rows = semi_supervised_reference_curve()
    steps = [r["step"] for r in rows]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    assert steps[-1] >= 10_000  # longer than any chapter profile on a CPU
    assert all(0.0 < r["test_error"] < 1.0 and r["seconds"] > 0 for r in rows)
    assert rows[-1]["test_error"] < rows[0]["test_error"]  # the run learned
    header = SEMI_SUPERVISED_LOG.read_text().splitlines()[0]
    assert header.startswith("#") and "semi_supervised_mnist.py" in header


def test_a_file_that_is_not_such_a_log_is_refused(tmp_path):
    other = tmp_path / "other.log"
    other.write_text("# something else\nstep,test_error,seconds\n")
    with pytest.raises(ValueError, match="no evaluation rows"):
        semi_supervised_reference_curve(other)
