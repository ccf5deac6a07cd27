"""fit as the one engine: every objective, class-conditional and paired data, EMA, the full
config in checkpoints (exact resume, mismatch errors, format version, interrupted saves), the
deferred non-finite guard, and the device-parametrised cases (CUDA skips without a GPU)."""

import copy
import math

import pytest
import torch
from torch import nn

from gan_lib.models import MLPDiscriminator
from gan_lib.train import (
    CHECKPOINT_FORMAT,
    EMA,
    Batch,
    CheckpointError,
    Hinge,
    Paired,
    Refinement,
    SemiSupervised,
    StandardGAN,
    TrainConfig,
    TrainingDivergedError,
    WassersteinGP,
    fit,
    gan_step,
    grad_norm,
    load_checkpoint,
    objective_step,
    save_checkpoint,
)

from fit_helpers import mlp_pair, states_equal, toy_data


class CondG(nn.Module):
    """G(z, y): a label embedding joined to z. Records the labels it is asked for."""

    def __init__(self, latent_dim=4, num_classes=3):
        super().__init__()
        self.latent_dim, self.num_classes = latent_dim, num_classes
        self.embed = nn.Embedding(num_classes, 4)
        self.net = nn.Sequential(nn.Linear(latent_dim + 4, 16), nn.ReLU(), nn.Linear(16, 6), nn.Tanh())
        self.seen = []

    def forward(self, z, y):
        self.seen.append(y.detach().cpu())
        return self.net(torch.cat([z, self.embed(y)], 1))


class CondD(nn.Module):
    """D(x, y): one-hot label concatenated to x."""

    def __init__(self, num_classes=3):
        super().__init__()
        self.num_classes = num_classes
        self.net = nn.Sequential(nn.Linear(6 + num_classes, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))

    def forward(self, x, y):
        return self.net(torch.cat([x, nn.functional.one_hot(y, self.num_classes).float()], 1)).squeeze(1)


class PairG(nn.Module):
    """G(source): a 1x1 convolution, so the best map (here: target = -source) is learnable."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 1, 1)

    def forward(self, source):
        return self.conv(source)


class PairD(nn.Module):
    """D(source, image): a tiny conv net on the channel-concatenated pair, a map of logits."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.LeakyReLU(0.2), nn.Conv2d(4, 1, 3))

    def forward(self, source, image):
        return self.net(torch.cat([source, image], 1))


class ClassifierD(nn.Module):
    """D for the semi-supervised objective: K class logits and the features before them."""

    def __init__(self, num_classes=3):
        super().__init__()
        self.num_classes = num_classes
        self.body = nn.Sequential(nn.Linear(6, 16), nn.LeakyReLU(0.2))
        self.head = nn.Linear(16, num_classes)

    def features(self, x):
        return self.body(x)

    def forward(self, x):
        return self.head(self.body(x))


def few_labels(n=40, labeled=6):
    labels = torch.full((n,), -1)
    labels[:labeled] = torch.arange(labeled) % 3
    return labels


def toy_labels(n=40, classes=(0, 2)):
    return torch.tensor(classes)[torch.arange(n) % len(classes)]


def paired_data(n=24):
    source = torch.rand(n, 1, 6, 6, generator=torch.Generator().manual_seed(2)) * 2 - 1
    return source, -source


# -- one run per kind of training, all through the same fit -------------------------------------

