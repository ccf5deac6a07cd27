"""Shared fixtures. MNIST comes from GAN_LIB_DATA (CI: ../shared/data) or torchvision's download."""

from __future__ import annotations

import matplotlib
import pytest

# Tests draw figures without a display; notebooks (nbval, papermill) keep the inline backend.
matplotlib.use("Agg")


@pytest.fixture(scope="session")
def mnist_test():
    from gan_lib.data.mnist import load_mnist

    return load_mnist("test")


# Device-parametrised tests: CUDA cases run where a GPU is present and skip cleanly elsewhere.
def _devices():
    import torch

    no_gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU")
    return ["cpu", pytest.param("cuda", marks=no_gpu)]


DEVICES = _devices()


@pytest.fixture(params=DEVICES)
def device(request):
    return request.param
