"""Recipe: the chapter-4 DCGAN trained offline to quality on MNIST, over several seeds.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/dcgan_mnist.py --seed 0 [--steps 30000]

Settings are the DCGAN paper's (Radford et al. 2015): base width 64 in both networks, Adam with
learning rate 2e-4 and betas (0.5, 0.999), batch 128, the non-saturating loss; plus an
exponential moving average of G (decay 0.999, with warm-up). Every `--eval-every` steps it
scores the last iterate and the average the way chapter 4 does (2,000 samples from the chapter's
evaluation noise, seed 1; the shipped MNIST classifier: confident fraction, classes present,
classifier FD to 2,000 real test digits) and appends one JSON line to the run's log.

The training state lives in `--work` (default ~/.cache/gan_book/recipes/dcgan_mnist/seed<K>/):
`fit` checkpoints it every `--eval-every` steps, and rerunning the same command resumes exactly
where the last checkpoint left off (also on another machine, given that folder). `--smoke`
trains a few steps on a small subset, for CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import torch

from gan_lib.data.mnist import load_mnist
from gan_lib.sampling.latent import generate, sample_latent
from gan_lib.metrics import classifier_outputs, gaussian_stats, load_mnist_classifier, sample_quality
from gan_lib.models import DCGANDiscriminator, DCGANGenerator
from gan_lib.train import fit

NAME = "dcgan_mnist"
MODEL = dict(base_width=64)  # keyword arguments of both networks
TRAIN = dict(batch_size=128, lr_g=2e-4, lr_d=2e-4, betas=(0.5, 0.999), ema_decay=0.999,
             ema_warmup=True)


def default_work(seed: int) -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "gan_book" / "recipes" / NAME / f"seed{seed}"


def commit() -> str:
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).parent).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=30000)
    parser.add_argument("--eval-every", type=int, default=1000)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--smoke", action="store_true", help="a few steps on 512 images (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.steps, args.eval_every, args.n_eval = 4, 2, 64
    work = args.work or default_work(args.seed)
    work.mkdir(parents=True, exist_ok=True)
    log_path = work / "log.jsonl"

    torch.set_num_threads(args.threads)
    train_images, _ = load_mnist("train")
    test_images, _ = load_mnist("test")
    if args.smoke:
        train_images = train_images[:512]
    classifier = load_mnist_classifier()
    real_stats = gaussian_stats(classifier_outputs(test_images[: args.n_eval],
                                                   classifier=classifier)[0])
    z_eval = sample_latent(args.n_eval, 100, generator=torch.Generator().manual_seed(1))

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
        row = {"step": step, "seconds": round(time.perf_counter() - started, 1)}
        for name, model in (("last", g), ("ema", history.ema_generator)):
            q = sample_quality(generate(model, z=z_eval), reference=real_stats,
                               classifier=classifier)
            row[name] = {"confident": q.coverage.confident_fraction,
                         "classes": q.coverage.num_present, "fd": q.fd}
        with log_path.open("a") as log:
            log.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)

    fit(generator, discriminator, train_images, steps=args.steps, device="cpu", seed=args.seed,
        callbacks=[report], progress=False, checkpoint=work / "state.pt",
        checkpoint_every=args.eval_every, resume=True, **TRAIN)


if __name__ == "__main__":
    main()
