import json
from pathlib import Path

import pytest
import torch

from gan_lib.book import PROFILES, resolve_profile, start_chapter
from booktools.execute import execute_chapter, notebook_path
from booktools.sync import sync_problems

BUDGETS = {"smoke": {"steps": 1}, "cpu": {"steps": 10}, "gpu": {"steps": 100}}
ROOT = Path(__file__).resolve().parents[1]


def test_environment_variable_wins_over_parameter(monkeypatch):
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    assert resolve_profile("gpu") == "smoke"


def test_parameter_then_the_published_cpu_budgets_on_any_hardware(monkeypatch):
    monkeypatch.delenv("GAN_BOOK_PROFILE", raising=False)
    assert resolve_profile("gpu") == "gpu"  # opt-in
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_profile(None) == "cpu"
    # a reader on a GPU gets the executed, checked budgets too (gpu's are not yet published)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_profile(None) == "cpu"


def test_default_profile_still_uses_the_best_device(monkeypatch):
    monkeypatch.delenv("GAN_BOOK_PROFILE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    from gan_lib.book import session

    monkeypatch.setattr(session, "choose_device", lambda device=None: torch.device(device or "cuda"))
    run = start_chapter(None, BUDGETS)
    assert (run.profile, run.device.type) == ("cpu", "cuda")


def test_unknown_profile_lists_the_valid_ones(monkeypatch):
    monkeypatch.setenv("GAN_BOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="smoke, cpu, gpu") as info:
        resolve_profile(None)
    assert "$GAN_BOOK_PROFILE" in str(info.value)


def test_start_chapter_picks_budget_seeds_and_records(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("GAN_BOOK_PROFILE", "smoke")
    provenance = tmp_path / "p.json"
    monkeypatch.setenv("GAN_BOOK_PROVENANCE", str(provenance))
    run = start_chapter("cpu", BUDGETS, seed=3)
    assert run.profile == "smoke" and run.budget.steps == 1 and not run.full
    assert run.device == torch.device("cpu")  # smoke is CPU-only
    first = torch.randn(3)
    run2 = start_chapter(None, BUDGETS, seed=3)
    assert torch.equal(first, torch.randn(3))  # seeding is repeatable
    assert run.generator.initial_seed() == 3
    run2.footer()
    line = capsys.readouterr().out
    record = json.loads(provenance.read_text())
    assert "profile 'smoke'" in line and torch.__version__ in line and line.count("\n") == 1
    assert set(record) >= {"profile", "device", "torch", "wall_time_s"}


def test_budgets_must_cover_every_profile():
    with pytest.raises(ValueError, match="gpu"):
        start_chapter("cpu", {"smoke": {}, "cpu": {}}, seed=0)


CHAPTER = """---
jupytext:
  formats: ipynb,src//md:myst
  text_representation: {{extension: .md, format_name: myst}}
kernelspec: {{display_name: Python 3, language: python, name: python3}}
---
# A tiny chapter

```{{code-cell}} ipython3
:tags: [parameters]
profile = None
```

```{{code-cell}} ipython3
from gan_lib.book import start_chapter
run = start_chapter(profile, budgets={budgets}, seed=0)
print(run.profile, run.budget.steps)
{extra}
```

```{{code-cell}} ipython3
run.footer()
```
"""


@pytest.fixture
def tiny_book(tmp_path):
    (tmp_path / "src").mkdir()
    source = tmp_path / "src" / "01_tiny.md"
    source.write_text(CHAPTER.format(budgets=BUDGETS, extra=""))
    return source


def test_execute_writes_outputs_and_provenance_and_sync_passes(tiny_book):
    record = execute_chapter(tiny_book, "smoke")
    nb_path = notebook_path(tiny_book)
    assert nb_path == tiny_book.parent.parent / "01_tiny.ipynb"
    nb = json.loads(nb_path.read_text())
    assert nb["metadata"]["gan_book"]["profile"] == "smoke" == record["profile"]
    outputs = [c["outputs"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert outputs[1][0]["text"] == ["smoke 1\n"]
    assert "papermill" not in nb["metadata"]
    assert sync_problems(tiny_book.parent.parent) == []


def test_failed_execution_keeps_the_old_notebook_and_sync_catches_edits(tiny_book):
    execute_chapter(tiny_book, "smoke")
    nb_path = notebook_path(tiny_book)
    before = nb_path.read_text()
    tiny_book.write_text(CHAPTER.format(budgets=BUDGETS, extra="raise RuntimeError('boom')"))
    with pytest.raises(Exception, match="boom"):
        execute_chapter(tiny_book, "smoke")
    assert nb_path.read_text() == before
    problems = sync_problems(tiny_book.parent.parent)
    assert len(problems) == 1 and "differs from" in problems[0]


def test_sync_catches_unexecuted_cells(tiny_book):
    execute_chapter(tiny_book, "smoke")
    nb_path = notebook_path(tiny_book)
    nb = json.loads(nb_path.read_text())
    nb["cells"][-1]["execution_count"] = None
    nb_path.write_text(json.dumps(nb))
    assert any("unexecuted code cells [3]" in p for p in sync_problems(tiny_book.parent.parent))


def test_the_book_is_in_sync():
    """Every chapter's notebook was executed from its current source (book/src/*.md)."""
    assert sync_problems(ROOT / "book") == []


