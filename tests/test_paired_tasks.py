"""Paired MNIST tasks: shapes and ranges, sources against hand-computed versions (block means,
a Sobel ring around a square, Zhang-Suen thinning written pixel by pixel), determinism for a
seed, different seeds differing, and clear errors for bad input."""

import pytest
import torch

from gan_lib.data.paired_tasks import inpainting, skeletonize, sketch, sobel_magnitude, super_resolution


@pytest.fixture(scope="module")
def digits(mnist_test):
    images, _ = mnist_test
    return images[:64]


def check_pair(source, target, images):
    assert source.shape == images.shape and source.dtype == images.dtype
    assert source.min() >= -1 and source.max() <= 1
    assert torch.equal(target, images)  # the target is the digit, untouched


# ---------------------------------------------------------------- super-resolution


def test_super_resolution_is_the_block_mean_upsampled(digits):
    low, target = super_resolution(digits, upsample=None)
    assert low.shape == (64, 1, 7, 7)
    block_mean = digits.view(64, 1, 7, 4, 7, 4).mean(dim=(3, 5))
    torch.testing.assert_close(low, block_mean)
    near, target = super_resolution(digits, upsample="nearest")
    check_pair(near, target, digits)
    assert torch.equal(near, low.repeat_interleave(4, dim=2).repeat_interleave(4, dim=3))
    smooth, target = super_resolution(digits)  # bilinear, the default
    check_pair(smooth, target, digits)

    def jump_energy(x):  # sum of squared differences between neighbouring pixels
        return (x.diff(dim=2).pow(2).sum() + x.diff(dim=3).pow(2).sum()).item()

    # Bilinear spreads each block edge over 4 pixels: a step h becomes 4 steps h / 4, whose
    # squared sum is h^2 / 4, so the source loses the blocky edges that nearest leaves.
    assert jump_energy(smooth) < 0.5 * jump_energy(near)
    assert super_resolution(digits, factor=2, upsample=None)[0].shape == (64, 1, 14, 14)


@pytest.mark.parametrize("kwargs, match", [
    (dict(factor=3), r"divides 28, one of \[2, 4, 7, 14, 28\]"),
    (dict(factor=1), "divides 28"),
    (dict(upsample="bicubic"), "upsample"),
])
def test_super_resolution_bad_arguments(digits, kwargs, match):
    with pytest.raises(ValueError, match=match):
        super_resolution(digits, **kwargs)


# ---------------------------------------------------------------- inpainting


def test_inpainting_square(digits):
    g = torch.Generator().manual_seed(0)
    source, target, mask = inpainting(digits, size=10, generator=g, return_mask=True)
    check_pair(source, target, digits)
    assert mask.dtype == torch.bool and mask.shape == digits.shape
    assert (mask.sum(dim=(1, 2, 3)) == 100).all()
    assert not mask[..., :4, :].any() and not mask[..., 24:, :].any()  # inside the digit box
    assert not mask[..., :4].any() and not mask[..., 24:].any()
    assert (source[mask] == 0).all()  # default fill: mid-grey
    assert torch.equal(source[~mask], digits[~mask])
    rows = mask.any(dim=3).sum(dim=(1, 2))
    assert (rows == 10).all()  # one contiguous 10x10 square per image


def test_inpainting_half_covers_each_of_the_four_halves(digits):
    g = torch.Generator().manual_seed(1)
    source, _, mask = inpainting(digits, mode="half", fill=-1.0, generator=g, return_mask=True)
    assert (mask.sum(dim=(1, 2, 3)) == 14 * 28).all()
    halves = {
        "top": mask[..., :14, :].all(dim=(1, 2, 3)),
        "bottom": mask[..., 14:, :].all(dim=(1, 2, 3)),
        "left": mask[..., :, :14].all(dim=(1, 2, 3)),
        "right": mask[..., :, 14:].all(dim=(1, 2, 3)),
    }
    which = torch.stack(list(halves.values()))  # (4, N)
    assert (which.sum(dim=0) == 1).all()  # exactly one half per image
    assert which.any(dim=1).all()  # 64 draws show all four
    assert (source[mask] == -1).all()


def test_inpainting_is_deterministic_for_a_seed_and_varies_across_seeds(digits):
    def run(seed, mode):
        g = torch.Generator().manual_seed(seed)
        return inpainting(digits, mode=mode, generator=g, return_mask=True)

    for mode in ("square", "half"):
        a, b, c = run(3, mode), run(3, mode), run(4, mode)
        assert torch.equal(a[0], b[0]) and torch.equal(a[2], b[2])
        assert not torch.equal(a[2], c[2])
    assert len(inpainting(digits)) == 2  # no mask unless asked


