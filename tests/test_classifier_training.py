"""train_classifier, accuracy and error_rate on tiny synthetic problems: it learns a separable
problem, is reproducible, mixes `extra` into every batch in the stated share, samples with
replacement, refuses bad input; accuracy is exact, batch-independent and restores the mode."""

import math

import pytest
import torch
from torch import nn

from gan_lib.train.classifier import accuracy, train_classifier
# aliased: a module-level name starting with test_ would be collected by pytest as a test
from gan_lib.train.classifier import error_rate

NUM_CLASSES, DIM = 3, 8
SEPARATION = 4.0  # blobs overlap a little: the optimal rule misses about one in a hundred


def blobs(n_per_class, seed, marker=0.0):
    """3 Gaussian blobs (std 1) in DIM-D, centres SEPARATION along the first axes, plus a last column
    `marker` that tells which set a row came from (the classifier can ignore it)."""
    g = torch.Generator().manual_seed(seed)
    centres = SEPARATION * torch.eye(NUM_CLASSES, DIM - 1)
    y = torch.arange(NUM_CLASSES).repeat_interleave(n_per_class)
    x = centres[y] + torch.randn(len(y), DIM - 1, generator=g)
    return torch.cat([x, torch.full((len(y), 1), marker)], 1), y, centres


def nearest_centre_accuracy(x, y, centres):
    """Accuracy of the Bayes-optimal rule for these blobs (equal priors, equal isotropic noise)."""
    return (torch.cdist(x[:, :-1], centres).argmin(1) == y).float().mean().item()


def small_net(seed=0, dropout=0.0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(DIM, 16), nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, NUM_CLASSES))


class Spy(nn.Module):
    """Wraps a model and records every batch it is given and the mode it was in."""

    def __init__(self, model):
        super().__init__()
        self.model, self.batches, self.modes = model, [], []

    def forward(self, x):
        self.batches.append(x.detach().clone())
        self.modes.append(self.training)
        return self.model(x)


def test_learns_a_separable_problem_nearly_as_well_as_the_optimal_rule():
    x, y, centres = blobs(30, seed=0)
    x_test, y_test, _ = blobs(200, seed=1)
    model = small_net(dropout=0.1)
    before = accuracy(model, x_test, y_test)
    losses = train_classifier(model, x, y, steps=60, batch_size=16, lr=1e-2, num_classes=NUM_CLASSES)
    after = accuracy(model, x_test, y_test)
    best = nearest_centre_accuracy(x_test, y_test, centres)
    # 90 training points: within 0.1 of the optimal rule (seeds 0-5 of the net: 0.96-1.0 vs 1.0)
    assert after >= best - 0.1 and after > before
    assert error_rate(model, x_test, y_test) == pytest.approx(1.0 - after)
    assert len(losses) == 60 and all(math.isfinite(v) for v in losses)
    assert sum(losses[-10:]) < sum(losses[:10])  # the loss fell
    assert not model.training  # left in eval mode, ready for error_rate


def test_same_seeds_give_identical_weights_another_batch_seed_others():
    x, y, _ = blobs(10, seed=0)
    runs = []
    for batch_seed in (0, 0, 1):
        model = small_net(seed=5, dropout=0.2)
        torch.manual_seed(7)  # dropout draws from torch's generator
        train_classifier(model, x, y, steps=8, batch_size=8, num_classes=NUM_CLASSES, seed=batch_seed)
        runs.append(model.state_dict())
    assert all(torch.equal(runs[0][k], runs[1][k]) for k in runs[0])
    assert not all(torch.equal(runs[0][k], runs[2][k]) for k in runs[0])


@pytest.mark.parametrize("batch_size, extra_fraction, n_extra", [(10, 0.3, 3), (64, 0.5, 32),
                                                                  (8, 0.01, 1)])