RUNS = {
    "standard": lambda: dict(models=mlp_pair(), data=toy_data(), kw={}),
    "minimax+smoothing": lambda: dict(models=mlp_pair(), data=toy_data(),
                                      kw=dict(loss="minimax", real_label=0.9)),
    "wgan-gp": lambda: dict(models=mlp_pair(), data=toy_data(),
                            kw=dict(objective=WassersteinGP(), d_steps=3, betas=(0.0, 0.9))),
    "hinge": lambda: dict(models=mlp_pair(), data=toy_data(), kw=dict(objective=Hinge())),
    "conditional": lambda: dict(models=(CondG(), CondD()), data=toy_data(),
                                kw=dict(labels=toy_labels())),
    "paired": lambda: dict(models=(PairG(), PairD()), data=paired_data()[1],
                           kw=dict(sources=paired_data()[0], objective=Paired(l1_weight=10.0))),
    "paired-l1-only": lambda: dict(models=(PairG(), None), data=paired_data()[1],
                                   kw=dict(sources=paired_data()[0],
                                           objective=Paired(l1_weight=1.0, adversarial=None))),
    "ema": lambda: dict(models=mlp_pair(), data=toy_data(), kw=dict(ema_decay=0.9)),
    "refinement": lambda: dict(models=(PairG(), MLPDiscriminator(in_shape=(1, 6, 6), hidden_dims=(8,))),
                               data=paired_data()[1][:20],
                               kw=dict(sources=paired_data()[0], objective=Refinement(self_weight=0.5))),
    "semi-supervised": lambda: dict(models=(mlp_pair()[0], ClassifierD()), data=toy_data(),
                                    kw=dict(labels=few_labels(), objective=SemiSupervised())),
}


def run(kind, steps, **extra):
    spec = RUNS[kind]()
    g, d = spec["models"]
    torch.manual_seed(0)
    history = fit(g, d, spec["data"], steps=steps, batch_size=8, progress=False,
                  **{**spec["kw"], **extra})
    return history, g, d


@pytest.mark.parametrize("kind", list(RUNS))
def test_every_objective_trains_and_records_its_numbers(kind):
    history, g, d = run(kind, 4)
    objective = history.config.objective
    assert history.keys() == ["step", *objective.history_keys()]
    assert all(math.isfinite(v) for r in history for v in r.values())
    if objective.probabilistic:
        assert all(0 < v < 1 for v in history["d_real"] + history["d_fake"])
    if "gp" in history.keys():
        assert all(v >= 0 for v in history["gp"])
    assert (history.ema_generator is not None) == (kind == "ema")


@pytest.mark.parametrize("kind", list(RUNS))
def test_resume_is_exact_for_every_objective(kind, tmp_path):
    h_ref, g_ref, d_ref = run(kind, 8)
    ckpt = tmp_path / "run.pt"
    run(kind, 4, checkpoint=ckpt)
    torch.manual_seed(99)  # another global RNG state and other initial weights: all from disk
    h, g, d = run(kind, 8, checkpoint=ckpt, resume=True)
    assert h == h_ref and len(h) == 8
    assert states_equal(g, g_ref)
    if d is not None:
        assert states_equal(d, d_ref)
    if kind == "ema":
        assert states_equal(h.ema_generator, h_ref.ema_generator)
        assert not states_equal(h.ema_generator, g)  # the average is not the last iterate


def test_standard_objective_step_equals_gan_step_bit_for_bit():
    g1, d1 = mlp_pair()
    g2, d2 = copy.deepcopy(g1), copy.deepcopy(d1)
    adam = lambda m: torch.optim.Adam(m.parameters(), lr=1e-2, betas=(0.5, 0.999))
    o = [adam(m) for m in (g1, d1, g2, d2)]
    for i in range(3):
        real = toy_data(8, seed=10 + i)
        z = torch.randn(8, 4, generator=torch.Generator().manual_seed(i))
        gan_step(g1, d1, real, z, o[0], o[1], loss="minimax", real_label=0.9, update_g=i != 1)
        objective_step(g2, d2, Batch(real=real, z=z), o[2], o[3],
                       StandardGAN(loss="minimax", real_label=0.9), update_g=i != 1)
    assert states_equal(g1, g2) and states_equal(d1, d2)


def test_conditional_fakes_follow_the_data_labels_reproducibly():
    labels = toy_labels(classes=(0, 2))  # class 1 never occurs
    seen = []
    for _ in range(2):
        g, d = CondG(), CondD()
        fit(g, d, toy_data(), labels=labels, steps=5, batch_size=8, progress=False)
        seen.append(torch.cat(g.seen))
    assert torch.equal(seen[0], seen[1])
    assert set(seen[0].tolist()) == {0, 2}


