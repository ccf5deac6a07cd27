"""Train the reference DCGAN generator that gan_lib ships, and write its weights.

    GAN_LIB_DATA=<dir with MNIST/raw> python scripts/train_dcgan_reference.py [--steps 16000]

The chapter on DCGANs trains for a few CPU minutes. This script trains the *same* networks with
the *same* settings as that chapter's `cpu` profile (base width 32 in both networks, Adam with
learning rate 1e-3 and betas (0.5, 0.999), batch 64, non-saturating loss, seed 0) for many more
steps, so that the chapter can show what longer training buys without making the reader wait.

Every `--eval-every` steps it scores the generator the way the chapter does (2,000 samples from
fixed noise, the shipped MNIST classifier: confident fraction, classes present, classifier FD to
2,000 real test digits) and prints a line; the log beside the weights keeps those lines. At the
end it writes the generator's state_dict to gan_lib/weights/files/dcgan_mnist.pt and prints its
sha256, which goes into DCGAN_MNIST_SHA256 in gan_lib/models/pretrained.py.

Training state is checkpointed (`--work`), so an interrupted run continues with `--resume` and
ends with the same weights. The same seed and thread count give the same bytes on the same
torch version and CPU type.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch

from gan_lib.data.mnist import load_mnist
from gan_lib.sampling.latent import generate, sample_latent
from gan_lib.metrics import classifier_outputs, gaussian_stats, load_mnist_classifier, sample_quality
from gan_lib.models import DCGANDiscriminator, DCGANGenerator
from gan_lib.models.pretrained import DCGAN_MNIST_CONFIG, DCGAN_MNIST_WEIGHTS
from gan_lib.train import fit
from gan_lib.runtime import file_digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=16000)
    parser.add_argument("--eval-every", type=int, default=1000)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--n-eval", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2,
                        help="torch CPU threads; part of what makes the bytes reproducible")
    parser.add_argument("--work", type=Path, default=Path("dcgan_reference_state.pt"),
                        help="training-state checkpoint (deleted at the end)")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--out", type=Path, default=DCGAN_MNIST_WEIGHTS)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    train_images, _ = load_mnist("train")
    test_images, _ = load_mnist("test")
    classifier = load_mnist_classifier()
    real_stats = gaussian_stats(classifier_outputs(test_images[: args.n_eval],
                                                   classifier=classifier)[0])
    # the chapter's evaluation noise: seed 1, drawn once
    z_eval = sample_latent(args.n_eval, 100, generator=torch.Generator().manual_seed(1))

    torch.manual_seed(args.seed)  # the chapter seeds the same way before building the pair
    generator = DCGANGenerator(**DCGAN_MNIST_CONFIG)
    discriminator = DCGANDiscriminator(**DCGAN_MNIST_CONFIG)
    started = time.perf_counter()

    def report(step, g, d, history):
        if step % args.eval_every and step != args.steps:
            return
        quality = sample_quality(generate(g, z=z_eval), reference=real_stats,
                                 classifier=classifier)
        coverage, fd = quality.coverage, quality.fd
        print(f"step {step:6d}: confident {coverage.confident_fraction:.3f}, "
              f"classes {coverage.num_present}, classifier FD {fd:7.2f}, "
              f"{time.perf_counter() - started:5.0f} s", flush=True)

    fit(generator, discriminator, train_images, steps=args.steps, lr_g=args.lr, lr_d=args.lr,
        device="cpu", seed=args.seed, callbacks=[report], progress=False,
        checkpoint=args.work, checkpoint_every=args.eval_every, resume=args.resume)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().clone().contiguous() for k, v in generator.state_dict().items()}
    torch.save(state, args.out)
    args.work.unlink(missing_ok=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    print(f"sha256: {file_digest(args.out, 'sha256')}")
    print(f"wall time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
