"""Recipe: the 2-D mode-collapse study (remedies x ring/grid x seeds) that chapter 5 ships.

Each (mixture, remedy) trains its seeds with PacGAN's protocol (`gan_lib.studies.mode_collapse`)
and is scored every --eval-every steps. A run is one *part* with its own work folder
(~/.cache/gan_book/recipes/mode_collapse_study/<part>/): `part.json` (curves of modes captured,
high-quality fraction and reverse KL per seed, with the run's provenance, rewritten after every
configuration), `part_samples.pt` (the final samples of the first seed of each configuration),
`log.txt`, and the training states. Rerunning the same command after a kill keeps the finished
configurations and resumes the current one from its last evaluation. Parts are merged into the
file that ships (registry entries "mode_collapse_study" and "mode_collapse_study_grid_long";
their `recipe` holds the exact commands):

    python recipes/mode_collapse_study.py --mixtures ring --remedies gan pacgan2 \
        --seeds 3 --steps 8000 --no-ensemble --threads 1 --part ring &
    python recipes/mode_collapse_study.py --mixtures grid --remedies gan pacgan2 \
        --seeds 3 --steps 8000 --no-ensemble --threads 1 --part grid; wait
    python recipes/mode_collapse_study.py --merge ring grid --out mode_collapse_study.json

`--smoke`: two configurations of 2 steps on small data, and a merge, in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import sys
from pathlib import Path

import torch

from _recipe import Log, commit, work_dir
from gan_lib.studies.mode_collapse import MIXTURES, REMEDIES, run_remedy

NAME = "mode_collapse_study"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mixtures", nargs="+", choices=sorted(MIXTURES), default=["ring", "grid"])
    p.add_argument("--remedies", nargs="+", choices=list(REMEDIES), default=list(REMEDIES))
    p.add_argument("--seeds", type=int, default=3, help="runs per configuration (published: 10)")
    p.add_argument("--steps", type=int, default=8000, help="generator steps (published: 400,000)")
    p.add_argument("--eval-every", type=int, default=1000)
    p.add_argument("--no-ensemble", action="store_true",
                   help="train seeds one at a time even where an ensemble could (faster on a CPU)")
    p.add_argument("--device", default=None)
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    p.add_argument("--part", default=None, help="the part's name (default: from its settings)")
    p.add_argument("--work", type=Path, default=None, help="the folder holding the parts")
    p.add_argument("--merge", nargs="+", default=None,
                   help="combine these parts (names in --work, or part.json paths) into --out")
    p.add_argument("--out", type=Path, default=None, help="the merged file (with --merge)")
    p.add_argument("--replace", action="store_true",
                   help="with --merge: a later part's configuration replaces an earlier one's")
    p.add_argument("--smoke", action="store_true", help="a tiny run and a merge (CI)")
    return p


def trained(command: str) -> dict:
    """What a recorded run command trained: {"mixtures", "remedies", "seeds", "steps"}, read
    with this recipe's own options and defaults (also the old scripts/ commands)."""
    words = shlex.split(command)
    script = next(i for i, w in enumerate(words) if w.endswith("mode_collapse_study.py"))
    args, _ = parser().parse_known_args(words[script + 1:])  # --out of the old script: ignored
    return {"mixtures": args.mixtures, "remedies": args.remedies, "seeds": args.seeds,
            "steps": args.steps}


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def run_part(args: argparse.Namespace, folder: Path, argv: list[str], *, small: bool) -> Path:
    """Train the part's configurations not yet in folder/part.json; return that file."""
    folder.mkdir(parents=True, exist_ok=True)
    out, samples_out, log = folder / "part.json", folder / "part_samples.pt", Log(folder / "log.txt")
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    command = "python " + " ".join(["recipes/mode_collapse_study.py", *map(shlex.quote, argv)])
    provenance = {
        "command": command, "started": _now(), "commit": commit(), "torch": torch.__version__,
        "device": device, "device_name": (torch.cuda.get_device_name() if device.startswith("cuda")
                                          else platform.processor() or platform.machine()),
        "threads": torch.get_num_threads(), "cpus": os.cpu_count(),
        # what this part trains, so readers need not parse the command (recorded_part)
        "trained": {"mixtures": args.mixtures, "remedies": args.remedies, "seeds": args.seeds,
                    "steps": args.steps},
    }
    results, samples = [], {}
    if out.exists():  # a rerun: keep what the last one finished
        previous = json.loads(out.read_text())
        if previous["provenance"]["trained"] != provenance["trained"]:
            raise SystemExit(f"{out} holds a part that trained {previous['provenance']['trained']}"
                             f", not {provenance['trained']}; pass another --part")
        results, samples = previous["results"], torch.load(samples_out, weights_only=True)
        provenance["resumed"] = [*previous["provenance"].get("resumed", []), provenance["started"]]
        provenance["started"] = previous["provenance"]["started"]
    log(json.dumps(provenance))
    done = {(r["mixture"], r["remedy"]) for r in results}
    small_data = dict(data_size=500, eval_samples=200) if small else {}
    for mixture in args.mixtures:
        for remedy in args.remedies:
            if (mixture, remedy) in done:
                continue
            res = run_remedy(mixture, remedy, range(args.seeds), steps=args.steps,
                             eval_every=args.eval_every, device=device,
                             ensemble=False if args.no_ensemble else None, log=log,
                             checkpoint_dir=folder / "states", **small_data)
            log(f"{mixture} {remedy}: {res['seconds']:.0f} s for {args.seeds} seeds x "
                f"{args.steps} steps ({'ensemble' if res['ensemble'] else 'one at a time'})")
            samples[f"{mixture}/{remedy}"] = res.pop("samples")[res["seeds"][0]]
            results.append(res)
            # write after every configuration: a long run that stops keeps what it finished
            provenance["finished"] = _now()
            torch.save(samples, samples_out)
            out.write_text(json.dumps({"provenance": provenance, "results": results}, indent=1)
                           + "\n")
    return out


