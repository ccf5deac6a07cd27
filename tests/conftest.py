"""Shared fixtures. MNIST comes from GAN_LIB_DATA (CI: ../shared/data) or torchvision's download."""

from __future__ import annotations

import matplotlib
import pytest

# Tests draw figures without a display; notebooks (nbval, papermill) keep the inline backend.
matplotlib.use("Agg")


@pytest.fixture(scope="session")
def mnist_test():
    from gan_lib.data import load_mnist

    return load_mnist("test")