@pytest.mark.parametrize("labels, error, match", [
    (toy_labels().float(), TypeError, "int64.*use .long()"),
    (toy_labels()[:10], ValueError, r"shape \(N,\) = \(40,\)"),
    (toy_labels(classes=(0, 3)), ValueError, r"class indices in \[0, 2\].*num_classes=3.*\[0, 3\]"),
    (toy_labels(classes=(-1, 1)), ValueError, r"found values in \[-1, 1\]"),
])
def test_bad_labels_are_explained(labels, error, match):
    with pytest.raises(error, match=match):
        fit(CondG(), CondD(), toy_data(), labels=labels, steps=1, batch_size=8)


def test_paired_training_learns_the_map_and_l1_only_needs_no_discriminator():
    source, target = paired_data()
    g = PairG()
    h = fit(g, None, target, sources=source, objective=Paired(l1_weight=1.0, adversarial=None),
            steps=150, batch_size=8, lr_g=5e-2, progress=False)
    assert h["l1"][-1] < 0.1 * h["l1"][0]
    assert g.conv.weight.item() == pytest.approx(-1.0, abs=0.1)
    with pytest.raises(ValueError, match="pass discriminator=None"):
        fit(PairG(), PairD(), target, sources=source,
            objective=Paired(adversarial=None), steps=1, batch_size=8)
    with pytest.raises(ValueError, match="pass sources="):
        fit(PairG(), PairD(), target, objective=Paired(), steps=1, batch_size=8)
    with pytest.raises(ValueError, match="pair up one to one: 23 sources, 24 targets"):
        fit(PairG(), PairD(), target, sources=source[:23], objective=Paired(), steps=1,
            batch_size=8)
    with pytest.raises(ValueError, match="labels= .* or sources="):
        fit(PairG(), PairD(), target, sources=source, labels=torch.zeros(24, dtype=torch.long),
            steps=1, batch_size=8)
    with pytest.raises(ValueError, match="trains a discriminator; pass one"):
        fit(*mlp_pair()[:1], None, toy_data(), steps=1, batch_size=8)


def test_shorthands_and_config_objects():
    cfg = TrainConfig(steps=3, batch_size=8, objective=Hinge(), lr_d=1e-3)
    g, d = mlp_pair()
    h = fit(g, d, toy_data(), config=cfg, seed=5, progress=False)
    assert h.config == TrainConfig(steps=3, batch_size=8, objective=Hinge(), lr_d=1e-3, seed=5)
    h = fit(*mlp_pair(), toy_data(), config=cfg, epochs=1, progress=False)
    assert len(h) == 5 and h.config.steps is None  # ceil(40 / 8): epochs replaced steps
    with pytest.raises(ValueError, match="loss= set the standard GAN's loss.*Hinge"):
        fit(*mlp_pair(), toy_data(), config=cfg, loss="minimax")
    h = fit(*mlp_pair(), toy_data(), steps=2, batch_size=8, loss="minimax", real_label=0.8,
            progress=False)
    assert h.config.objective == StandardGAN(loss="minimax", real_label=0.8)


# -- checkpoints carry the full config ----------------------------------------------------------

@pytest.mark.parametrize("change, shown", [
    (dict(lr_g=1e-3), "lr_g: checkpoint has 0.0002, this call has 0.001"),
    (dict(betas=(0.9, 0.999)), "betas: checkpoint has [0.5, 0.999], this call has [0.9, 0.999]"),
    (dict(loss="minimax"), "objective.loss: checkpoint has 'non-saturating', this call has 'minimax'"),
    (dict(objective=Hinge()), "objective.name: checkpoint has 'standard', this call has 'hinge'"),
    (dict(ema_decay=0.99), "ema_decay: checkpoint has None, this call has 0.99"),
    (dict(d_steps=2), "d_steps: checkpoint has 1, this call has 2"),
    (dict(seed=3), "seed: checkpoint has 0, this call has 3"),
    (dict(data=toy_data(32)), "data.n: checkpoint has 40, this call has 32"),
])
def test_resume_with_other_settings_names_each_difference(tmp_path, change, shown):
    ckpt = tmp_path / "c.pt"
    fit(*mlp_pair(), toy_data(), steps=2, batch_size=8, checkpoint=ckpt, progress=False)
    change = dict(change)
    data = change.pop("data", toy_data())
    with pytest.raises(ValueError) as info:
        fit(*mlp_pair(), data, steps=4, batch_size=8, checkpoint=ckpt, resume=True, **change)
    assert shown in str(info.value) and "resume=False" in str(info.value)


