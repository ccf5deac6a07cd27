import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from gan_lib.data.mnist import ChecksumError, DataNotFoundError, default_data_root, load_mnist


def _raw_dir() -> Path:
    return default_data_root() / "MNIST" / "raw"


def _idx_bytes(name: str, header: int) -> np.ndarray:
    return np.frombuffer((_raw_dir() / name).read_bytes()[header:], dtype=np.uint8)


def test_test_split_is_the_mnist_bytes_scaled(mnist_test):
    images, labels = mnist_test
    assert images.shape == (10000, 1, 28, 28) and images.dtype == torch.float32
    assert labels.shape == (10000,) and labels.dtype == torch.int64
    raw = torch.from_numpy(_idx_bytes("t10k-images-idx3-ubyte", 16).copy()).reshape(10000, 1, 28, 28)
    assert torch.equal(images, raw.float() / 127.5 - 1)
    assert images.min().item() == -1.0 and images.max().item() == 1.0
    assert torch.equal(labels, torch.from_numpy(_idx_bytes("t10k-labels-idx1-ubyte", 8).astype(np.int64)))
    # published class counts of the test split
    assert torch.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_train_split_shape_and_labels():
    images, labels = load_mnist("train")
    assert images.shape == (60000, 1, 28, 28)
    assert torch.bincount(labels).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert labels[:5].tolist() == [5, 0, 4, 1, 9]


def test_unknown_split():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        load_mnist("validation")


def test_missing_without_download_names_the_fix(tmp_path):
    with pytest.raises(DataNotFoundError) as info:
        load_mnist("test", root=tmp_path, download=False)
    message = str(info.value)
    assert str(tmp_path / "MNIST" / "raw") in message
    assert "GAN_LIB_DATA" in message and "download=False" in message


def test_failed_download_is_a_clear_error_not_a_network_traceback(tmp_path, monkeypatch):
    from urllib.error import URLError

    import torchvision.datasets

    def offline(self):
        raise URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", offline)
    with pytest.raises(DataNotFoundError) as info:
        load_mnist("test", root=tmp_path, download=True)
    message = str(info.value)
    assert "download failed" in message and "URLError" in message
    assert "GAN_LIB_DATA" in message and str(tmp_path) in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_corrupt_file_names_the_file(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        shutil.copy(_raw_dir() / name, raw / name)
    labels = bytearray((raw / "t10k-labels-idx1-ubyte").read_bytes())
    labels[100] = (labels[100] + 1) % 10  # one wrong label
    (raw / "t10k-labels-idx1-ubyte").write_bytes(bytes(labels))
    with pytest.raises(ChecksumError, match="t10k-labels-idx1-ubyte") as info:
        load_mnist("test", root=tmp_path)
    assert "27ae3e4e09519cfbb04c329615203637" in str(info.value)
    assert (raw / "t10k-labels-idx1-ubyte").exists()  # the user's file is reported, never deleted


def test_root_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("GAN_LIB_DATA", str(tmp_path))
    assert default_data_root() == tmp_path
    monkeypatch.delenv("GAN_LIB_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_data_root() == tmp_path / "cache" / "gan_lib"


@pytest.mark.parametrize("how, expected", [
    ("argument", "The root came from the root argument."),
    ("env", "The root came from the GAN_LIB_DATA environment variable."),
    ("default", "The root came from the default cache (GAN_LIB_DATA is not set)."),
])
def test_missing_message_names_where_the_root_came_from(monkeypatch, tmp_path, how, expected):
    # the message must blame the source that really gave the root, in each direction
    monkeypatch.delenv("GAN_LIB_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if how == "env":
        monkeypatch.setenv("GAN_LIB_DATA", str(tmp_path / "env"))
    elif how == "argument":
        monkeypatch.setenv("GAN_LIB_DATA", str(tmp_path / "env"))  # set, but not used
    with pytest.raises(DataNotFoundError) as info:
        load_mnist("test", root=tmp_path / "arg" if how == "argument" else None, download=False)
    assert expected in str(info.value)
