"""Stale outputs: recorded digests of a chapter's source and imported gan_lib modules."""

import json
import shutil
from pathlib import Path

import pytest

from booktools.__main__ import main
from booktools.execute import execute_chapter, notebook_path
from gan_lib.book.session import imported_module_digests, package_root
from booktools.staleness import stale_chapters

ROOT = Path(__file__).resolve().parents[1]

CHAPTER = """---
jupytext:
  formats: ipynb,src//md:myst
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# A tiny chapter

Some prose.

```{code-cell} ipython3
:tags: [parameters]
profile = None
```

```{code-cell} ipython3
from gan_lib.book import start_chapter
from gan_lib.theory import Gaussian1D
run = start_chapter(profile, budgets={"smoke": {}, "cpu": {}, "gpu": {}}, seed=0)
```

```{code-cell} ipython3
run.footer()
```
"""


@pytest.fixture
def executed_book(tmp_path):
    """A book folder with one chapter executed in smoke."""
    (tmp_path / "src").mkdir()
    source = tmp_path / "src" / "01_tiny.md"
    source.write_text(CHAPTER)
    execute_chapter(source, "smoke")
    return source


def test_digests_are_recorded_and_a_fresh_chapter_is_not_stale(executed_book):
    record = json.loads(notebook_path(executed_book).read_text())["metadata"]["gan_book"]
    assert len(record["source_sha256"]) == 64
    # what the chapter imported, no more: gan_lib.theory yes, gan_lib.viz (never imported) no
    assert "gan_lib/book/session.py" in record["modules"]
    assert any(path.startswith("gan_lib/theory") for path in record["modules"])
    assert not any(path.startswith("gan_lib/viz") for path in record["modules"])
    assert "git_commit" in record
    assert stale_chapters(executed_book.parent.parent) == []


def test_a_prose_only_edit_makes_the_chapter_stale(executed_book):
    executed_book.write_text(CHAPTER.replace("Some prose.", "Some other prose."))
    (chapter,) = stale_chapters(executed_book.parent.parent)
    message = chapter.message()
    assert "01_tiny.ipynb is stale" in message and "01_tiny.md changed" in message
    assert "bash tools/execute " in message and "01_tiny.md (or every" in message
    assert chapter.changed_modules == []


def test_a_changed_module_makes_the_chapter_stale_and_is_named(executed_book, tmp_path):
    # a copy of the recorded modules stands in for the checkout, so the real files stay untouched
    record = json.loads(notebook_path(executed_book).read_text())["metadata"]["gan_book"]
    checkout = tmp_path / "checkout"
    for rel_path in record["modules"]:
        (checkout / rel_path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(package_root() / rel_path, checkout / rel_path)
    assert stale_chapters(executed_book.parent.parent, root=checkout) == []
    planted = checkout / "gan_lib/theory/__init__.py"
    planted.write_text(planted.read_text() + "\n# an edit\n")
    (chapter,) = stale_chapters(executed_book.parent.parent, root=checkout)
    assert chapter.changed_modules == ["gan_lib/theory/__init__.py"]
    assert "gan_lib changed in gan_lib/theory/__init__.py" in chapter.message()
    planted.unlink()  # a deleted module counts as changed too
    (chapter,) = stale_chapters(executed_book.parent.parent, root=checkout)
    assert chapter.changed_modules == ["gan_lib/theory/__init__.py"]


def test_a_notebook_without_digests_is_stale(executed_book):
    nb_path = notebook_path(executed_book)
    nb = json.loads(nb_path.read_text())
    del nb["metadata"]["gan_book"]["modules"]
    nb_path.write_text(json.dumps(nb))
    (chapter,) = stale_chapters(executed_book.parent.parent)
    assert "no digests recorded" in chapter.message()


def test_execute_stale_reexecutes_exactly_the_stale_chapters(tmp_path, monkeypatch, capsys):
    book = tmp_path / "book"
    (book / "src").mkdir(parents=True)
    sources = [book / "src" / f"0{i}_tiny.md" for i in (1, 2)]
    for source in sources:
        source.write_text(CHAPTER)
        execute_chapter(source, "smoke")
    before = [notebook_path(s).read_text() for s in sources]
    sources[1].write_text(CHAPTER.replace("Some prose.", "Edited prose."))
    monkeypatch.chdir(tmp_path)  # the command works on ./book
    assert main(["execute", "--stale", "--profile", "smoke"]) == 0
    after = [notebook_path(s).read_text() for s in sources]
    assert after[0] == before[0] and after[1] != before[1]
    assert stale_chapters(book) == []
    assert main(["execute", "--stale"]) == 0
    assert "no chapter is stale" in capsys.readouterr().out


def test_module_digests_cover_only_gan_lib_source_files():
    import types

    import gan_lib.theory

    fake = types.ModuleType("gan_lib_extra")  # not gan_lib itself, despite the prefix
    fake.__file__ = __file__
    digests = imported_module_digests({"gan_lib.theory": gan_lib.theory, "gan_lib_extra": fake,
                                       "json": json})
    assert list(digests) == ["gan_lib/theory/__init__.py"]


def test_the_committed_chapters_are_not_stale():
    """Every committed chapter ran on the current source and gan_lib (else: the command to run)."""
    stale = stale_chapters(ROOT / "book")
    assert not stale, "\n".join(chapter.message() for chapter in stale)