def test_resume_lists_every_difference_at_once(tmp_path):
    ckpt = tmp_path / "c.pt"
    fit(*mlp_pair(), toy_data(), steps=2, batch_size=8, checkpoint=ckpt, progress=False)
    with pytest.raises(ValueError) as info:
        fit(*mlp_pair(), toy_data(), steps=4, batch_size=16, lr_d=1e-3, checkpoint=ckpt,
            resume=True)
    assert "batch_size: checkpoint has 8" in str(info.value) and "lr_d:" in str(info.value)


def test_checkpoint_stores_the_full_config_and_checks_its_format(tmp_path):
    ckpt = tmp_path / "c.pt"
    fit(*mlp_pair(), toy_data(), steps=2, batch_size=8, objective=WassersteinGP(gp_weight=5.0),
        ema_decay=0.9, checkpoint=ckpt, progress=False)
    state = load_checkpoint(ckpt)
    assert state["format"] == CHECKPOINT_FORMAT
    assert TrainConfig.from_dict(state["config"]) == TrainConfig(
        steps=2, batch_size=8, objective=WassersteinGP(gp_weight=5.0), ema_decay=0.9)
    assert state["data"] == {"n": 40, "shape": [6], "num_classes": None, "source_shape": None}
    state["format"] = "gan_lib.fit/1"
    save_checkpoint(ckpt, state)
    with pytest.raises(CheckpointError, match="format 'gan_lib.fit/1'.*reads 'gan_lib.fit/2'"):
        fit(*mlp_pair(), toy_data(), steps=4, batch_size=8, objective=WassersteinGP(gp_weight=5.0),
            ema_decay=0.9, checkpoint=ckpt, resume=True)


