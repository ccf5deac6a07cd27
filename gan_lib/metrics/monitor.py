"""A callback for `fit` that watches for the classic GAN failures and warns with the number.

    monitor = TrainingMonitor(coverage_every=200, classifier=load_mnist_classifier())
    fit(G, D, data, steps=2000, callbacks=[monitor])
    monitor.alerts                                       # [Alert(step, kind, value, message)]

Three checks, each warned once when it starts and re-armed when it clears:

- `saturated`: D(G(z)), averaged over the last `window` steps, fell below `saturation`. D rejects
  the fakes with near certainty, so the minimax generator loss gives G almost no gradient.
- `class_collapse`: every `coverage_every` steps the generator draws samples from fixed noise, a
  classifier of the data's classes reads them (any module mapping samples to class logits; for
  MNIST, the shipped `load_mnist_classifier()`), and the monitor warns when fewer than
  `min_classes` classes are present or the class histogram's entropy falls below
  `min_entropy_bits`. Nothing here assumes MNIST.
- `non_finite`: a loss in the history is NaN or inf (fit itself stops before a NaN reaches the
  weights; a hand-written loop that records its own history may not).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import torch
from torch import nn

from gan_lib.checks import check_int, check_number
from gan_lib.train.history import History

from .sample_quality import coverage_from_probs

__all__ = ["TrainingMonitor", "TrainingAlert", "GANTrainingWarning"]


class GANTrainingWarning(UserWarning):
    """Issued by `TrainingMonitor` when training shows a known failure."""


@dataclass(frozen=True)
class TrainingAlert:
    """One warning: the step, which check fired, the number that triggered it, the message."""

    step: int
    kind: str
    value: float
    message: str


class TrainingMonitor:
    """Callback cb(step, G, D, history) for `fit`; collects `alerts` and `coverage` records.

    Args:
        saturation: warn when mean D(G(z)) over the last `window` steps is below this.
        window: steps averaged for the saturation check.
        coverage_every: run the class-coverage check every this many steps (None: never).
        min_classes: warn when fewer classes than this are present.
        min_entropy_bits: warn when the class histogram's entropy is below this (at most
            log2 of the number of classes: 3.32 bits for ten).
        coverage_samples: how many fixed noise vectors the coverage check draws.
        classifier: samples (N, ...) -> class logits (N, K), in eval mode; needed with
            `coverage_every` (for MNIST: `gan_lib.metrics.load_mnist_classifier()`).
        seed: seeds the fixed noise of the coverage check.
        warn: issue `GANTrainingWarning`s (False: only record them in `alerts`).
    """

    def __init__(
        self,
        *,
        saturation: float = 0.05,
        window: int = 20,
        coverage_every: int | None = None,
        min_classes: int = 8,
        min_entropy_bits: float = 2.5,
        coverage_samples: int = 500,
        classifier: nn.Module | None = None,
        seed: int = 0,
        warn: bool = True,
    ) -> None:
        check_number("saturation", saturation, low=0, high=1, low_open=True, high_open=True,
                     hint="a probability: the mean D(G(z)) to warn below")
        check_int("window", window, minimum=1)
        if coverage_every is not None:
            check_int("coverage_every", coverage_every, minimum=1, hint="or None: no coverage check")
        check_int("min_classes", min_classes, minimum=1)
        check_number("min_entropy_bits", min_entropy_bits, low=0,
                     hint="log2(10) = 3.32 bits is an even spread over ten classes")
        if coverage_every is not None and classifier is None:
            raise ValueError("the class-coverage check (coverage_every=...) needs classifier=, a "
                             "module mapping samples to class logits; for MNIST pass "
                             "gan_lib.metrics.load_mnist_classifier()")
        check_int("coverage_samples", coverage_samples, minimum=10)
        self.saturation, self.window = saturation, window
        self.coverage_every, self.min_classes = coverage_every, min_classes
        self.min_entropy_bits, self.coverage_samples = min_entropy_bits, coverage_samples
        self.classifier, self.seed, self.warn = classifier, seed, warn
        self.alerts: list[TrainingAlert] = []
        self.coverage: list[tuple[int, object]] = []  # (step, ClassCoverage)
        self._active: set[str] = set()
        self._z: torch.Tensor | None = None

    def kinds(self) -> list[str]:
        """The kinds of alert raised so far, in order, without repeats."""
        return list(dict.fromkeys(a.kind for a in self.alerts))

    def _report(self, step: int, kind: str, firing: bool, value: float, message: str) -> None:
        # warn on the transition into a failure, not on every step it lasts
        if not firing:
            self._active.discard(kind)
            return
        if kind in self._active:
            return
        self._active.add(kind)
        alert = TrainingAlert(step=step, kind=kind, value=float(value), message=f"step {step}: {message}")
        self.alerts.append(alert)
        if self.warn:
            warnings.warn(alert.message, GANTrainingWarning, stacklevel=2)

    def __call__(self, step: int, generator: nn.Module, discriminator: nn.Module,
                 history: History) -> None:
        last = history.last
        if last is None:
            return
        bad = {k: last[k] for k in ("d_loss", "g_loss") if k in last and not math.isfinite(last[k])}
        self._report(step, "non_finite", bool(bad), next(iter(bad.values()), 0.0),
                     f"non-finite loss {bad}; lower the learning rates or use real_label=0.9")
        objective = getattr(history.config, "objective", None)
        # D(G(z)) is a probability only for cross-entropy objectives; a critic's scores are not
        if objective is None or objective.probabilistic:
            self._check_saturation(step, history, getattr(objective, "adversarial", objective))
        if self.coverage_every and step % self.coverage_every == 0:
            self._check_coverage(step, generator)

    def _check_saturation(self, step: int, history: History, objective) -> None:
        recent = [r["d_fake"] for r in history.records[-self.window:] if "d_fake" in r]
        if len(recent) < self.window:  # a full window: one early step is not a trend
            return
        mean = sum(recent) / len(recent)
        loss = getattr(objective, "loss", None)  # None: a history recorded by hand
        if loss == "minimax":
            advice = ("the minimax loss leaves G almost no gradient there; switch to the "
                      "non-saturating loss, or weaken D (fewer d_steps, lower lr_d)")
        elif loss == "non-saturating":
            advice = ("this run already uses the non-saturating loss, so G still gets gradient, "
                      "but D is winning: weaken D (fewer d_steps, lower lr_d) or use one-sided "
                      "label smoothing (real_label=0.9)")
        else:
            advice = ("with the minimax loss G gets almost no gradient there; use the "
                      "non-saturating loss, or weaken D (fewer d_steps, lower lr_d)")
        self._report(
            step, "saturated", mean < self.saturation, mean,
            f"D(G(z)) = {mean:.4f} (mean of the last {len(recent)} steps) < {self.saturation}: "
            f"D rejects the fakes with certainty; {advice}",
        )

    @torch.no_grad()
    def _check_coverage(self, step: int, generator: nn.Module) -> None:
        device = next(generator.parameters()).device
        if self._z is None:
            noise = torch.Generator().manual_seed(self.seed)
            self._z = torch.randn(self.coverage_samples, generator.latent_dim, generator=noise)
        was_training = generator.training
        generator.eval()
        images = generator(self._z.to(device)).cpu().clamp(-1, 1)
        generator.train(was_training)
        logits = torch.cat([self.classifier(chunk) for chunk in images.split(500)])
        num_classes = logits.shape[1]
        if self.min_classes > num_classes or self.min_entropy_bits > math.log2(num_classes):
            raise ValueError(f"min_classes={self.min_classes} and min_entropy_bits="
                             f"{self.min_entropy_bits} cannot be met by a classifier of "
                             f"{num_classes} classes (at most {num_classes} classes and "
                             f"{math.log2(num_classes):.2f} bits)")
        cov = coverage_from_probs(logits.softmax(dim=1))
        self.coverage.append((step, cov))
        collapsed = cov.num_present < self.min_classes or cov.entropy_bits < self.min_entropy_bits
        self._report(
            step, "class_collapse", collapsed, cov.num_present,
            f"only {cov.num_present}/{num_classes} classes present, class entropy "
            f"{cov.entropy_bits + 0.0:.2f} bits (alarm below {self.min_classes} classes or "
            f"{self.min_entropy_bits} bits), {cov.confident_fraction:.0%} read confidently: mode "
            f"collapse if these are good samples of few classes, a failure to train if they are "
            f"not recognisable yet (compare the FD with an untrained generator's)",
        )
