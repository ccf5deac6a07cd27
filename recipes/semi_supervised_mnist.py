"""Recipe: the longer semi-supervised run whose log gan_lib ships ("semi_supervised_mnist_log").

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/semi_supervised_mnist.py --steps 12000 --threads 2

The chapter's `cpu` profile stops after a couple of thousand steps; this recipe runs the same
setup (the same labelled digits, models, objective and optimizer settings, from
`gan_lib.data.label_subsets` and `gan_lib.models.semi_supervised`) further and logs the test
error every `--every` steps, so the chapter can say where the curve goes.

The work folder (default ~/.cache/gan_book/recipes/semi_supervised_mnist/) holds `fit`'s
checkpoint, written at every evaluation: rerunning the same command after a kill resumes exactly
(the seconds then count from the restart). The CSV log `semi_supervised_mnist.log` there is what
gets published. Rows are labelled with the number of updates made (the shipped log, from the old
script, scored one update earlier than its labels say; its registry entry notes it). `--smoke`:
4 steps on 600 digits in a temporary folder.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from _recipe import Log, header, work_dir
from gan_lib.data.label_subsets import balanced_indices, hide_labels
from gan_lib.data.mnist import load_mnist
from gan_lib.models import SEMI_SUPERVISED_SETTINGS, semi_supervised_pair
from gan_lib.train import SemiSupervised, fit
from gan_lib.train.classifier import error_rate

NAME = "semi_supervised_mnist"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=12000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--labels-per-class", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None, help="state and log")
    parser.add_argument("--smoke", action="store_true", help="4 steps on 600 digits (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.steps, args.every, args.labels_per_class = 4, 2, 2
    work = work_dir(NAME, args.work, smoke=args.smoke)
    log_path = work / f"{NAME}.log"
    fresh = not log_path.exists()
    log = Log(log_path)

    torch.set_num_threads(args.threads)
    x, y = load_mnist("train")
    x_test, y_test = load_mnist("test")
    if args.smoke:
        x, y, x_test, y_test = x[:600], y[:600], x_test[:500], y_test[:500]
    labels = hide_labels(y, balanced_indices(y, args.labels_per_class, seed=args.seed))
    torch.manual_seed(args.seed)
    generator, discriminator = semi_supervised_pair()
    log(header(argv))
    if fresh:
        log(f"# semi-supervised GAN, {int((labels >= 0).sum())} labels, seed {args.seed}, "
            f"torch {torch.__version__}")
        log("step,test_error,seconds")
    started = time.perf_counter()

    def report(step, G, D, history):
        if step % args.every == 0:  # fit's step counts the updates made
            error = error_rate(D, x_test, y_test)
            D.train()
            log(f"{step},{error:.4f},{time.perf_counter() - started:.0f}")

    fit(generator, discriminator, x, labels=labels, objective=SemiSupervised(),
        steps=args.steps, callbacks=[report], progress=False, seed=args.seed,
        checkpoint=work / "state.pt", checkpoint_every=args.every, resume=True,
        **SEMI_SUPERVISED_SETTINGS)


if __name__ == "__main__":
    main()
