"""The repository URL lives in `_config.yml` only; the chapters' Colab install cell derives from it."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import jupytext
import nbformat
import pytest

from booktools.colab import install_cell_source, is_install_cell, repository_url
from booktools.execute import chapter_sources, notebook_path

ROOT = Path(__file__).resolve().parents[1]
URL = repository_url(ROOT / "_config.yml")


def _first_code_cell(nb) -> str:
    return next(c.source.strip() for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("source", chapter_sources(ROOT / "book"), ids=lambda p: p.name)
def test_first_code_cell_is_the_generated_install_cell(source):
    expected = install_cell_source(URL)
    fix = ("run `PYTHONPATH=tools python -m booktools.colab` after changing repository.url in _config.yml, or "
           "re-execute the chapter (tools/execute) after editing its source")
    assert _first_code_cell(jupytext.read(source)) == expected, f"{source}: {fix}"
    target = notebook_path(source)
    if target.exists():
        assert _first_code_cell(nbformat.read(target, as_version=4)) == expected, f"{target}: {fix}"


def _text_files():
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    for name in listed:
        path = ROOT / name
        if path.is_file() and path.suffix not in {".pt", ".png", ".gz", ".pdf"}:
            try:
                yield name, path.read_text()
            except UnicodeDecodeError:
                continue


def test_url_is_not_hard_coded_outside_config():
    owner_repo = URL.split("github.com/", 1)[1]
    offenders = []
    for name, text in _text_files():
        if name == "_config.yml":
            continue
        if name.endswith((".md", ".ipynb")) and name.startswith("book/"):
            nb = jupytext.read(ROOT / name) if name.endswith(".md") else nbformat.reads(text, 4)
            nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and is_install_cell(c.source))]
            text = jupytext.writes(nb, fmt="md:myst") if name.endswith(".md") else nbformat.writes(nb)
        if owner_repo in text:
            offenders.append(name)
    assert not offenders, (
        f"{URL} is written out in {offenders}; it belongs in _config.yml (repository.url) only: "
        "refer to it, or derive it (launch buttons, booktools.colab)"
    )


def _run_cell(monkeypatch, on_colab: bool) -> list:
    calls = []
    monkeypatch.setattr(subprocess, "check_call", lambda args, **kw: calls.append(args))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(install_cell_source(URL), {})
    return calls


def test_install_cell_installs_only_on_colab(monkeypatch):
    assert _run_cell(monkeypatch, on_colab=False) == []
    (args,) = _run_cell(monkeypatch, on_colab=True)
    assert args[1:4] == ["-m", "pip", "install"] and args[-1] == f"gan_lib @ git+{URL}"


def test_bad_repository_url_is_refused(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: github.com/no-scheme\n")
    with pytest.raises(ValueError, match="expected https://github.com/OWNER/REPO"):
        repository_url(config)
