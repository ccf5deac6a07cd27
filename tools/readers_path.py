"""The readers' path: every chapter executed in smoke where readers run it, Colab and Binder.

    python tools/readers_path.py [--colab] [--binder] [chapters...]     # neither flag: both

The book's own venv has the whole toolchain (myst-nb, jupyter-book, ...), so it cannot show that
a chapter runs without it. This builds, once and cached, two virtualenvs of what readers get:

- `colab`: exactly the packages in `tools/colab_packages.txt` (Colab's preinstalled ones) and a
  stub `google.colab`, imported at interpreter start as on Colab, so each chapter's install cell
  takes its Colab branch. Its `git+https://github.com/...` requirement is rewritten to this
  checkout and the cell's own pip command installs gan_lib, the way Colab installs it from GitHub.
- `binder`: the `pip:` section of `environment.yml` (`-e .[book]` installs this checkout), which
  is what repo2docker installs; the install cell does nothing there.

Both install from a snapshot of the checkout (`git ls-files`: tracked and untracked-not-ignored
files, copied to <env>/checkout), the analogue of the clone Colab or Binder makes, so nothing is
built inside the checkout. Envs live in ${XDG_CACHE_HOME:-~/.cache}/gan_book/readers/<name>-<hash>
(~6 GB each: torch's CUDA wheel; two runs of one env at once would share its snapshot), the hash
covering the package list (for binder: environment.yml's pip section and gan_lib's declared
dependencies) and the Python version; gan_lib is reinstalled from the checkout on every run.

Each chapter runs with nbclient on the env's own kernel (a kernelspec inside the env, not the
user's), in the smoke profile with MPLBACKEND=Agg: the committed notebook, as readers open it, or
with `--from-source` the one jupytext makes from book/src/NN.md (sources not yet executed). Any
failing cell fails the run, naming the chapter and the error.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

__all__ = ["ENVS", "ReaderEnv", "main"]

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gan_book" / "readers"
CELL_TIMEOUT_S = 900  # a smoke chapter takes seconds; this only stops a hung kernel
_GIT_REQUIREMENT = re.compile(r"gan_lib @ git\+https://github\.com/[\w.-]+/[\w.-]+")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # IPython colours its tracebacks
_COLAB_STUB = '"""Stub of Colab\'s package: chapters test `"google.colab" in sys.modules`."""\n'


