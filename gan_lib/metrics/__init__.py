"""Sample-quality metrics for MNIST generators, measured with a classifier that gan_lib ships.

- `classifier`: `MNISTClassifier`, `load_mnist_classifier` (the registry's verified weights),
  `classifier_outputs`.
- `frechet`: `frechet_distance` between Gaussian fits of two feature sets, and `classifier_fd`,
  the Fréchet distance in the classifier's feature space (an FID for digits).
- `sample_quality`: `class_coverage`, which digits the samples show and how confidently, and
  `sample_quality`, classifier FD and coverage from one classifier pass.
- `class_agreement`: `class_agreement`, how often a conditional generator's samples show the
  requested class.
- `mode_coverage`: `mode_coverage`, modes captured on a 2-D mixture with known modes.
- `image_quality`: `psnr` and `grey_fraction` (sharpness), pixel-level scores of images.
- `monitor`: `TrainingMonitor`, a `fit` callback that warns on saturation, class collapse and
  NaN losses.
- `translation_quality`: `translation_quality`, L1, PSNR, class kept, classifier FD and grey
  fraction of an image-to-image translator's outputs.
"""

from .class_agreement import ClassAgreement, agreement_from_probs, class_agreement
from .classifier import (
    MNISTClassifier,
    classifier_outputs,
    load_mnist_classifier,
)
from .frechet import classifier_fd, frechet_distance, frechet_distance_from_stats, gaussian_stats
from .image_quality import grey_fraction, psnr
from .monitor import GANTrainingWarning, TrainingAlert, TrainingMonitor
from .mode_coverage import ModeCoverage, mode_coverage
from .sample_quality import (
    ClassCoverage,
    SampleQuality,
    class_coverage,
    coverage_from_probs,
    sample_quality,
)
from .translation_quality import TranslationQuality, translation_quality

__all__ = [
    "MNISTClassifier",
    "classifier_outputs",
    "load_mnist_classifier",
    "frechet_distance",
    "frechet_distance_from_stats",
    "gaussian_stats",
    "classifier_fd",
    "ClassCoverage",
    "class_coverage",
    "coverage_from_probs",
    "SampleQuality",
    "sample_quality",
    "ClassAgreement",
    "class_agreement",
    "agreement_from_probs",
    "ModeCoverage",
    "mode_coverage",
    "psnr",
    "TrainingMonitor",
    "TrainingAlert",
    "GANTrainingWarning",
    "grey_fraction",
    "TranslationQuality",
    "translation_quality",
]