def test_every_batch_holds_extra_samples_in_the_stated_share(batch_size, extra_fraction, n_extra):
    x, y, _ = blobs(4, seed=0, marker=0.0)
    x_extra, y_extra, _ = blobs(20, seed=1, marker=1.0)  # marker column 1: a generated row
    spy = Spy(small_net())
    train_classifier(spy, x, y, steps=5, batch_size=batch_size, extra=(x_extra, y_extra),
                     extra_fraction=extra_fraction, num_classes=NUM_CLASSES)
    assert len(spy.batches) == 5
    real_rows = {tuple(r.tolist()) for r in x}
    extra_rows = {tuple(r.tolist()) for r in x_extra}
    for batch in spy.batches:
        assert len(batch) == batch_size
        is_extra = batch[:, -1] == 1.0
        assert is_extra.sum().item() == n_extra
        assert all(tuple(r.tolist()) in extra_rows for r in batch[is_extra])
        assert all(tuple(r.tolist()) in real_rows for r in batch[~is_extra])
    assert all(spy.modes)  # trained in train mode


def test_without_extra_every_row_is_real():
    x, y, _ = blobs(4, seed=0)
    spy = Spy(small_net())
    train_classifier(spy, x, y, steps=3, batch_size=6, num_classes=NUM_CLASSES)
    real_rows = {tuple(r.tolist()) for r in x}
    assert all(len(b) == 6 and all(tuple(r.tolist()) in real_rows for r in b) for b in spy.batches)


def test_a_batch_larger_than_the_set_is_drawn_with_replacement():
    x, y, _ = blobs(2, seed=0)  # 6 images
    spy = Spy(small_net())
    losses = train_classifier(spy, x, y, steps=2, batch_size=64, num_classes=NUM_CLASSES)
    assert len(losses) == 2 and all(math.isfinite(v) for v in losses)
    first = spy.batches[0]
    assert len(first) == 64
    real_rows = {tuple(r.tolist()) for r in x}
    assert all(tuple(r.tolist()) in real_rows for r in first)  # 64 draws from 6 rows: repeats


def test_labels_follow_their_images_into_the_batch():
    # a model that predicts the class from the first DIM - 1 coordinates exactly (the blob
    # centres) gets a loss near 0 only if each image is paired with its own label
    x, y, centres = blobs(5, seed=0)
    x_extra, y_extra, _ = blobs(5, seed=1, marker=1.0)
    model = nn.Linear(DIM, NUM_CLASSES)
    with torch.no_grad():
        model.weight.zero_()
        model.weight[:, :NUM_CLASSES] = 20.0 * torch.eye(NUM_CLASSES)
        model.bias.zero_()
    assert accuracy(model, x, y) == 1.0 and accuracy(model, x_extra, y_extra) == 1.0
    losses = train_classifier(model, x, y, steps=1, batch_size=16, lr=0.0,
                              extra=(x_extra, y_extra), num_classes=NUM_CLASSES)
    assert losses[0] < 1e-3


@pytest.mark.parametrize("steps", [0, -1, True, 2.5])
def test_bad_steps_are_refused(steps):
    x, y, _ = blobs(2, seed=0)
    with pytest.raises(ValueError, match="steps must be an int >= 1"):
        train_classifier(small_net(), x, y, steps=steps, num_classes=NUM_CLASSES)


def test_bad_batch_size_is_refused():
    x, y, _ = blobs(2, seed=0)
    with pytest.raises(ValueError, match="batch_size must be an int >= 1"):
        train_classifier(small_net(), x, y, steps=1, batch_size=0, num_classes=NUM_CLASSES)


def test_empty_images_are_refused():
    with pytest.raises(ValueError, match="real images are empty"):
        train_classifier(small_net(), torch.empty(0, DIM), torch.empty(0, dtype=torch.int64),
                         steps=1, num_classes=NUM_CLASSES)


def test_integer_images_are_refused():
    x, y, _ = blobs(2, seed=0)
    with pytest.raises(TypeError, match="real images must be a float tensor"):
        train_classifier(small_net(), x.long(), y, steps=1, num_classes=NUM_CLASSES)


