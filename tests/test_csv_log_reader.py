"""The CSV log reader (recipes/semi_supervised_mnist.py writes such logs: log.csv per seed)."""

import pytest

from gan_lib.weights.readers import read_csv_log


def test_rows_keep_integers_and_skip_comments(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("# python recipes/x.py\nstep,test_error,seconds\n1000,0.2408,160\n2000,0.2,321\n")
    assert read_csv_log(log) == [{"step": 1000, "test_error": 0.2408, "seconds": 160},
                                 {"step": 2000, "test_error": 0.2, "seconds": 321}]


def test_a_file_that_is_not_such_a_log_is_refused(tmp_path):
    other = tmp_path / "other.log"
    other.write_text("# something else\nstep,test_error,seconds\n")
    with pytest.raises(ValueError, match="no rows"):
        read_csv_log(other)
