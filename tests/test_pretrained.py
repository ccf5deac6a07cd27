"""The shipped reference DCGAN generator through the registry: sample shapes, sample quality,
refused files, its training log.

The quality test scores 1,000 samples with the shipped classifier; its thresholds sit far from
what noise or a wrong file scores (FD in the hundreds, few classes). The exact logged numbers are
re-computed by tests/test_weights_registry.py.
"""

import dataclasses
import shutil

import pytest

from gan_lib import weights
from gan_lib.data.mnist import load_mnist
from gan_lib.metrics import classifier_outputs, load_mnist_classifier, sample_quality
from gan_lib.models import DCGANGenerator
from gan_lib.sampling.latent import generate

ENTRY = weights.get("dcgan_mnist_reference")
LOG = weights.get("dcgan_mnist_reference_log")


def test_loads_in_eval_mode_and_samples_digits_in_range():
    generator = ENTRY.load()
    assert isinstance(generator, DCGANGenerator)
    assert not generator.training
    samples = generate(generator, n=16, seed=0)
    assert samples.shape == (16, 1, 28, 28)
    assert samples.min() >= -1 and samples.max() <= 1


def test_samples_are_recognisable_digits_of_every_class():
    generator = ENTRY.load()
    classifier = load_mnist_classifier()
    real, _ = load_mnist("test")
    real_features, _ = classifier_outputs(real[:1000], classifier=classifier)
    quality = sample_quality(generate(generator, n=1000, seed=0), reference=real_features,
                             classifier=classifier)
    assert quality.coverage.num_present == 10
    assert quality.coverage.confident_fraction > 0.6
    assert quality.fd < 80


def test_corrupt_weights_are_refused_naming_the_recipe(tmp_path):
    shutil.copy(ENTRY.path, tmp_path / ENTRY.file)
    data = bytearray((tmp_path / ENTRY.file).read_bytes())
    data[-100] ^= 0xFF
    (tmp_path / ENTRY.file).write_bytes(bytes(data))
    moved = dataclasses.replace(ENTRY, root=tmp_path)
    with pytest.raises(weights.WeightsError, match="corrupt") as info:
        moved.load()
    assert str(tmp_path / ENTRY.file) in str(info.value)
    assert "recipes/dcgan_mnist_reference.py" in str(info.value)


def test_missing_weights_are_reported_naming_the_recipe(tmp_path):
    with pytest.raises(weights.WeightsError, match="not found") as info:
        dataclasses.replace(ENTRY, root=tmp_path).load()
    assert "recipes/dcgan_mnist_reference.py" in str(info.value)


def test_training_log_covers_the_run_that_made_the_weights():
    rows = LOG.load()
    steps = [r["step"] for r in rows]
    assert steps == list(range(1000, 16001, 1000)) and steps[-1] == ENTRY.provenance["steps"]
    assert all(0 <= r["confident"] <= 1 and 1 <= r["classes"] <= 10 and r["fd"] > 0 for r in rows)
    assert rows[0] == dict(step=1000, confident=0.577, classes=10, fd=87.05, seconds=71)


def test_a_file_that_is_not_a_training_log_is_refused(tmp_path):
    (tmp_path / LOG.file).write_text("epoch 1/4: train loss 0.4679\n")
    with pytest.raises(ValueError, match="no evaluation lines"):
        weights.readers.read_dcgan_log(tmp_path / LOG.file)
