"""The per-step record of a training run: what `fit` returns and what the plots read."""

from __future__ import annotations

from typing import Iterator

__all__ = ["History", "HISTORY_KEYS"]

# The keys of the standard GAN's records; other objectives add theirs (WGAN-GP: "gp",
# paired: "l1"), see `Objective.history_keys`.
HISTORY_KEYS = ("step", "d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm", "d_grad_norm")


class History:
    """A list of per-step records (plain dicts of floats), readable by key.

        history["d_loss"]  -> [float, ...], one per step
        history.last       -> the latest record (a dict), or None before the first step
        len(history)       -> number of recorded steps

        history.config     -> the run's TrainConfig (None for a history built by hand)
        history.ema_generator -> the EMA of G's weights when fit ran with ema_decay, else None

    Args:
        records: initial records, e.g. from a checkpoint.
        config: the `TrainConfig` of the run that produced them.
    """

    def __init__(self, records: list[dict[str, float]] | None = None, config=None) -> None:
        self.records: list[dict[str, float]] = [dict(r) for r in (records or [])]
        self.config = config
        self.ema_generator = None

    def append(self, record: dict[str, float]) -> None:
        """Add one step's record (values are stored as Python floats)."""
        self.records.append({k: float(v) for k, v in record.items()})

    def keys(self) -> list[str]:
        """The keys of the records (those of the first record)."""
        return list(self.records[0]) if self.records else []

    def __getitem__(self, key: str) -> list[float]:
        if self.records and key not in self.records[0]:
            raise KeyError(f"history has no key {key!r}; available keys: {', '.join(self.keys())}")
        return [r[key] for r in self.records]

    @property
    def last(self) -> dict[str, float] | None:
        """The most recent record, or None if nothing was recorded yet."""
        return self.records[-1] if self.records else None

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, float]]:
        return iter(self.records)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, History) and self.records == other.records

    def __repr__(self) -> str:
        if not self.records:
            return "History(0 steps)"
        last = ", ".join(f"{k}={v:.4g}" for k, v in self.records[-1].items() if k != "step")
        return f"History({len(self)} steps; last: {last})"
