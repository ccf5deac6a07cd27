"""Recipe: SimGAN refinement of rendered digits, with and without the history buffer, and its test.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/simgan_mnist.py --seeds 0 1 2
    python recipes/simgan_mnist.py --publish simgan_mnist.json   # into gan_lib/weights/files

The refiner and its data are chapter 8's `cpu` profile: digits typeset from fonts
(`render_digits`, seeded by the run's seed) refined by a U-Net (base width 16, depth 3) against a
DCGAN discriminator (width 16) that sees real MNIST training digits (the first 10,000); batch 32,
Adam lr 2e-4, self-regularisation weight mu. Per seed, these arms (one row each in results.jsonl):

- "real": a classifier trained on `--n-render` real MNIST training digits;
- "rendered": a classifier trained on the rendered digits as they are;
- "mu=10, no buffer" / "mu=10, buffer": SimGAN with mu = 10 (the chapter's weight), without and
  with the history buffer of refined images (D's fake batch half current, half past refined
  images; `--history` images kept); a classifier trained on the refined digits;
- "mu=1, buffer" / "mu=100, buffer": the same with a ten times smaller and larger weight, to
  measure how the weight trades realism for the label;
- "self-regularisation only": the same refiner trained on the self-regularisation term alone (no
  D: the limit of a very large mu), i.e. to copy its input; what it loses of the label is what
  the refiner's imperfect copy costs at this budget, before any adversarial redrawing.

Every classifier is the registry's `MNISTClassifier` architecture trained from scratch by
`train_classifier` with one budget (`--clf-steps` steps of batch 64), labels = the class each
digit was rendered as; `test_on_real_acc` is its accuracy on the 10,000 real MNIST test digits
(SimGAN's own test: train on refined synthetic data, test on real data). The images themselves are
also scored on `--n-eval` held-out rendered digits with the shipped classifier: class agreement
(the share read as the rendered class), classifier FD to 5,000 real test digits, grey pixels.

Budget: on one core a refinement step took about 55 ms and a classifier step about 30 ms, so
the defaults (7 arms x 3 seeds) cost about 13 minutes of CPU (797 s summed over the shipped runs).

Rerunning the same command resumes at arm granularity; several processes may run different
`--seeds` or `--arms` into the same work folder. The shipped file was made by three:
`--arms real rendered "mu=10, no buffer" "mu=10, buffer"` and `--arms "mu=1, buffer" "mu=100,
buffer"` side by side, then `--arms "self-regularisation only"`. `--smoke` runs a few steps on
small sets.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from _recipe import commit, summarise_seeds, work_dir
from gan_lib.data import load_mnist, render_digits
from gan_lib.metrics import (classifier_outputs, gaussian_stats, load_mnist_classifier,
                             translation_quality)
from gan_lib.metrics.classifier import MNISTClassifier
from gan_lib.models import DCGANDiscriminator, UNetGenerator
from gan_lib.train import Paired, Refinement, fit
from gan_lib.train.classifier import accuracy, train_classifier

NAME = "simgan_mnist"
REFINE = dict(batch_size=32, lr_g=2e-4, lr_d=2e-4)
SIMGAN_ARMS = {  # arm: (self_weight mu, history buffer on); mu None: no adversarial term
    "self-regularisation only": (None, False),
    "mu=10, no buffer": (10.0, False),
    "mu=10, buffer": (10.0, True),
    "mu=1, buffer": (1.0, True),
    "mu=100, buffer": (100.0, True),
}
ARMS = ("real", "rendered", *SIMGAN_ARMS)
METRICS = ("test_on_real_acc", "class_agreement", "fd", "grey", "change", "seconds")


def summarise(rows: list[dict]) -> dict:
    """Mean, std, min, max over seeds per arm, of the metrics the arm has (None: not measured)."""
    out = {}
    for arm in ARMS:
        mine = [r for r in rows if r["arm"] == arm]
        if mine:
            measured = [m for m in METRICS if mine[0][m] is not None]
            out[arm] = summarise_seeds(mine, "arm", [arm], measured)[arm]
    return out


def publish(work: Path, out: Path) -> None:
    lines = (work / "results.jsonl").read_text().splitlines()
    starts = [json.loads(line)["start"] for line in lines if '"start"' in line]
    rows = sorted((json.loads(line) for line in lines if '"arm"' in line),
                  key=lambda r: (ARMS.index(r["arm"]), r["seed"]))
    out.write_text(json.dumps({"recipe": NAME, "provenance": starts, "results": rows,
                               "summary": summarise(rows)}, indent=1) + "\n")
    print(f"wrote {out} ({len(rows)} runs)")


@torch.no_grad()
def refine(g: torch.nn.Module, sources: torch.Tensor) -> torch.Tensor:
    g.eval()  # running batch-norm statistics, no dropout: reproducible outputs
    return torch.cat([g(s) for s in sources.split(500)])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--refine-steps", type=int, default=800)
    parser.add_argument("--clf-steps", type=int, default=600)
    parser.add_argument("--n-render", type=int, default=2000, help="rendered training digits")
    parser.add_argument("--n-eval", type=int, default=1000, help="held-out rendered digits")
    parser.add_argument("--history", type=int, default=3200, help="buffer capacity (images)")
    parser.add_argument("--arms", nargs="+", choices=ARMS, default=list(ARMS),
                        help="run only these arms (e.g. to split the work over two processes)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--publish", type=Path, default=None,
                        help="write the collected results as this JSON file and exit")
    parser.add_argument("--smoke", action="store_true", help="a few steps on small sets (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.refine_steps, args.clf_steps = [0], 3, 3
        args.n_render, args.n_eval, args.history = 64, 64, 32
    work = work_dir(NAME, args.work, smoke=args.smoke)
    if args.publish is not None:
        return publish(work, args.publish)
    results = work / "results.jsonl"
    done = set()
    if results.exists():
        rows = [json.loads(line) for line in results.read_text().splitlines()]
        done = {(r["seed"], r["arm"]) for r in rows if "arm" in r}

    torch.set_num_threads(args.threads)
    train_images, train_labels = load_mnist("train")
    test_images, test_labels = load_mnist("test")
    real_for_d = train_images[:10000]
    if args.smoke:
        real_for_d, test_images, test_labels = train_images[:256], test_images[:600], \
            test_labels[:600]
    judge = load_mnist_classifier()
    real_stats = gaussian_stats(classifier_outputs(test_images[-5000:], classifier=judge)[0])
    header = {"recipe": NAME, "argv": sys.argv, "commit": commit(), "torch": torch.__version__,
              "threads": args.threads, "seeds": args.seeds, "refine_steps": args.refine_steps,
              "clf_steps": args.clf_steps, "n_render": args.n_render, "n_eval": args.n_eval,
              "history": args.history, "refine": REFINE,
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with results.open("a") as f:
        f.write(json.dumps({"start": header}) + "\n")

    def record(row: dict) -> None:
        with results.open("a") as f:
            f.write(json.dumps(row) + "\n")
        print(json.dumps(row), flush=True)

    def classify(seed: int, images: torch.Tensor, labels: torch.Tensor) -> tuple[float, int]:
        """The paper's test: train on these digits, score on real test digits."""
        torch.manual_seed(seed)
        model = MNISTClassifier()
        train_classifier(model, images, labels, steps=args.clf_steps, batch_size=64, seed=seed)
        return accuracy(model, test_images, test_labels), sum(p.numel() for p in model.parameters())

    def image_scores(images: torch.Tensor, labels: torch.Tensor) -> dict:
        q = translation_quality(images, labels, reference=real_stats, classifier=judge)
        return {"class_agreement": q.class_kept, "fd": q.fd, "grey": q.grey}

    for seed in args.seeds:
        rendered, labels = render_digits(args.n_render + args.n_eval,
                                         generator=torch.Generator().manual_seed(seed))
        sources, source_labels = rendered[: args.n_render], labels[: args.n_render]
        eval_sources, eval_labels = rendered[args.n_render :], labels[args.n_render :]
        done |= {(seed, arm) for arm in ARMS if arm not in args.arms}
        if (seed, "real") not in done:
            started = time.process_time()
            acc, params = classify(seed, train_images[-args.n_render:],
                                   train_labels[-args.n_render:])
            record({"arm": "real", "seed": seed, "params": params, "test_on_real_acc": acc,
                    "class_agreement": None, "fd": None, "grey": None, "change": None,
                    "seconds": round(time.process_time() - started, 2)})
        if (seed, "rendered") not in done:
            started = time.process_time()
            acc, params = classify(seed, sources, source_labels)
            record({"arm": "rendered", "seed": seed, "params": params, "test_on_real_acc": acc,
                    **image_scores(eval_sources, eval_labels), "change": 0.0,
                    "seconds": round(time.process_time() - started, 2)})
        for arm, (mu, buffer) in SIMGAN_ARMS.items():
            if (seed, arm) in done:
                continue
            started = time.process_time()
            torch.manual_seed(seed)
            g = UNetGenerator(base_channels=16, depth=3, dropout_blocks=1)
            if mu is None:  # copy the input: |G(s) - s| alone (Adam makes its weight irrelevant)
                fit(g, None, sources, sources=sources, objective=Paired(adversarial=None),
                    steps=args.refine_steps, device="cpu", seed=seed, progress=False, **REFINE)
            else:
                d = DCGANDiscriminator(base_width=16)
                objective = Refinement(self_weight=mu, history_size=args.history if buffer else 0)
                fit(g, d, real_for_d, sources=sources, objective=objective,
                    steps=args.refine_steps, device="cpu", seed=seed, progress=False, **REFINE)
            refined, refined_eval = refine(g, sources), refine(g, eval_sources)
            acc, params = classify(seed, refined, source_labels)
            record({"arm": arm, "seed": seed, "params": params, "self_weight": mu,
                    "history_size": args.history if buffer else 0,
                    "refine_steps": args.refine_steps, "test_on_real_acc": acc,
                    **image_scores(refined_eval, eval_labels),
                    "change": (refined_eval - eval_sources).abs().mean().item(),
                    "seconds": round(time.process_time() - started, 2)})


if __name__ == "__main__":
    main()
