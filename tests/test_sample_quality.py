"""Class coverage: hand-computed reports from constructed probabilities, and real digits."""

import dataclasses
import math

import pytest
import torch

from gan_lib.data.mnist import load_mnist
from gan_lib.metrics import (
    ClassCoverage,
    classifier_fd,
    classifier_outputs,
    class_coverage,
    coverage_from_probs,
    gaussian_stats,
    load_mnist_classifier,
)
from gan_lib.metrics.sample_quality import SampleQuality, sample_quality


def test_hand_computed_report():
    probs = torch.zeros(4, 10)
    probs[0, 0] = probs[1, 0] = 1.0
    probs[2, 1] = probs[2, 2] = 0.5  # a tie: argmax takes the first, class 1; not confident
    probs[3, 3], probs[3, 0] = 0.95, 0.05
    report = coverage_from_probs(probs, confidence=0.9)
    assert report.n_samples == 4
    assert report.counts == (2, 1, 0, 1, 0, 0, 0, 0, 0, 0)
    assert report.confident_counts == (2, 0, 0, 1, 0, 0, 0, 0, 0, 0)
    assert report.classes_present == (0, 3)
    assert report.num_present == 2
    assert report.confident_fraction == pytest.approx(0.75)
    assert report.mean_confidence == pytest.approx((1 + 1 + 0.5 + 0.95) / 4)
    # histogram (1/2, 1/4, 1/4): 0.5 * 1 + 2 * 0.25 * 2 = 1.5 bits
    assert report.entropy_bits == pytest.approx(1.5)
    # 4 samples, 10 classes: expected share 0.4 each; min_share 5 * 0.4 = 2 confident samples
    assert coverage_from_probs(probs, confidence=0.9, min_share=1.0).min_count == 1
    assert coverage_from_probs(probs[[0, 1, 3] * 20], min_share=0.5).classes_present == (0, 3)
    assert coverage_from_probs(probs, confidence=0.4).classes_present == (0, 1, 3)


def test_entropy_extremes():
    one_class = torch.zeros(5, 10)
    one_class[:, 7] = 1.0
    report = coverage_from_probs(one_class)
    assert report.entropy_bits == 0.0 and report.classes_present == (7,)
    assert "class entropy:      0.000 bits" in report.summary()  # not "-0.000"
    uniform = torch.eye(10).repeat(3, 1)  # three confident samples of every class
    report = coverage_from_probs(uniform)
    assert report.entropy_bits == pytest.approx(math.log2(10))
    assert report.classes_present == tuple(range(10))
    assert report.counts == (3,) * 10


def test_report_is_frozen_and_summarises():
    report = coverage_from_probs(torch.eye(10))
    assert isinstance(report, ClassCoverage)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.mean_confidence = 0.0
    text = report.summary()
    assert "classes present:    10/10" in text
    assert "class entropy:      3.322 bits (max 3.322)" in text


def test_real_digits_of_three_classes_cover_exactly_those_classes():
    images, labels = load_mnist("test")
    chosen = torch.cat([torch.nonzero(labels == c).flatten()[:50] for c in (1, 4, 7)])
    report = class_coverage(images[chosen])
    assert report.classes_present == (1, 4, 7)
    assert sum(report.counts) == 150
    assert report.counts[1] + report.counts[4] + report.counts[7] >= 148
    assert report.confident_fraction > 0.95
    assert report.mean_confidence > 0.95
    assert report.entropy_bits == pytest.approx(math.log2(3), abs=0.05)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(confidence=0.0), r"confidence must be a finite number in \(0, 1\]"),
        (dict(confidence=1.5), r"confidence must be a finite number in \(0, 1\]"),
        (dict(min_share=0), r"min_share must be a finite number in \(0, 1\]"),
        (dict(min_share=1.5), r"min_share must be a finite number in \(0, 1\]"),
    ],
)
def test_bad_settings_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        coverage_from_probs(torch.eye(10), **kwargs)
    with pytest.raises(ValueError, match=message):
        class_coverage(torch.zeros(2, 1, 28, 28), **kwargs)


def test_logits_instead_of_probabilities_are_rejected():
    with pytest.raises(ValueError, match="not logits"):
        coverage_from_probs(torch.randn(4, 10, generator=torch.Generator().manual_seed(0)))


def test_wrong_image_shape_is_rejected():
    with pytest.raises(ValueError, match=r"shape \(N, 1, 28, 28\)"):
        class_coverage(torch.zeros(2, 784))


def test_sample_quality_equals_the_separate_metrics():
    images, _ = load_mnist("test")
    clf = load_mnist_classifier()
    ref, gen = images[:300], images[300:500]
    feats, _ = classifier_outputs(ref, classifier=clf)
    from_features = sample_quality(gen, reference=feats, classifier=clf)
    from_stats = sample_quality(gen, reference=gaussian_stats(feats), classifier=clf)
    assert isinstance(from_features, SampleQuality)
    assert from_features.fd == pytest.approx(classifier_fd(ref, gen, classifier=clf), rel=1e-6)
    assert from_stats.fd == pytest.approx(from_features.fd, rel=1e-12)
    assert from_features.coverage == class_coverage(gen, classifier=clf)
    assert from_features.summary().startswith(f"classifier FD:      {from_features.fd:.3f}")


def test_sample_quality_rejects_bad_reference():
    with pytest.raises(TypeError, match="gaussian_stats"):
        sample_quality(torch.zeros(2, 1, 28, 28), reference=[1, 2, 3])
    with pytest.raises(ValueError, match="same classifier"):
        sample_quality(torch.zeros(2, 1, 28, 28), reference=torch.zeros(5, 7))


def test_presence_needs_a_share_of_the_expected_count_not_one_sample():
    # 1,000 samples: 991 confident 0s, 9 confident 7s. Expected share per class 100; the rule
    # (>= 0.1 of it = 10 samples) says 7 is absent: a class drawn 9 times in 1,000 is not covered.
    probs = torch.zeros(1000, 10)
    probs[:991, 0] = 1.0
    probs[991:, 7] = 1.0
    report = coverage_from_probs(probs)
    assert report.min_count == 10 and report.classes_present == (0,)
    probs[981:991, 0], probs[981:991, 7] = 0.0, 1.0  # now 19 sevens
    assert coverage_from_probs(probs).classes_present == (0, 7)
