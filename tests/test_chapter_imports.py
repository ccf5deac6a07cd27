"""Chapters and gan_lib import only what a reader's environment is guaranteed to have.

A reader runs a chapter on Colab, Binder or after `pip install gan_lib`: there, only gan_lib's
declared dependencies (pyproject.toml `[project] dependencies`), the standard library and the
kernel's own IPython/ipykernel exist. The book venv has far more (myst-nb, jupyter-book, PyYAML,
...), so a chapter importing one of those passes every other test and fails for every reader
(issue 21: every chapter imported myst-nb). This reads the imports statically (ast, every cell or
module, imports inside functions included); an import inside `try: ... except ImportError:` is
optional by construction and allowed (gan_lib.book.glue uses myst-nb that way).
`tools/readers_path.py` is the dynamic twin: it executes every chapter in Colab- and Binder-like envs.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import shutil
import sys
import tomllib
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
KERNEL_MODULES = {"gan_lib", "IPython", "ipykernel"}  # the package itself and the kernel's own
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


def _normalise(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def declared_distributions(pyproject: Path = ROOT / "pyproject.toml") -> set[str]:
    """The distributions named in `[project] dependencies`, normalised (PEP 503)."""
    requirements = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    return {_normalise(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", r)[1]) for r in requirements}


class _ImportCollector(ast.NodeVisitor):
    """Top-level module names of absolute imports, skipping those guarded by `except ImportError`."""

    def __init__(self) -> None:
        self.modules: set[str] = set()
        self._optional = 0

    def visit_Import(self, node: ast.Import) -> None:
        if not self._optional:
            self.modules.update(alias.name.split(".")[0] for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if not self._optional and node.level == 0:  # relative imports stay inside the package
            self.modules.add(node.module.split(".")[0])

    def visit_Try(self, node: ast.Try) -> None:
        guarded = any(_catches_import_error(handler.type) for handler in node.handlers)
        self._optional += guarded
        for statement in node.body:
            self.visit(statement)
        self._optional -= guarded
        for part in (*node.handlers, *node.orelse, *node.finalbody):
            self.visit(part)


def _catches_import_error(kind: ast.expr | None) -> bool:
    if kind is None:  # a bare `except:` catches ImportError too
        return True
    names = kind.elts if isinstance(kind, ast.Tuple) else [kind]
    return any(isinstance(n, ast.Name) and n.id in _IMPORT_ERRORS for n in names)


def imported_modules(source: str) -> set[str]:
    """Top-level modules `source` imports (IPython `%magic`/`!shell` lines are not Python)."""
    code = re.sub(r"^(\s*)[%!].*$", r"\1pass", source, flags=re.M)
    collector = _ImportCollector()
    collector.visit(ast.parse(code))
    return collector.modules


@functools.cache
def _providers() -> dict[str, list[str]]:
    """Import name -> distributions, from this (the book's) environment: it scans every installed one."""
    return importlib.metadata.packages_distributions()


def undeclared(where: str, modules: set[str], declared: set[str]) -> list[str]:
    """One message per module in `modules` that no declared distribution (nor stdlib) provides."""
    providers = _providers()
    messages = []
    for module in sorted(modules - set(sys.stdlib_module_names) - KERNEL_MODULES):
        dists = sorted({_normalise(d) for d in providers.get(module, [])})
        if declared & set(dists):
            continue
        origin = f"which comes from {', '.join(dists)}" if dists else "which no installed distribution provides"
        messages.append(
            f"{where} imports {module!r}, {origin}, not a dependency declared in pyproject.toml: readers "
            f"on Colab, Binder or pip may not have it. Declare it in [project] dependencies or stop importing it."
        )
    return messages


def check_chapters(folder: Path, declared: set[str]) -> tuple[int, list[str]]:
    """(number of chapters read, messages) for the MyST chapter sources `folder/*.md`."""
    chapters = sorted(folder.glob("[0-9][0-9]_*.md"))
    messages = []
    for chapter in chapters:
        cells = [c for c in jupytext.read(chapter).cells if c.cell_type == "code"]
        for number, cell in enumerate(cells, start=1):
            if not cell.source.lstrip().startswith("%%"):  # a cell magic: not Python
                where = f"{chapter.name} (code cell {number})"
                messages += undeclared(where, imported_modules(cell.source), declared)
    return len(chapters), messages


def check_package(folder: Path, declared: set[str]) -> tuple[int, list[str]]:
    """(number of modules read, messages) for every `*.py` under the package `folder`."""
    modules = sorted(folder.rglob("*.py"))
    messages = []
    for module in modules:
        where = f"{folder.name}/{module.relative_to(folder)}"
        messages += undeclared(where, imported_modules(module.read_text()), declared)
    return len(modules), messages


def test_imported_modules_reads_every_kind_of_import():
    source = (
        "import os.path, json\nfrom torch.nn import functional\nfrom . import sibling\n"
        "def f():\n    import yaml\n    !pip install x\n"
        "try:\n    from myst_nb import glue\nexcept ImportError:\n    glue = None\n"
        "try:\n    import pandas\nexcept ValueError:\n    pass\n"
    )
    assert imported_modules(source) == {"os", "json", "torch", "yaml", "pandas"}


def test_declared_dependencies_map_import_names_to_distributions():
    declared = declared_distributions()
    assert {"torch", "torchvision", "numpy", "matplotlib", "ipywidgets", "tqdm", "pillow"} <= declared
    assert undeclared("x", {"PIL", "torch", "numpy", "tqdm", "ipywidgets", "math", "IPython"}, declared) == []
    assert len(undeclared("x", {"myst_nb", "no_such_module_anywhere"}, declared)) == 2


def test_every_chapter_imports_only_declared_dependencies():
    count, messages = check_chapters(ROOT / "book" / "src", declared_distributions())
    assert count >= 8, f"found {count} chapters in book/src"
    assert not messages, "\n".join(messages)


def test_gan_lib_imports_only_declared_dependencies():
    count, messages = check_package(ROOT / "gan_lib", declared_distributions())
    assert count >= 20, f"found {count} modules under gan_lib"
    assert not messages, "\n".join(messages)


def test_a_planted_chapter_import_fails_naming_chapter_import_and_fix(tmp_path):
    chapter = tmp_path / "01_planted.md"
    shutil.copy(ROOT / "book" / "src" / "01_generative_vs_discriminative.md", chapter)
    with chapter.open("a") as f:
        f.write("\n```{code-cell} ipython3\nimport myst_nb\n\ndef later():\n    from yaml import safe_load\n```\n")
    count, messages = check_chapters(tmp_path, declared_distributions())
    assert count == 1 and len(messages) == 2, messages
    assert "01_planted.md" in messages[0] and "'myst_nb'" in messages[0] and "myst-nb" in messages[0]
    assert "'yaml'" in messages[1] and "pyyaml" in messages[1]
    assert all("Declare it in [project] dependencies or stop importing it" in m for m in messages)


def test_a_planted_package_import_fails_unless_optional(tmp_path):
    package = tmp_path / "gan_lib"
    (package / "viz").mkdir(parents=True)
    (package / "__init__.py").write_text("from .viz import tables\nimport numpy\n")
    (package / "viz" / "tables.py").write_text(
        "def render():\n    import myst_nb\n\ntry:\n    import pandas\nexcept ModuleNotFoundError:\n    pandas = None\n"
    )
    count, messages = check_package(package, declared_distributions())
    assert count == 2 and len(messages) == 1, messages
    assert messages[0].startswith("gan_lib/viz/tables.py imports 'myst_nb'")
