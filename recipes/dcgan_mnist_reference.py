"""Recipe: the reference DCGAN generator that gan_lib ships (registry entry "dcgan_mnist_reference").

    GAN_LIB_DATA=<dir with MNIST/raw> python recipes/dcgan_mnist_reference.py --steps 16000 --threads 2

The chapter on DCGANs trains for a few CPU minutes. This recipe trains the *same* networks with
the *same* settings as that chapter's `cpu` profile (base width 32 in both networks, Adam with
learning rate 1e-3 and betas (0.5, 0.999), batch 64, non-saturating loss, seed 0) for many more
steps, so that the chapter can show what longer training buys without making the reader wait.

Every `--eval-every` steps it scores the generator the way the chapter does (2,000 samples from
the chapter's evaluation noise, seed 1; the shipped MNIST classifier: confident fraction, classes
present, classifier FD to the first 2,000 real test digits) and appends a line to
`dcgan_mnist.log` in the work folder (default ~/.cache/gan_book/recipes/dcgan_mnist_reference/).
`fit` checkpoints the full training state there every `--eval-every` steps: rerunning the same
command after a kill resumes exactly and ends with the same weights (the seconds in the log then
count from the restart). At the end the generator's state_dict goes to `dcgan_mnist.pt` there,
with its sha256; CONTRIBUTING.md says how to publish it. `--smoke`: 4 steps on 512 digits in a
temporary folder.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from _recipe import Log, header, mnist_sample_quality, work_dir
from gan_lib.data.mnist import load_mnist
from gan_lib.models import DCGANDiscriminator, DCGANGenerator
from gan_lib.runtime import file_digest
from gan_lib.train import fit

NAME = "dcgan_mnist_reference"
MODEL = dict(base_width=32)  # keyword arguments of both networks (the registry records them)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=16000)
    parser.add_argument("--eval-every", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2,
                        help="torch CPU threads; part of what makes the bytes reproducible")
    parser.add_argument("--work", type=Path, default=None, help="state, log and weights")
    parser.add_argument("--smoke", action="store_true", help="4 steps on 512 digits (CI)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.steps, args.eval_every, args.n_eval = 4, 2, 64
    work = work_dir(NAME, args.work, smoke=args.smoke)
    out = work / "dcgan_mnist.pt"
    log = Log(work / "dcgan_mnist.log")

    torch.set_num_threads(args.threads)
    train_images, _ = load_mnist("train")
    if args.smoke:
        train_images = train_images[:512]
    quality = mnist_sample_quality(args.n_eval)  # the chapter's protocol

    torch.manual_seed(args.seed)  # the chapter seeds the same way before building the pair
    generator = DCGANGenerator(**MODEL)
    discriminator = DCGANDiscriminator(**MODEL)
    log(header(argv))
    started = time.perf_counter()

    def report(step, g, d, history):
        if step % args.eval_every and step != args.steps:
            return
        q = quality(g)
        log(f"step {step:6d}: confident {q['confident']:.3f}, "
            f"classes {q['classes']}, classifier FD {q['fd']:7.2f}, "
            f"{time.perf_counter() - started:5.0f} s")

    fit(generator, discriminator, train_images, steps=args.steps, lr_g=args.lr, lr_d=args.lr,
        device="cpu", seed=args.seed, callbacks=[report], progress=False,
        checkpoint=work / "state.pt", checkpoint_every=args.eval_every, resume=True)

    state = {k: v.detach().clone().contiguous() for k, v in generator.state_dict().items()}
    torch.save(state, out)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    log(f"sha256: {file_digest(out, 'sha256')}")
    log(f"wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
