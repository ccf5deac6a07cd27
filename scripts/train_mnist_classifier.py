"""Train the MNIST classifier that gan_lib.metrics ships, and write its weights.

    GAN_LIB_DATA=<dir with MNIST/raw> python scripts/train_mnist_classifier.py [--epochs 4]

Reproducible: a fixed seed, a fixed number of epochs, one thread count. It prints the test
accuracy, writes a plain state_dict to gan_lib/weights/files/mnist_classifier.pt and prints the
file's sha256, which goes into WEIGHTS_SHA256 in gan_lib/metrics/classifier.py. The same seed
gives the same bytes with the same torch version, CPU type and thread count (default 1, also the
fastest choice when other jobs share the cores); elsewhere float rounding may differ in the last
bits, which changes the digest but not the accuracy beyond noise.

Training uses light augmentation: random rotations of up to 10 degrees, scaling by 0.9-1.1 and
shifts of up to 2 pixels, applied to whole batches on the tensor side. Generated digits are
rarely as well centred as MNIST's, and a judge that has seen slightly moved digits is less
surprised by them.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from gan_lib.train.classifier import accuracy
from gan_lib.data.mnist import load_mnist
from gan_lib.metrics.classifier import WEIGHTS_PATH, MNISTClassifier
from gan_lib.runtime import file_digest, seed_everything


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads; part of what makes the bytes reproducible")
    parser.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    generator = seed_everything(args.seed)
    train_x, train_y = load_mnist("train")
    test_x, test_y = load_mnist("test")
    model = MNISTClassifier()
    steps_per_epoch = len(train_x) // args.batch_size
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    # One-cycle: a short warm-up then a cosine decay to ~0 ends training at a flat point.
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.15)

    started = time.perf_counter()
    for epoch in range(args.epochs):
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
        print(f"epoch {epoch + 1}/{args.epochs}: train loss {total / steps_per_epoch:.4f}, "
              f"test accuracy {accuracy(model, test_x, test_y):.4f}, "
              f"{time.perf_counter() - started:.0f} s", flush=True)

    model.eval()
    acc = accuracy(model, test_x, test_y)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    torch.save(state, args.out)
    digest = file_digest(args.out, "sha256")
    print(f"test accuracy: {acc:.4f} ({round(acc * len(test_x))}/{len(test_x)})")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"sha256: {digest}")
    print(f"wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
