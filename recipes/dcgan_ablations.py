"""Recipe: the DCGAN guidelines of chapter 4 removed one at a time, over several seeds.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/dcgan_ablations.py [--seeds 5] [--steps 1000]
    python recipes/dcgan_ablations.py --publish dcgan_ablations.json   # into gan_lib/weights/files

Every variant (and the full DCGAN, the baseline) trains with chapter 4's `cpu` settings: base
width 32 in both networks, Adam 1e-3 with betas (0.5, 0.999), batch 64, the non-saturating loss,
for `--steps` generator steps, once per seed 0..seeds-1. The seed fixes the initial weights (all
variants of one seed start from the same RNG state) and fit's batches and noise. Each run is then
scored with the chapters' protocol (`_recipe.mnist_sample_quality`: 2,000 samples of noise seed
1 against the first 2,000 test digits: confident fraction, classes, classifier FD), its
parameter count and its wall time recorded, and one JSON line appended to results.jsonl in the
work folder (~/.cache/gan_book/recipes/dcgan_ablations/). A run takes one to three minutes on one
core, so the recipe resumes at run granularity: rerunning the command skips the runs already in
results.jsonl (a run cut off in the middle starts over). `--smoke` runs 2 steps per variant.

The "FC hidden layer" variant as chapter 4 had it (1,024 units) has ~17x the baseline's
parameters; "FC hidden layer (matched)" picks the hidden width that brings the pair back to the
baseline's parameter count, so that the guideline and the capacity can be told apart.
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
from gan_lib.models import ablated_dcgan_discriminator, ablated_dcgan_generator
from gan_lib.train import TrainingDivergedError, fit

NAME = "dcgan_ablations"
WIDTH = 32
TRAIN = dict(batch_size=64, lr_g=1e-3, lr_d=1e-3, betas=(0.5, 0.999))
VARIANTS = {  # name: (generator ablation, discriminator ablation); "" = the full DCGAN
    "DCGAN (all guidelines)": ({}, {}),
    "no batch norm": (dict(batch_norm=False), dict(batch_norm=False)),
    "LeakyReLU in G": (dict(activation="leaky_relu"), {}),
    "ReLU in D": ({}, dict(activation="relu")),
    "FC hidden layer": (dict(fc_hidden=True), dict(fc_hidden=True)),
    "FC hidden layer (matched)": (dict(fc_hidden=True, fc_width="matched"),
                                  dict(fc_hidden=True, fc_width="matched")),
    "pooling / upsampling": (dict(upsample="nearest"), dict(downsample="avgpool")),
}


def count(*models: torch.nn.Module) -> int:
    return sum(p.numel() for m in models for p in m.parameters())


def matched_fc_width() -> int:
    """The FC hidden width whose G + D parameter count is closest to the full DCGAN's (the count
    grows linearly with the width: solve from two widths, then check the neighbours)."""
    def pair_count(w: int | None) -> int:
        kw = {} if w is None else dict(fc_hidden=True, fc_width=w)
        return count(ablated_dcgan_generator(base_width=WIDTH, **kw),
                     ablated_dcgan_discriminator(base_width=WIDTH, **kw))
    target, at_1, at_2 = pair_count(None), pair_count(1), pair_count(2)
    guess = round(1 + (target - at_1) / (at_2 - at_1))
    return min(range(max(1, guess - 2), guess + 3), key=lambda w: abs(pair_count(w) - target))


def build(name: str, seed: int, fc_width: int) -> tuple[torch.nn.Module, torch.nn.Module]:
    g_kw, d_kw = ({k: (fc_width if v == "matched" else v) for k, v in kw.items()}
                  for kw in VARIANTS[name])
    torch.manual_seed(seed)  # every variant of a seed starts from the same random state
    return (ablated_dcgan_generator(base_width=WIDTH, **g_kw),
            ablated_dcgan_discriminator(base_width=WIDTH, **d_kw))


def summarise(rows: list[dict]) -> dict:
    """Per variant: seeds, diverged runs, and mean / sample std / min / max over the runs that
    finished (a diverged run has no scores)."""
    finished = [r for r in rows if r["fd"] is not None]
    return summarise_seeds(finished, "variant", VARIANTS, ("fd", "confident", "classes", "seconds"),
                           extra=lambda name: {"diverged": sum(r["fd"] is None for r in rows
                                                               if r["variant"] == name)})


def publish(work: Path, out: Path) -> None:
    lines = (work / "results.jsonl").read_text().splitlines()
    starts = [json.loads(line)["start"] for line in lines if '"start"' in line]
    rows = {}
    for row in (json.loads(line) for line in lines if '"variant"' in line):
        rows.setdefault((row["variant"], row["seed"]), row)  # the first run of a pair counts
    rows = list(rows.values())
    rows.sort(key=lambda r: (r["seed"], list(VARIANTS).index(r["variant"])))
    # provenance: the first process's start line; "starts": every process that added runs
    payload = {"recipe": NAME, "provenance": starts[0], "starts": starts, "variants": {
        name: {"generator": g, "discriminator": d} for name, (g, d) in VARIANTS.items()},
        "results": rows, "summary": summarise(rows)}
    out.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {out} ({len(rows)} runs)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--only", type=int, nargs="+", default=None,
                        help="run only these of the seeds (to share the study between processes "
                             "that append to the same results.jsonl: give each its own seeds)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--publish", type=Path, default=None,
                        help="write the collected results as this JSON file and exit")
    parser.add_argument("--smoke", action="store_true", help="2 steps per variant (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.seeds, args.steps, args.n_eval = 1, 2, 64
    work = work_dir(NAME, args.work, smoke=args.smoke)
    if args.publish is not None:
        return publish(work, args.publish)
    results = work / "results.jsonl"
    done = set()
    if results.exists():
        done = {(r["variant"], r["seed"]) for r in map(json.loads, results.read_text().splitlines())
                if "variant" in r}

    torch.set_num_threads(args.threads)
    train_images, _ = load_mnist("train")
    if args.smoke:
        train_images = train_images[:512]
    quality = mnist_sample_quality(args.n_eval)
    fc_width = matched_fc_width()
    header = {"recipe": NAME, "argv": sys.argv, "commit": commit(), "torch": torch.__version__,
              "threads": args.threads, "steps": args.steps, "seeds": list(range(args.seeds)),
              "base_width": WIDTH, "matched_fc_width": fc_width, "n_eval": args.n_eval,
              "train": {k: list(v) if isinstance(v, tuple) else v for k, v in TRAIN.items()},
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with results.open("a") as f:
        f.write(json.dumps({"start": header}) + "\n")
    for seed in args.only if args.only is not None else range(args.seeds):
        # seed-major: a cut-off study has whole seeds
        for name in VARIANTS:
            if (name, seed) in done:
                continue
            g, d = build(name, seed, fc_width)
            started = time.perf_counter()
            try:
                fit(g, d, train_images, steps=args.steps, device="cpu", seed=seed,
                    progress=False, **TRAIN)
                seconds = time.perf_counter() - started  # training only, not the scoring
                row = quality(g)
            except TrainingDivergedError as err:  # a diverged variant is a result
                seconds = time.perf_counter() - started
                row = {"confident": None, "classes": None, "fd": None, "error": str(err)[:200]}
            row = {"variant": name, "seed": seed, "steps": args.steps, "params": count(g, d),
                   "seconds": round(seconds, 1), **row}
            with results.open("a") as f:
                f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
