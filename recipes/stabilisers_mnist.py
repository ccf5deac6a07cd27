"""Recipe: chapter 6's stabilisers on MNIST, each at its own paper's settings, over several seeds.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/stabilisers_mnist.py --seeds 0 1 2 [--steps 3000]
    python recipes/stabilisers_mnist.py --publish gan_lib/weights/files/stabilisers_mnist.json

The arms are `gan_lib.studies.stabilisers.ARMS`. Every arm trains chapter 4's DCGAN generator (base width 32, batch norm) for `--steps` generator
updates on batches of 64, against its own discriminator, loss and optimizer, as its paper (or the
authors' released code) sets them:

| arm | discriminator | objective | optimizer | D steps |
|---|---|---|---|---|
| DCGAN (Radford et al. 2016) | batch norm | non-saturating | Adam 2e-4, (0.5, 0.999) | 1 |
| LSGAN (Mao et al. 2017) | batch norm | least squares, a=0 b=1 c=1 | DCGAN's Adam 2e-4, (0.5, 0.999) | 1 |
| SN (Miyato et al. 2018) + hinge (Lim & Ye 2017), Miyato et al.'s code | spectral norm, no BN | hinge | Adam 2e-4, (0, 0.9) | 5 |
| WGAN-GP (Gulrajani et al. 2017) | no BN | Wasserstein, lambda 10 | Adam 1e-4, (0, 0.9) | 5 |
| R1 (Mescheder et al. 2018, code) | no BN | non-saturating + R1, gamma 10 | RMSprop 1e-4 | 1 |

Each run also keeps an EMA of G (decay 0.999, as Mescheder et al.'s code averages, with
TensorFlow's warm-up),
scored beside the last iterate. Every `--eval-every` steps both are scored with the chapters'
protocol (`_recipe.mnist_sample_quality`: FD, confident fraction, classes on 2,000 samples) and
the process's CPU time is recorded, so the study reads at EQUAL STEPS (the last row) and at
EQUAL CPU TIME (each arm's curve at the time the DCGAN arm needed for all its steps).

Robustness (`--aggressive`): each arm again for `--robust-steps` at `--aggressive` times its own
learning rate(s); a run fails when it diverges (a non-finite loss) or ends with fewer than 5
classes or a confident fraction below 0.2.

One JSON line per run in results.jsonl in the work folder (~/.cache/gan_book/recipes/
stabilisers_mnist/); rerunning skips finished runs (a run cut off starts over; the longest, WGAN-GP,
takes ~15 min on one core). `--seeds` picks seeds, so several processes can share the study.
`--smoke`: 2 steps per arm on 512 digits, then a publish into the work folder.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from _recipe import commit, mnist_sample_quality, work_dir
from gan_lib.data import load_mnist
from gan_lib.models import DCGANGenerator
from gan_lib.studies.stabilisers import ARMS, EMA_SETTINGS, WIDTH, failed
from gan_lib.train import TrainingDivergedError, fit

NAME = "stabilisers_mnist"
EMA = EMA_SETTINGS


def build(arm: str, seed: int):
    return ARMS[arm].pair(seed, WIDTH)


def slug(arm: str) -> str:
    return ARMS[arm].key


def _half(state: dict) -> dict:
    return {k: v.half() if v.is_floating_point() else v for k, v in state.items()}


def publish(work: Path, out: Path, quality, seed: int) -> None:
    """The runs' rows as `out` (JSON), and beside it each arm's averaged G of `seed` (float16,
    `stabilisers_mnist_g_<arm>.pt`), scored again as shipped (the "shipped" block)."""
    lines = (work / "results.jsonl").read_text().splitlines()
    rows = [json.loads(line) for line in lines]
    runs = [r for r in rows if "arm" in r]
    shipped = {}
    for arm in ARMS:
        state = torch.load(work / "weights" / f"{slug(arm)}_seed{seed}.pt", weights_only=True)["ema"]
        out.parent.mkdir(parents=True, exist_ok=True)
        torch.save(state, out.parent / f"{NAME}_g_{slug(arm)}.pt")
        g = DCGANGenerator(base_width=WIDTH)
        g.load_state_dict(state)
        shipped[arm] = {"seed": seed, **quality(g.eval())}
    out.write_text(json.dumps({"recipe": NAME, "provenance": [r["start"] for r in rows
                                                             if "start" in r],
                               "shipped": shipped, "results": runs}, indent=1) + "\n")
    print(f"wrote {out} ({len(runs)} runs) and {len(shipped)} generators:", shipped)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--arms", nargs="+", choices=list(ARMS), default=list(ARMS))
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--robust-steps", type=int, default=500)
    parser.add_argument("--aggressive", type=float, default=10.0)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--publish", type=Path, default=None,
                        help="write the collected results as this JSON file and exit")
    parser.add_argument("--smoke", action="store_true", help="2 steps per run (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.steps, args.eval_every, args.robust_steps, args.n_eval = [0], 2, 1, 2, 64
    work = work_dir(NAME, args.work, smoke=args.smoke)
    results = work / "results.jsonl"
    if args.publish is not None:
        publish(work, args.publish, mnist_sample_quality(args.n_eval), args.seeds[0])
        return
    done = set()
    if results.exists():
        done = {(r["arm"], r["seed"], r["kind"]) for r in map(json.loads, results.read_text()
                                                                 .splitlines()) if "arm" in r}
    torch.set_num_threads(args.threads)
    images, _ = load_mnist("train")
    if args.smoke:
        images = images[:512]
    quality = mnist_sample_quality(args.n_eval)
    header = {"recipe": NAME, "argv": sys.argv, "commit": commit(), "torch": torch.__version__,
              "threads": args.threads, "steps": args.steps, "seeds": args.seeds,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with results.open("a") as f:
        f.write(json.dumps({"start": header}) + "\n")

    def run(arm: str, seed: int, kind: str) -> None:
        if (arm, seed, kind) in done:
            return
        aggressive = kind == "aggressive"
        settings = ARMS[arm].fit_settings(args.aggressive if aggressive else 1.0)
        steps = args.robust_steps if aggressive else args.steps
        g, d = build(arm, seed)
        curve, cpu_started, scoring = [], time.process_time(), [0.0]

        def score(step, G, D, history):
            if step % args.eval_every and step != steps:
                return
            t = time.process_time()
            train_seconds = t - cpu_started - scoring[0]  # training only, not the scoring
            ema = history.ema_generator  # the live average (fit keeps it during the run)
            curve.append({"step": step, "cpu_seconds": round(train_seconds, 2),
                          "last": quality(G), "ema": quality(ema) if ema is not None else None})
            G.train()
            scoring[0] += time.process_time() - t

        diverged = False
        try:
            history = fit(g, d, images, steps=steps, batch_size=64, seed=seed, progress=False,
                callbacks=[score], device="cpu", **EMA, **settings)
        except TrainingDivergedError:
            diverged = True
        if kind == "main" and not diverged:  # the trained G's, float16, for --publish
            weights = work / "weights"
            weights.mkdir(exist_ok=True)
            ema = history.ema_generator
            torch.save({"last": _half(g.state_dict()), "ema": _half(ema.state_dict())},
                       weights / f"{slug(arm)}_seed{seed}.pt")
        final = curve[-1] if curve else None
        row = {"arm": arm, "seed": seed, "kind": kind, "steps": steps, "diverged": diverged,
               "lr_g": settings["lr_g"], "lr_d": settings["lr_d"],
               "reached": final["step"] if final else 0,
               "fd": final["last"]["fd"] if final else None,
               "confident": final["last"]["confident"] if final else 0.0,
               "classes": final["last"]["classes"] if final else 0,
               "curve": curve}
        row["failed"] = failed(row) if kind == "aggressive" else None
        with results.open("a") as f:
            f.write(json.dumps(row) + "\n")
        print(json.dumps({k: v for k, v in row.items() if k != "curve"}), flush=True)

    for seed in args.seeds:
        for arm in args.arms:
            run(arm, seed, "main")
    for seed in args.seeds:
        for arm in args.arms:
            run(arm, seed, "aggressive")
    if args.smoke:  # the publish step too, into the work folder
        publish(work, work / "published" / f"{NAME}.json", quality, args.seeds[0])


if __name__ == "__main__":
    main()
