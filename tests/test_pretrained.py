"""The shipped reference DCGAN generator: verified weights, sample shapes, sample quality.

The quality test scores 1,000 samples with the shipped classifier; the thresholds sit below what
scripts/train_dcgan_reference.py logged for the shipped file, so they catch a wrong or broken
file (noise scores FD in the hundreds and few classes), not float rounding.
"""

import shutil

import pytest
import torch

from gan_lib.data.mnist import load_mnist
from gan_lib.sampling.latent import generate
from gan_lib.metrics import (
    WeightsError,
    classifier_outputs,
    load_mnist_classifier,
    sample_quality,
)
from gan_lib.models import DCGANGenerator, load_dcgan_mnist_generator
from gan_lib.models.pretrained import (
    DCGAN_MNIST_SHA256,
    DCGAN_MNIST_STEPS,
    DCGAN_MNIST_WEIGHTS,
    reference_training_log,
)
from gan_lib.runtime import file_digest


def test_shipped_file_matches_the_recorded_digest():
    assert file_digest(DCGAN_MNIST_WEIGHTS, "sha256") == DCGAN_MNIST_SHA256


def test_loads_in_eval_mode_and_samples_digits_in_range():
    generator = load_dcgan_mnist_generator()
    assert isinstance(generator, DCGANGenerator)
    assert not generator.training
    samples = generate(generator, n=16, seed=0)
    assert samples.shape == (16, 1, 28, 28)
    assert samples.min() >= -1 and samples.max() <= 1


def test_samples_are_recognisable_digits_of_every_class():
    generator = load_dcgan_mnist_generator()
    classifier = load_mnist_classifier()
    real, _ = load_mnist("test")
    real_features, _ = classifier_outputs(real[:1000], classifier=classifier)
    quality = sample_quality(generate(generator, n=1000, seed=0), reference=real_features,
                             classifier=classifier)
    assert quality.coverage.num_present == 10
    assert quality.coverage.confident_fraction > 0.6
    assert quality.fd < 80


def test_corrupt_weights_are_refused_with_a_fix(tmp_path):
    bad = tmp_path / "dcgan_mnist.pt"
    shutil.copy(DCGAN_MNIST_WEIGHTS, bad)
    data = bytearray(bad.read_bytes())
    data[-100] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(WeightsError, match="corrupt") as info:
        load_dcgan_mnist_generator(path=bad)
    assert str(bad) in str(info.value)
    assert "scripts/train_dcgan_reference.py" in str(info.value)


def test_missing_weights_are_reported_with_a_fix(tmp_path):
    missing = tmp_path / "nope.pt"
    with pytest.raises(WeightsError, match="not found") as info:
        load_dcgan_mnist_generator(path=missing)
    assert "scripts/train_dcgan_reference.py" in str(info.value)


def test_a_file_made_yourself_loads_without_a_digest(tmp_path):
    torch.manual_seed(0)
    mine = DCGANGenerator(base_width=32)
    path = tmp_path / "mine.pt"
    torch.save(mine.state_dict(), path)
    loaded = load_dcgan_mnist_generator(path=path, sha256=None)
    for a, b in zip(mine.state_dict().values(), loaded.state_dict().values()):
        torch.testing.assert_close(a, b)


def test_training_log_covers_the_run_that_made_the_weights():
    rows = reference_training_log()
    steps = [r["step"] for r in rows]
    assert steps == sorted(steps) and steps[-1] == DCGAN_MNIST_STEPS
    assert all(0 <= r["confident"] <= 1 and 1 <= r["classes"] <= 10 and r["fd"] > 0 for r in rows)


def test_a_file_that_is_not_a_training_log_is_refused(tmp_path):
    other = tmp_path / "other.log"
    other.write_text("epoch 1/4: train loss 0.4679\n")
    with pytest.raises(ValueError, match="no evaluation lines"):
        reference_training_log(other)
