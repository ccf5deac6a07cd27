"""Recipe: the MNIST classifier that gan_lib ships (registry entry "mnist_classifier").

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/mnist_classifier.py --epochs 4 --threads 1

Reproducible: a fixed seed, a fixed number of epochs, one thread count. The same seed gives the
same bytes with the same torch version, CPU type and thread count; elsewhere float rounding may
differ in the last bits, which changes the digest but not the accuracy beyond noise.

Training uses light augmentation: random rotations of up to 10 degrees, scaling by 0.9-1.1 and
shifts of up to 2 pixels, applied to whole batches on the tensor side. Generated digits are
rarely as well centred as MNIST's, and a judge that has seen slightly moved digits is less
surprised by them.

The work folder (default ~/.cache/gan_book/recipes/mnist_classifier/) holds the training state,
saved after every epoch (weights, optimizer, schedule and both random streams): rerunning the same
command after a kill resumes at the last finished epoch and ends with the same bytes. The log
`mnist_classifier.log` there gets one line per epoch; the weights go to `mnist_classifier.pt`
there, with their sha256 printed: CONTRIBUTING.md says how to publish them. `--smoke` trains
2 short epochs on 512 digits in a temporary folder.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from _recipe import Log, header, work_dir
from gan_lib.data.mnist import load_mnist
from gan_lib.metrics.classifier import MNISTClassifier
from gan_lib.runtime import file_digest, seed_everything
from gan_lib.train.checkpoint import load_checkpoint, save_checkpoint
from gan_lib.train.classifier import accuracy

NAME = "mnist_classifier"


def augment(x: torch.Tensor, generator: torch.Generator, *, degrees: float = 10.0,
            scale: tuple[float, float] = (0.9, 1.1), shift_px: float = 2.0) -> torch.Tensor:
    """Random affine maps of a batch (N, 1, 28, 28) in [-1, 1], one per image."""
    n = x.shape[0]
    u = torch.rand(n, 4, generator=generator)
    angle = (u[:, 0] * 2 - 1) * math.radians(degrees)
    s = scale[0] + u[:, 1] * (scale[1] - scale[0])
    # affine_grid works in [-1, 1] coordinates: one pixel is 2/28 of the width.
    t = (u[:, 2:] * 2 - 1) * shift_px * 2 / 28
    cos, sin = torch.cos(angle) / s, torch.sin(angle) / s
    theta = torch.stack([torch.stack([cos, -sin, t[:, 0]], 1),
                         torch.stack([sin, cos, t[:, 1]], 1)], 1)  # (N, 2, 3)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    # grid_sample pads with 0; shift so that the padding is the background value -1.
    return F.grid_sample(x + 1, grid, align_corners=False, padding_mode="zeros") - 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads; part of what makes the bytes reproducible")
    parser.add_argument("--work", type=Path, default=None, help="state, log and weights")
    parser.add_argument("--smoke", action="store_true", help="2 short epochs on 512 digits (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.epochs, args.batch_size = 2, 64
    work = work_dir(NAME, args.work, smoke=args.smoke)
    state_path, out = work / "state.pt", work / f"{NAME}.pt"
    log = Log(work / f"{NAME}.log")

    torch.set_num_threads(args.threads)
    generator = seed_everything(args.seed)
    train_x, train_y = load_mnist("train")
    test_x, test_y = load_mnist("test")
    if args.smoke:
        train_x, train_y, test_x, test_y = train_x[:512], train_y[:512], test_x[:500], test_y[:500]
    model = MNISTClassifier()
    steps_per_epoch = len(train_x) // args.batch_size
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    # One-cycle: a short warm-up then a cosine decay to ~0 ends training at a flat point.
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.15)
    settings = {k: getattr(args, k) for k in ("epochs", "batch_size", "lr", "seed", "smoke")}

    done, elapsed = 0, 0.0
    if state_path.exists():
        state = load_checkpoint(state_path)
        if state["settings"] != settings:
            raise SystemExit(f"{state_path} was written with {state['settings']}, not {settings}; "
                             "rerun with those settings or pass another --work")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        generator.set_state(state["generator"])
        torch.set_rng_state(state["torch_rng"])  # dropout draws from the global stream
        done, elapsed = state["epoch"], state["seconds"]
        log(header(argv) + f"   resumed after epoch {done}")
    else:
        log(header(argv))
    started = time.perf_counter() - elapsed

    for epoch in range(done, args.epochs):
        model.train()
        order = torch.randperm(len(train_x), generator=generator)
        total = 0.0
        for i in range(steps_per_epoch):
            idx = order[i * args.batch_size:(i + 1) * args.batch_size]
            x = augment(train_x[idx], generator)
            loss = F.cross_entropy(model(x), train_y[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item()
        log(f"epoch {epoch + 1}/{args.epochs}: train loss {total / steps_per_epoch:.4f}, "
            f"test accuracy {accuracy(model, test_x, test_y):.4f}, "
            f"{time.perf_counter() - started:.0f} s")
        save_checkpoint(state_path, {
            "settings": settings, "epoch": epoch + 1, "seconds": time.perf_counter() - started,
            "model": model.state_dict(), "optimizer": optimizer.state_dict(),
            "schedule": schedule.state_dict(), "generator": generator.get_state(),
            "torch_rng": torch.get_rng_state()})

    model.eval()
    acc = accuracy(model, test_x, test_y)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    torch.save(state, out)
    log(f"test accuracy: {acc:.4f} ({round(acc * len(test_x))}/{len(test_x)})")
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    log(f"sha256: {file_digest(out, 'sha256')}")
    log(f"wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
