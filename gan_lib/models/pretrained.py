"""A DCGAN generator trained for longer than a chapter can afford, shipped with the package.

`scripts/train_dcgan_reference.py` trained it with the `cpu` profile's networks and settings of
the DCGAN chapter (base width 32 in both networks, Adam with learning rate 1e-3, batch 64,
seed 0), only for many more steps. Its log, `weights/dcgan_mnist.log`, records the sample
quality every 1,000 steps. Only the generator ships: sampling needs nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

from gan_lib.weights.verify import load_verified_state_dict

from .dcgan import DCGANGenerator

__all__ = [
    "DCGAN_MNIST_CONFIG",
    "DCGAN_MNIST_SHA256",
    "DCGAN_MNIST_STEPS",
    "DCGAN_MNIST_WEIGHTS",
    "DCGAN_MNIST_LOG",
    "load_dcgan_mnist_generator",
    "reference_training_log",
]

DCGAN_MNIST_WEIGHTS = Path(__file__).parents[1] / "weights" / "files" / "dcgan_mnist.pt"
DCGAN_MNIST_LOG = DCGAN_MNIST_WEIGHTS.with_suffix(".log")  # what the script printed
DCGAN_MNIST_CONFIG = dict(base_width=32)  # keyword arguments of both networks
# as printed by scripts/train_dcgan_reference.py
DCGAN_MNIST_STEPS = 16000
DCGAN_MNIST_SHA256 = "9b2aa3710c6c00b0dedb4e3cc5b07c539dd64fe85ce2b31c807adf7cb94bcb16"
_REGENERATE = (
    "Regenerate it with `GAN_LIB_DATA=<mnist dir> python scripts/train_dcgan_reference.py` "
    "(about 20 minutes on two CPU cores), then copy the sha256 it prints into "
    "DCGAN_MNIST_SHA256 in gan_lib/models/pretrained.py"
)


def load_dcgan_mnist_generator(
    device: str | torch.device | None = None,
    *,
    path: str | Path | None = None,
    sha256: str | None = DCGAN_MNIST_SHA256,
) -> DCGANGenerator:
    """The shipped reference generator (28x28 MNIST digits) with verified weights, in eval mode.

    Args:
        device: where to put it; default CPU.
        path: a weights file to load instead of the shipped one (e.g. one the script just wrote).
        sha256: the digest the file must have; None skips the check (only for `path` files
            you made yourself).

    Raises:
        WeightsError: the file is missing or its sha256 differs, with how to regenerate it.
    """
    state = load_verified_state_dict(
        DCGAN_MNIST_WEIGHTS if path is None else path, sha256,
        what="reference DCGAN generator weights", regenerate=_REGENERATE,
    )
    generator = DCGANGenerator(**DCGAN_MNIST_CONFIG)
    generator.load_state_dict(state)
    return generator.to(device or "cpu").eval()


_LOG_LINE = re.compile(
    r"step\s+(\d+): confident ([\d.]+), classes (\d+), classifier FD\s+([\d.]+),\s+(\d+) s"
)


def reference_training_log(path: str | Path = DCGAN_MNIST_LOG) -> list[dict[str, float]]:
    """The quality the training script logged along the way, one dict per evaluation.

    Keys: step, confident (fraction of samples classified with confidence >= 0.9), classes
    (classes present), fd (classifier FD to real test digits), seconds (since the start).
    """
    rows = [
        dict(step=int(m[1]), confident=float(m[2]), classes=int(m[3]), fd=float(m[4]),
             seconds=int(m[5]))
        for m in _LOG_LINE.finditer(Path(path).read_text())
    ]
    if not rows:
        raise ValueError(f"no evaluation lines in {path}; is it a train_dcgan_reference.py log?")
    return rows