def merge(parts: list[Path], out: Path, *, replace: bool = False) -> None:
    """One file (and its _samples.pt) from several parts; provenance stays one flat list.

    With `replace`, a configuration that a later part trained again replaces the earlier one
    (its samples too), and the later part's provenance records which it replaced.
    """
    results: dict[tuple[str, str], dict] = {}
    samples, provenance = {}, []
    for part in parts:
        raw = json.loads(part.read_text())
        keys = [(r["mixture"], r["remedy"]) for r in raw["results"]]
        repeated = sorted(k for k in keys if k in results)
        if repeated and not replace:
            raise SystemExit(f"the parts repeat a configuration: {repeated} (--replace lets the "
                             "later part win)")
        entries = [dict(p) for p in raw["provenance"].get("parts", [raw["provenance"]])]
        if repeated:
            entries[-1]["replaces"] = ["/".join(k) for k in repeated]
        provenance += entries
        results.update(zip(keys, raw["results"]))
        sp = part.with_name(part.stem + "_samples.pt")
        if sp.exists():
            samples.update(torch.load(sp, weights_only=True))
    out.write_text(json.dumps({"provenance": {"parts": provenance},
                               "results": list(results.values())}, indent=1) + "\n")
    torch.save(samples, out.with_name(out.stem + "_samples.pt"))
    print(f"wrote {out} ({len(results)} configurations) and its _samples.pt", flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    p = parser()
    args = p.parse_args(argv)
    root = work_dir(NAME, args.work, smoke=args.smoke)
    if args.merge:
        if args.out is None:
            p.error("--merge needs --out")
        merge([Path(m) if m.endswith(".json") else root / m / "part.json" for m in args.merge],
              args.out, replace=args.replace)
        return 0
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.smoke:
        args.mixtures, args.remedies, args.seeds, args.steps, args.eval_every = (
            ["ring", "grid"], ["gan"], 1, 2, 1)
    part = args.part or "_".join(["-".join(args.mixtures), "-".join(args.remedies),
                                  f"{args.seeds}x{args.steps}"])
    out = run_part(args, root / part, argv, small=args.smoke)
    if args.smoke:
        merge([out], root / "merged.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
