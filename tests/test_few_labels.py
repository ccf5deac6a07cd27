"""balanced_indices and hide_labels: a balanced labelled subset, reproducible by seed, and the
label vector with -1 where a label is hidden; with clear errors for bad input."""

import pytest
import torch

from gan_lib.data.label_subsets import balanced_indices, hide_labels


def unbalanced_labels(seed=0):
    """300 labels of 4 classes with unequal counts (class k has 30 + 20 k members), shuffled."""
    labels = torch.cat([torch.full((30 + 20 * k,), k) for k in range(4)])
    return labels[torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))]


@pytest.mark.parametrize("per_class", [1, 7, 30])
def test_exactly_per_class_of_every_class_valid_and_unique(per_class):
    labels = unbalanced_labels()
    keep = balanced_indices(labels, per_class, seed=3)
    assert keep.dtype == torch.int64 and keep.dim() == 1
    assert len(keep) == 4 * per_class
    assert len(keep.unique()) == len(keep)
    assert keep.min() >= 0 and keep.max() < len(labels)
    assert torch.bincount(labels[keep], minlength=4).tolist() == [per_class] * 4


def test_a_class_can_be_taken_whole():
    labels = unbalanced_labels()
    keep = balanced_indices(labels, 30, seed=0)  # class 0 has exactly 30 members
    assert set(keep[labels[keep] == 0].tolist()) == set(torch.nonzero(labels == 0).flatten().tolist())


def test_same_seed_same_indices_other_seed_other_indices():
    labels = unbalanced_labels()
    a = balanced_indices(labels, 5, seed=11)
    assert torch.equal(a, balanced_indices(labels, 5, seed=11))
    assert not torch.equal(a, balanced_indices(labels, 5, seed=12))


def test_picks_are_spread_over_each_class_not_its_first_members():
    labels = unbalanced_labels()
    keep = balanced_indices(labels, 10, seed=0)
    first_ten = torch.cat([torch.nonzero(labels == k).flatten()[:10] for k in range(4)])
    assert set(keep.tolist()) != set(first_ten.tolist())


@pytest.mark.parametrize("per_class", [0, -2, True, 2.0, "3"])
def test_bad_per_class_is_refused(per_class):
    with pytest.raises(ValueError, match="per_class must be an int >= 1"):
        balanced_indices(unbalanced_labels(), per_class)


@pytest.mark.parametrize("labels", [
    torch.zeros(10),                            # float
    torch.zeros(5, 2, dtype=torch.int64),       # 2-D
    torch.zeros(10, dtype=torch.int32),         # not int64
    [0, 1, 2],                                  # not a tensor
])
def test_labels_of_the_wrong_type_or_shape_are_refused(labels):
    with pytest.raises(TypeError, match=r"int64 tensor of class indices \(N,\)"):
        balanced_indices(labels, 1)


def test_negative_labels_are_refused():
    labels = torch.tensor([0, 1, -1, 1, 0])
    with pytest.raises(ValueError, match="class indices >= 0"):
        balanced_indices(labels, 1)


def test_a_class_with_too_few_examples_is_named():
    labels = unbalanced_labels()  # class 0 has 30 members, the others more
    with pytest.raises(ValueError, match="class 0 has 30 examples, fewer than per_class=31"):
        balanced_indices(labels, 31)
    labels = torch.tensor([0, 0, 0, 2, 2, 5, 5, 5])
    with pytest.raises(ValueError, match="class 2 has 2 examples"):
        balanced_indices(labels, 3)


def test_hide_labels_keeps_labels_at_keep_and_minus_one_elsewhere():
    labels = unbalanced_labels()
    original = labels.clone()
    keep = balanced_indices(labels, 4, seed=1)
    out = hide_labels(labels, keep)
    assert out.dtype == labels.dtype and out.shape == labels.shape
    assert torch.equal(out[keep], labels[keep])
    hidden = torch.ones(len(labels), dtype=torch.bool)
    hidden[keep] = False
    assert (out[hidden] == -1).all()
    assert (out >= 0).sum() == len(keep)
    assert torch.equal(labels, original)  # the input is untouched
    assert out.data_ptr() != labels.data_ptr()


def test_hide_labels_with_no_kept_index_hides_everything():
    labels = torch.tensor([3, 1, 2])
    assert hide_labels(labels, torch.tensor([], dtype=torch.int64)).tolist() == [-1, -1, -1]


@pytest.mark.parametrize("keep", [torch.tensor([0, 3]), torch.tensor([-1, 1])])
def test_hide_labels_refuses_out_of_range_indices(keep):
    with pytest.raises(ValueError, match=r"outside \[0, 2\]"):
        hide_labels(torch.tensor([3, 1, 2]), keep)


@pytest.mark.parametrize("keep", [torch.tensor([0, 1], dtype=torch.int32), torch.tensor([0.0, 1.0]),
                                  [0, 1]])
def test_hide_labels_refuses_keep_that_is_not_int64(keep):
    with pytest.raises(TypeError, match="keep must be an int64 tensor"):
        hide_labels(torch.tensor([3, 1, 2]), keep)
