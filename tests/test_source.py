"""`show_source` shows the code that runs: the object's own lines, with or without docstrings."""

from __future__ import annotations

import inspect

import pytest

from gan_lib.book.source import SourceListing, show_source
from gan_lib.models import DCGANGenerator
from gan_lib.train import gan_step


def test_listing_is_the_files_lines_and_drops_only_docstrings():
    full = show_source(DCGANGenerator, docstrings=True)
    raw, first = inspect.getsourcelines(DCGANGenerator)
    assert [text for _, text in full.lines] == [line.rstrip("\n") for line in raw]
    assert full.lines[0][0] == first and full.path == "gan_lib/models/dcgan.py"
    short = show_source(DCGANGenerator)
    assert '"""' not in short.code and "z (N, latent_dim)" not in short.code
    assert "self.project = nn.Sequential(" in short.code and "def forward" in short.code
    # every kept line is the file's line of that number
    file_lines = inspect.getsourcefile(DCGANGenerator)
    with open(file_lines) as f:
        text = f.read().splitlines()
    assert all(text[n - 1] == line for n, line in short.lines)
    assert len(short.lines) < len(full.lines)
    assert short.lines[1][1].strip(), "no blank line left where the class docstring was"


def test_numbered_text_and_html():
    listing = show_source(gan_step, numbered=True)
    first = listing.lines[0][0]
    plain = str(listing)
    assert plain.splitlines()[0] == f"# gan_step: gan_lib/train/step.py, lines {first}-{listing.lines[-1][0]}"
    assert plain.splitlines()[1].lstrip().startswith(f"{first}  def gan_step(")
    assert "(1) Update D" in plain and "(2) Update G" in plain
    page = listing._repr_html_()
    assert "gan_lib/train/step.py" in page and "opt_d" in page and "<span" in page


def test_no_source_is_a_clear_error():
    with pytest.raises(TypeError, match="needs a class, function or method defined in a file"):
        show_source(len)
    with pytest.raises(TypeError, match="has no source"):
        show_source(DCGANGenerator())


def test_listing_is_a_value():
    listing = show_source(gan_step)
    assert isinstance(listing, SourceListing) and listing == show_source(gan_step)


def test_without_pygments_the_listing_is_plain_html(monkeypatch):
    import gan_lib.book.source as source

    monkeypatch.setattr(source, "highlight", None)
    page = show_source(gan_step)._repr_html_()
    assert "<pre>" in page and "def gan_step(" in page and "<span" not in page
