"""Sampling a conditional generator: the class grid's layout (fixed noise per column, one class
per row), seeded reproducibility, the restored train/eval mode, the plot, and the input checks."""

import matplotlib.pyplot as plt
import pytest
import torch

from gan_lib.sampling.class_grid import class_labels, generate_conditional, sample_class_grid
from gan_lib.sampling.latent import sample_latent
from gan_lib.models import ConditionalDCGANGenerator, DCGANGenerator
from gan_lib.viz.plots import show_class_grid


@pytest.fixture(scope="module")
def generator():
    torch.manual_seed(0)
    return ConditionalDCGANGenerator(num_classes=4, latent_dim=8, base_width=4)


def test_class_labels():
    assert class_labels(3, 2).tolist() == [0, 0, 1, 1, 2, 2]
    assert class_labels(3, 2).dtype == torch.long


def test_class_grid_holds_noise_per_column_and_class_per_row(generator):
    images, labels = sample_class_grid(generator, n_per_class=3, seed=5)
    assert images.shape == (12, 1, 28, 28) and labels.tolist() == class_labels(4, 3).tolist()
    z = sample_latent(3, 8, generator=torch.Generator().manual_seed(5))
    generator.eval()
    with torch.no_grad():
        for k in range(4):
            torch.testing.assert_close(images[3 * k:3 * k + 3], generator(z, torch.full((3,), k)))
    rows = images.reshape(4, 3, -1)
    assert (rows[0] - rows[1]).abs().max() > 1e-4  # the class changes the image
    again, _ = sample_class_grid(generator, n_per_class=3, seed=5)
    assert torch.equal(again, images)
    other, _ = sample_class_grid(generator, n_per_class=3, seed=6)
    assert not torch.equal(other, images)
    two_rows, labels = sample_class_grid(generator, 2, 3, seed=5)
    assert torch.equal(two_rows, images[:6]) and labels.max() == 1


def test_generate_conditional_restores_the_mode_and_checks_inputs(generator):
    generator.train()
    out = generate_conditional(generator, torch.tensor([0, 3]), seed=1)
    assert out.shape == (2, 1, 28, 28) and generator.training
    with pytest.raises(ValueError, match=r"\[0, 3\].*got 4"):
        generate_conditional(generator, torch.tensor([4]))
    with pytest.raises(ValueError, match=r"z must have shape \(2, 8\)"):
        generate_conditional(generator, torch.tensor([0, 1]), z=torch.zeros(3, 8))
    with pytest.raises(TypeError, match="num_classes"):
        generate_conditional(DCGANGenerator(latent_dim=8, base_width=4), torch.tensor([0]))
    with pytest.raises(ValueError, match=r"num_classes must be an int in \[1, 4\]"):
        sample_class_grid(generator, 5)


def test_show_class_grid_labels_rows(generator):
    ax = show_class_grid(generator, n_per_class=2, class_names=["a", "b", "c", "d"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c", "d"]
    assert ax.get_ylabel() == "requested class"
    plt.close("all")