def _run(cmd: list[str], **kwargs) -> None:
    """Run `cmd`, raising with its output when it fails (pip's messages are the diagnosis)."""
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def _requirement_lines(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def _reachable(url: str, timeout_s: float = 5.0) -> bool:
    try:
        urllib.request.urlopen(url, timeout=timeout_s).close()
        return True
    except OSError:
        return False


def binder_pip_list(environment: Path = ROOT / "environment.yml") -> list[str]:
    """The `pip:` list of environment.yml, as written (what repo2docker passes to pip)."""
    import yaml

    deps = yaml.safe_load(environment.read_text()).get("dependencies", [])
    pip_lists = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    if not pip_lists:
        raise ValueError(f"{environment} has no `pip:` list under dependencies; Binder would install no gan_lib")
    return [str(item) for item in pip_lists[0]]


def binder_pip_args(items: list[str], snapshot: Path) -> list[str]:
    """pip's arguments for the `pip:` list `items`, local paths resolved against `snapshot`.

    An index that cannot be reached is dropped with a note: offline, pip would otherwise try it
    for every requirement. (`https://download.pytorch.org/whl/cpu` is how Binder gets CPU-only
    torch; without it pip installs the torch this machine's indexes have.)
    """
    args: list[str] = []
    for item in items:
        words = item.split()
        if words[0] in ("--extra-index-url", "--index-url") and not _reachable(words[1]):
            print(f"note: {words[1]} is unreachable from here; installing without it", flush=True)
            continue
        local = re.fullmatch(r"(\.[^\[]*)(\[.*\])?", words[-1])  # `.`, `.[book]`, `./sub[x]`
        if local:
            words[-1] = str((snapshot / local[1]).resolve()) + (local[2] or "")
        args.extend(words)
    return args


def _declared_dependencies() -> str:
    """gan_lib's dependencies and book extra: what `-e .[book]` resolves, hence binder's hash."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return "\n".join(project["dependencies"] + project["optional-dependencies"]["book"])


class ReaderEnv:
    """One reader's environment: a cached venv with its own kernelspec.

    Args:
        name: `colab` or `binder`.
    """

    def __init__(self, name: str):
        self.name = name
        if name == "colab":
            self.packages = _requirement_lines(ROOT / "tools" / "colab_packages.txt")
            spec = "\n".join(self.packages)
        elif name == "binder":
            items = binder_pip_list()
            spec = "\n".join(items) + "\n" + _declared_dependencies()
        else:
            raise ValueError(f"unknown reader environment {name!r}; choose one of {', '.join(ENVS)}")
        spec += f"\npython {sys.version_info.major}.{sys.version_info.minor}"
        self.path = CACHE / f"{name}-{hashlib.sha256(spec.encode()).hexdigest()[:12]}"
        self.python = self.path / "bin" / "python"
        # The checkout's copy that gan_lib is installed from, one per env: binder's editable
        # install points into it, so a run of the other env must not replace it.
        self.snapshot = self.path / "checkout"
        if name == "binder":
            self.packages = binder_pip_args(items, self.snapshot)
        self.kernel = f"gan-book-readers-{name}"

    def pip(self, *args: str) -> None:
        _run([str(self.python), "-m", "pip", "install", "-q", *args])

    def ensure(self) -> None:
        """Build the venv unless a complete one with this hash exists; print time and size."""
        stamp = self.path / ".complete"
        if stamp.exists():
            return
        shutil.rmtree(self.path, ignore_errors=True)  # a build that stopped half-way
        print(f"building the {self.name} env in {self.path} (torch is large: minutes) ...", flush=True)
        start = time.perf_counter()
        # From inside the book venv, venv still bases the new env on the system interpreter.
        _run([sys.executable, "-m", "venv", str(self.path)])
        snapshot_checkout(self.snapshot)
        self.pip(*self.packages)
        if self.name == "colab":
            site = Path(subprocess.check_output(
                [str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
            ).strip())
            (site / "google" / "colab").mkdir(parents=True)
            (site / "google" / "colab" / "__init__.py").write_text(_COLAB_STUB)
            # Colab's kernel has google.colab imported before the first cell runs; a .pth line
            # does that at interpreter start (`google` stays a namespace package, as on Colab).
            (site / "zz_google_colab_stub.pth").write_text("import google.colab\n")
        # The kernelspec lives inside the env (--prefix), never in the user's Jupyter dirs.
        _run([str(self.python), "-m", "ipykernel", "install", "--prefix", str(self.path),
              "--name", self.kernel, "--display-name", f"Python ({self.name}-like)"])
        stamp.write_text(f"built in {time.perf_counter() - start:.0f} s\n")
        size = subprocess.run(["du", "-sh", str(self.path)], capture_output=True, text=True).stdout.split()
        print(f"built the {self.name} env in {time.perf_counter() - start:.0f} s, {size[0] if size else '?'} on disk",
              flush=True)
        for old in CACHE.glob(f"{self.name}-*"):  # superseded builds: ~6 GB each
            if old != self.path:
                print(f"removing superseded {old}", flush=True)
                shutil.rmtree(old, ignore_errors=True)

    def prepare_run(self) -> None:
        """Put this checkout's gan_lib in place: binder reinstalls it; colab leaves it to the cells."""
        snapshot_checkout(self.snapshot)
        if self.name == "binder":
            self.pip(*self.packages)  # the pip section again: gan_lib from the snapshot, deps satisfied
        else:  # so that the first chapter's install cell must install it, as on a fresh runtime
            _run([str(self.python), "-m", "pip", "uninstall", "-y", "-q", "gan_lib"])

    def kernel_env(self) -> dict[str, str]:
        """The kernel's environment: the reader's venv first, no trace of the book venv."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "GAN_BOOK_PROVENANCE")}
        book_bin = str(Path(sys.prefix) / "bin")
        path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != book_bin]
        env["PATH"] = os.pathsep.join([str(self.path / "bin"), *path])
        env.update(GAN_BOOK_PROFILE="smoke", TQDM_DISABLE="1", MPLBACKEND="Agg")
        return env


ENVS = ("colab", "binder")


def snapshot_checkout(target: Path) -> Path:
    """Copy the checkout's tracked and untracked-not-ignored files to `target` (the "clone")."""
    files = subprocess.check_output(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, text=True)
    shutil.rmtree(target, ignore_errors=True)
    for rel in filter(None, files.split("\0")):
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def colab_notebook(nb, snapshot: Path):
    """`nb` with its install cell's GitHub requirement pointing at `snapshot`; nothing else changes."""
    if str(ROOT / "tools") not in sys.path:  # booktools: the maintainer tooling beside this file
        sys.path.insert(0, str(ROOT / "tools"))
    from booktools.colab import is_install_cell

    cells = [c for c in nb.cells if c.cell_type == "code" and is_install_cell(c.source)]
    if not cells or not _GIT_REQUIREMENT.search(cells[0].source):
        raise ValueError("no install cell with a `gan_lib @ git+https://github.com/...` requirement; "
                         "regenerate it: PYTHONPATH=tools python -m booktools.colab")
    cells[0].source = _GIT_REQUIREMENT.sub(f"gan_lib @ file://{snapshot}", cells[0].source)
    return nb


def read_chapter(notebook: Path, from_source: bool):
    """The committed notebook (what readers open), or the one its MyST source makes (jupytext)."""
    if from_source:
        import jupytext

        return jupytext.read(notebook.parent / "src" / f"{notebook.stem}.md")
    import nbformat

    return nbformat.read(notebook, as_version=4)


def run_chapter(env: ReaderEnv, notebook: Path, from_source: bool = False) -> tuple[float, str | None]:
    """Execute `notebook` on `env`'s kernel. Returns (seconds, None) or (seconds, the error)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    nb = read_chapter(notebook, from_source)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"readers-{env.name}-") as scratch:
        log = Path(scratch) / "kernel.log"
        try:
            if env.name == "colab":
                nb, cwd = colab_notebook(nb, env.snapshot), scratch  # Colab: a fresh /content
            else:
                cwd = str(notebook.parent)  # Binder opens the notebook in the cloned repository
            specs = KernelSpecManager(kernel_dirs=[str(env.path / "share" / "jupyter" / "kernels")])
            km = KernelManager(kernel_name=env.kernel, kernel_spec_manager=specs)
            client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, startup_timeout=120,
                                    resources={"metadata": {"path": cwd}})
            with log.open("w") as kernel_stderr:  # shown only if the kernel dies
                client.execute(env=env.kernel_env(), stderr=kernel_stderr)
        # TimeoutError: a hung cell (nbclient's CellTimeoutError) fails its chapter, not the run
        except (CellExecutionError, DeadKernelError, ValueError, RuntimeError, TimeoutError) as error:
            message = "\n".join(_ANSI.sub("", str(error)).strip().splitlines()[-60:])
            if isinstance(error, DeadKernelError) and log.exists():
                message += "\nkernel's stderr (last lines):\n" + "\n".join(log.read_text().splitlines()[-20:])
            return time.perf_counter() - start, message
    return time.perf_counter() - start, None


def chapter_notebooks(selectors: list[str], book: Path) -> list[Path]:
    """The chapter notebooks in `book`: all, or those whose name starts with a selector's stem."""
    notebooks = sorted(book.glob("[0-9][0-9]_*.ipynb"))
    if not selectors:
        return notebooks
    chosen = []
    for selector in selectors:
        stem = Path(selector).stem
        matches = [nb for nb in notebooks if nb.stem.startswith(stem)]
        if not matches:
            raise SystemExit(f"no chapter matches {selector!r}; chapters: {', '.join(nb.stem for nb in notebooks)}")
        chosen += [nb for nb in matches if nb not in chosen]
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--colab", action="store_true", help="the Colab-like env")
    parser.add_argument("--binder", action="store_true", help="the Binder-like env")
    parser.add_argument("--from-source", action="store_true",
                        help="run the notebooks made from book/src/*.md, not the committed ones")
    parser.add_argument("chapters", nargs="*", help="chapter names or paths (default: every chapter)")
    args = parser.parse_args(argv)
    names = [n for n in ENVS if getattr(args, n)] or list(ENVS)
    chosen = chapter_notebooks(args.chapters, ROOT / "book")  # a bad name fails before any build
    failures = []
    for name in names:
        env = ReaderEnv(name)
        env.ensure()
        start = time.perf_counter()
        env.prepare_run()
        notebooks = [env.snapshot / "book" / nb.name for nb in chosen]
        what = "(gan_lib installed)" if name == "binder" else "(gan_lib removed: the cells install it)"
        print(f"{name:7s} {what:38s} {time.perf_counter() - start:7.1f} s  ok", flush=True)
        for notebook in notebooks:
            seconds, error = run_chapter(env, notebook, args.from_source)
            print(f"{name:7s} {notebook.stem:38s} {seconds:7.1f} s  {'failed' if error else 'ok'}", flush=True)
            if error:
                failures.append(f"{name}: {notebook.stem}:\n{error}")
    for failure in failures:
        print(f"\nFAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
