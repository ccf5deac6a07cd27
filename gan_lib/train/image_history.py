"""A history buffer of refined images (SimGAN, Shrivastava et al. 2017, section 2.3).

A discriminator that sees only the refiner's current output forgets what earlier refiners did,
and the refiner can then bring back artifacts that D had already learnt to reject. SimGAN keeps a
buffer of past refined images and gives D a fake batch that is half current refined images and
half drawn at random from the buffer; after each D update, randomly chosen slots of the buffer
are overwritten with current refined images.

    history = ImageHistory(capacity=3200, seed=0)
    d_fake = history.mix(fake.detach())   # (B, ...): B - B//2 current, B//2 from the buffer

Until the buffer holds B//2 images, `mix` returns the current batch unchanged (and starts filling
the buffer). The buffer is random state of a training run: `state_dict` / `load_state_dict`
carry its images and its random stream, so a checkpointed run resumes exactly.
`fit(..., objective=Refinement(history_size=...))` wires it in.
"""

from __future__ import annotations

import torch

from gan_lib.checks import check_int, check_number

__all__ = ["ImageHistory"]


class ImageHistory:
    """A fixed-capacity buffer of past fake images that mixes them into D's fake batches.

    Args:
        capacity: how many images the buffer keeps (at least one batch's history share).
        seed: seeds the buffer's own random stream (which images are drawn and replaced).
        fraction: share of each fake batch taken from the buffer; SimGAN uses one half.
    """

    def __init__(self, capacity: int, *, seed: int = 0, fraction: float = 0.5) -> None:
        check_int("capacity", capacity, minimum=1,
                  hint="the number of past refined images kept, e.g. 100 batches' worth")
        check_int("seed", seed, minimum=0)
        check_number("fraction", fraction, low=0, high=1, low_open=True, high_open=True)
        self.capacity, self.fraction = capacity, float(fraction)
        self.rng = torch.Generator().manual_seed(seed)
        self.images: torch.Tensor | None = None  # (capacity, ...) once the first batch arrives
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"ImageHistory(capacity={self.capacity}, size={self.size}, fraction={self.fraction})"

    def n_history(self, batch_size: int) -> int:
        """How many of a batch of `batch_size` fakes come from the buffer once it is filled."""
        return int(batch_size * self.fraction)

    def mix(self, fake: torch.Tensor) -> torch.Tensor:
        """D's fake batch: current fakes with a `fraction` of them swapped for past ones.

        Args:
            fake: the current fake batch (B, ...), detached from G.

        Returns:
            A batch of the same shape: its first B - k rows are current fakes, the last k rows
            are drawn without replacement from the buffer (k = int(B * fraction)), or `fake`
            itself while the buffer holds fewer than k images. Then k current fakes (the first
            k) are written into the buffer: appended while it has room, else over k random slots.
        """
        if not isinstance(fake, torch.Tensor) or not fake.is_floating_point() or fake.dim() < 2:
            raise TypeError("fake must be a floating-point batch (B, ...) of images; got "
                            f"{type(fake).__name__}"
                            + (f" of shape {tuple(fake.shape)}" if isinstance(fake, torch.Tensor)
                               else ""))
        k = self.n_history(len(fake))
        if k > self.capacity:
            raise ValueError(f"capacity {self.capacity} is smaller than the {k} images drawn per "
                             f"batch of {len(fake)}; use capacity >= {k} (SimGAN keeps many "
                             "batches' worth)")
        if self.images is None:
            self.images = torch.empty((self.capacity, *fake.shape[1:]), dtype=fake.dtype,
                                      device=fake.device)
        elif self.images.shape[1:] != fake.shape[1:]:
            raise ValueError(f"fake images have shape {tuple(fake.shape[1:])}, the buffer holds "
                             f"{tuple(self.images.shape[1:])}: one ImageHistory per image size")
        elif self.images.device != fake.device:  # after a resume, the buffer arrives on the CPU
            self.images = self.images.to(fake.device)
        fake = fake.detach()  # D's batch and the buffer carry no graph through G
        if k == 0:
            return fake
        if self.size >= k:
            # (1) D's batch: B - k current fakes, then k past ones drawn without replacement
            past = torch.randperm(self.size, generator=self.rng)[:k].to(fake.device)
            out = torch.cat([fake[: len(fake) - k], self.images[past]])
        else:
            out = fake
        # (2) the buffer: k current fakes, appended while there is room, else over random slots
        room = min(k, self.capacity - self.size)
        if room:
            self.images[self.size : self.size + room] = fake[:room]
            self.size += room
        if k > room:
            slots = torch.randperm(self.capacity, generator=self.rng)[: k - room]
            self.images[slots.to(fake.device)] = fake[room:k]
        return out

    def state_dict(self) -> dict:
        """Plain tensors and numbers (checkpoint-safe): the stored images and the random stream."""
        images = (self.images[: self.size].cpu().clone() if self.images is not None
                  else torch.empty(0))
        return {"capacity": self.capacity, "fraction": self.fraction, "size": self.size,
                "images": images, "rng": self.rng.get_state()}

    def load_state_dict(self, state: dict) -> None:
        """Restore what `state_dict` returned; capacity and fraction must match."""
        for key in ("capacity", "fraction"):
            if state[key] != getattr(self, key):
                raise ValueError(f"the saved image history has {key}={state[key]}, this one "
                                 f"{getattr(self, key)}; build it with the saved settings")
        self.size = int(state["size"])
        self.rng.set_state(state["rng"])
        if self.size == 0:
            self.images = None
            return
        saved = state["images"]
        self.images = torch.empty((self.capacity, *saved.shape[1:]), dtype=saved.dtype)
        self.images[: self.size] = saved
