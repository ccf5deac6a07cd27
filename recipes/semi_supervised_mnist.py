"""Recipe: the semi-supervised GAN on MNIST with 100 labels, as openai/improved-gan trains it.

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/semi_supervised_mnist.py --seeds 0 --steps 30000
    ... (one process per seed) ...
    python recipes/semi_supervised_mnist.py --publish gan_lib/weights/files --seeds 0 1 2

Point by point with the reference (`mnist_svhn_cifar10/train_mnist_feature_matching.py`):
- models (`gan_lib.models.semi_supervised`): weight-normalised D with N(0, 0.1^2) directions,
  frozen hidden scales and data-dependent initialisation on 500 training images; G on uniform z
  with softplus units and sigmoid pixels; pixels in [0, 1];
- losses (`SemiSupervised(unsupervised_weight=0.5, fresh_feature_batch=True)`): the labelled
  cross-entropy plus half the real-vs-fake loss; feature matching on the last hidden layer before
  its noise, against a second, independent batch of real images;
- Adam lr 0.003, beta1 0.5, batches of 100 (100 labelled, 100 unlabelled, 100 fakes), no decay;
- the test error is measured on the 10,000 test digits with D's noise off, both for the last
  iterate and for a Polyak (exponential) average of D's weights.
- feature matching is a mean over the features, as in the reference (the shipped runs, commit
  2fad406, summed them; with torch's eps of 1e-8 Adam's steps are the same up to that eps).
Differences that remain, stated in the chapter: the reference averages from zero at rate 1e-4,
here the average starts at the initial D with a warm-up (`gan_lib.train.ema.EMA`, decay 0.9999);
its Adam adds 1e-8 inside the square root of the second moment, which acts like an eps of ~1e-4
outside it (torch's form; the two agree within a factor of sqrt(2)), where torch adds 1e-8
outside: the `adam-eps-1e-4` variant measures that difference; G's update reuses
the fakes of D's update (the reference draws new noise); one process trains one seed, whose
number sets the labelled digits, the initial weights and the batch order (the reference: 10
seeds of 300 epochs, ~180,000 steps).

`--variant` trains the same recipe with one reference detail removed, to measure what it buys:
`adam-eps-1e-4` (the reference's Adam eps, in torch's form),
`no-data-init` (scales left at 1, biases at 0), `unlabelled-weight-1` (the real-vs-fake loss at
full weight), `same-batch` (feature matching against the batch D saw). `supervised` is the
baseline: the same D (architecture, noise, initialisation), Adam settings, batches of 100 and
Polyak average, trained on the labelled digits alone (no G, no unlabelled images); its error is
read at every evaluation, so the chapter can report it at its best budget.

Each seed has a folder in the work folder (default ~/.cache/gan_book/recipes/semi_supervised_
mnist/<variant>/seed<k>/): `fit`'s checkpoint and the average, written at every evaluation
(rerunning the same command after a kill resumes exactly; `--steps` may grow), and `log.csv`.
`--publish DIR` writes `semi_supervised_mnist.json` (every seed's curve, with provenance) and
`semi_supervised_mnist_d_seed<k>.pt` (each seed's averaged D, float16) to DIR; another variant writes
`semi_supervised_mnist_<variant>.json` (curves only). `--smoke`: 4 steps on
600 digits in a temporary folder, then a publish.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import torch

from _recipe import Log, commit, header, work_dir
from gan_lib.data.label_subsets import balanced_indices, hide_labels
from gan_lib.data.mnist import load_mnist
from gan_lib.models import SEMI_SUPERVISED_SETTINGS, init_from_data_, semi_supervised_pair
from gan_lib.train import SemiSupervised, fit
from gan_lib.train.classifier import error_rate
from gan_lib.train.ema import EMA

NAME = "semi_supervised_mnist"
VARIANTS = ("reference", "adam-eps-1e-4", "no-data-init", "unlabelled-weight-1", "same-batch",
            "supervised")
AVERAGE_DECAY = 0.9999  # the reference's Polyak rate, 1e-4 per step
INIT_IMAGES = 500       # the reference's data-dependent initialisation batch


def objective_for(variant: str) -> SemiSupervised:
    return SemiSupervised(unsupervised_weight=1.0 if variant == "unlabelled-weight-1" else 0.5,
                          fresh_feature_batch=variant != "same-batch")


def settings_for(variant: str) -> dict:
    settings = dict(SEMI_SUPERVISED_SETTINGS)
    if variant == "adam-eps-1e-4":  # the reference's eps (1e-8 inside the root), torch's form
        settings["adam_eps"] = 1e-4
    return settings


def mnist_01(split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST with pixels in [0, 1], as the reference (the book's loader gives [-1, 1])."""
    x, y = load_mnist(split)
    return (x + 1) / 2, y


