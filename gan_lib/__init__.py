"""gan_lib: the models, losses, training loop, metrics and plots of the GAN book.

Shelves by layer (gan_lib/README.md maps them): `data`, `models`, `weights` (files trained
offline), `train` (the loop `fit`, batch plans, objectives), `sampling`, `theory`, `metrics`,
`viz`, `studies`, and `book` (what a chapter imports at run time). Import from the shelves, e.g.
`from gan_lib.data import load_mnist`, `from gan_lib.train import fit`.
"""

__version__ = "0.3.0"
__all__ = ["__version__"]
