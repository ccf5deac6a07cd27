"""MNIST as tensors, fetched through torchvision and verified byte for byte.

`load_mnist` returns the whole split as one float tensor scaled to [-1, 1] (the range of a tanh
generator), so training code samples batches by index from device memory instead of running a
DataLoader with per-sample PIL transforms.

Where the files live: the `root` argument, else the `GAN_LIB_DATA` environment variable, else a
per-user cache directory. Inside the root, torchvision's own layout is used (`MNIST/raw/...`), so
a folder prepared for torchvision works here unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

from gan_lib.runtime import file_digest

__all__ = [
    "check_images",
    "MNIST_MD5",
    "DataNotFoundError",
    "ChecksumError",
    "default_data_root",
    "load_mnist",
    "verify_mnist",
]

ENV_VAR = "GAN_LIB_DATA"

# md5 of the uncompressed files of the standard release, as torchvision unpacks them.
MNIST_MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
_SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class DataNotFoundError(FileNotFoundError):
    """The dataset is not on disk and could not be downloaded."""


class ChecksumError(RuntimeError):
    """A dataset file is on disk but its bytes are not the published ones."""


def default_data_root() -> Path:
    """`GAN_LIB_DATA` if set, else `$XDG_CACHE_HOME/gan_lib` (default `~/.cache/gan_lib`)."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "gan_lib"



def verify_mnist(root: str | os.PathLike, split: str = "train") -> None:
    """Check the raw files of `split` under `root/MNIST/raw` against their published md5.

    Raises:
        ChecksumError: naming the file whose bytes differ, with both digests.
    """
    raw = Path(root) / "MNIST" / "raw"
    for name in _SPLIT_FILES[split]:
        path = raw / name
        actual = file_digest(path, "md5")
        if actual != MNIST_MD5[name]:
            raise ChecksumError(
                f"MNIST checksum failed for {path}: md5 is {actual}, expected {MNIST_MD5[name]}. "
                "The file is corrupt or truncated. Delete it and call load_mnist(download=True) "
                f"to fetch it again, or copy a good one into {raw}."
            )


def _missing_message(root: Path, split: str, reason: str, where: str) -> str:
    raw = root / "MNIST" / "raw"
    return (
        f"MNIST ({split} split) is not in {raw} and {reason}. "
        f"The root came from {where}. To fix: either go online and call "
        f"load_mnist(download=True), or put the four uncompressed MNIST files "
        f"({', '.join(MNIST_MD5)}) in <dir>/MNIST/raw and set {ENV_VAR}=<dir> "
        f"(or pass root=<dir>)."
    )


def load_mnist(
    split: str = "train",
    root: str | os.PathLike | None = None,
    download: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Load an MNIST split as tensors.

    Args:
        split: "train" (60,000 images) or "test" (10,000 images).
        root: folder holding `MNIST/raw/`; default `GAN_LIB_DATA`, else a user cache dir.
        download: fetch the files with torchvision when they are missing.

    Returns:
        images: float32 (N, 1, 28, 28), pixel bytes b mapped to b / 127.5 - 1, so in [-1, 1].
        labels: int64 (N,), digits 0-9.

    Raises:
        ValueError: unknown split.
        DataNotFoundError: files missing and not downloadable (offline, or download=False).
        ChecksumError: a file on disk does not have the published md5.
    """
    if split not in _SPLIT_FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    from torchvision.datasets import MNIST  # deferred: importing torchvision is slow

    if root is not None:
        where = "the root argument"
    elif os.environ.get(ENV_VAR):
        where = f"the {ENV_VAR} environment variable"
    else:
        where = f"the default cache ({ENV_VAR} is not set)"
    root = Path(root).expanduser() if root is not None else default_data_root()
    raw = root / "MNIST" / "raw"
    have_files = all((raw / name).is_file() for name in _SPLIT_FILES[split])
    if not have_files:
        if not download:
            raise DataNotFoundError(_missing_message(root, split, "download=False", where))
        try:
            root.mkdir(parents=True, exist_ok=True)
            MNIST(str(root), train=True, download=True)  # fetches all four files
        except Exception as err:  # torchvision raises URLError/RuntimeError/OSError offline
            summary = f"{type(err).__name__}: {err}".splitlines()[0][:200]
            raise DataNotFoundError(
                _missing_message(root, split, f"the download failed ({summary})", where)
            ) from None
    verify_mnist(root, split)
    dataset = MNIST(str(root), train=(split == "train"), download=False)
    images = dataset.data.unsqueeze(1).to(torch.float32).div_(127.5).sub_(1.0)
    labels = dataset.targets.to(torch.int64)
    return images, labels


#: how far outside [-1, 1] an image may stray (float error of a tanh or a rescale)
_RANGE_TOLERANCE = 1e-3


def check_images(images: torch.Tensor, *, name: str = "images") -> None:
    """Raise a clear error unless `images` is a float tensor (N, 1, 28, 28) with values in [-1, 1].

    Args:
        images: the batch to check.
        name: how to call it in the error message.
    """
    if not isinstance(images, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(images).__name__}")
    if not images.is_floating_point():
        raise TypeError(
            f"{name} must be a float tensor in [-1, 1], got dtype {images.dtype}; "
            "convert uint8 pixels with x.float() / 127.5 - 1"
        )
    if images.dim() != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        hint = " (add the channel axis with x.unsqueeze(1))" if images.dim() == 3 else ""
        raise ValueError(
            f"{name} must have shape (N, 1, 28, 28), got {tuple(images.shape)}{hint}"
        )
    if images.shape[0] == 0:
        raise ValueError(f"{name} is empty; pass at least one image")
    lo, hi = images.min().item(), images.max().item()
    if lo < -1 - _RANGE_TOLERANCE or hi > 1 + _RANGE_TOLERANCE:
        raise ValueError(
            f"{name} must lie in [-1, 1] like gan_lib.data's images, got values in "
            f"[{lo:.3g}, {hi:.3g}]; rescale pixels in [0, 255] with x / 127.5 - 1, or clamp "
            "a generator without tanh with x.clamp(-1, 1)"
        )
