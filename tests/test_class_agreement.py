"""Class agreement: hand-checked numbers on constructed probabilities, the shipped classifier on
real test digits (true labels agree, shifted labels do not), and the input checks."""

import math

import pytest
import torch

from gan_lib.metrics import agreement_from_probs, class_agreement, load_mnist_classifier


def probs_for(pred, top, k=3):
    """Rows with max probability `top` on class `pred`, the rest spread evenly."""
    p = torch.full((len(pred), k), 0.0)
    for i, (c, t) in enumerate(zip(pred, top)):
        p[i] = (1 - t) / (k - 1)
        p[i, c] = t
    return p


def test_agreement_from_constructed_probabilities():
    # requested 0, 0, 1, 1, 1 ; predicted 0, 1, 1, 1, 2 ; top 0.95, 0.5, 0.99, 0.6, 0.97
    probs = probs_for([0, 1, 1, 1, 2], [0.95, 0.5, 0.99, 0.6, 0.97])
    labels = torch.tensor([0, 0, 1, 1, 1])
    a = agreement_from_probs(probs, labels, confidence=0.9)
    assert a.n_samples == 5
    assert math.isclose(a.agreement, 3 / 5)
    assert a.per_class[0] == 1 / 2 and a.per_class[1] == 2 / 3
    assert math.isnan(a.per_class[2])  # class 2 was never requested
    assert a.requested_counts == (2, 3, 0)
    assert math.isclose(a.confident_fraction, 3 / 5)  # 0.95, 0.99, 0.97
    assert math.isclose(a.confident_agreement, 2 / 5)  # 0.95 (class 0) and 0.99 (class 1)
    assert a.confusion == ((1, 1, 0), (0, 2, 1), (0, 0, 0))
    assert a.worst_class == 0
    assert "class agreement:     0.600" in a.summary()


def test_real_digits_agree_with_their_labels_and_not_with_shifted_ones(mnist_test):
    images, labels = mnist_test
    images, labels = images[:1000], labels[:1000]
    classifier = load_mnist_classifier()
    right = class_agreement(images, labels, classifier=classifier)
    assert right.agreement >= 0.98, right.agreement
    assert min(right.per_class) >= 0.9
    assert right.confident_fraction >= 0.95
    assert sum(right.requested_counts) == 1000
    wrong = class_agreement(images, (labels + 1) % 10, classifier=classifier)
    assert wrong.agreement <= 0.02, wrong.agreement
    # confidence is about the images, not the labels
    assert wrong.confident_fraction == right.confident_fraction
    assert wrong.confident_agreement <= wrong.agreement


@pytest.mark.parametrize(
    "labels, error, match",
    [
        (torch.tensor([0, 1, 2.0]), TypeError, r"torch\.long"),
        (torch.tensor([0, 1, 10]), ValueError, r"\[0, 9\].*got 10 at index 2"),
        (torch.tensor([0, 1]), ValueError, "2 labels for a batch of 3"),
        (torch.tensor([[0], [1], [2]]), ValueError, r"squeeze\(1\)"),
    ],
)
def test_bad_labels(labels, error, match):
    with pytest.raises(error, match=match):
        class_agreement(torch.zeros(3, 1, 28, 28), labels)


def test_bad_images_probs_and_confidence():
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        class_agreement(torch.zeros(3, 28, 28), torch.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        class_agreement(torch.full((3, 1, 28, 28), 255.0), torch.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match="confidence"):
        class_agreement(torch.zeros(3, 1, 28, 28), torch.tensor([0, 1, 2]), confidence=0)
    with pytest.raises(ValueError, match="not logits"):
        agreement_from_probs(torch.randn(3, 10), torch.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        agreement_from_probs(probs_for([0, 1], [0.9, 0.9]), torch.tensor([0, 3]))
