"""Throughput of `gan_lib.train.fit` against a pytorch/examples-style DCGAN loop.

Both train the same models with the same batch size for the same number of steps, measured in one
run. The baseline reads MNIST the way pytorch/examples' dcgan/main.py does: a torchvision Dataset
whose ToTensor + Normalize transforms run per sample on PIL images, batched by a DataLoader with
worker processes, and a loop that calls .item() on its losses every step. `fit` gathers batches by
index from one tensor already on the device and fetches its numbers every `sync_every` steps.
The floor is the same update (G forward, D on real and fake, both backward passes, both Adam
steps) on one fixed batch already on the device, with no data path, no metrics and no sync: what
no loop can beat. The first `--warmup` steps of each are not timed.

With `--repeats R` the two methods alternate R times and the median time of each is reported,
so a machine whose load changes during the run (a shared CPU) biases neither side.

    python benchmarks/fit_vs_dataloader.py --device cpu --steps 200 --model mlp dcgan
    python benchmarks/fit_vs_dataloader.py --device cuda --steps 500 --model dcgan
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import torch
from torch import nn

from gan_lib.data.mnist import default_data_root, load_mnist
from gan_lib.models import DCGANDiscriminator, DCGANGenerator, MLPDiscriminator, MLPGenerator
from gan_lib.train import fit
from gan_lib.runtime import choose_device


def build(model: str, seed: int) -> tuple[nn.Module, nn.Module]:
    torch.manual_seed(seed)
    if model == "mlp":
        return MLPGenerator(), MLPDiscriminator()
    return DCGANGenerator(), DCGANDiscriminator()


def _synchronize(device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_fit(args, device, images) -> float:
    """Seconds for the timed steps of `fit`: a run of warmup + steps minus a run of warmup.

    No callback clocks the steps: a callback makes fit fetch its numbers every step, which is
    exactly the synchronisation the measurement must leave out.
    """
    seconds = []
    for steps in (args.warmup, args.warmup + args.steps):
        g, d = build(args.model, args.seed)
        _synchronize(device)
        start = time.perf_counter()
        fit(g, d, images, steps=steps, batch_size=args.batch_size, device=device,
            seed=args.seed, progress=False, compile=args.compile)
        _synchronize(device)
        seconds.append(time.perf_counter() - start)
    return seconds[1] - seconds[0]


def time_floor(args, device, images) -> float:
    """The same update on one fixed device batch: no data path, no metrics, no sync."""
    g, d = build(args.model, args.seed)
    g.to(device).train()
    d.to(device).train()
    fused = device.type == "cuda"
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999), fused=fused)
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999), fused=fused)
    real = images[: args.batch_size].to(device)
    z = torch.randn(args.batch_size, g.latent_dim, device=device)
    ones, zeros = torch.ones(args.batch_size, device=device), torch.zeros(args.batch_size, device=device)
    bce = nn.functional.binary_cross_entropy_with_logits
    start = None
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            _synchronize(device)
            start = time.perf_counter()
        fake = g(z)
        opt_d.zero_grad(set_to_none=True)
        (bce(d(real), ones) + bce(d(fake.detach()), zeros)).backward()
        opt_d.step()
        opt_g.zero_grad(set_to_none=True)
        bce(d(fake), ones).backward()
        opt_g.step()
    _synchronize(device)
    return time.perf_counter() - start


def time_dataloader(args, device) -> float:
    """The pytorch/examples dcgan loop, with its data pipeline, on the same models."""
    from torchvision import datasets, transforms

    dataset = datasets.MNIST(
        root=str(default_data_root()), train=True, download=False,
        transform=transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))]),
    )
    loader = torch.utils.data.DataLoader(
        dataset, batch_size=args.batch_size, shuffle=True, num_workers=args.workers,
        drop_last=True, pin_memory=device.type == "cuda",
    )
    net_g, net_d = build(args.model, args.seed)
    net_g.to(device)
    net_d.to(device)
    criterion = nn.BCEWithLogitsLoss()
    opt_d = torch.optim.Adam(net_d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(net_g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    total, step, start = args.warmup + args.steps, 0, None
    while step < total:
        for real, _ in loader:
            real = real.to(device)
            b = real.size(0)
            # (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
            net_d.zero_grad()
            out_real = net_d(real)
            err_real = criterion(out_real, torch.ones(b, device=device))
            err_real.backward()
            fake = net_g(torch.randn(b, net_g.latent_dim, device=device))
            out_fake = net_d(fake.detach())
            err_fake = criterion(out_fake, torch.zeros(b, device=device))
            err_fake.backward()
            opt_d.step()
            # (2) Update G: maximize log(D(G(z)))
            net_g.zero_grad()
            out_g = net_d(fake)
            err_g = criterion(out_g, torch.ones(b, device=device))
            err_g.backward()
            opt_g.step()
            # the example logs losses and D outputs every step (a sync, like fit's history)
            _ = ((err_real + err_fake).item(), err_g.item(), torch.sigmoid(out_real).mean().item(),
                 torch.sigmoid(out_fake).mean().item(), torch.sigmoid(out_g).mean().item())
            step += 1
            if step == args.warmup:
                start = time.perf_counter()
            if step == total:
                break
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default=None, help="cpu, cuda, ... (default: cuda if any)")
    parser.add_argument("--steps", type=int, default=200, help="timed steps (each method)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed steps first")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--model", nargs="+", choices=("mlp", "dcgan"), default=["dcgan"],
                        help="one or more of mlp, dcgan")
    parser.add_argument("--workers", type=int, default=2, help="DataLoader workers (examples: 2)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--repeats", type=int, default=1, help="alternating runs per method")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--compile", action="store_true",
                        help="fit with compile=True (compile time falls in both timed runs and "
                             "cancels out; the floor stays eager)")
    args = parser.parse_args()
    if args.warmup < 1 or args.steps < 1 or args.repeats < 1:
        parser.error("--warmup, --steps and --repeats must be >= 1")
    if args.threads:
        torch.set_num_threads(args.threads)
    device = choose_device(args.device)
    images, _ = load_mnist("train")
    hardware = (torch.cuda.get_device_name(device) if device.type == "cuda"
                else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} "
                     "torch threads")
    print(f"device={device} ({hardware}) torch={torch.__version__} batch_size={args.batch_size} "
          f"timed steps={args.steps} (after {args.warmup} warm-up) workers={args.workers} "
          f"repeats={args.repeats} compile={args.compile}")
    models = list(dict.fromkeys(args.model))
    for model in models:
        args.model = model
        runs: dict[str, list[float]] = {"fit (tensor on device)": [], "DataLoader loop": [],
                                        "floor (fixed batch)": []}
        for _ in range(args.repeats):
            runs["fit (tensor on device)"].append(time_fit(args, device, images))
            runs["DataLoader loop"].append(time_dataloader(args, device))
            runs["floor (fixed batch)"].append(time_floor(args, device, images))
        seconds = {name: statistics.median(times) for name, times in runs.items()}
        print(f"\nmodel={model}")
        for name, sec in seconds.items():
            print(f"  {name:24s} {args.steps / sec:9.2f} steps/s "
                  f"{args.steps * args.batch_size / sec:11.0f} images/s")
        ratio = seconds["DataLoader loop"] / seconds["fit (tensor on device)"]
        print(f"  fit / DataLoader throughput ratio: {ratio:.2f}x")
        floor = seconds["fit (tensor on device)"] / seconds["floor (fixed batch)"]
        print(f"  fit time / floor time:             {floor:.2f}x")


if __name__ == "__main__":
    main()
