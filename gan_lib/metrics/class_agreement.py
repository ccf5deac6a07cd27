"""Class agreement: does a conditional generator draw the class it was asked for?

Each sample G(z, y) comes with its requested class y; the shipped MNIST classifier reads it.

- `agreement`: the share of samples whose predicted class (argmax) is the requested one;
  `per_class`: the same within each requested class.
- `confident_fraction`: the share classified with max softmax >= `confidence`, whatever the
  class; `confident_agreement`: the share that is both confident and of the requested class.
  A generator that draws clear digits of the wrong class scores high on the first only.
- `confusion`: counts[requested][predicted], the full picture behind the shares.

Real test digits with their true labels score about the classifier's test accuracy: the ceiling
this metric can show.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from gan_lib.models.conditional import check_labels
from .classifier import MNISTClassifier, classifier_outputs

__all__ = ["ClassAgreement", "class_agreement", "agreement_from_probs"]


@dataclass(frozen=True)
class ClassAgreement:
    """How often samples show the requested class. Build it with `class_agreement`."""

    n_samples: int
    confidence: float
    agreement: float
    per_class: tuple[float, ...]  # agreement within each requested class; nan if none requested
    requested_counts: tuple[int, ...]  # samples requested of each class
    confident_fraction: float
    confident_agreement: float
    confusion: tuple[tuple[int, ...], ...]  # confusion[requested][predicted]

    @property
    def worst_class(self) -> int:
        """The requested class with the lowest agreement (among classes that were requested)."""
        rates = [(r, k) for k, r in enumerate(self.per_class) if self.requested_counts[k] > 0]
        return min(rates)[1]

    def summary(self, digits: int = 3) -> str:
        """A short multi-line report, rounded to `digits` decimals."""
        per = ", ".join(f"{k}: {r:.{digits}f}" for k, r in enumerate(self.per_class)
                        if self.requested_counts[k] > 0)
        return "\n".join([
            f"samples:             {self.n_samples}",
            f"class agreement:     {self.agreement:.{digits}f}",
            f"per requested class: {per}",
            f"confident fraction:  {self.confident_fraction:.{digits}f} "
            f"(max softmax >= {self.confidence})",
            f"confident and right: {self.confident_agreement:.{digits}f}",
        ])


def agreement_from_probs(
    probs: torch.Tensor, labels: torch.Tensor, *, confidence: float = 0.9
) -> ClassAgreement:
    """Class agreement from class probabilities (the part of `class_agreement` after the
    classifier), e.g. to reuse one classifier pass for the Fréchet distance too.

    Args:
        probs: (N, K) rows of class probabilities (each row sums to 1).
        labels: int64 (N,) requested classes in [0, K).
        confidence: a sample is confident when its max probability is >= this, in (0, 1].
    """
    if not isinstance(probs, torch.Tensor) or probs.dim() != 2 or probs.shape[0] == 0:
        shape = tuple(probs.shape) if isinstance(probs, torch.Tensor) else type(probs).__name__
        raise ValueError(f"probs must be a non-empty (N, num_classes) tensor, got {shape}")
    if not torch.allclose(probs.sum(dim=1), torch.ones(1, dtype=probs.dtype), atol=1e-3):
        raise ValueError("probs rows must sum to 1; pass softmax probabilities, not logits")
    if not 0.0 < confidence <= 1.0:
        raise ValueError(f"confidence must be in (0, 1], got {confidence}")
    n, k = probs.shape
    check_labels(labels, k, batch_size=n, name="labels")
    labels = labels.to(probs.device)
    top, pred = probs.max(dim=1)  # (N,), (N,)
    right = pred == labels
    confident = top >= confidence
    confusion = torch.bincount(labels * k + pred, minlength=k * k).reshape(k, k)  # (K, K)
    requested = confusion.sum(dim=1)  # (K,)
    per_class = confusion.diagonal().double() / requested.double()  # nan where none requested
    return ClassAgreement(
        n_samples=n,
        confidence=confidence,
        agreement=right.double().mean().item(),
        per_class=tuple(per_class.tolist()),
        requested_counts=tuple(requested.tolist()),
        confident_fraction=confident.double().mean().item(),
        confident_agreement=(right & confident).double().mean().item(),
        confusion=tuple(tuple(row) for row in confusion.tolist()),
    )


def class_agreement(
    images: torch.Tensor,
    labels: torch.Tensor,
    *,
    classifier: MNISTClassifier | None = None,
    confidence: float = 0.9,
    batch_size: int = 500,
) -> ClassAgreement:
    """Classify `images` and compare with the classes that were requested for them.

    Args:
        images: (N, 1, 28, 28) in [-1, 1], e.g. G(z, labels).
        labels: int64 (N,), the class requested for each image.
        classifier: default: the shipped one (`load_mnist_classifier()`).
        confidence: max softmax a sample needs to count as confident, in (0, 1].
        batch_size: images per forward pass of the classifier.
    """
    if not 0.0 < confidence <= 1.0:  # fail before the classifier runs
        raise ValueError(f"confidence must be in (0, 1], got {confidence}")
    num_classes = MNISTClassifier.num_classes
    check_labels(labels, num_classes, name="labels",
                 batch_size=images.shape[0] if isinstance(images, torch.Tensor) else None)
    _, probs = classifier_outputs(images, classifier=classifier, batch_size=batch_size)
    return agreement_from_probs(probs, labels, confidence=confidence)