@pytest.mark.parametrize("kwargs, match", [
    (dict(mode="circle"), "mode"),
    (dict(size=0), r"size must be an int in \[1, 20\]"),
    (dict(size=21), r"\[1, 20\]"),
    (dict(fill=2.0), "fill"),
])
def test_inpainting_bad_arguments(digits, kwargs, match):
    with pytest.raises(ValueError, match=match):
        inpainting(digits, **kwargs)


# ---------------------------------------------------------------- sketch


def test_sobel_on_a_step_and_edges_of_a_square():
    step = torch.zeros(1, 1, 8, 8)
    step[..., 4:] = 1.0
    mag = sobel_magnitude(step)
    assert torch.equal(mag[0, 0, :, 3], torch.full((8,), 4.0))  # both sides of the step: 1 + 2 + 1
    assert torch.equal(mag[0, 0, :, 4], torch.full((8,), 4.0))
    assert (mag[0, 0, :, :3] == 0).all() and (mag[0, 0, :, 5:] == 0).all()

    square = -torch.ones(1, 1, 28, 28)
    square[..., 8:20, 8:20] = 1.0
    edges, _ = sketch(square)
    expected = torch.zeros(28, 28, dtype=torch.bool)
    expected[7:21, 7:21] = True  # the ring one pixel outside ...
    expected[9:19, 9:19] = False  # ... and one pixel inside the square's border,
    for r, c in [(7, 7), (7, 20), (20, 7), (20, 20)]:
        expected[r, c] = False  # except the outer corners, which see one ink pixel (|g| = sqrt 2)
    assert torch.equal(edges[0, 0] > 0, expected)


def zhang_suen_reference(img):
    """Zhang & Suen (1984), written pixel by pixel as in the paper."""
    x = [[int(v) for v in row] for row in img.tolist()]
    h, w = len(x), len(x[0])

    def px(r, c):
        return x[r][c] if 0 <= r < h and 0 <= c < w else 0

    changed = True
    while changed:
        changed = False
        for step in (0, 1):
            remove = []
            for r in range(h):
                for c in range(w):
                    if not x[r][c]:
                        continue
                    p = [px(r - 1, c), px(r - 1, c + 1), px(r, c + 1), px(r + 1, c + 1),
                         px(r + 1, c), px(r + 1, c - 1), px(r, c - 1), px(r - 1, c - 1)]
                    b = sum(p)
                    a = sum(p[i] == 0 and p[(i + 1) % 8] == 1 for i in range(8))
                    p2, p4, p6, p8 = p[0], p[2], p[4], p[6]
                    if step == 0:
                        ok = p2 * p4 * p6 == 0 and p4 * p6 * p8 == 0
                    else:
                        ok = p2 * p4 * p8 == 0 and p2 * p6 * p8 == 0
                    if 2 <= b <= 6 and a == 1 and ok:
                        remove.append((r, c))
            for r, c in remove:
                x[r][c] = 0
            changed |= bool(remove)
    return torch.tensor(x, dtype=torch.bool)


def test_skeleton_matches_zhang_suen_pixel_by_pixel(digits):
    ink = digits[:6] > 0
    skeleton = skeletonize(ink)
    for i in range(6):
        assert torch.equal(skeleton[i, 0], zhang_suen_reference(ink[i, 0]))


def test_sketch_kinds(digits):
    ink = digits > 0
    for kind in ("edges", "skeleton"):
        source, target = sketch(digits, kind=kind)
        check_pair(source, target, digits)
        assert set(source.unique().tolist()) == {-1.0, 1.0}
        assert torch.equal(source, sketch(digits, kind=kind)[0])  # deterministic
    skeleton = sketch(digits, kind="skeleton")[0] > 0
    assert not (skeleton & ~ink).any()  # thinning only removes ink
    assert skeleton.sum() < 0.5 * ink.sum()
    assert (skeleton.sum(dim=(1, 2, 3)) > 0).all()  # no digit vanishes


@pytest.mark.parametrize("kwargs, match", [
    (dict(kind="canny"), "kind"),
    (dict(edge_threshold=0.0), "edge_threshold"),
    (dict(ink_threshold=1.0), "ink_threshold"),
])
def test_sketch_bad_arguments(digits, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sketch(digits, **kwargs)


@pytest.mark.parametrize("task", [super_resolution, inpainting, sketch])
def test_bad_images(task, digits):
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\).*unsqueeze"):
        task(digits[:, 0])
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        task(digits * 127.5 + 127.5)
    with pytest.raises(TypeError, match="float"):
        task(((digits + 1) * 127.5).to(torch.uint8))
