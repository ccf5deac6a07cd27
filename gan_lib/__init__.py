"""gan_lib: the models, losses, training loop, metrics and plots of the GAN book.

Submodules, one concept each: `data` (MNIST as tensors), `utils` (seeding, devices), `book`
(execution profiles and provenance). Import what you need from them, e.g.
`from gan_lib.data.mnist import load_mnist`.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
