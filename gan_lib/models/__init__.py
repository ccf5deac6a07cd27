"""The networks of the book. Each module is one family; all discriminators return logits (N,).

- `mlp`: fully connected generator and discriminator (MNIST and 1-D toy data).
- `dcgan`: the deep convolutional GAN generator and discriminator, as in the paper.
- `dcgan_ablations`: DCGANs with some of the paper's guidelines undone, built by swapping parts.
- `auxiliary_classifier`: the ACGAN discriminator (real/fake logit and a class head).
- `conditional`: class-conditional G(z, y) and D(x, y), MLP and DCGAN (concat or projection D).
- `unet`: pix2pix's U-Net generator and its `down` / `up` blocks (image-to-image).
- `patchgan`: pix2pix's PatchGAN, D(source, image) -> a map of logits (N, 1, h, w), one per patch.
- `packing`: PacGAN, a discriminator that judges several samples at once (a mode-collapse remedy).
- `spectral_norm`: `apply_spectral_norm`, every weight divided by its largest singular value (SN-GAN).
- `maxout`: maxout units and the maxout discriminator of the 2-D mode-collapse benchmarks.
- `mixture_benchmark`: the generator and discriminator of those benchmarks (PacGAN's code).
- `ensemble`: K networks of one architecture trained as one pair by `fit` (seeds, remedies).
- `semi_supervised`: the K-class discriminator of the semi-supervised GAN (few labels).
- `summary`: a layer table (output shape and parameters per layer) for any model.
"""

from .auxiliary_classifier import AuxiliaryClassifierDiscriminator
from .conditional import (
    CONDITIONINGS,
    LABEL_INPUTS,
    ConditionalDCGANDiscriminator,
    ConditionalDCGANGenerator,
    ConditionalMLPDiscriminator,
    ConditionalMLPGenerator,
    check_labels,
)
from .dcgan import SUPPORTED_IMAGE_SIZES, DCGANDiscriminator, DCGANGenerator, init_dcgan_weights
from .dcgan_ablations import ablated_dcgan_discriminator, ablated_dcgan_generator
from .ensemble import EnsembleDiscriminator, EnsembleGenerator, ensemble_data
from .maxout import Maxout, MaxoutDiscriminator
from .mlp import MLPDiscriminator, MLPGenerator
from .mixture_benchmark import benchmark_discriminator, benchmark_generator, init_normal_
from .packing import PackedDiscriminator, packed_shape
from .patchgan import PatchDiscriminator, conv_specs, receptive_field
from .semi_supervised import (
    SEMI_SUPERVISED_SETTINGS,
    GaussianNoise,
    SemiSupervisedDiscriminator,
    SemiSupervisedGenerator,
    init_from_data_,
    semi_supervised_pair,
)
from .spectral_norm import apply_spectral_norm
from .summary import LayerInfo, format_layer_table, layer_table
from .unet import UNetGenerator, down, up, valid_unet_depths

__all__ = [
    "MLPGenerator",
    "MLPDiscriminator",
    "DCGANGenerator",
    "DCGANDiscriminator",
    "init_dcgan_weights",
    "ablated_dcgan_generator",
    "ablated_dcgan_discriminator",
    "ConditionalMLPGenerator",
    "ConditionalMLPDiscriminator",
    "ConditionalDCGANGenerator",
    "ConditionalDCGANDiscriminator",
    "AuxiliaryClassifierDiscriminator",
    "check_labels",
    "LABEL_INPUTS",
    "CONDITIONINGS",
    "PackedDiscriminator",
    "packed_shape",
    "apply_spectral_norm",
    "Maxout",
    "MaxoutDiscriminator",
    "benchmark_generator",
    "benchmark_discriminator",
    "init_normal_",
    "EnsembleGenerator",
    "EnsembleDiscriminator",
    "ensemble_data",
    "SUPPORTED_IMAGE_SIZES",
    "SemiSupervisedDiscriminator",
    "SemiSupervisedGenerator",
    "init_from_data_",
    "GaussianNoise",
    "SEMI_SUPERVISED_SETTINGS",
    "semi_supervised_pair",
    "LayerInfo",
    "layer_table",
    "format_layer_table",
    "UNetGenerator",
    "down",
    "up",
    "valid_unet_depths",
    "PatchDiscriminator",
    "receptive_field",
    "conv_specs",
]
