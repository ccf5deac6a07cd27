"""Scores of an image-to-image translation on MNIST: close to the target, right class, realistic.

One call scores the outputs of a translator (e.g. a U-Net trained on a paired task) five ways:

- `l1`: mean absolute error to the targets (pixels in [-1, 1]); lower is closer.
- `psnr`: mean PSNR to the targets in dB (`image_quality.psnr`, data range 2); higher is closer.
- `class_kept`: the share of outputs the shipped classifier reads as the digit they should show
  (the source digit's label): did the translation keep the content?
- `fd`: classifier Fréchet distance of the outputs to a reference set of real digits: do they
  look like handwritten digits as a set (sharpness, stroke style)?
- `grey`: the outputs' grey fraction (`image_quality.grey_fraction`); compare with real digits'.

`targets=None` skips the two target-based scores (they are then nan): the unpaired case, where an
output has a label but no single right image.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch

from gan_lib.data.mnist import check_images

from .classifier import MNISTClassifier, classifier_outputs, load_mnist_classifier
from .frechet import frechet_distance_from_stats, gaussian_stats
from .image_quality import grey_fraction, psnr

__all__ = ["TranslationQuality", "translation_quality"]


@dataclass(frozen=True)
class TranslationQuality:
    """Scores of one set of translated images. Build it with `translation_quality`."""

    n_images: int
    l1: float  # nan without targets
    psnr: float  # nan without targets
    class_kept: float
    fd: float
    grey: float

    def as_dict(self) -> dict[str, float]:
        """The scores by name (for tables and glue)."""
        return asdict(self)


def translation_quality(
    outputs: torch.Tensor,
    labels: torch.Tensor,
    *,
    reference: torch.Tensor | tuple[torch.Tensor, torch.Tensor],
    targets: torch.Tensor | None = None,
    classifier: MNISTClassifier | None = None,
    batch_size: int = 500,
) -> TranslationQuality:
    """Score translated digits against their targets, their labels and real digits.

    Args:
        outputs: (N, 1, 28, 28) in [-1, 1], the translator's outputs (at least 2 for the FD).
        labels: int64 (N,), the digit each output should show.
        reference: real digits' classifier features (M, d), or their `gaussian_stats` (mu, cov)
            computed once; the FD is measured against them.
        targets: (N, 1, 28, 28) in [-1, 1], the right answer per output; None when there is none.
        classifier: default: the shipped one (`load_mnist_classifier()`).
        batch_size: images per forward pass of the classifier.
    """
    check_images(outputs, name="outputs")
    n = outputs.shape[0]
    if n < 2:
        raise ValueError(f"outputs has {n} image(s); the Fréchet distance needs at least 2")
    if not isinstance(labels, torch.Tensor) or labels.dtype != torch.int64 or labels.shape != (n,):
        got = (f"{labels.dtype} {tuple(labels.shape)}" if isinstance(labels, torch.Tensor)
               else type(labels).__name__)
        raise ValueError(f"labels must be an int64 tensor of shape ({n},), one digit per output; "
                         f"got {got}")
    if targets is not None:
        check_images(targets, name="targets")
        if targets.shape != outputs.shape:
            raise ValueError(f"targets must match outputs one to one: shapes "
                             f"{tuple(targets.shape)} and {tuple(outputs.shape)}")
    if isinstance(reference, tuple) and len(reference) == 2:
        mu_ref, cov_ref = reference
    elif isinstance(reference, torch.Tensor) and reference.dim() == 2:
        mu_ref, cov_ref = gaussian_stats(reference)
    else:
        raise TypeError("reference must be classifier features (M, d) of real digits or their "
                        "(mu, cov) from gaussian_stats; get features with "
                        "classifier_outputs(real_images)[0]")
    classifier = classifier if classifier is not None else load_mnist_classifier()
    outputs = outputs.detach()
    features, probs = classifier_outputs(outputs, classifier=classifier, batch_size=batch_size)
    if targets is not None:
        l1 = float((outputs - targets.to(outputs.device)).abs().mean())
        db = psnr(outputs, targets.to(outputs.device))
    else:
        l1 = db = math.nan
    return TranslationQuality(
        n_images=n,
        l1=l1,
        psnr=db,
        class_kept=float((probs.argmax(dim=1) == labels.cpu()).double().mean()),
        fd=frechet_distance_from_stats(*gaussian_stats(features), mu_ref, cov_ref),
        grey=grey_fraction(outputs),
    )
