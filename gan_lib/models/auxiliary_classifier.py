"""The discriminator of the auxiliary-classifier GAN (ACGAN; Odena, Olah & Shlens 2017).

The label is not an input of this discriminator: it is a target. The DCGAN body computes
features phi(x) of the image alone, and two heads read them:

    real/fake logit   s(x) = psi(phi(x))           (N,)     the unconditional DCGAN head
    class logits      c(x) = W phi(x) + b          (N, K)   the auxiliary classifier

`heads(x)` returns both. `forward(x, y)` serves `fit`'s class-conditional plan, which binds the
real batch's labels to D: it returns the two numbers the ACGAN objective needs per sample,
(N, 2) = [s(x), log softmax(c(x))_y], the real/fake logit and the log-probability that the class
head gives the label y (so the objective's cross-entropy is minus its mean). `classify(x)` is the
class head alone: an ACGAN discriminator is also a digit classifier.

Compare the projection discriminator (`conditional`): there y enters D's score; here D never
sees y and is asked to name it.
"""

from __future__ import annotations

import torch
from torch import nn

from .conditional import _check_int, _check_x, check_labels
from .dcgan_ablations import ablated_dcgan_discriminator

__all__ = ["AuxiliaryClassifierDiscriminator"]


class AuxiliaryClassifierDiscriminator(nn.Module):
    """(images (N, channels, size, size), y (N,)) -> (N, 2): [real/fake logit, log q(y | x)].

    Args:
        num_classes: K, the number of classes of the auxiliary head.
        image_size, channels: the image shape.
        **dcgan: keyword arguments of `DCGANDiscriminator` (base_width, batch_norm) or of
            `ablated_dcgan_discriminator` (activation, downsample, fc_hidden, ...).
    """

    def __init__(self, *, num_classes: int = 10, image_size: int = 28, channels: int = 1,
                 **dcgan) -> None:
        super().__init__()
        _check_int("num_classes", num_classes, 2)
        self.num_classes, self.image_size, self.channels = num_classes, image_size, channels
        self.net = ablated_dcgan_discriminator(image_size=image_size, channels=channels, **dcgan)
        head = self.net.head
        self._fc = isinstance(head[-1], nn.Linear)  # fc_hidden=True: phi ends in the hidden layer
        if self._fc:
            dim = head[-1].in_features
        else:  # head = [Conv2d(width, 1, kernel = whole map), Flatten]
            dim = head[0].in_channels * head[0].kernel_size[0] * head[0].kernel_size[1]
        self.classifier = nn.Linear(dim, num_classes)  # the auxiliary head, on phi
        nn.init.normal_(self.classifier.weight, 0.0, 0.02)  # the DCGAN scale of the other head
        nn.init.zeros_(self.classifier.bias)

    def heads(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(real/fake logits (N,), class logits (N, K)) of the images x."""
        _check_x(x, (self.channels, self.image_size, self.image_size))
        feat = self.net.blocks(x)  # (N, 2 * base_width, 7, 7) for 28-pixel images
        if self._fc:
            phi = self.net.head[:-1](feat)  # (N, fc_width)
            psi = self.net.head[-1](phi).squeeze(1)  # (N,)
        else:
            phi = feat.flatten(1)  # (N, 2 * base_width * 7 * 7)
            psi = self.net.head(feat).squeeze(1)  # (N,)
        return psi, self.classifier(phi)

    def classify(self, x: torch.Tensor) -> torch.Tensor:
        """The auxiliary head's class logits (N, K)."""
        return self.heads(x)[1]

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        check_labels(y, self.num_classes, batch_size=x.shape[0] if isinstance(x, torch.Tensor)
                     else None)
        source, classes = self.heads(x)
        log_q = torch.log_softmax(classes, dim=1).gather(1, y[:, None]).squeeze(1)  # (N,)
        return torch.stack([source, log_q], dim=1)  # (N, 2)