def build(seed: int, x: torch.Tensor, variant: str):
    """The seed's initial (G, D), D initialised from 500 training images when the variant does."""
    torch.manual_seed(seed)
    generator, discriminator = semi_supervised_pair()
    if variant != "no-data-init":
        pick = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))[:INIT_IMAGES]
        init_from_data_(discriminator, x[pick])
    return generator, discriminator


def train_seed(seed: int, args, folder: Path, argv) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    log_path, avg_path = folder / "log.csv", folder / "average.pt"
    fresh = not log_path.exists()
    log = Log(log_path)
    x, y = mnist_01("train")
    x_test, y_test = mnist_01("test")
    if args.smoke:
        x, y, x_test, y_test = x[:600], y[:600], x_test[:500], y_test[:500]
    labels = hide_labels(y, balanced_indices(y, args.labels_per_class, seed=seed))
    generator, discriminator = build(seed, x, args.variant)
    average = EMA(discriminator, AVERAGE_DECAY, warmup=True)
    log(header(argv))
    if fresh:
        log(f"# semi-supervised GAN, {int((labels >= 0).sum())} labels, seed {seed}, "
            f"variant {args.variant}, torch {torch.__version__}")
        log("step,test_error,test_error_average,seconds")
    started = time.perf_counter()
    first = [True]

    def report(step, G, D, history):
        if first[0]:  # a resumed run: the average saved with fit's checkpoint of step - 1
            first[0] = False
            if step > 1:
                saved = torch.load(avg_path, weights_only=True)
                if saved["step"] != step - 1:
                    raise SystemExit(f"{avg_path} holds the average of step {saved['step']}, "
                                     f"but the run resumes after step {step - 1}")
                average.load_state_dict(saved["state"])
        average.update(D, step)
        if step % args.every == 0 or step == args.steps:
            last, avg = error_rate(D, x_test, y_test), error_rate(average.module, x_test, y_test)
            D.train()
            log(f"{step},{last:.4f},{avg:.4f},{time.perf_counter() - started:.0f}")
            # before fit's checkpoint of this step (fit checkpoints after the callbacks)
            torch.save({"step": step, "state": average.state_dict()}, avg_path)
            if step % args.snapshot_every == 0:  # what --publish can ship at this step
                torch.save({"step": step, "state": _half(average.state_dict())},
                           folder / f"average_step{step}.pt")

    if args.variant == "supervised":
        train_supervised(discriminator, x, labels, seed, args, report, folder / "state.pt")
        return
    fit(generator, discriminator, x, labels=labels, objective=objective_for(args.variant),
        steps=args.steps, callbacks=[report], progress=False, seed=seed,
        checkpoint=folder / "state.pt", checkpoint_every=args.every, resume=True,
        **settings_for(args.variant))


def _half(state: dict) -> dict:
    return {k: v.half() if v.is_floating_point() else v for k, v in state.items()}


