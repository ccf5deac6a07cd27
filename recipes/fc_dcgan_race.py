"""Recipe: chapter 3's fully connected GAN against chapter 4's DCGAN, at equal steps and equal time.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/fc_dcgan_race.py [--seeds 3] [--steps 2000]
    python recipes/fc_dcgan_race.py --publish fc_dcgan_race.json   # into gan_lib/weights/files

Each model at its own chapter's settings (batch 64, Adam betas (0.5, 0.999), non-saturating loss):
- DCGAN: chapter 4's `cpu` networks (base width 32) at learning rate 1e-3;
- fully connected: chapter 3's networks (G 100-256-512-784, D 784-512-256-1, LeakyReLU) at
  5e-4, the rate chapter 3 settled on.
Per seed, three runs, all from that seed: the DCGAN for `--steps` steps (its training time T is
measured); the FC GAN for the same `--steps` (equal steps); the FC GAN again, from scratch, for
as many steps as fit in T (equal wall-clock). T is measured as the process's CPU time, not the
wall clock: the recipe runs single-threaded by default, where the two agree on an idle machine,
and CPU time stays fair when other jobs share the machine and come and go. The equal-time step
count is `steps * T_dcgan / T_fc`, with T_fc the CPU time of the equal-steps FC run. Each run is
scored with the chapters' protocol (`_recipe.mnist_sample_quality`: FD, confident fraction,
classes, on 2,000 samples) and appended to results.jsonl in the work folder
(~/.cache/gan_book/recipes/fc_dcgan_race/); rerunning resumes at run granularity (whole seeds:
a seed whose DCGAN run is missing starts over). `--smoke` runs 2 steps.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from _recipe import commit, mnist_sample_quality, summarise_seeds, work_dir
from gan_lib.data import load_mnist
from gan_lib.models import DCGANDiscriminator, DCGANGenerator, MLPDiscriminator, MLPGenerator
from gan_lib.train import fit

NAME = "fc_dcgan_race"
COMMON = dict(batch_size=64, betas=(0.5, 0.999))
MODELS = {  # name: (networks, learning rate)
    "DCGAN": (lambda: (DCGANGenerator(base_width=32), DCGANDiscriminator(base_width=32)), 1e-3),
    "fully connected": (lambda: (MLPGenerator(latent_dim=100, hidden_dims=(256, 512)),
                                 MLPDiscriminator(hidden_dims=(512, 256))), 5e-4),
}
ARMS = ("DCGAN", "FC, equal steps", "FC, equal time")


def summarise(rows: list[dict]) -> dict:
    return summarise_seeds(rows, "arm", ARMS,
                           ("fd", "confident", "classes", "steps", "seconds", "wall_seconds"))


def publish(work: Path, out: Path) -> None:
    lines = (work / "results.jsonl").read_text().splitlines()
    header = json.loads(lines[0])["start"]
    rows = [json.loads(line) for line in lines if '"arm"' in line]
    out.write_text(json.dumps({"recipe": NAME, "provenance": header, "results": rows,
                               "summary": summarise(rows)}, indent=1) + "\n")
    print(f"wrote {out} ({len(rows)} runs)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--publish", type=Path, default=None,
                        help="write the collected results as this JSON file and exit")
    parser.add_argument("--smoke", action="store_true", help="2 steps per run (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.steps, args.n_eval = 1, 2, 64
    work = work_dir(NAME, args.work, smoke=args.smoke)
    if args.publish is not None:
        return publish(work, args.publish)
    results = work / "results.jsonl"
    done = set()
    if results.exists():
        rows = [json.loads(line) for line in results.read_text().splitlines()]
        done = {r["seed"] for r in rows if r.get("arm") == ARMS[-1]}

    torch.set_num_threads(args.threads)
    train_images, _ = load_mnist("train")
    if args.smoke:
        train_images = train_images[:512]
    quality = mnist_sample_quality(args.n_eval)
    header = {"recipe": NAME, "argv": sys.argv, "commit": commit(), "torch": torch.__version__,
              "threads": args.threads, "steps": args.steps, "seeds": list(range(args.seeds)),
              "lr": {name: lr for name, (_, lr) in MODELS.items()}, "n_eval": args.n_eval,
              "train": {k: list(v) if isinstance(v, tuple) else v for k, v in COMMON.items()},
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with results.open("a") as f:
        f.write(json.dumps({"start": header}) + "\n")

    def train(model: str, seed: int, arm: str, **budget) -> dict:
        build, lr = MODELS[model]
        torch.manual_seed(seed)
        g, d = build()
        started, cpu_started = time.perf_counter(), time.process_time()
        history = fit(g, d, train_images, device="cpu", seed=seed, progress=False, lr_g=lr,
                      lr_d=lr, **COMMON, **budget)
        cpu_seconds = time.process_time() - cpu_started
        seconds = time.perf_counter() - started
        row = {"arm": arm, "seed": seed, "steps": len(history),
               "params": sum(p.numel() for m in (g, d) for p in m.parameters()),
               "seconds": round(cpu_seconds, 2), "wall_seconds": round(seconds, 2), **quality(g)}
        with results.open("a") as f:
            f.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)
        return row

    for seed in range(args.seeds):
        if seed in done:
            continue
        dcgan = train("DCGAN", seed, ARMS[0], steps=args.steps)
        fc = train("fully connected", seed, ARMS[1], steps=args.steps)
        # equal time: as many FC steps as fit in the DCGAN's CPU seconds at the FC's own pace
        train("fully connected", seed, ARMS[2],
              steps=max(1, round(args.steps * dcgan["seconds"] / fc["seconds"])))


if __name__ == "__main__":
    main()
