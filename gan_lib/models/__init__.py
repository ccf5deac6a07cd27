"""The networks of the book. Each module is one family; all discriminators return logits (N,).

- `mlp`: fully connected generator and discriminator (MNIST and 1-D toy data).
- `dcgan`: the deep convolutional GAN, with switches that ablate each of its guidelines.
- `packing`: PacGAN, a discriminator that judges several samples at once (a mode-collapse remedy).
- `pretrained`: a DCGAN generator trained for longer than a chapter can, shipped as weights.
- `summary`: a layer table (output shape and parameters per layer) for any model.
"""

from .dcgan import SUPPORTED_IMAGE_SIZES, DCGANDiscriminator, DCGANGenerator, init_dcgan_weights
from .mlp import MLPDiscriminator, MLPGenerator
from .packing import PackedDiscriminator, packed_shape
from .pretrained import load_dcgan_mnist_generator
from .summary import LayerInfo, format_layer_table, layer_table

__all__ = [
    "MLPGenerator",
    "MLPDiscriminator",
    "DCGANGenerator",
    "DCGANDiscriminator",
    "init_dcgan_weights",
    "PackedDiscriminator",
    "packed_shape",
    "SUPPORTED_IMAGE_SIZES",
    "load_dcgan_mnist_generator",
    "LayerInfo",
    "layer_table",
    "format_layer_table",
]
