"""Run the 2-D mode-collapse study (remedies x ring/grid x seeds) and write what chapter 5 ships.

Each (mixture, remedy) trains its seeds with PacGAN's protocol (`gan_lib.mode_collapse_study`)
and is scored every --eval-every steps. The output is a JSON file of curves (modes captured,
high-quality fraction, reverse KL per seed), with the provenance of the run, and a .pt file with
the final samples of the first seed of each configuration (for the chapter's scatter plots).

    # what gan_lib ships (the CPU machine of this project, 2 processes of 1 thread):
    python scripts/mode_collapse_study.py --mixtures ring --out /tmp/ring.json --threads 1 &
    python scripts/mode_collapse_study.py --mixtures grid --out /tmp/grid.json --threads 1
    python scripts/mode_collapse_study.py --merge /tmp/ring.json /tmp/grid.json \
        --out gan_lib/weights/files/mode_collapse_study.json

Each part (a mixture, or one remedy) can run as its own process and be merged in later; the
shipped study was run in parts, as its provenance lists. The longer grid run beside it
(`SHIPPED_GRID_LONG`: the plain GAN and PacGAN2 where the study's budget leaves the grid blurry):

    python scripts/mode_collapse_study.py --mixtures grid --remedies gan --steps 20000 \
        --no-ensemble --threads 1 --out /tmp/grid_long_gan.json &
    python scripts/mode_collapse_study.py --mixtures grid --remedies pacgan2 --steps 20000 \
        --no-ensemble --threads 1 --out /tmp/grid_long_pac.json
    python scripts/mode_collapse_study.py --merge /tmp/grid_long_gan.json /tmp/grid_long_pac.json \
        --out gan_lib/weights/files/mode_collapse_study_grid_long.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import torch

from gan_lib.studies.mode_collapse import MIXTURES, REMEDIES, run_remedy


def samples_path(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.stem + "_samples.pt")


def commit() -> str | None:
    try:
        # "-dirty" marks a run from uncommitted changes, so the commit alone can't reproduce it
        return subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def merge(parts: list[str], out: str) -> None:
    results, samples, provenance = [], {}, []
    for part in parts:
        raw = json.loads(Path(part).read_text())
        results += raw["results"]
        # a part that is itself a merge brings its own parts, so provenance stays one flat list
        provenance += raw["provenance"].get("parts", [raw["provenance"]])
        sp = samples_path(part)
        if sp.exists():
            samples.update(torch.load(sp, weights_only=True))
    keys = [(r["mixture"], r["remedy"]) for r in results]
    if len(keys) != len(set(keys)):
        raise SystemExit(f"the parts repeat a configuration: {sorted(keys)}")
    Path(out).write_text(json.dumps({"provenance": {"parts": provenance}, "results": results},
                                    indent=1) + "\n")
    torch.save(samples, samples_path(out))
    print(f"wrote {out} ({len(results)} configurations) and {samples_path(out)}")


def main(argv=None) -> int:
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
    p.add_argument("--out", required=True, help="JSON file to write (samples go beside it)")
    p.add_argument("--merge", nargs="+", default=None, help="combine these JSON parts into --out")
    args = p.parse_args(argv)
    if args.merge:
        merge(args.merge, args.out)
        return 0
    if args.threads:
        torch.set_num_threads(args.threads)
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    provenance = {
        "command": "python " + " ".join([sys.argv[0], *(argv if argv is not None else sys.argv[1:])]),
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": commit(), "torch": torch.__version__, "device": device,
        "device_name": (torch.cuda.get_device_name() if device.startswith("cuda")
                        else platform.processor() or platform.machine()),
        "threads": torch.get_num_threads(), "cpus": os.cpu_count(),
    }
    print(json.dumps(provenance), flush=True)
    results, samples = [], {}
    for mixture in args.mixtures:
        for remedy in args.remedies:
            ensemble = False if args.no_ensemble else None
            res = run_remedy(mixture, remedy, range(args.seeds), steps=args.steps,
                             eval_every=args.eval_every, device=device, ensemble=ensemble,
                             log=lambda line: print(line, flush=True))
            print(f"{mixture} {remedy}: {res['seconds']:.0f} s for {args.seeds} seeds x "
                  f"{args.steps} steps ({'ensemble' if res['ensemble'] else 'one at a time'})",
                  flush=True)
            first = res["seeds"][0]
            samples[f"{mixture}/{remedy}"] = res.pop("samples")[first]
            results.append(res)
            # write after every configuration: a long run that stops keeps what it finished
            provenance["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds")
            Path(args.out).write_text(json.dumps({"provenance": provenance, "results": results},
                                                 indent=1) + "\n")
            torch.save(samples, samples_path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
