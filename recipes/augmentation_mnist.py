"""Recipe: does a conditional GAN's output help a classifier trained on few labels? Several draws.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/augmentation_mnist.py [--draws 5]
    python recipes/augmentation_mnist.py --publish augmentation_mnist.json   # into gan_lib/weights/files

Chapter 7's augmentation study. For each label draw d = 0..draws-1 and each labelled-set size
n in `--per-class` x 10, `balanced_indices(train labels, n/10, seed=d)` picks the labelled digits;
nothing else of the training set is used. Then, all with seed d:

1. "real only": the book's small CNN (`MNISTClassifier`, fresh weights) trained on the n digits
   for `--clf-steps` steps (AdamW, batch 64, `train_classifier`);
2. a projection cGAN (chapter 7's, base width 32, Adam 1e-3, batch 64) trained on the same n
   digits for `--gan-steps` steps, and `--generated` samples drawn from it, as many per class;
3. "real + GAN": the classifier of 1 trained again, each batch half real, half generated;
4. "real + GAN, self-filtered": the same, with only the generated samples that classifier 1
   (trained on the n digits alone, so no label outside the n is used) reads as the requested
   class;
5. "real + GAN, oracle-filtered": only the samples the shipped classifier (trained on all 60,000
   labels: not available to a real few-label user, an upper bound on filtering) reads as the
   requested class.

Every classifier is scored on the 10,000 test digits. Recorded per (n, draw): the test errors,
the gains (error of 1 minus error of 3/4/5: a positive gain is a better classifier), the label
noise of each generated set (the share that the shipped classifier does not read as the
requested class), the kept shares of the filters, and the copy ratio (median distance of the
generated samples to their nearest labelled digit over the same for 1,000 unseen test digits).
One JSON line per (n, draw) goes to results.jsonl in ~/.cache/gan_book/recipes/augmentation_mnist/;
rerunning skips what is there (`--only` shares the draws between processes). `--smoke` runs a
few steps of everything on 500 test digits.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from _recipe import commit, summarise_seeds, work_dir
from gan_lib.data import balanced_indices, load_mnist
from gan_lib.metrics import MNISTClassifier, classifier_outputs, load_mnist_classifier
from gan_lib.models import ConditionalDCGANDiscriminator, ConditionalDCGANGenerator
from gan_lib.sampling import class_labels, generate_conditional
from gan_lib.train import fit
from gan_lib.train.classifier import error_rate, train_classifier

NAME = "augmentation_mnist"
WIDTH = 32
GAN = dict(batch_size=64, lr_g=1e-3, lr_d=1e-3, betas=(0.5, 0.999))
ARMS = ("real only", "real + GAN", "real + GAN, self-filtered", "real + GAN, oracle-filtered")
METRICS = ("error_real", "error_gan", "error_self", "error_oracle", "gain_gan", "gain_self",
           "gain_oracle", "noise_gan", "noise_self", "noise_oracle", "kept_self", "kept_oracle",
           "copy_ratio", "seconds")


@torch.no_grad()
def predictions(model: torch.nn.Module, images: torch.Tensor) -> torch.Tensor:
    model.eval()
    return torch.cat([model(images[i:i + 1000]).argmax(1) for i in range(0, len(images), 1000)])


def one_run(per_class: int, draw: int, args, data, judge) -> dict:
    train_x, train_y, test_x, test_y = data
    started = time.perf_counter()
    keep = balanced_indices(train_y, per_class, seed=draw)
    x_few, y_few = train_x[keep], train_y[keep]

    def classifier(extra=None) -> torch.nn.Module:
        torch.manual_seed(draw)
        model = MNISTClassifier()
        train_classifier(model, x_few, y_few, steps=args.clf_steps, seed=draw, extra=extra)
        return model

    baseline = classifier()
    torch.manual_seed(draw)
    G = ConditionalDCGANGenerator(base_width=WIDTH)
    D = ConditionalDCGANDiscriminator(base_width=WIDTH, conditioning="projection")
    fit(G, D, x_few, labels=y_few, steps=args.gan_steps, device="cpu", seed=draw,
        progress=False, **GAN)
    wanted = class_labels(10, args.generated // 10)
    generated = generate_conditional(G, wanted, seed=draw + 100)
    judged = classifier_outputs(generated, classifier=judge)[1].argmax(1)
    sets = {"gan": torch.ones(len(wanted), dtype=torch.bool),
            "self": predictions(baseline, generated) == wanted,
            "oracle": judged == wanted}
    row = {"set": f"{10 * per_class} labels", "n": 10 * per_class, "seed": draw,
           "error_real": error_rate(baseline, test_x, test_y)}
    for name, mask in sets.items():
        kept = int(mask.sum())
        row[f"kept_{name}"] = kept / len(wanted)
        row[f"noise_{name}"] = float((judged[mask] != wanted[mask]).float().mean()) if kept else None
        if kept < 10:  # too few samples to mix in: the arm did not run
            row[f"error_{name}"] = row[f"gain_{name}"] = None
            continue
        model = classifier(extra=(generated[mask], wanted[mask]))
        row[f"error_{name}"] = error_rate(model, test_x, test_y)
        row[f"gain_{name}"] = row["error_real"] - row[f"error_{name}"]
    nearest = lambda images: torch.cdist(images.flatten(1), x_few.flatten(1)).min(1).values
    row["copy_ratio"] = float(nearest(generated).median() / nearest(test_x[:1000]).median())
    row["seconds"] = round(time.perf_counter() - started, 1)
    row["params"] = sum(p.numel() for p in MNISTClassifier().parameters())
    return row


def summarise(rows: list[dict]) -> dict:
    """Per labelled-set size: draws, and mean / sample std / min / max of each metric."""
    groups = sorted({r["set"] for r in rows}, key=lambda s: int(s.split()[0]))
    out = {}
    for group in groups:
        mine = [r for r in rows if r["set"] == group]
        metrics = [m for m in METRICS if all(r[m] is not None for r in mine)]
        out.update(summarise_seeds(mine, "set", [group], metrics))
    return out


def publish(work: Path, out: Path) -> None:
    lines = (work / "results.jsonl").read_text().splitlines()
    starts = [json.loads(line)["start"] for line in lines if '"start"' in line]
    rows = {}
    for row in (json.loads(line) for line in lines if '"set"' in line):
        rows.setdefault((row["n"], row["seed"]), row)  # the first run of a pair counts
    rows = sorted(rows.values(), key=lambda r: (r["n"], r["seed"]))
    payload = {"recipe": NAME, "provenance": starts[0], "starts": starts, "arms": ARMS,
               "results": rows, "summary": summarise(rows)}
    out.write_text(json.dumps(payload, indent=1) + "\n")
    print(f"wrote {out} ({len(rows)} runs)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--per-class", type=int, nargs="+", default=[10],
                        help="labelled digits per class (several: one study per size)")
    parser.add_argument("--gan-steps", type=int, default=500)
    parser.add_argument("--clf-steps", type=int, default=300)
    parser.add_argument("--generated", type=int, default=5000)
    parser.add_argument("--only", type=int, nargs="+", default=None,
                        help="run only these of the draws (processes sharing results.jsonl)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--publish", type=Path, default=None,
                        help="write the collected results as this JSON file and exit")
    parser.add_argument("--smoke", action="store_true", help="a few steps of everything (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.draws, args.per_class, args.gan_steps, args.clf_steps, args.generated = 1, [10], 2, 3, 100
    if args.generated % 10:
        parser.error(f"--generated must be a multiple of 10 (as many per class), got "
                     f"{args.generated}")
    work = work_dir(NAME, args.work, smoke=args.smoke)
    if args.publish is not None:
        return publish(work, args.publish)
    results = work / "results.jsonl"
    done = set()
    if results.exists():
        done = {(r["n"], r["seed"]) for r in map(json.loads, results.read_text().splitlines())
                if "set" in r}

    torch.set_num_threads(args.threads)
    train_x, train_y = load_mnist("train")
    test_x, test_y = load_mnist("test")
    if args.smoke:
        test_x, test_y = test_x[:500], test_y[:500]
    judge = load_mnist_classifier()
    header = {"recipe": NAME, "argv": sys.argv, "commit": commit(), "torch": torch.__version__,
              "threads": args.threads, "draws": list(range(args.draws)),
              "per_class": args.per_class, "gan_steps": args.gan_steps,
              "clf_steps": args.clf_steps, "generated": args.generated, "base_width": WIDTH,
              "gan": {k: list(v) if isinstance(v, tuple) else v for k, v in GAN.items()},
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    with results.open("a") as f:
        f.write(json.dumps({"start": header}) + "\n")
    for draw in args.only if args.only is not None else range(args.draws):
        for per_class in args.per_class:
            if (10 * per_class, draw) in done:
                continue
            row = one_run(per_class, draw, args, (train_x, train_y, test_x, test_y), judge)
            with results.open("a") as f:
                f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
