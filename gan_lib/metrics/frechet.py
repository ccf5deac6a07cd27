"""The Fréchet distance between two sets of feature vectors, each summarised by a Gaussian.

Fit N(mu_a, C_a) and N(mu_b, C_b) to the rows of two feature matrices; the Fréchet (2-Wasserstein)
distance between these Gaussians, squared, is

    FD = ||mu_a - mu_b||^2 + Tr(C_a + C_b - 2 (C_a^{1/2} C_b C_a^{1/2})^{1/2}).

With Inception features this is the FID. Here the features come from the MNIST classifier that
gan_lib ships (`classifier_fd`), a feature space made for 28x28 digits that needs no download.

Numerics: everything runs in float64. C_a^{1/2} comes from a symmetric eigendecomposition, and
the trace of the outer square root is the sum of the square roots of the eigenvalues of the
symmetric PSD matrix C_a^{1/2} C_b C_a^{1/2}, so no general (non-symmetric) matrix square root and
no scipy are needed. Eigenvalues that rounding pushes slightly below zero are clamped to zero.

Bias: FD estimated from n samples is biased upwards by roughly Tr(C)/n-order terms, so compare
FDs only at equal sample sizes, and measure the floor (real vs real) at that size too.
"""

from __future__ import annotations

import numpy as np
import torch

from gan_lib.data.mnist import check_images

from .classifier import MNISTClassifier, classifier_outputs, load_mnist_classifier

__all__ = ["gaussian_stats", "frechet_distance_from_stats", "frechet_distance", "classifier_fd"]


def _as_features(x, name: str) -> torch.Tensor:
    if isinstance(x, np.ndarray):
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor or numpy array, got {type(x).__name__}")
    if x.dim() != 2:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), got shape {tuple(x.shape)}; "
            "flatten each sample's features first, e.g. x.flatten(1)"
        )
    if x.shape[0] < 2:
        raise ValueError(f"{name} has {x.shape[0]} sample(s); a covariance needs at least 2")
    x = x.detach().to("cpu", torch.float64)
    if not torch.isfinite(x).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def gaussian_stats(features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean (d,) and unbiased covariance (d, d) of the rows of `features`, in float64.

    Args:
        features: (n, d) tensor or array, n >= 2.
    """
    x = _as_features(features, "features")
    mu = x.mean(dim=0)
    centred = x - mu
    cov = centred.T @ centred / (x.shape[0] - 1)
    return mu, cov


def _psd_sqrt(matrix: torch.Tensor) -> torch.Tensor:
    """Square root of a symmetric PSD matrix via eigh; negative rounding noise is clamped."""
    eigvals, eigvecs = torch.linalg.eigh(matrix)
    return (eigvecs * eigvals.clamp(min=0).sqrt()) @ eigvecs.T


def frechet_distance_from_stats(
    mu_a: torch.Tensor, cov_a: torch.Tensor, mu_b: torch.Tensor, cov_b: torch.Tensor
) -> float:
    """Fréchet distance between N(mu_a, cov_a) and N(mu_b, cov_b).

    Args:
        mu_a, mu_b: means, shape (d,).
        cov_a, cov_b: symmetric PSD covariances, shape (d, d).
    """
    mu_a, mu_b, cov_a, cov_b = (torch.as_tensor(t, dtype=torch.float64)
                                for t in (mu_a, mu_b, cov_a, cov_b))
    d = mu_a.shape[0]
    if mu_a.shape != (d,) or mu_b.shape != (d,) or cov_a.shape != (d, d) or cov_b.shape != (d, d):
        raise ValueError(
            "expected means of shape (d,) and covariances of shape (d, d) for one d, got "
            f"{tuple(mu_a.shape)}, {tuple(cov_a.shape)}, {tuple(mu_b.shape)}, {tuple(cov_b.shape)}"
        )
    cov_a = (cov_a + cov_a.T) / 2  # symmetrise: eigh reads one triangle only
    cov_b = (cov_b + cov_b.T) / 2
    sqrt_a = _psd_sqrt(cov_a)
    middle = sqrt_a @ cov_b @ sqrt_a
    middle = (middle + middle.T) / 2
    # Tr(M^{1/2}) for symmetric PSD M is the sum of the square roots of its eigenvalues.
    trace_sqrt = torch.linalg.eigvalsh(middle).clamp(min=0).sqrt().sum()
    fd = (mu_a - mu_b).square().sum() + torch.trace(cov_a) + torch.trace(cov_b) - 2 * trace_sqrt
    return max(fd.item(), 0.0)  # the exact value is >= 0; rounding can dip just below


def frechet_distance(features_a: torch.Tensor, features_b: torch.Tensor) -> float:
    """Fréchet distance between Gaussian fits of two feature sets (rows are samples).

    Args:
        features_a: (n_a, d) tensor or array, n_a >= 2, finite.
        features_b: (n_b, d) tensor or array with the same d; n_b may differ from n_a.
    """
    a = _as_features(features_a, "features_a")
    b = _as_features(features_b, "features_b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"feature dimensions differ: features_a has {a.shape[1]}, features_b has "
            f"{b.shape[1]}; both sets must come from the same feature extractor"
        )
    return frechet_distance_from_stats(*gaussian_stats(a), *gaussian_stats(b))


def classifier_fd(
    images_a: torch.Tensor,
    images_b: torch.Tensor,
    *,
    classifier: MNISTClassifier | None = None,
    batch_size: int = 500,
) -> float:
    """Fréchet distance between two image sets in the MNIST classifier's feature space.

    Args:
        images_a, images_b: (N, 1, 28, 28) in [-1, 1], e.g. real test digits and G(z).
        classifier: default: the shipped one (`load_mnist_classifier()`).
        batch_size: images per forward pass of the classifier.
    """
    check_images(images_a, name="images_a")
    check_images(images_b, name="images_b")
    if classifier is None:
        classifier = load_mnist_classifier()
    feats_a, _ = classifier_outputs(images_a, classifier=classifier, batch_size=batch_size)
    feats_b, _ = classifier_outputs(images_b, classifier=classifier, batch_size=batch_size)
    return frechet_distance(feats_a, feats_b)