def train_supervised(classifier, x, labels, seed: int, args, report, state_path: Path) -> None:
    """The baseline: D's cross-entropy on batches of 100 labelled digits (drawn as fit's labelled
    stream draws them: reshuffled passes), with the SSL run's Adam settings; resumable."""
    settings = SEMI_SUPERVISED_SETTINGS
    optimizer = torch.optim.Adam([p for p in classifier.parameters() if p.requires_grad],
                                 lr=settings["lr_d"], betas=settings["betas"],
                                 eps=settings["adam_eps"])
    labelled = torch.nonzero(labels >= 0).flatten()
    rng = torch.Generator().manual_seed(seed)
    start = 0
    if state_path.exists():
        state = torch.load(state_path, weights_only=False)
        classifier.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        rng.set_state(state["rng"])
        start = state["step"]
    classifier.train()
    batch = min(settings["batch_size"], len(labelled))
    order = torch.empty(0, dtype=torch.long)
    for step in range(start + 1, args.steps + 1):
        if len(order) < batch:
            order = torch.cat([order, labelled[torch.randperm(len(labelled), generator=rng)]])
        idx, order = order[:batch], order[batch:]
        loss = torch.nn.functional.cross_entropy(classifier(x[idx]), labels[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        report(step, None, classifier, None)
        if step % args.every == 0 or step == args.steps:
            # a leftover partial pass is dropped on resume: passes restart from the saved rng
            torch.save({"model": classifier.state_dict(), "optimizer": optimizer.state_dict(),
                        "rng": rng.get_state(), "step": step}, state_path)
            order = order[:0]


def read_log(path: Path) -> list[dict]:
    rows = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
    keys = rows[0].split(",")
    return [dict(zip(keys, map(float, r.split(",")))) for r in rows[1:]]


def publish(args, root: Path, out: Path) -> None:
    """The seeds' curves and averaged D's into `out` (all seeds must have reached --steps)."""
    x_test, y_test = mnist_01("test")
    if args.smoke:
        x_test, y_test = x_test[:500], y_test[:500]
    results, weights_out = [], {}
    for seed in args.seeds:
        folder = root / args.variant / f"seed{seed}"
        rows = read_log(folder / "log.csv")
        saved = torch.load(folder / "average.pt", weights_only=True)
        if saved["step"] != args.steps:  # a seed that went further: its snapshot at --steps
            snapshot = folder / f"average_step{args.steps}.pt"
            if not snapshot.exists():
                raise SystemExit(f"seed {seed} is at step {saved['step']} and has no snapshot "
                                 f"of step {args.steps}; train to --steps {args.steps} first")
            saved = torch.load(snapshot, weights_only=True)
        rows = [r for r in rows if r["step"] <= args.steps]
        if int(rows[-1]["step"]) != args.steps:
            raise SystemExit(f"seed {seed}'s log has no evaluation at step {args.steps}")
        half = _half(saved["state"])
        _, d = semi_supervised_pair()
        d.load_state_dict({k: v.float() for k, v in half.items()})
        weights_out[f"seed{seed}"] = half
        # the published number is that of the float16 weights that ship
        shipped_error = error_rate(d, x_test, y_test)
        results.append({"seed": seed, "steps": args.steps,
                        "test_error_average": round(shipped_error, 4),
                        "curve": [{k: (int(v) if k in ("step", "seconds") else v)
                                   for k, v in r.items()} for r in rows]})
    provenance = {"command": " ".join(["python", "recipes/semi_supervised_mnist.py", *sys.argv[1:]]),
                  "commit": commit(), "torch": torch.__version__, "threads": 1,
                  "cpu": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
                  "seeds": list(args.seeds), "steps": args.steps, "variant": args.variant,
                  "labels_per_class": args.labels_per_class, "average_decay": AVERAGE_DECAY}
    out.mkdir(parents=True, exist_ok=True)
    stem = NAME if args.variant == "reference" else f"{NAME}_{args.variant.replace('-', '_')}"
    (out / f"{stem}.json").write_text(json.dumps({"provenance": provenance, "results": results},
                                                 indent=1) + "\n")
    if args.variant == "reference":  # the other variants ship their curves only
        for key, state in weights_out.items():
            torch.save(state, out / f"{NAME}_d_{key}.pt")
    print(f"wrote {out / (stem + '.json')}:", [r["test_error_average"] for r in results],
          flush=True)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--steps", type=int, default=30000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--snapshot-every", type=int, default=2000,
                        help="keep the average (float16) every this many steps, for --publish")
    parser.add_argument("--labels-per-class", type=int, default=10)
    parser.add_argument("--variant", choices=VARIANTS, default="reference")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="states and logs")
    parser.add_argument("--publish", type=Path, default=None, help="write the shipped files here")
    parser.add_argument("--smoke", action="store_true", help="4 steps on 600 digits (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.steps, args.every, args.snapshot_every, args.labels_per_class = 4, 2, 2, 2
    torch.set_num_threads(args.threads)
    root = work_dir(NAME, args.work, smoke=args.smoke)
    if args.publish is None or args.smoke:
        for seed in args.seeds:
            train_seed(seed, args, root / args.variant / f"seed{seed}", argv)
    if args.publish is not None or args.smoke:
        publish(args, root, args.publish or root / "published")


if __name__ == "__main__":
    main()
