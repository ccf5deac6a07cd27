"""Recipe: the 2-D mode-collapse benchmark (ring and grid) with PacGAN's protocol, as a curve.

Trains the benchmark's plain GAN (or PacGAN-m with --packing m) for several seeds at once, as one
ensemble through `gan_lib.train.fit`, and prints modes captured, the high-quality fraction and the
reverse KL (mean and standard deviation over seeds) at checkpoints along the way, the wall time,
and the speed-up of the ensemble over one member trained alone (measured in this run).

Protocol (Lin et al. 2018, PacGAN's reference code; see recipes/mode_collapse_protocol.md): ring of 8
modes (radius 1, std 0.01) and 5x5 grid (spacing 2, std 0.05); G: z ~ N(0, I_2), 4 x 400 linear
+ batch norm + ReLU; D: 3 x 200 maxout units with 5 pieces; N(0, 0.02^2) weights; Adam lr 1e-4,
betas (0.8, 0.999); batch 100; a fixed set of 100,000 training points per run; evaluation on
2,500 samples from a fixed z with batch norm's running statistics; a sample is high quality
within 3 std of its nearest mode, a mode is captured with at least one high-quality sample.
Differences that remain: `fit` alternates the updates (D, then G on the updated D) where the
reference code updates both at once; the published budget is 400 epochs = 400,000 steps.

    python recipes/mode_collapse_protocol.py --steps 2000 --eval-every 500 --seeds 3

The work folder (default ~/.cache/gan_book/recipes/mode_collapse_protocol/) holds each mixture's
training state (checkpointed at every evaluation), its curve so far (`<run>_curve.jsonl`), the
log `log.txt` and the results (`results.json`, or --json): rerunning the same command after a kill
resumes from the last evaluation. `--smoke`: a few steps on small data in a temporary folder.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path

import torch

from _recipe import Log, header, work_dir

from gan_lib.metrics import mode_coverage
from gan_lib.studies.mode_collapse import MIXTURES, Remedy, evaluation_noise, training_set
from gan_lib.models import EnsembleDiscriminator, EnsembleGenerator, ensemble_data
from gan_lib.train import fit


def members(seeds, packing):
    remedy = Remedy("pacgan" if packing > 1 else "gan", f"packing {packing}", packing=packing)
    pairs = [remedy.pair(seed) for seed in seeds]  # one seed fixes a member's initial weights
    return [g for g, _ in pairs], [d for _, d in pairs]


def training_sets(mix, seeds, n):
    # each run draws its own fixed training set, as each reference run did
    return [training_set(mix, s, n) for s in seeds]


def settings(args):
    return dict(batch_size=args.batch_size, lr_g=args.lr, lr_d=args.lr, betas=(args.beta1, 0.999),
                seed=args.fit_seed, progress=False, device=args.device)


def evaluate(G, mix, z, *, batch_stats=False):
    """Coverage per member of G(z); batch norm uses its running statistics (as the reference
    code's evaluation does), or with batch_stats=True the statistics of these n samples."""
    g = copy.deepcopy(G).train() if batch_stats else G.eval()  # a copy: train mode moves the stats
    with torch.no_grad():
        samples = g(z.to(next(G.parameters()).device)).cpu()  # (n, K, 2)
    return [mode_coverage(samples[:, k], mix) for k in range(samples.shape[1])]


def mean_sd(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def run_mixture(name, args, log, work: Path):
    mix = MIXTURES[name]()
    seeds = list(range(args.seeds))
    gs, ds = members(seeds, args.packing)
    G, D = EnsembleGenerator(gs), EnsembleDiscriminator(ds)
    data = ensemble_data(training_sets(mix, seeds, args.data_size))
    z_eval = evaluation_noise(len(seeds), args.eval_samples)  # one z for every evaluation
    run = f"{name}_packing{args.packing}_seeds{args.seeds}_every{args.eval_every}"
    ckpt, curve_file = work / f"{run}.pt", work / f"{run}_curve.jsonl"
    # the rows a killed run logged; the checkpoint is at least as far (it is written first)
    curve = ([json.loads(line) for line in curve_file.read_text().splitlines()]
             if curve_file.exists() else [])
    done = {row["step"] for row in curve}
    started = time.perf_counter() - (curve[-1]["seconds"] if curve else 0.0)
    checkpoints = list(range(args.eval_every, args.steps + 1, args.eval_every))
    if not checkpoints or checkpoints[-1] != args.steps:
        checkpoints.append(args.steps)
    for steps in checkpoints:  # resume continues exactly: one run, evaluated on the way
        if steps in done:
            continue
        fit(G, D, data, steps=steps, checkpoint=ckpt, resume=True, **settings(args))
        covs = evaluate(G, mix, z_eval)
        batch_covs = evaluate(G, mix, z_eval, batch_stats=True)
        row = {"step": steps, "seconds": round(time.perf_counter() - started, 1),
               "modes": [c.modes_captured for c in covs],
               "high_quality": [round(c.high_quality_fraction, 4) for c in covs],
               "reverse_kl": [round(c.reverse_kl, 4) for c in covs],
               "reverse_kl_hq": [round(c.reverse_kl_high_quality, 4) for c in covs],
               "high_quality_batch_stats": [round(c.high_quality_fraction, 4)
                                            for c in batch_covs]}
        curve.append(row)
        with curve_file.open("a") as f:
            f.write(json.dumps(row) + "\n")
        m, msd = mean_sd(row["modes"])
        hq, hqsd = mean_sd(row["high_quality"])
        kl, klsd = mean_sd(row["reverse_kl"])
        hq_batch = statistics.mean(row["high_quality_batch_stats"])
        log(f"{name} step {steps:>7}  modes {m:5.2f} ± {msd:4.2f} /{mix.num_modes}  "
            f"high-quality {hq:.3f} ± {hqsd:.3f} (batch-stat BN {hq_batch:.3f})  "
            f"reverse KL {kl:.3f} ± {klsd:.3f}  "
            f"per seed modes {row['modes']}  [{row['seconds']:.0f} s]")
    return {"curve": curve, "seconds": round(time.perf_counter() - started, 1)}


def speedup(args, log):
    """Seconds per step of the K-member ensemble and of one member alone, same settings."""
    mix = MIXTURES["ring"]()
    seeds = list(range(args.seeds))
    sets = training_sets(mix, seeds, args.data_size)
    gs, ds = members(seeds, args.packing)
    G, D = EnsembleGenerator(gs), EnsembleDiscriminator(ds)
    one_g, one_d = members([0], args.packing)

    def per_step(g, d, data):
        fit(g, d, data, steps=20, **settings(args))  # warm-up (allocator, first calls)
        start = time.perf_counter()
        fit(g, d, data, steps=args.speed_steps, **settings(args))
        return (time.perf_counter() - start) / args.speed_steps

    t_ens = per_step(G, D, ensemble_data(sets))
    t_one = per_step(one_g[0], one_d[0], sets[0])
    ratio = args.seeds * t_one / t_ens
    log(f"speed: one member {1e3 * t_one:.1f} ms/step; ensemble of {args.seeds} "
        f"{1e3 * t_ens:.1f} ms/step; speed-up {ratio:.2f}x over {args.seeds} runs one at a time")
    return {"ms_per_step_one": round(1e3 * t_one, 2), "ms_per_step_ensemble": round(1e3 * t_ens, 2),
            "members": args.seeds, "speedup": round(ratio, 2)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mixtures", nargs="*", choices=sorted(MIXTURES), default=["ring", "grid"],
                   help="none: only the speed measurement")
    p.add_argument("--steps", type=int, default=2000, help="generator steps (published: 400,000)")
    p.add_argument("--eval-every", type=int, default=500)
    p.add_argument("--seeds", type=int, default=3, help="members of the ensemble (published: 10)")
    p.add_argument("--packing", type=int, default=1, help="1: plain GAN; m: PacGAN-m")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--beta1", type=float, default=0.8)
    p.add_argument("--data-size", type=int, default=100_000)
    p.add_argument("--eval-samples", type=int, default=2500)
    p.add_argument("--fit-seed", type=int, default=0, help="fit's batch-order and noise seed")
    p.add_argument("--speed-steps", type=int, default=100, help="steps timed for the speed-up; 0 skips")
    p.add_argument("--device", default=None)
    p.add_argument("--threads", type=int, default=None,
                   help="torch CPU threads (be kind to shared machines)")
    p.add_argument("--json", type=Path, default=None,
                   help="write the results to this file (default: results.json in --work)")
    p.add_argument("--work", type=Path, default=None, help="states, curves, log and results")
    p.add_argument("--smoke", action="store_true", help="a few steps on small data (CI)")
    args = p.parse_args(argv)
    if args.smoke:
        args.mixtures, args.steps, args.eval_every, args.seeds = ["ring"], 2, 1, 2
        args.data_size, args.eval_samples, args.speed_steps = 500, 200, 2
    work = work_dir("mode_collapse_protocol", args.work, smoke=args.smoke)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.eval_every < 1 or args.steps < 1:
        p.error("--steps and --eval-every must be >= 1")

    log = Log(work / "log.txt")
    log(header(argv))
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    args.device = device
    log(f"device {device}, torch {torch.__version__}, threads {torch.get_num_threads()}; "
        f"{args.seeds} seeds, packing {args.packing}, batch {args.batch_size}, {args.steps} steps")
    results = {"args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}
    if args.speed_steps:
        results["speed"] = speedup(args, log)
    for name in args.mixtures:
        results[name] = run_mixture(name, args, log, work)
    out = args.json or work / "results.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
