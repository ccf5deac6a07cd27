"""The shipped log of the longer semi-supervised run, which chapter 7 plots beside its own curve."""

import pytest

from gan_lib import weights
from gan_lib.weights.readers import read_csv_log

ENTRY = weights.get("semi_supervised_mnist_log")


def test_shipped_log_records_a_run_longer_than_the_chapter_and_how_it_was_made():
    rows = ENTRY.load()
    steps = [r["step"] for r in rows]
    assert steps == list(range(1000, 12001, 1000)) and steps[-1] == ENTRY.provenance["steps"]
    assert all(0.0 < r["test_error"] < 1.0 and r["seconds"] > 0 for r in rows)
    assert rows[-1]["test_error"] < rows[0]["test_error"]  # the run learned
    assert rows[0] == {"step": 1000, "test_error": 0.2617, "seconds": 65}
    header = ENTRY.path.read_text().splitlines()[0]
    assert header.startswith("#") and header[2:].startswith(ENTRY.provenance["command"])


def test_a_file_that_is_not_such_a_log_is_refused(tmp_path):
    other = tmp_path / "other.log"
    other.write_text("# something else\nstep,test_error,seconds\n")
    with pytest.raises(ValueError, match="no rows"):
        read_csv_log(other)
