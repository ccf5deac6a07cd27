"""Execute chapters: book/src/NN.md -> (jupytext) notebook -> (papermill, a profile) -> book/NN.ipynb.

The notebook is rebuilt from its Markdown source on every run (never `jupytext --update`, which
keeps the outputs of cells that were edited since), executed in a fresh kernel with the profile
in `GAN_BOOK_PROFILE`, and written over `book/NN.ipynb` only when every cell succeeded, so a failed
run never leaves a half-executed chapter behind. The provenance the chapter's footer reports
(profile, device, torch version, wall time) is stored in the notebook's metadata under `gan_book`,
together with what the staleness check (`booktools.staleness`) compares with the files later:
the sha256 of the chapter's source (prose included) and of every `gan_lib` module it imported,
and the git commit of the checkout (with `-dirty` when `gan_lib` had uncommitted changes).

Usage:  bash tools/execute --profile cpu [book/src/01_topic.md ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

from gan_lib.book.profiles import PROFILE_ENV_VAR, PROFILES
from gan_lib.runtime import file_digest
from gan_lib.book.session import PROVENANCE_ENV_VAR, package_root

__all__ = ["chapter_sources", "notebook_path", "execute_chapter"]

PAIRING = "ipynb,src//md:myst"
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def chapter_sources(book_dir: str | os.PathLike = "book") -> list[Path]:
    """The chapters' Markdown sources, `book/src/NN_topic.md`, in chapter order."""
    return sorted(Path(book_dir, "src").glob("[0-9][0-9]_*.md"))


def notebook_path(source: str | os.PathLike) -> Path:
    """`book/src/NN_topic.md` -> `book/NN_topic.ipynb` (jupytext's `src//` pairing prefix)."""
    source = Path(source)
    return source.parent.parent / (source.stem + ".ipynb")


def git_commit(root: str | os.PathLike | None = None) -> str | None:
    """The checkout's commit, `<sha>-dirty` when `gan_lib/` has uncommitted changes; None without git.

    Args:
        root: a folder inside the repository; default the folder that holds `gan_lib`.
    """
    root = Path(root or package_root())
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=30, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "gan_lib"], cwd=root,
                               capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None  # not a git checkout (e.g. an installed package): the digests still count
    return f"{sha}-dirty" if dirty.strip() else sha


def _clean(nb) -> None:
    """Drop per-run noise papermill adds (timings per cell), keep what readers and nbval need."""
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nb.metadata.pop("papermill", None)
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata.setdefault("jupytext", {})["formats"] = PAIRING


def execute_chapter(source: str | os.PathLike, profile: str, *, timeout: int = 3600) -> dict:
    """Execute one chapter in `profile` and write its notebook beside `book/src/`.

    Returns:
        The provenance record stored in the notebook's metadata.

    Raises:
        papermill.PapermillExecutionError: a cell failed; the committed notebook is unchanged.
    """
    import jupytext
    import nbformat
    import papermill

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    source = Path(source).resolve()
    target = notebook_path(source)
    source_digest = file_digest(source, "sha256")  # before reading: an edit during the run shows
    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = dict(KERNEL)

    with tempfile.TemporaryDirectory(prefix="gan_book_") as tmp:
        unexecuted = Path(tmp, "in.ipynb")
        executed = Path(tmp, "out.ipynb")
        provenance_file = Path(tmp, "provenance.json")
        nbformat.write(nb, unexecuted)
        # The kernel inherits this process's environment: the profile travels as a variable,
        # not as a papermill parameter, so the notebook keeps `profile = None` and a reader who
        # opens it on a GPU gets the gpu profile automatically.
        env_backup = dict(os.environ)
        os.environ.update({
            PROFILE_ENV_VAR: profile,
            PROVENANCE_ENV_VAR: str(provenance_file),
            "TQDM_DISABLE": "1",  # progress bars would put widget ids and timings in outputs
            # figures inline, as in Jupyter, even if the caller's shell sets e.g. MPLBACKEND=Agg
            # (with Agg, plt.show() displays nothing and the chapter would lose its figures)
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        })
        started = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(unexecuted), str(executed), kernel_name=KERNEL["name"],
                cwd=str(target.parent), progress_bar=False, execution_timeout=timeout,
            )
        finally:
            os.environ.clear()
            os.environ.update(env_backup)
        wall = time.perf_counter() - started
        if not provenance_file.exists():
            raise RuntimeError(
                f"{source.name} ran but never called run.footer(); every chapter must end with it "
                "so that its provenance is recorded"
            )
        record = json.loads(provenance_file.read_text())
        out = nbformat.read(executed, as_version=4)

    record["notebook_wall_time_s"] = round(wall, 1)
    record["source_sha256"] = source_digest
    record["git_commit"] = git_commit()
    _clean(out)
    out.metadata["gan_book"] = record
    nbformat.write(out, target)
    return record