def test_labels_out_of_range_are_refused_with_check_labels_message():
    x, y, _ = blobs(2, seed=0)
    y = y.clone()
    y[4] = NUM_CLASSES
    with pytest.raises(ValueError, match=r"real labels must lie in \[0, 2\] .*got 3 at index 4"):
        train_classifier(small_net(), x, y, steps=1, num_classes=NUM_CLASSES)
    with pytest.raises(ValueError, match="extra labels must lie in"):
        train_classifier(small_net(), x, y.clamp(max=2), steps=1, num_classes=NUM_CLASSES,
                         extra=(x, y))


def test_labels_of_the_wrong_count_are_refused():
    x, y, _ = blobs(2, seed=0)
    with pytest.raises(ValueError, match="real labels has 5 labels for a batch of 6"):
        train_classifier(small_net(), x, y[:5], steps=1, num_classes=NUM_CLASSES)


def test_extra_images_of_another_shape_are_refused():
    x, y, _ = blobs(2, seed=0)
    with pytest.raises(ValueError, match=r"extra images have shape \(7,\) per image, the real ones \(8,\)"):
        train_classifier(small_net(), x, y, steps=1, num_classes=NUM_CLASSES, extra=(x[:, 1:], y))


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2, 1.5])
def test_extra_fraction_outside_the_open_unit_interval_is_refused(fraction):
    x, y, _ = blobs(2, seed=0)
    with pytest.raises(ValueError, match=r"extra_fraction must be in \(0, 1\)"):
        train_classifier(small_net(), x, y, steps=1, num_classes=NUM_CLASSES, extra=(x, y),
                         extra_fraction=fraction)


def test_a_batch_with_no_room_for_real_images_is_refused():
    x, y, _ = blobs(2, seed=0)
    with pytest.raises(ValueError, match="no room for real images"):
        train_classifier(small_net(), x, y, steps=1, batch_size=2, num_classes=NUM_CLASSES,
                         extra=(x, y), extra_fraction=0.9)


# -- accuracy / error_rate on a model whose predictions are known -----------------------------

class ArgmaxOfInput(nn.Module):
    """Logits = the input itself (an identity linear layer), so the prediction is x.argmax(1).
    Records the mode it was called in."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(3, 3)
        with torch.no_grad():
            self.linear.weight.copy_(torch.eye(3))
            self.linear.bias.zero_()
        self.modes = []

    def forward(self, x):
        self.modes.append(self.training)
        return self.linear(x)


def known_set():
    # predictions 0, 1, 2, 2, 0, 1, 1; labels agree on 5 of 7 rows (not rows 3 and 4)
    x = torch.tensor([[5., 0, 0], [0, 5, 0], [0, 0, 5], [1, 0, 2], [3, 2, 1], [0, 4, 1], [1, 2, 0]])
    y = torch.tensor([0, 1, 2, 0, 1, 1, 1])
    return x, y


@pytest.mark.parametrize("batch_size", [1000, 7, 3, 1])
def test_accuracy_and_error_rate_are_exact_for_any_batch_size(batch_size):
    x, y = known_set()
    model = ArgmaxOfInput()
    assert accuracy(model, x, y, batch_size=batch_size) == pytest.approx(5 / 7)
    assert error_rate(model, x, y, batch_size=batch_size) == pytest.approx(2 / 7)


def test_accuracy_of_a_perfect_and_of_a_wrong_model():
    x, y = known_set()
    predictions = x.argmax(1)
    model = ArgmaxOfInput()
    assert accuracy(model, x, predictions) == 1.0
    assert error_rate(model, x, (predictions + 1) % 3) == 1.0


@pytest.mark.parametrize("start_in_training", [True, False])
def test_accuracy_runs_in_eval_mode_and_restores_the_mode(start_in_training):
    x, y = known_set()
    model = ArgmaxOfInput().train(start_in_training)
    accuracy(model, x, y, batch_size=2)
    assert model.modes and not any(model.modes)  # every batch evaluated in eval mode
    assert model.training == start_in_training
    error_rate(model, x, y)
    assert model.training == start_in_training


def test_accuracy_does_not_track_gradients():
    x, y = known_set()
    model = ArgmaxOfInput()
    accuracy(model, x, y)
    assert model.linear.weight.grad is None
