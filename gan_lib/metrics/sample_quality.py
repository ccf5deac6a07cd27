"""Class coverage: which digits a generator draws, and how clearly, as judged by the MNIST classifier.

A generator can reach a low Fréchet distance on a few digit classes while never drawing the others
(mode collapse), or draw blobs that resemble no digit. Classifying its samples exposes both:

- `counts`: how many samples the classifier assigns to each class (its argmax), all samples.
- `confident_counts`: the same, counting only samples with max softmax >= `confidence`.
- `classes_present`: the classes that receive at least `min_share` of their expected share of the
  confident samples: with 10 classes and the default 0.1, at least 1% of all samples, classified
  confidently. One rule for every chapter and test: a class the generator draws once in 5,000
  samples is not "covered", and one that only receives ambiguous samples is not drawn at all.
- `confident_fraction`: the share of samples classified with max softmax >= `confidence`;
  `mean_confidence`: the mean of max softmax. Real test digits score close to 1 on both.
- `entropy_bits`: entropy of the class histogram `counts / n`, in bits; log2(10) = 3.32 for a
  perfectly even spread over the ten digits, 0 when every sample is the same class.

`sample_quality` reports the classifier Fréchet distance to a reference set together with the
class coverage, from ONE pass of the classifier over the samples (features and softmax come out
of the same forward pass), against reference statistics computed once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from gan_lib.checks import check_number

from .classifier import MNISTClassifier, classifier_outputs, load_mnist_classifier
from .frechet import frechet_distance_from_stats, gaussian_stats

__all__ = ["ClassCoverage", "class_coverage", "coverage_from_probs", "SampleQuality",
           "sample_quality", "PRESENCE_SHARE"]

#: a class is present with >= this fraction of its expected share (n / num_classes) of samples
PRESENCE_SHARE = 0.1


@dataclass(frozen=True)
class ClassCoverage:
    """What the classifier says about a set of samples. Build it with `class_coverage`."""

    n_samples: int
    confidence: float
    min_share: float
    min_count: int
    counts: tuple[int, ...]
    confident_counts: tuple[int, ...]
    classes_present: tuple[int, ...]
    confident_fraction: float
    mean_confidence: float
    entropy_bits: float

    @property
    def num_present(self) -> int:
        """How many of the ten classes are present."""
        return len(self.classes_present)

    def summary(self, digits: int = 3) -> str:
        """A short multi-line report, rounded to `digits` decimals."""
        return "\n".join([
            f"samples:            {self.n_samples}",
            f"classes present:    {self.num_present}/10 {list(self.classes_present)} "
            f"(>= {self.min_count} sample(s) with confidence >= {self.confidence}: "
            f"{self.min_share:g} of a class's expected share)",
            f"counts per class:   {list(self.counts)}",
            f"confident fraction: {self.confident_fraction:.{digits}f}",
            f"mean confidence:    {self.mean_confidence:.{digits}f}",
            f"class entropy:      {self.entropy_bits:.{digits}f} bits "
            f"(max {math.log2(10):.{digits}f})",
        ])


def _check_settings(confidence: float, min_share: float) -> None:
    check_number("confidence", confidence, low=0, high=1, low_open=True,
                 hint="the max softmax a confident sample needs")
    check_number("min_share", min_share, low=0, high=1, low_open=True,
                 hint="a fraction of a class's expected share")


def coverage_from_probs(
    probs: torch.Tensor, *, confidence: float = 0.9, min_share: float = PRESENCE_SHARE
) -> ClassCoverage:
    """Class coverage from class probabilities (the part of `class_coverage` after the classifier).

    Args:
        probs: (N, C) rows of class probabilities (each row sums to 1).
        confidence: a sample is confident when its max probability is >= this, in (0, 1].
        min_share: a class is present when its confident samples reach this fraction of its
            expected share, N / num_classes (at least one sample).
    """
    if not isinstance(probs, torch.Tensor) or probs.dim() != 2 or probs.shape[0] == 0:
        shape = tuple(probs.shape) if isinstance(probs, torch.Tensor) else type(probs).__name__
        raise ValueError(f"probs must be a non-empty (N, num_classes) tensor, got {shape}")
    ones = torch.ones(1, dtype=probs.dtype, device=probs.device)
    if not torch.allclose(probs.sum(dim=1), ones, atol=1e-3):
        raise ValueError("probs rows must sum to 1; pass softmax probabilities, not logits")
    _check_settings(confidence, min_share)
    num_classes = probs.shape[1]
    min_count = max(1, math.ceil(min_share * probs.shape[0] / num_classes - 1e-9))
    top, pred = probs.max(dim=1)  # (N,), (N,)
    confident = top >= confidence
    counts = torch.bincount(pred, minlength=num_classes)
    confident_counts = torch.bincount(pred[confident], minlength=num_classes)
    share = counts.double() / probs.shape[0]
    nonzero = share[share > 0]  # 0 log 0 = 0
    entropy = -(nonzero * nonzero.log2()).sum().item()
    return ClassCoverage(
        n_samples=probs.shape[0],
        confidence=confidence,
        min_share=min_share,
        min_count=min_count,
        counts=tuple(counts.tolist()),
        confident_counts=tuple(confident_counts.tolist()),
        classes_present=tuple(int(c) for c in torch.nonzero(confident_counts >= min_count)),
        confident_fraction=confident.double().mean().item(),
        mean_confidence=top.double().mean().item(),
        entropy_bits=max(entropy, 0.0) + 0.0,  # one class: -0.0 and max() keeps it; + 0.0 fixes
    )


def class_coverage(
    images: torch.Tensor,
    *,
    classifier: MNISTClassifier | None = None,
    confidence: float = 0.9,
    min_share: float = PRESENCE_SHARE,
    batch_size: int = 500,
) -> ClassCoverage:
    """Classify `images` and report which digit classes they cover, and how confidently.

    Args:
        images: (N, 1, 28, 28) in [-1, 1], e.g. G(z) for N fixed noise vectors.
        classifier: default: the shipped one (`load_mnist_classifier()`).
        confidence: max softmax a sample needs to count as confident, in (0, 1].
        min_share: see `coverage_from_probs`.
        batch_size: images per forward pass of the classifier.
    """
    _check_settings(confidence, min_share)  # fail before the classifier runs
    _, probs = classifier_outputs(images, classifier=classifier, batch_size=batch_size)
    return coverage_from_probs(probs, confidence=confidence, min_share=min_share)


@dataclass(frozen=True)
class SampleQuality:
    """Classifier FD to a reference set, and class coverage. Build it with `sample_quality`."""

    fd: float
    coverage: ClassCoverage

    def summary(self, digits: int = 3) -> str:
        """FD on the first line, then the coverage report."""
        return f"classifier FD:      {self.fd:.{digits}f}\n" + self.coverage.summary(digits)


def sample_quality(
    images: torch.Tensor,
    *,
    reference: torch.Tensor | tuple[torch.Tensor, torch.Tensor],
    classifier: MNISTClassifier | None = None,
    confidence: float = 0.9,
    min_share: float = PRESENCE_SHARE,
    batch_size: int = 500,
) -> SampleQuality:
    """Classifier FD between `images` and a reference set, plus their class coverage.

    Args:
        images: (N, 1, 28, 28) in [-1, 1], e.g. G(z).
        reference: the reference set's classifier features (M, 128), or their Gaussian fit
            `gaussian_stats(features)` as (mu, cov), so it is computed only once.
        classifier: default: the shipped one (`load_mnist_classifier()`).
        confidence, min_share: as in `coverage_from_probs`.
        batch_size: images per forward pass of the classifier.
    """
    _check_settings(confidence, min_share)
    if isinstance(reference, tuple) and len(reference) == 2:
        mu_ref, cov_ref = reference
    elif isinstance(reference, torch.Tensor) and reference.dim() == 2:
        mu_ref, cov_ref = gaussian_stats(reference)
    else:
        raise TypeError(
            "reference must be classifier features (M, d) or their (mu, cov) from "
            "gaussian_stats; get features with classifier_outputs(real_images)[0]"
        )
    classifier = classifier if classifier is not None else load_mnist_classifier()
    features, probs = classifier_outputs(images, classifier=classifier, batch_size=batch_size)
    if features.shape[1] != mu_ref.shape[0]:
        raise ValueError(
            f"reference has {mu_ref.shape[0]} features, the classifier gives "
            f"{features.shape[1]}; compute the reference with the same classifier"
        )
    fd = frechet_distance_from_stats(*gaussian_stats(features), mu_ref, cov_ref)
    coverage = coverage_from_probs(probs, confidence=confidence, min_share=min_share)
    return SampleQuality(fd=fd, coverage=coverage)
