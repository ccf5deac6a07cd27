"""The shipped MNIST classifier: architecture, verified weights, accuracy, input checks.

The accuracy test reads the MNIST test split through gan_lib.data. Without the data it fails
with the loader's message (set GAN_LIB_DATA); it is never skipped.
"""

import dataclasses
import hashlib
import shutil

import pytest
import torch

from gan_lib import weights
from gan_lib.data.mnist import load_mnist
from gan_lib.metrics import (
    MNISTClassifier,
    classifier_fd,
    classifier_outputs,
    load_mnist_classifier,
)

ENTRY = weights.get("mnist_classifier")


@pytest.fixture(scope="module")
def classifier():
    return load_mnist_classifier()


@pytest.fixture(scope="module")
def test_split():
    return load_mnist("test")


def test_architecture_shapes_and_parameter_count():
    model = MNISTClassifier().eval()
    x = torch.zeros(3, 1, 28, 28)
    assert model.features(x).shape == (3, 128)
    assert model(x).shape == (3, 10)
    # convs (no bias) + BN: 144+32, 4608+64, 18432+128; fc 576*128+128; head 128*10+10
    assert sum(p.numel() for p in model.parameters()) == 98_554


def test_shipped_weights_are_small_and_match_the_recorded_digest():
    assert ENTRY.path.stat().st_size < 2_000_000
    assert hashlib.sha256(ENTRY.path.read_bytes()).hexdigest() == ENTRY.sha256


def test_the_shorthand_loads_the_registry_entry(classifier):
    assert isinstance(classifier, MNISTClassifier)
    for a, b in zip(classifier.state_dict().values(), ENTRY.load().state_dict().values()):
        assert torch.equal(a, b)


def test_loaded_classifier_is_in_eval_mode_on_cpu(classifier):
    assert not classifier.training
    assert next(classifier.parameters()).device.type == "cpu"


def test_test_split_accuracy_is_at_least_99_percent(classifier, test_split):
    images, labels = test_split
    _, probs = classifier_outputs(images, classifier=classifier, batch_size=1000)
    accuracy = (probs.argmax(1) == labels).double().mean().item()
    assert accuracy >= 0.99, accuracy


def test_outputs_do_not_depend_on_batching(classifier, test_split):
    images = test_split[0][:40]
    f1, p1 = classifier_outputs(images, classifier=classifier, batch_size=7)
    f2, p2 = classifier_outputs(images, classifier=classifier, batch_size=40)
    assert f1.shape == (40, 128) and p1.shape == (40, 10)
    torch.testing.assert_close(f1, f2, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(p1, p2, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(p1.sum(1), torch.ones(40))
    with torch.no_grad():
        torch.testing.assert_close(p1, classifier(images).softmax(1), atol=1e-6, rtol=1e-5)


def test_classifier_fd_separates_real_from_noise(classifier, test_split):
    images = test_split[0]
    real_vs_real = classifier_fd(images[:500], images[500:1000], classifier=classifier)
    noise = torch.rand(500, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    real_vs_noise = classifier_fd(images[:500], noise, classifier=classifier)
    assert classifier_fd(images[:500], images[:500], classifier=classifier) < 1e-6
    assert real_vs_noise > 20 * real_vs_real


def test_corrupt_weights_are_refused_with_a_fix(tmp_path):
    bad = tmp_path / ENTRY.file
    shutil.copy(ENTRY.path, bad)
    data = bytearray(bad.read_bytes())
    data[-100] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(weights.WeightsError, match="corrupt") as info:
        dataclasses.replace(ENTRY, root=tmp_path).load()
    assert str(bad) in str(info.value)
    assert "recipes/mnist_classifier.py" in str(info.value)


def test_missing_weights_are_reported_with_a_fix(tmp_path):
    with pytest.raises(weights.WeightsError, match="not found") as info:
        dataclasses.replace(ENTRY, root=tmp_path).load()
    assert str(tmp_path / ENTRY.file) in str(info.value)
    assert "recipes/mnist_classifier.py" in str(info.value)


@pytest.mark.parametrize(
    "images, error, message",
    [
        (torch.zeros(4, 28, 28), ValueError, r"unsqueeze\(1\)"),
        (torch.zeros(4, 3, 28, 28), ValueError, r"shape \(N, 1, 28, 28\)"),
        (torch.zeros(4, 1, 28, 28, dtype=torch.uint8), TypeError, "float"),
        (torch.full((4, 1, 28, 28), 255.0), ValueError, r"x / 127.5 - 1"),
        (torch.zeros(0, 1, 28, 28), ValueError, "empty"),
        ([[0.0]], TypeError, "torch.Tensor"),
    ],
)
def test_bad_images_are_rejected_clearly(classifier, images, error, message):
    with pytest.raises(error, match=message):
        classifier_outputs(images, classifier=classifier)


def test_classifier_fd_names_the_bad_argument(classifier):
    good = torch.zeros(4, 1, 28, 28)
    with pytest.raises(ValueError, match="images_b must have shape"):
        classifier_fd(good, torch.zeros(4, 784), classifier=classifier)


def test_training_mode_classifier_is_refused():
    with pytest.raises(ValueError, match="eval"):
        classifier_outputs(torch.zeros(2, 1, 28, 28), classifier=MNISTClassifier())
