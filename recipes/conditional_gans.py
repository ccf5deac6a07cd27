"""Recipe: ACGAN against the projection discriminator and an unconditional DCGAN, equal budgets.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/conditional_gans.py [--seeds 3] [--steps 1500]
    python recipes/conditional_gans.py --publish conditional_gans.json   # into gan_lib/weights/files

Chapter 7's comparison of ways to ask a GAN for a class. Three arms share everything but how the
label is used: the same DCGAN body at base width 32 in both networks, Adam 1e-3 with betas
(0.5, 0.999), batch 64, `--steps` steps, the non-saturating loss, seeds 0..seeds-1 (the seed fixes
the initial weights, fit's batches and its noise):

- "projection cGAN": `ConditionalDCGANGenerator` against `ConditionalDCGANDiscriminator`
  (projection), the standard GAN objective with the labels of the real batch (chapter 7's cGAN);
- "ACGAN": the same generator against `AuxiliaryClassifierDiscriminator`, objective
  `AuxiliaryClassifier()` (Odena et al. 2017);
- "unconditional DCGAN": chapter 4's `DCGANGenerator` / `DCGANDiscriminator` at the same width,
  trained without labels.

Each run is scored on `--n-eval` samples from fixed noise (seed 1; for the conditional arms,
`n-eval / 10` requested per class) against the first `--n-eval` test digits with the shipped
classifier: class agreement (conditional arms: the share read as the requested class), the
confident fraction (probability >= 0.9), the classes present and the classifier FD, as chapter 4
and `_recipe.mnist_sample_quality` compute them. One JSON line per run goes to results.jsonl in
the work folder (~/.cache/gan_book/recipes/conditional_gans/); rerunning skips runs already there
(`--only` shares the seeds between processes). `--smoke` runs 2 steps per arm on 512 digits.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from _recipe import commit, summarise_seeds, work_dir
from gan_lib.data import load_mnist
from gan_lib.metrics import (agreement_from_probs, classifier_outputs, gaussian_stats,
                             load_mnist_classifier, sample_quality)
from gan_lib.models import (ConditionalDCGANDiscriminator, ConditionalDCGANGenerator,
                            DCGANDiscriminator, DCGANGenerator)
from gan_lib.models.auxiliary_classifier import AuxiliaryClassifierDiscriminator
from gan_lib.sampling import class_labels, generate, generate_conditional, sample_latent
from gan_lib.train import AuxiliaryClassifier, TrainingDivergedError, fit

NAME = "conditional_gans"
WIDTH = 32
TRAIN = dict(batch_size=64, lr_g=1e-3, lr_d=1e-3, betas=(0.5, 0.999))
ARMS = ("projection cGAN", "ACGAN", "unconditional DCGAN")
METRICS = ("agreement", "confident", "classes", "fd", "seconds")


def count(*models: torch.nn.Module) -> int:
    return sum(p.numel() for m in models for p in m.parameters())


def build(arm: str, seed: int) -> tuple[torch.nn.Module, torch.nn.Module, dict]:
    """(G, D, fit keywords beyond the data) of an arm; every arm of a seed starts from the same
    random state."""
    torch.manual_seed(seed)
    if arm == "unconditional DCGAN":
        return DCGANGenerator(base_width=WIDTH), DCGANDiscriminator(base_width=WIDTH), {}
    G = ConditionalDCGANGenerator(base_width=WIDTH)
    if arm == "ACGAN":
        return G, AuxiliaryClassifierDiscriminator(base_width=WIDTH), {
            "objective": AuxiliaryClassifier()}
    return G, ConditionalDCGANDiscriminator(base_width=WIDTH, conditioning="projection"), {}


def scorer(n_eval: int):
    """`score(arm, G) -> metrics` with the chapters' protocol (fixed noise, seed 1)."""
    test_images, _ = load_mnist("test")
    classifier = load_mnist_classifier()
    real = gaussian_stats(classifier_outputs(test_images[:n_eval], classifier=classifier)[0])
    z = sample_latent(n_eval, 100, generator=torch.Generator().manual_seed(1))
    requested = class_labels(10, n_eval // 10)

    def score(arm: str, G: torch.nn.Module) -> dict:
        if arm == "unconditional DCGAN":
            images, agreement, per_class = generate(G, z=z), None, None
        else:
            images = generate_conditional(G, requested, z=z[:len(requested)])
            _, probs = classifier_outputs(images, classifier=classifier)
            a = agreement_from_probs(probs, requested)
            agreement, per_class = a.agreement, [round(float(v), 4) for v in a.per_class]
        q = sample_quality(images, reference=real, classifier=classifier)
        return {"agreement": agreement, "per_class_agreement": per_class,
                "confident": q.coverage.confident_fraction, "classes": q.coverage.num_present,
                "fd": q.fd}

    return score


def summarise(rows: list[dict]) -> dict:
    """Per arm: seeds and mean / sample std / min / max of each metric (agreement: the
    conditional arms only)."""
    out = summarise_seeds(rows, "arm", ARMS, [m for m in METRICS if m != "agreement"])
    for arm, s in out.items():
        values = [r["agreement"] for r in rows if r["arm"] == arm and r["agreement"] is not None]
        if values:
            part = summarise_seeds([dict(r, x=r["agreement"]) for r in rows
                                    if r["arm"] == arm], "arm", [arm], ["x"])[arm]
            s.update({k.replace("x_", "agreement_"): v for k, v in part.items()
                      if k.startswith("x_")})
    return out


def publish(work: Path, out: Path) -> None:
    lines = (work / "results.jsonl").read_text().splitlines()
    starts = [json.loads(line)["start"] for line in lines if '"start"' in line]
    rows = {}
    for row in (json.loads(line) for line in lines if '"arm"' in line):
        rows.setdefault((row["arm"], row["seed"]), row)  # the first run of a pair counts
    rows = sorted(rows.values(), key=lambda r: (r["seed"], ARMS.index(r["arm"])))
    payload = {"recipe": NAME, "provenance": starts[0], "starts": starts, "results": rows,
               "summary": summarise([r for r in rows if r["fd"] is not None])}
    out.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {out} ({len(rows)} runs)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--only", type=int, nargs="+", default=None,
                        help="run only these of the seeds (processes sharing results.jsonl)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--publish", type=Path, default=None,
                        help="write the collected results as this JSON file and exit")
    parser.add_argument("--smoke", action="store_true", help="2 steps per arm (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.steps, args.n_eval = 1, 2, 100
    if args.n_eval % 10:
        parser.error(f"--n-eval must be a multiple of 10 (as many per class), got {args.n_eval}")
    work = work_dir(NAME, args.work, smoke=args.smoke)
    if args.publish is not None:
        return publish(work, args.publish)
    results = work / "results.jsonl"
    done = set()
    if results.exists():
        done = {(r["arm"], r["seed"]) for r in map(json.loads, results.read_text().splitlines())
                if "arm" in r}

    torch.set_num_threads(args.threads)
    images, labels = load_mnist("train")
    if args.smoke:
        images, labels = images[:512], labels[:512]
    score = scorer(args.n_eval)
    header = {"recipe": NAME, "argv": sys.argv, "commit": commit(), "torch": torch.__version__,
              "threads": args.threads, "steps": args.steps, "seeds": list(range(args.seeds)),
              "base_width": WIDTH, "n_eval": args.n_eval,
              "train": {k: list(v) if isinstance(v, tuple) else v for k, v in TRAIN.items()},
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with results.open("a") as f:
        f.write(json.dumps({"start": header}) + "\n")
    for seed in args.only if args.only is not None else range(args.seeds):
        for arm in ARMS:  # seed-major: a cut-off study has whole seeds
            if (arm, seed) in done:
                continue
            G, D, kw = build(arm, seed)
            if arm != "unconditional DCGAN":
                kw["labels"] = labels
            started = time.perf_counter()
            try:
                fit(G, D, images, steps=args.steps, device="cpu", seed=seed, progress=False,
                    **TRAIN, **kw)
                seconds = time.perf_counter() - started  # training only, not the scoring
                row = score(arm, G)
            except TrainingDivergedError as err:  # a diverged run is a result
                seconds = time.perf_counter() - started
                row = {"agreement": None, "per_class_agreement": None, "confident": None,
                       "classes": None, "fd": None, "error": str(err)[:200]}
            row = {"arm": arm, "seed": seed, "steps": args.steps, "params": count(G, D),
                   "seconds": round(seconds, 1), **row}
            with results.open("a") as f:
                f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
