"""Principal component analysis: a linear map to the directions of largest variance.

Used to look at MNIST in two dimensions and to give Gaussian models a space small enough that a
full covariance matrix (k x k instead of 784 x 784) can be estimated from the data.
"""

from __future__ import annotations

import torch

__all__ = ["PCA"]


class PCA:
    """PCA fitted by an eigendecomposition of the data covariance.

    Args:
        n_components: number of principal directions kept.

    Attributes (after `fit`): `mean` (D,), `components` (k, D) orthonormal rows,
    `explained_variance_ratio` (k,).
    """

    def __init__(self, n_components: int):
        if n_components < 1:
            raise ValueError(f"n_components must be >= 1, got {n_components}")
        self.n_components = n_components

    def fit(self, x: torch.Tensor) -> "PCA":
        """Fit to `x` of shape (N, D) (images are flattened)."""
        x = x.reshape(len(x), -1).double()
        if self.n_components > min(x.shape):
            raise ValueError(
                f"n_components={self.n_components} exceeds min(N, D)={min(x.shape)} of the data"
            )
        self.mean = x.mean(0)
        # eigenvectors of the D x D covariance: cheaper than an SVD of the N x D data for N >> D
        variance, vectors = torch.linalg.eigh(torch.cov((x - self.mean).T))
        variance, vectors = variance.flip(0).clamp_min(0), vectors.flip(1).T  # largest first
        # eigenvector signs are arbitrary; fix them so projections agree across machines
        signs = torch.sign(vectors[torch.arange(len(vectors)), vectors.abs().argmax(1)])
        self.components = (vectors * signs[:, None])[: self.n_components]
        self.explained_variance_ratio = (variance / variance.sum())[: self.n_components]
        return self

    def transform(self, x: torch.Tensor) -> torch.Tensor:
        """(N, ...) -> (N, k) coordinates along the principal directions (float32)."""
        return ((x.reshape(len(x), -1).double() - self.mean) @ self.components.T).float()

    def inverse_transform(self, codes: torch.Tensor) -> torch.Tensor:
        """(N, k) -> (N, D): back to the data space (the closest point of the k-dim plane)."""
        return (codes.double() @ self.components + self.mean).float()
