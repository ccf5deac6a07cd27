"""A small MNIST classifier: the feature space and the judge for the sample-quality metrics.

The Inception network behind the usual FID was trained on ImageNet photographs; its features say
little about 28x28 grey digits, and its weights come from the internet. This module ships its own
judge instead: a three-block CNN (about 99k parameters) trained on the MNIST training split by
`recipes/mnist_classifier.py`. Its 128-d penultimate activations (`features`) are the space the
classifier Fréchet distance is measured in; its softmax (`forward`) drives class coverage.

The weights are the registry entry `gan_lib.weights.get("mnist_classifier")` (sha256, recipe,
test accuracy, provenance); `load_mnist_classifier()` is a shorthand for loading it.

Inputs are images exactly as `gan_lib.data.load_mnist` and a tanh generator produce them:
float tensors of shape (N, 1, 28, 28) with values in [-1, 1].
"""

from __future__ import annotations

import torch
from torch import nn

from gan_lib import weights
from gan_lib.data.mnist import check_images

__all__ = [
    "MNISTClassifier",
    "load_mnist_classifier",
    "classifier_outputs",
]


class MNISTClassifier(nn.Module):
    """Conv(16) -> Conv(32) -> Conv(64), each followed by 2x2 max-pooling, then 128-d features.

    Batch normalisation speeds up training; in eval mode it is a fixed affine map, so features
    of one image never depend on the rest of the batch.

    Args:
        feature_dim: width of the penultimate layer, the space `features` returns.
        dropout: dropout before the last linear layer (training only).
    """

    num_classes = 10

    def __init__(self, *, feature_dim: int = 128, dropout: float = 0.3) -> None:
        super().__init__()
        self.feature_dim = feature_dim

        def block(c_in: int, c_out: int) -> nn.Sequential:
            return nn.Sequential(
                nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),  # BN supplies the bias
                nn.BatchNorm2d(c_out),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(2),
            )

        self.body = nn.Sequential(block(1, 16), block(16, 32), block(32, 64))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(64 * 3 * 3, feature_dim), nn.ReLU())
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(feature_dim, self.num_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """Penultimate activations, (N, feature_dim), of images (N, 1, 28, 28) in [-1, 1]."""
        h = self.body(x)  # (N, 1, 28, 28) -> (N, 16, 14, 14) -> (N, 32, 7, 7) -> (N, 64, 3, 3)
        return self.fc(h)  # (N, 128)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Class logits, (N, 10)."""
        return self.head(self.dropout(self.features(x)))  # (N, 10)


def load_mnist_classifier(device: str | torch.device | None = None) -> MNISTClassifier:
    """The shipped classifier with verified weights, in eval mode: a shorthand, used everywhere,
    for `gan_lib.weights.get("mnist_classifier").load(device)`.

    Args:
        device: where to put it; default CPU.

    Raises:
        gan_lib.weights.WeightsError: the file is missing or its sha256 differs (it names the
            recipe that makes it again).
    """
    return weights.get("mnist_classifier").load(device)


@torch.no_grad()
def classifier_outputs(
    images: torch.Tensor,
    *,
    classifier: MNISTClassifier | None = None,
    batch_size: int = 500,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Features and class probabilities of `images`, computed batch by batch.

    Args:
        images: (N, 1, 28, 28) in [-1, 1], on any device.
        classifier: default: the shipped one (`load_mnist_classifier()`).
        batch_size: images per forward pass; bounds memory, not the result.

    Returns:
        features: float32 (N, feature_dim) on the CPU.
        probs: float32 (N, 10) softmax probabilities on the CPU.
    """
    check_images(images)
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
    model = classifier if classifier is not None else load_mnist_classifier()
    if model.training:
        raise ValueError("the classifier is in training mode; call classifier.eval() first")
    device = next(model.parameters()).device
    features, probs = [], []
    for start in range(0, images.shape[0], batch_size):
        x = images[start:start + batch_size].to(device)
        h = model.features(x)  # (B, feature_dim)
        features.append(h.float().cpu())
        probs.append(model.head(h).softmax(dim=1).float().cpu())  # (B, 10)
    return torch.cat(features), torch.cat(probs)
