"""Every recipe runs: `python recipes/<name>.py --smoke --work <tmp>` finishes, writes its log in
its work folder, and leaves the shipped files alone.

The recipes start together (each is a separate process: most of a smoke run is importing torch
and reading MNIST, which overlap), so the test takes about as long as the slowest one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gan_lib import weights
from gan_lib.runtime import file_digest

ROOT = Path(__file__).parents[1]
RECIPES = sorted(p.stem for p in (ROOT / "recipes").glob("*.py") if not p.name.startswith("_"))
# what each smoke run leaves in its work folder (beside its log)
OUTPUTS = {
    "augmentation_mnist": ["results.jsonl"],
    "conditional_gans": ["results.jsonl"],
    "dcgan_ablations": ["results.jsonl"],
    "dcgan_mnist": ["log.jsonl", "state.pt"],
    "dcgan_mnist_reference": ["dcgan_mnist.log", "dcgan_mnist.pt", "state.pt"],
    "fc_dcgan_race": ["results.jsonl"],
    "mnist_classifier": ["mnist_classifier.log", "mnist_classifier.pt", "state.pt"],
    "mode_collapse_protocol": ["log.txt", "results.json"],
    "mode_collapse_study": ["merged.json", "merged_samples.pt"],
    "simgan_mnist": ["results.jsonl"],
    "stabilisers_mnist": ["results.jsonl", "weights/r1_seed0.pt",
                          "published/stabilisers_mnist.json", "published/stabilisers_mnist_g_r1.pt"],
    "semi_supervised_mnist": ["reference/seed0/log.csv", "reference/seed0/state.pt",
                              "reference/seed0/average.pt", "published/semi_supervised_mnist.json",
                              "published/semi_supervised_mnist_d_seed0.pt"],
}


@pytest.fixture(scope="module")
def smoke_runs(tmp_path_factory):
    shipped = {name: weights.get(name).path.stat().st_mtime_ns for name in weights.list()}
    env = dict(os.environ, TQDM_DISABLE="1", OMP_NUM_THREADS="1")
    if "GAN_LIB_DATA" not in env:
        pytest.fail("set GAN_LIB_DATA to a folder with MNIST/raw (tests/conftest.py)")
    runs, started = {}, time.perf_counter()
    for name in RECIPES:
        work = tmp_path_factory.mktemp(name)
        # --work always: recipes/dcgan_mnist.py's smoke run would otherwise use the real cache
        runs[name] = (work, subprocess.Popen(
            [sys.executable, f"recipes/{name}.py", "--smoke", "--work", str(work)], cwd=ROOT,
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    results = {name: (work, proc.communicate(timeout=300)[0], proc.returncode)
               for name, (work, proc) in runs.items()}
    print(f"smoke runs of {len(runs)} recipes: {time.perf_counter() - started:.1f} s")
    return results, shipped


def test_every_recipe_has_expected_outputs():
    assert set(OUTPUTS) == set(RECIPES)


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_smoke_run(name, smoke_runs):
    results, _ = smoke_runs
    work, output, returncode = results[name]
    assert returncode == 0, output[-3000:]
    for expected in OUTPUTS[name]:
        assert (work / expected).is_file(), f"{name} wrote no {expected} in {work}: {output[-2000:]}"


def test_smoke_runs_leave_the_shipped_files_alone(smoke_runs):
    _, shipped = smoke_runs
    for name, mtime in shipped.items():
        entry = weights.get(name)
        assert entry.path.stat().st_mtime_ns == mtime, f"a smoke run touched {entry.path}"
        assert file_digest(entry.path, "sha256") == entry.sha256
