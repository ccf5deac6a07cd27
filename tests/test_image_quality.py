"""PSNR, grey fraction and the translation scores, on inputs whose values can be checked by hand."""

import math

import pytest
import torch

from gan_lib.metrics import (
    classifier_outputs,
    gaussian_stats,
    grey_fraction,
    load_mnist_classifier,
    psnr,
    translation_quality,
)


def test_psnr_hand_values():
    target = torch.ones(2, 1, 4, 4)
    # off by 1 everywhere: MSE 1, range 2 -> 10 log10(4) = 6.0206 dB
    assert psnr(torch.zeros_like(target), target) == pytest.approx(10 * math.log10(4))
    # off by 0.1: MSE 0.01 -> 10 log10(400) = 26.0206 dB
    assert psnr(target - 0.1, target) == pytest.approx(10 * math.log10(400))
    # per image, then the mean: image 0 off by 1 (6.02 dB), image 1 off by 0.1 (26.02 dB)
    out = target.clone()
    out[0] -= 1.0
    out[1] -= 0.1
    assert psnr(out, target) == pytest.approx((10 * math.log10(4) + 10 * math.log10(400)) / 2)
    # the data range enters squared: on a [0, 1] scale the same error is 6.02 dB worse
    assert psnr(target - 0.1, target, data_range=1.0) == pytest.approx(10 * math.log10(100))


def test_psnr_caps_perfect_images_and_checks_input():
    x = torch.rand(3, 1, 5, 5)
    assert psnr(x, x) == 100.0
    assert psnr(x, x, max_db=60.0) == 60.0
    with pytest.raises(ValueError, match="same shape"):
        psnr(x, x[:2])
    with pytest.raises(ValueError, match="data_range"):
        psnr(x, x, data_range=0)
    with pytest.raises(TypeError, match="float tensor"):
        psnr(x.long(), x.long())


def test_grey_fraction_counts_pixels_between_background_and_ink():
    images = torch.tensor([[-1.0, 1.0, 0.0, 0.49], [-0.5, 0.5, -0.9, 0.2]]).view(2, 1, 1, 4)
    # |x| < 0.5: 0.0, 0.49, 0.2 -> 3 of 8 (0.5 and -0.5 are not strictly inside)
    assert grey_fraction(images) == pytest.approx(3 / 8)
    assert grey_fraction(images, threshold=1.0) == pytest.approx(6 / 8)
    binary = torch.randint(0, 2, (4, 1, 28, 28)).float() * 2 - 1
    assert grey_fraction(binary) == 0.0
    with pytest.raises(ValueError, match="threshold"):
        grey_fraction(images, threshold=0.0)


def test_blurring_lowers_psnr_against_the_sharp_image_and_raises_grey_fraction():
    sharp = -torch.ones(1, 1, 28, 28)
    sharp[..., 8:20, 12:16] = 1.0  # a vertical bar
    blurred = torch.nn.functional.avg_pool2d(sharp, 5, stride=1, padding=2, count_include_pad=False)
    assert grey_fraction(blurred) > grey_fraction(sharp) == 0.0
    assert psnr(blurred, sharp) < psnr(sharp, sharp)


@pytest.fixture(scope="module")
def classifier():
    return load_mnist_classifier()


def test_translation_quality_scores(classifier):
    from gan_lib.data.mnist import load_mnist

    images, labels = load_mnist("test")
    out, lab = images[:200], labels[:200]
    ref = gaussian_stats(classifier_outputs(images[200:1200], classifier=classifier)[0])
    # perfect outputs: L1 0, PSNR capped, class kept = classifier accuracy (near 1), FD small
    q = translation_quality(out, lab, reference=ref, targets=out, classifier=classifier)
    assert q.n_images == 200 and q.l1 == 0.0 and q.psnr == 100.0
    assert q.class_kept > 0.95
    assert q.grey == pytest.approx(grey_fraction(out))
    # outputs scaled towards grey: L1 is the mean absolute change
    shifted = (out * 0.9).clamp(-1, 1)
    q2 = translation_quality(shifted, lab, reference=ref, targets=out, classifier=classifier)
    assert q2.l1 == pytest.approx(float((shifted - out).abs().mean()))
    # wrong labels: class kept falls to about the share of images whose label is unchanged
    wrong = (lab + 1) % 10
    assert translation_quality(out, wrong, reference=ref, classifier=classifier).class_kept < 0.05
    # no targets: the target-based scores are nan, the others still computed
    q3 = translation_quality(out, lab, reference=ref, classifier=classifier)
    assert math.isnan(q3.l1) and math.isnan(q3.psnr) and q3.fd == pytest.approx(q.fd)
    # blank outputs are far from real digits
    blank = -torch.ones_like(out)
    blank[:, 0, 0, 0] = torch.linspace(-1, 1, 200)  # some variance for the covariance
    assert translation_quality(blank, lab, reference=ref, classifier=classifier).fd > q.fd + 10


def test_translation_quality_checks_its_input(classifier):
    x = torch.zeros(4, 1, 28, 28)
    labels = torch.zeros(4, dtype=torch.int64)
    ref = (torch.zeros(128), torch.eye(128))
    with pytest.raises(ValueError, match="labels must be an int64"):
        translation_quality(x, labels[:3], reference=ref, classifier=classifier)
    with pytest.raises(ValueError, match="one to one"):
        translation_quality(x, labels, reference=ref, targets=x[:2], classifier=classifier)
    with pytest.raises(TypeError, match="reference"):
        translation_quality(x, labels, reference="real", classifier=classifier)
    with pytest.raises(ValueError, match="at least 2"):
        translation_quality(x[:1], labels[:1], reference=ref, classifier=classifier)
