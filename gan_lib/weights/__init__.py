"""Everything trained offline that gan_lib ships: weights, logs and result files, checksum-verified."""

from .verify import WeightsError, load_verified_state_dict

__all__ = ["WeightsError", "load_verified_state_dict"]
