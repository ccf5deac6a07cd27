"""Train the semi-supervised GAN of chapter 6 for longer than a chapter can, and log its test error.

    GAN_LIB_DATA=<dir with MNIST/raw> python scripts/semi_supervised_mnist.py [--steps 12000]

The chapter's `cpu` profile stops after a couple of thousand steps; this script runs the same
recipe (the same labelled digits, models, objective and optimizer settings, from
`gan_lib.few_labels` and `gan_lib.models.semi_supervised`) further and prints the test error every `--every` steps, so the
chapter can say where the curve goes. Its output is committed as
`gan_lib/weights/files/semi_supervised_mnist.log` (package data, so Colab and Binder readers have
it too); the chapter reads it with `semi_supervised_reference_curve()`.
"""

from __future__ import annotations

import argparse
import time

import torch

from gan_lib.train.classifier import error_rate
from gan_lib.data.mnist import load_mnist
from gan_lib.data.label_subsets import balanced_indices, hide_labels
from gan_lib.models import SEMI_SUPERVISED_SETTINGS, semi_supervised_pair
from gan_lib.train import SemiSupervised, fit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=12000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--labels-per-class", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    x, y = load_mnist("train")
    x_test, y_test = load_mnist("test")
    labels = hide_labels(y, balanced_indices(y, args.labels_per_class, seed=args.seed))
    torch.manual_seed(args.seed)
    generator, discriminator = semi_supervised_pair()
    started = time.perf_counter()
    print(f"# semi-supervised GAN, {int((labels >= 0).sum())} labels, seed {args.seed}, "
          f"torch {torch.__version__}", flush=True)
    print("step,test_error,seconds", flush=True)

    def log(step, G, D, history):
        if (step + 1) % args.every == 0:
            error = error_rate(D, x_test, y_test)
            D.train()
            print(f"{step + 1},{error:.4f},{time.perf_counter() - started:.0f}", flush=True)

    fit(generator, discriminator, x, labels=labels, objective=SemiSupervised(),
        steps=args.steps, callbacks=[log], progress=False, seed=args.seed, **SEMI_SUPERVISED_SETTINGS)


if __name__ == "__main__":
    main()