def test_an_interrupted_save_keeps_the_old_checkpoint_and_no_temp_file(tmp_path, monkeypatch):
    ckpt = tmp_path / "c.pt"
    save_checkpoint(ckpt, {"step": 1, "weights": torch.ones(3)})
    before = ckpt.read_bytes()

    def dies_midway(obj, f, *args, **kwargs):
        f.write(b"half a checkpoint")  # some bytes reach the temporary file, then the crash
        raise KeyboardInterrupt("killed during torch.save")

    monkeypatch.setattr(torch, "save", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(ckpt, {"step": 2, "weights": torch.zeros(3)})
    assert ckpt.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.pt"]
    monkeypatch.undo()
    assert load_checkpoint(ckpt)["step"] == 1


# -- EMA ------------------------------------------------------------------------------------------

def test_ema_is_the_exponential_average_and_copies_buffers():
    model = nn.BatchNorm1d(2)
    ema = EMA(model, decay=0.75)
    start = model.weight.detach().clone()
    with torch.no_grad():
        model.weight.fill_(2.0)
        model.running_mean.fill_(5.0)
    ema.update(model)
    expected = 0.75 * start + 0.25 * 2.0
    torch.testing.assert_close(ema.module.weight, expected)
    with torch.no_grad():
        model.weight.fill_(4.0)
    ema.update(model)
    torch.testing.assert_close(ema.module.weight, 0.75 * expected + 0.25 * 4.0)
    torch.testing.assert_close(ema.module.running_mean, torch.full((2,), 5.0))  # copied
    assert not any(p.requires_grad for p in ema.module.parameters())
    with pytest.raises(ValueError, match="decay"):
        EMA(model, decay=1.0)


def test_ema_warmup_ramps_the_decay_and_leaves_little_weight_on_the_start():
    model = nn.Linear(1, 1, bias=False)
    ema = EMA(model, decay=0.999, warmup=True)
    assert ema.decay_at(1) == pytest.approx(2 / 11)
    assert ema.decay_at(10**6) == 0.999
    start = model.weight.detach().clone()
    with torch.no_grad():
        model.weight.copy_(start + 1.0)
    for t in range(1, 1001):
        ema.update(model, t)
    # weight still on the initial value: prod of decays = (2/11)(3/12)...(1001/1010) ~ 1e-8
    left = float((model.weight - ema.module.weight).detach().squeeze())
    plain = 0.999 ** 1000
    assert left < 1e-6 < plain
    with pytest.raises(ValueError, match="update number"):
        ema.update(model)


def test_fit_with_ema_warmup_resumes_exactly(tmp_path):
    kw = dict(steps=6, batch_size=8, progress=False, ema_decay=0.99, ema_warmup=True)
    full = fit(*mlp_pair(), toy_data(), **kw)
    ckpt = tmp_path / "c.pt"
    fit(*mlp_pair(), toy_data(), **{**kw, "steps": 3}, checkpoint=ckpt)
    resumed = fit(*mlp_pair(), toy_data(), **kw, checkpoint=ckpt, resume=True)
    assert states_equal(full.ema_generator, resumed.ema_generator)
    with pytest.raises(ValueError, match="ema_warmup=True needs ema_decay"):
        fit(*mlp_pair(), toy_data(), steps=1, ema_warmup=True, progress=False)


def test_rmsprop_is_used_when_asked_and_resumes_exactly(tmp_path):
    kw = dict(steps=6, batch_size=8, progress=False, optimizer="rmsprop", lr_g=1e-3, lr_d=1e-3)
    g, d = mlp_pair()
    full = fit(g, d, toy_data(), **kw)
    assert full.config.optimizer == "rmsprop"
    # by hand: one RMSprop update per step differs from Adam's, so the weights differ
    g_adam, d_adam = mlp_pair()
    fit(g_adam, d_adam, toy_data(), **{**kw, "optimizer": "adam"})
    assert not states_equal(g, g_adam)
    ckpt = tmp_path / "c.pt"
    fit(*mlp_pair(), toy_data(), **{**kw, "steps": 3}, checkpoint=ckpt)
    g2, d2 = mlp_pair()
    fit(g2, d2, toy_data(), **kw, checkpoint=ckpt, resume=True)
    assert states_equal(g, g2) and states_equal(d, d2)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        fit(*mlp_pair(), toy_data(), steps=1, optimizer="sgd", progress=False)


def test_adam_eps_reaches_the_optimizer_and_older_checkpoints_still_resume(tmp_path):
    assert TrainConfig(adam_eps=1e-4).make_optimizer(nn.Linear(2, 2).parameters(),
                                                     1e-3).defaults["eps"] == 1e-4
    kw = dict(steps=6, batch_size=8, progress=False, lr_g=1e-3, lr_d=1e-3)
    g, d = mlp_pair()
    fit(g, d, toy_data(), **kw)
    g_eps, d_eps = mlp_pair()
    fit(g_eps, d_eps, toy_data(), **kw, adam_eps=1.0)  # a large eps shrinks every step
    assert not states_equal(g, g_eps)
    # a checkpoint written before adam_eps existed resumes as torch's default eps
    ckpt = tmp_path / "c.pt"
    fit(*mlp_pair(), toy_data(), **{**kw, "steps": 3}, checkpoint=ckpt)
    state = torch.load(ckpt, weights_only=True)
    del state["config"]["adam_eps"]
    torch.save(state, ckpt)
    g2, d2 = mlp_pair()
    fit(g2, d2, toy_data(), **kw, checkpoint=ckpt, resume=True)
    assert states_equal(g, g2) and states_equal(d, d2)
    with pytest.raises(ValueError, match="adam_eps"):
        fit(*mlp_pair(), toy_data(), steps=1, adam_eps=0.0, progress=False)
    state["config"] = "damaged"
    torch.save(state, ckpt)
    with pytest.raises(CheckpointError, match="settings are not a dict"):
        fit(*mlp_pair(), toy_data(), **kw, checkpoint=ckpt, resume=True)


# -- the non-finite guard without a per-step sync -------------------------------------------------

def test_deferred_sync_gives_the_same_run():
    h1 = fit(*mlp_pair(), toy_data(), steps=12, batch_size=8, progress=False, sync_every=1)
    h5 = fit(*mlp_pair(), toy_data(), steps=12, batch_size=8, progress=False, sync_every=5)
    assert h1 == h5


@pytest.mark.parametrize("sync_every", [1, 7])
def test_divergence_never_leaves_nan_in_the_models_or_checkpoint(tmp_path, sync_every):
    ckpt = tmp_path / "c.pt"
    g, d = mlp_pair()
    fit(g, d, toy_data(), steps=2, batch_size=8, checkpoint=ckpt, progress=False)
    before = ckpt.read_bytes()
    with pytest.raises(TrainingDivergedError) as info:  # continue the run on exploding data
        fit(g, d, toy_data() * 1e30, steps=50, batch_size=8, checkpoint=ckpt, resume=True,
            progress=False, sync_every=sync_every)
    assert all(torch.isfinite(p).all() for p in [*g.parameters(), *d.parameters()])
    assert ckpt.read_bytes() == before
    if sync_every > 1:
        assert "between steps 3 and" in str(info.value) and "put back" in str(info.value)


def test_an_existing_checkpoint_is_never_overwritten_without_resume(tmp_path):
    ckpt = tmp_path / "c.pt"
    fit(*mlp_pair(), toy_data(), steps=2, batch_size=8, checkpoint=ckpt, progress=False)
    before = ckpt.read_bytes()
    with pytest.raises(FileExistsError, match="pass resume=True .* or delete or rename"):
        fit(*mlp_pair(), toy_data(), steps=4, batch_size=8, checkpoint=ckpt, progress=False)
    assert ckpt.read_bytes() == before


def test_numpy_settings_make_a_checkpoint_that_resumes(tmp_path):
    import numpy as np

    ckpt = tmp_path / "c.pt"
    kw = dict(batch_size=np.int64(8), lr_g=np.float32(1e-3), progress=False,
              objective=StandardGAN(real_label=np.float64(0.9)))
    fit(*mlp_pair(), toy_data(), steps=np.int64(2), checkpoint=ckpt, **kw)
    h = fit(*mlp_pair(), toy_data(), steps=4, checkpoint=ckpt, resume=True, **kw)
    assert len(h) == 4 and type(h.config.lr_g) is float and type(h.config.steps) is int


def test_grad_norm_without_gradients_is_a_zero_on_the_parameters_device(device):
    p = nn.Parameter(torch.zeros(2, device=device))
    norm = grad_norm([p])
    assert norm.item() == 0.0 and norm.device.type == device
    assert torch.stack([norm, torch.ones((), device=device)]).device.type == device


# -- device-parametrised (CUDA cases skip without a GPU) ------------------------------------------

@pytest.mark.parametrize("kind", ["standard", "wgan-gp", "conditional", "paired", "ema"])
def test_fit_and_resume_on_each_device(kind, device, tmp_path):
    h_ref, g_ref, _ = run(kind, 6, device=device, deterministic=True)
    assert next(g_ref.parameters()).device.type == device
    ckpt = tmp_path / "c.pt"
    run(kind, 3, device=device, checkpoint=ckpt, deterministic=True)
    h, g, _ = run(kind, 6, device=device, checkpoint=ckpt, resume=True, deterministic=True)
    assert len(h) == 6 and states_equal(g, g_ref)
    # with deterministic kernels the resumed run is bit-identical on a GPU too
    assert h == h_ref


def test_same_batches_and_noise_on_every_device(device):
    # indices and noise come from CPU generators: the same run draws the same data everywhere
    g, d = CondG(), CondD()
    fit(g, d, toy_data(), labels=toy_labels(classes=(0, 1, 2)), steps=3, batch_size=8,
        device=device, progress=False)
    g_cpu, d_cpu = CondG(), CondD()
    fit(g_cpu, d_cpu, toy_data(), labels=toy_labels(classes=(0, 1, 2)), steps=3, batch_size=8,
        device="cpu", progress=False)
    assert all(torch.equal(a, b) for a, b in zip(g.seen, g_cpu.seen))


def test_deterministic_switch_is_restored_after_the_run(device):
    assert not torch.are_deterministic_algorithms_enabled()
    h1 = fit(*mlp_pair(), toy_data(), steps=3, batch_size=8, device=device, deterministic=True,
             progress=False)
    assert not torch.are_deterministic_algorithms_enabled()
    h2 = fit(*mlp_pair(), toy_data(), steps=3, batch_size=8, device=device, deterministic=True,
             progress=False)
    assert h1 == h2


# -- semi-supervised: labels teach D, G stays unconditional ---------------------------------------

def test_semi_supervised_draws_labeled_batches_from_the_labeled_samples_only():
    seen = []

    class Spy(ClassifierD):
        def forward(self, x):
            seen.append(x.detach().clone())
            return super().forward(x)

    data, labels = toy_data(), few_labels(labeled=5)
    g = mlp_pair()[0]
    fit(g, Spy(), data, labels=labels, objective=SemiSupervised(), steps=3, batch_size=8,
        progress=False)
    labeled_rows = {tuple(r.tolist()) for r in data[:5]}
    # per D update: labeled batch (5 rows = all labeled ones), real, fake; then G's feature pass
    first = seen[0]
    assert len(first) == 5 and {tuple(r.tolist()) for r in first} == labeled_rows


@pytest.mark.parametrize("labels, match", [
    (None, "learns from labels: pass labels="),
    (torch.full((40,), -1), "no labeled sample"),
    (torch.full((40,), 3), r"-1 \(unlabeled\) or class indices in \[0, 2\]"),
])
def test_semi_supervised_label_errors(labels, match):
    with pytest.raises(ValueError, match=match):
        fit(mlp_pair()[0], ClassifierD(), toy_data(), labels=labels, objective=SemiSupervised(),
            steps=1, batch_size=8)


def test_semi_supervised_learns_a_classifier_from_few_labels():
    # two well separated classes in 6-D; 4 labels out of 400 points
    gen = torch.Generator().manual_seed(0)
    y = torch.arange(400) % 2
    x = torch.randn(400, 6, generator=gen) * 0.5 + (y[:, None] * 2 - 1) * 2.0
    labels = torch.full((400,), -1)
    labels[:4] = y[:4]
    torch.manual_seed(0)
    d = ClassifierD(num_classes=2)
    fit(mlp_pair()[0], d, x, labels=labels, objective=SemiSupervised(), steps=150, batch_size=32,
        lr_d=3e-3, progress=False)
    with torch.no_grad():
        accuracy = (d(x).argmax(1) == y).float().mean().item()
    assert accuracy > 0.95


def test_compiled_models_train_the_same_weights():
    # the "eager" backend exercises fit's wiring of torch.compile without minutes of compiling
    h_plain = fit(*mlp_pair(), toy_data(), steps=4, batch_size=8, progress=False)
    g, d = mlp_pair()
    h_compiled = fit(g, d, toy_data(), steps=4, batch_size=8, progress=False,
                     compile={"backend": "eager"})
    assert h_compiled == h_plain
    assert not hasattr(g, "_orig_mod") and "_orig_mod" not in "".join(g.state_dict())


def test_refinement_draws_sources_and_real_images_independently():
    seen = []

    class ImageD(MLPDiscriminator):
        def forward(self, x):  # D(x): refinement shows D images only, never the source
            seen.append(x.detach().clone())
            return super().forward(x)

    source, _ = paired_data(24)
    real = torch.rand(10, 1, 6, 6, generator=torch.Generator().manual_seed(5))  # 10 != 24
    g = PairG()
    h = fit(g, ImageD(in_shape=(1, 6, 6), hidden_dims=(8,)), real, sources=source,
            objective=Refinement(self_weight=2.0), steps=3, batch_size=8, progress=False)
    assert h.keys()[-1] == "self_l1" and all(v >= 0 for v in h["self_l1"])
    real_rows = {tuple(r.flatten().tolist()) for r in real}
    assert {tuple(r.flatten().tolist()) for r in seen[0]} <= real_rows  # first D call: real batch
    with pytest.raises(ValueError, match="at most the number of sources, 6"):
        fit(PairG(), ImageD(in_shape=(1, 6, 6), hidden_dims=(8,)), real, sources=source[:6],
            objective=Refinement(), steps=1, batch_size=8)
