"""The install cell that opens every chapter, derived from the repository URL in `_config.yml`.

Colab opens a chapter's notebook straight from GitHub, without the repository, so `import gan_lib`
fails there unless the notebook installs it first. The chapter's first code cell does that when it
runs on Colab and nothing elsewhere (local, Binder, nbval, papermill). The URL lives in
`_config.yml` (`repository.url`) only; the cell is generated from it, and a test checks every
chapter's cell against it. A fork changes the URL in `_config.yml`, then runs

    PYTHONPATH=tools python -m booktools.colab          # rewrites the install cell of every source and notebook
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

__all__ = ["repository_url", "install_cell_source", "update_install_cells"]

_MARK = "# Colab only: install gan_lib from the book's repository"


def repository_url(config: str | os.PathLike = "_config.yml") -> str:
    """`repository.url` from the book's `_config.yml`, without a trailing slash."""
    import yaml

    data = yaml.safe_load(Path(config).read_text())
    try:
        url = str(data["repository"]["url"]).rstrip("/")
    except (KeyError, TypeError):
        raise ValueError(f"{config} has no repository.url; set it to the book's GitHub URL") from None
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"repository.url in {config} is {url!r}; expected https://github.com/OWNER/REPO")
    return url


def install_cell_source(url: str) -> str:
    """The code of a chapter's first cell for the repository at `url`."""
    return (
        f"{_MARK} (generated from _config.yml);\n"
        "# everywhere else (local, Binder, CI) it is installed already and this cell does nothing.\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        "    import subprocess\n"
        "\n"
        f'    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "gan_lib @ git+{url}"])'
    )


def is_install_cell(source: str) -> bool:
    return source.lstrip().startswith(_MARK)


def update_install_cells(book_dir: str | os.PathLike = "book", config: str | os.PathLike = "_config.yml") -> list[Path]:
    """Rewrite the install cell of every chapter source and notebook for `config`'s URL.

    Returns:
        The files that changed.
    """
    import nbformat

    from .execute import chapter_sources, notebook_path

    new = install_cell_source(repository_url(config))
    pattern = re.compile(re.escape(_MARK) + r".*?git\+https://github\.com/[\w.-]+/[\w.-]+\"\]\)", re.S)
    changed = []
    for source in chapter_sources(book_dir):
        text = source.read_text()
        updated = pattern.sub(lambda m: new, text, count=1)
        if updated != text:
            source.write_text(updated)
            changed.append(source)
        target = notebook_path(source)
        if target.exists():
            nb = nbformat.read(target, as_version=4)
            cells = [c for c in nb.cells if c.cell_type == "code" and is_install_cell(c.source)]
            if cells and cells[0].source != new:
                cells[0].source = new
                nbformat.write(nb, target)
                changed.append(target)
    return changed


if __name__ == "__main__":
    for path in update_install_cells(*sys.argv[1:]):
        print(f"updated {path}")
