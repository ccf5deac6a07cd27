"""Recipe: the chapter-4 DCGAN trained offline to quality on MNIST, one seed a run.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/dcgan_mnist.py --seed 0 [--steps 15000]

Settings are the DCGAN paper's (Radford et al. 2015): base width 64 in both networks, Adam with
learning rate 2e-4 and betas (0.5, 0.999), batch 128, the non-saturating loss; plus an
exponential moving average of G (decay 0.999, with warm-up). Every `--eval-every` steps it
scores the last iterate and the average with chapter 4's protocol (`_recipe.mnist_sample_quality`:
confident fraction, classes present, classifier FD) and appends one JSON line to the run's log.

The training state lives in ~/.cache/gan_book/recipes/dcgan_mnist/seed<K>/ (or `--work`): `fit`
checkpoints it every `--eval-every` steps, and rerunning the same command resumes exactly where
the last checkpoint left off (also on another machine, given that folder); `--steps` may grow.
`--smoke` trains a few steps on a small subset in a temporary folder, for CI.

    python recipes/dcgan_mnist.py --publish gan_lib/weights/files --seeds 0 1 2

writes, from the work folders of those seeds, each seed's averaged generator (the EMA, the model
the recipe samples from; its BN buffers are those of the EMA copy) as dcgan_mnist_seed<K>.pt and
every seed's log, with its start lines, as dcgan_mnist_curves.json. It takes the last checkpoint
of each seed, which is the last row of its log (both are written every `--eval-every` steps).
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
from gan_lib.models import DCGANDiscriminator, DCGANGenerator
from gan_lib.train import fit

NAME = "dcgan_mnist"
MODEL = dict(base_width=64)  # keyword arguments of both networks
TRAIN = dict(batch_size=128, lr_g=2e-4, lr_d=2e-4, betas=(0.5, 0.999), ema_decay=0.999,
             ema_warmup=True)


def publish(folder: Path, seeds: list[int], work: Path | None) -> None:
    curves = []
    for seed in seeds:
        where = work_dir(f"{NAME}/seed{seed}", work and work / f"seed{seed}", smoke=False)
        lines = [json.loads(line) for line in (where / "log.jsonl").read_text().splitlines()]
        rows = [r for r in lines if "step" in r]
        state = torch.load(where / "state.pt", map_location="cpu", weights_only=True)
        if state["step"] != rows[-1]["step"]:
            raise SystemExit(f"seed {seed}: checkpoint at step {state['step']} but the log ends at "
                             f"{rows[-1]['step']}; rerun the recipe to the log's step first")
        torch.save(state["ema"], folder / f"{NAME}_seed{seed}.pt")
        curves.append({"seed": seed, "starts": [r["start"] for r in lines if "start" in r],
                       "curve": rows})
    out = folder / f"{NAME}_curves.json"
    out.write_text(json.dumps({"recipe": NAME, "provenance": {"model": MODEL, "train": {
        k: list(v) if isinstance(v, tuple) else v for k, v in TRAIN.items()}},
        "results": curves}, indent=1) + "\n")
    print(f"wrote {out} and {len(seeds)} generators")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=15000)
    parser.add_argument("--eval-every", type=int, default=1000)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--smoke", action="store_true", help="a few steps on 512 images (CI)")
    parser.add_argument("--publish", type=Path, default=None,
                        help="write the weights and curves of --seeds into this folder and exit")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    if args.publish is not None:
        return publish(args.publish, args.seeds, args.work)
    if args.smoke:
        args.steps, args.eval_every, args.n_eval = 4, 2, 64
    work = work_dir(f"{NAME}/seed{args.seed}", args.work, smoke=args.smoke)
    log_path = work / "log.jsonl"

    torch.set_num_threads(args.threads)
    train_images, _ = load_mnist("train")
    if args.smoke:
        train_images = train_images[:512]
    quality = mnist_sample_quality(args.n_eval)

    torch.manual_seed(args.seed)
    generator = DCGANGenerator(**MODEL)
    discriminator = DCGANDiscriminator(**MODEL)
    started = time.perf_counter()
    header = {"recipe": NAME, "argv": sys.argv, "commit": commit(), "torch": torch.__version__,
              "threads": args.threads, "seed": args.seed, "model": MODEL,
              "train": {k: list(v) if isinstance(v, tuple) else v for k, v in TRAIN.items()}}
    with log_path.open("a") as log:
        log.write(json.dumps({"start": header}) + "\n")

    def report(step, g, d, history):
        if step % args.eval_every and step != args.steps:
            return
        row = {"step": step, "seconds": round(time.perf_counter() - started, 1),
               "last": quality(g), "ema": quality(history.ema_generator)}
        with log_path.open("a") as log:
            log.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)

    fit(generator, discriminator, train_images, steps=args.steps, device="cpu", seed=args.seed,
        callbacks=[report], progress=False, checkpoint=work / "state.pt",
        checkpoint_every=args.eval_every, resume=True, **TRAIN)


if __name__ == "__main__":
    main()
