"""TrainingMonitor: each check fires on constructed histories with the number, once, and re-arms."""

import math

import pytest
import torch
from torch import nn

from gan_lib.metrics import GANTrainingWarning, TrainingMonitor, class_coverage, load_mnist_classifier
from gan_lib.train import History


def history_of(d_fake, d_loss=1.0):
    h = History()
    for step, v in enumerate(d_fake, 1):
        h.append({"step": step, "d_loss": d_loss, "g_loss": 1.0, "d_real": 0.9, "d_fake": v,
                  "g_grad_norm": 1.0, "d_grad_norm": 1.0})
    return h


def feed(monitor, values, d_loss=1.0, generator=None):
    h = History()
    for step, v in enumerate(values, 1):
        h.append(history_of([v], d_loss).records[0] | {"step": step})
        monitor(step, generator, None, h)


def test_saturation_warns_once_with_the_number_and_rearms():
    monitor = TrainingMonitor(window=5, saturation=0.05)
    with pytest.warns(GANTrainingWarning, match=r"D\(G\(z\)\) = 0\.0100"):
        feed(monitor, [0.5] * 5 + [0.01] * 10 + [0.5] * 10 + [0.01] * 10)
    saturated = [a for a in monitor.alerts if a.kind == "saturated"]
    assert len(saturated) == 2  # once per episode, not once per step
    assert saturated[0].step == 10 and saturated[0].value == pytest.approx(0.01)
    assert monitor.kinds() == ["saturated"]


def test_healthy_training_raises_nothing():
    monitor = TrainingMonitor(window=5, warn=False)
    feed(monitor, [0.3, 0.4, 0.5] * 10)
    assert monitor.alerts == []


def test_non_finite_loss_is_reported():
    monitor = TrainingMonitor(warn=False)
    feed(monitor, [0.5], d_loss=float("nan"))
    assert monitor.kinds() == ["non_finite"] and math.isnan(monitor.alerts[0].value)


class ConstantDigits(nn.Module):
    """A "generator" that draws only the images it was given, cycling through them."""

    def __init__(self, images):
        super().__init__()
        self.latent_dim = 3
        self.images = images
        self.dummy = nn.Parameter(torch.zeros(1))

    def forward(self, z):
        idx = torch.arange(len(z)) % len(self.images)
        return self.images[idx] + 0 * self.dummy


def test_class_collapse_is_detected_with_the_classifier(mnist_test):
    images, labels = mnist_test
    ones = images[labels == 1][:5]
    diverse = torch.cat([images[labels == k][:5] for k in range(10)])
    classifier = load_mnist_classifier()
    monitor = TrainingMonitor(coverage_every=2, coverage_samples=50, warn=False,
                              classifier=classifier)
    h = history_of([0.5, 0.5])
    monitor(1, ConstantDigits(diverse), None, h)  # not a multiple of 2: no check
    assert monitor.coverage == []
    monitor(2, ConstantDigits(diverse), None, h)
    assert monitor.coverage[-1][1].num_present == 10 and monitor.alerts == []
    with pytest.warns(GANTrainingWarning, match=r"only 1/10 classes"):
        TrainingMonitor(coverage_every=2, coverage_samples=50, classifier=classifier)(
            2, ConstantDigits(ones), None, h)
    # the same numbers as the sample-quality metric, which reads the digits the same way
    assert monitor.coverage[-1][1] == class_coverage(diverse,
                                                     classifier=classifier)


def test_coverage_needs_a_classifier_and_works_with_any_number_of_classes():
    with pytest.raises(ValueError, match="needs classifier="):
        TrainingMonitor(coverage_every=1)
    h = history_of([0.5])
    # a 3-class "classifier" of 2-D points: class = the coordinate that is largest, or the third
    three = nn.Linear(2, 3)
    with torch.no_grad():
        three.weight.copy_(torch.tensor([[10.0, 0.0], [0.0, 10.0], [0.0, 0.0]]))
        three.bias.zero_()
    points = torch.tensor([[1.0, 0.0]] * 5)  # all class 0
    with pytest.warns(GANTrainingWarning, match=r"only 1/3 classes"):
        TrainingMonitor(coverage_every=1, coverage_samples=10, classifier=three, min_classes=2,
                        min_entropy_bits=1.0)(1, ConstantDigits(points), None, h)
    with pytest.raises(ValueError, match="cannot be met by a classifier of 3 classes"):
        TrainingMonitor(coverage_every=1, coverage_samples=10, classifier=three)(
            1, ConstantDigits(points), None, h)


def test_bad_settings():
    with pytest.raises(ValueError, match="saturation"):
        TrainingMonitor(saturation=1.5)
    with pytest.raises(ValueError, match="coverage_every"):
        TrainingMonitor(coverage_every=0)
    with pytest.raises(ValueError, match="min_classes"):
        TrainingMonitor(min_classes=0)


def test_monitor_works_as_a_fit_callback():
    from gan_lib.models import MLPDiscriminator, MLPGenerator
    from gan_lib.train import fit

    torch.manual_seed(0)
    g = MLPGenerator(latent_dim=2, hidden_dims=(8,), out_shape=(2,), out_activation=None)
    d = MLPDiscriminator(in_shape=(2,), hidden_dims=(8,))
    # a threshold every D(G(z)) is below: the alert must fire at the first full window
    monitor = TrainingMonitor(saturation=0.99, window=2, warn=False)
    fit(g, d, torch.randn(32, 2), steps=3, batch_size=8, progress=False, callbacks=[monitor])
    assert [(a.kind, a.step) for a in monitor.alerts] == [("saturated", 2)]
    assert 0 < monitor.alerts[0].value < 0.99


def _config_history(objective, d_fake):
    from gan_lib.train import TrainConfig

    h = history_of(d_fake)
    return History(h.records, config=TrainConfig(steps=len(d_fake), objective=objective))


@pytest.mark.parametrize("loss, advice, not_advice", [
    ("minimax", "switch to the non-saturating loss", "already uses"),
    ("non-saturating", "already uses the non-saturating loss", "switch to"),
])
def test_saturation_advice_knows_the_loss_in_use(loss, advice, not_advice):
    from gan_lib.train import StandardGAN

    monitor = TrainingMonitor(window=3, warn=False)
    h = _config_history(StandardGAN(loss=loss), [0.01] * 3)
    monitor(3, None, None, h)
    assert advice in monitor.alerts[0].message and not_advice not in monitor.alerts[0].message


def test_saturation_is_not_read_off_a_critics_scores():
    from gan_lib.train import Hinge, Paired

    # a critic's mean score of -3 is no probability: no saturation alarm for hinge / WGAN runs
    monitor = TrainingMonitor(window=3, warn=False)
    monitor(3, None, None, _config_history(Hinge(), [-3.0] * 3))
    assert monitor.alerts == []
    monitor(3, None, None, _config_history(Paired(), [0.01] * 3))  # pix2pix's D is a BCE one
    assert monitor.kinds() == ["saturated"]


@pytest.mark.parametrize("bits", [-0.1, "2", True])
def test_min_entropy_bits_is_validated(bits):
    with pytest.raises(ValueError, match="min_entropy_bits must be a finite number >= 0"):
        TrainingMonitor(min_entropy_bits=bits)
