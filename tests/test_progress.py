"""gan_lib.book.progress: tqdm in chapters, off when TQDM_DISABLE is set (also for the widget)."""

from __future__ import annotations

import tqdm.auto
import tqdm.notebook

from gan_lib.book import progress


def test_notebook_widget_ignores_the_variable_progress_does_not(monkeypatch):
    monkeypatch.setenv("TQDM_DISABLE", "1")
    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.notebook.tqdm)  # what Jupyter kernels get
    assert tqdm.notebook.tqdm(range(3), display=False).disable is False  # the tqdm behaviour
    bar = progress(range(3), display=False)
    assert bar.disable is True and list(bar) == [0, 1, 2]


def test_shown_without_the_variable_and_explicit_disable_wins(monkeypatch):
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    assert progress(range(2)).disable is False
    monkeypatch.setenv("TQDM_DISABLE", "1")
    assert progress(range(2), disable=False).disable is False
