"""gan_lib.studies: the remedies' networks and settings, a short study run (and its resume), the
shipped files, and the recipe that writes and merges them."""

import json
from pathlib import Path

import pytest
import torch

from gan_lib.models.minibatch_std import MinibatchStdDev
from gan_lib.models.packing import PackedDiscriminator
from gan_lib.studies.mode_collapse import (PUBLISHED, REMEDIES, evaluation_noise, run_remedy,
                                           summarise, training_set)
from gan_lib.studies.mode_collapse_results import load_shipped_study, read_study, recorded_part
from gan_lib.models.spectral_norm import spectral_norms
from gan_lib.theory import Mixture2D
from gan_lib.train.objectives import Hinge, StandardGAN, WassersteinGP


def test_every_remedy_changes_only_what_its_paper_changes():
    plain = REMEDIES["gan"].fit_settings()
    assert plain["batch_size"] == 100 and plain["lr_g"] == plain["lr_d"] == 1e-4
    assert plain["betas"] == (0.8, 0.999) and plain["d_steps"] == 1
    assert isinstance(plain["objective"], StandardGAN)
    wgan = REMEDIES["wgan-gp"].fit_settings()
    assert isinstance(wgan["objective"], WassersteinGP) and wgan["objective"].gp_weight == 10.0
    assert wgan["d_steps"] == 5 and wgan["betas"] == (0.0, 0.9)
    toy = REMEDIES["wgan-gp-toy"].fit_settings()  # gan_toy.py's settings, not the paper's
    assert toy["objective"].gp_weight == 0.1 and toy["betas"] == (0.5, 0.9) and toy["d_steps"] == 5
    assert isinstance(REMEDIES["sn-hinge"].fit_settings()["objective"], Hinge)
    assert REMEDIES["pacgan2"].fit_settings()["batch_size"] == 200  # 100 packs of 2


def test_the_networks_of_each_remedy():
    x = torch.randn(20, 2, generator=torch.Generator().manual_seed(0))
    g, d = REMEDIES["gan"].pair(0)
    assert d(x).shape == (20,) and g(torch.randn(5, 2)).shape == (5, 2)
    _, d = REMEDIES["pacgan2"].pair(0)
    assert isinstance(d, PackedDiscriminator) and d(x).shape == (10,)
    _, d = REMEDIES["minibatch-std"].pair(0)
    assert any(isinstance(m, MinibatchStdDev) for m in d.modules())
    _, d = REMEDIES["sn-hinge"].pair(0)
    norms = spectral_norms(d)
    assert len(norms) == 4  # three maxout layers and the logit
    _, d_wgan = REMEDIES["wgan-gp"].pair(0)
    assert not any(isinstance(m, torch.nn.BatchNorm1d) for m in d_wgan.modules())


def test_same_seed_same_initial_networks():
    g1, d1 = REMEDIES["gan"].pair(3)
    g2, d2 = REMEDIES["gan"].pair(3)
    for a, b in zip([*g1.parameters(), *d1.parameters()], [*g2.parameters(), *d2.parameters()]):
        assert torch.equal(a, b)


def test_ensembles_only_where_the_ensemble_is_exact():
    assert REMEDIES["gan"].ensemble_supported and REMEDIES["minibatch-std"].ensemble_supported
    assert not REMEDIES["wgan-gp"].ensemble_supported
    assert not REMEDIES["sn-hinge"].ensemble_supported
    with pytest.raises(ValueError, match="ensemble=False"):
        run_remedy("ring", "wgan-gp", [0], steps=1, eval_every=1, ensemble=True, device="cpu")


def test_fixed_data_and_noise():
    ring = Mixture2D.ring_protocol()
    assert torch.equal(training_set(ring, 1, 50), training_set(ring, 1, 50))
    assert not torch.equal(training_set(ring, 1, 50), training_set(ring, 2, 50))
    z = evaluation_noise(3, 10)
    assert z.shape == (10, 6) and torch.equal(z, evaluation_noise(3, 10))


@pytest.mark.parametrize("remedy, ensemble", [("gan", True), ("gan", False), ("sn-hinge", None)])
def test_a_short_run_is_scored_at_every_check(remedy, ensemble):
    res = run_remedy("ring", remedy, [0, 1], steps=4, eval_every=3, data_size=500,
                     eval_samples=200, device="cpu", ensemble=ensemble)
    assert [row["step"] for row in res["curve"]] == [3, 4]
    for row in res["curve"]:
        assert len(row["modes"]) == 2 and all(0 <= m <= 8 for m in row["modes"])
        assert all(0.0 <= q <= 1.0 for q in row["high_quality"])
    assert set(res["samples"]) == {0, 1} and res["samples"][0].shape == (200, 2)
    summary = summarise(res)
    assert summary["modes"][0] == sum(res["curve"][-1]["modes"]) / 2
    with pytest.raises(ValueError, match="no evaluation at step 2"):
        summarise(res, step=2)


def test_a_run_stopped_part_way_resumes_to_the_same_numbers(tmp_path):
    """run_remedy with a checkpoint_dir: 2 steps, then the same call grown to 4 steps (as a rerun
    after a kill) ends where one uninterrupted 4-step run does."""
    args = dict(steps=4, eval_every=1, data_size=300, eval_samples=100, device="cpu")
    whole = run_remedy("ring", "gan", [0, 1], ensemble=False, **args)
    run_remedy("ring", "gan", [0, 1], ensemble=False, checkpoint_dir=tmp_path, **dict(args, steps=2))
    assert (tmp_path / "ring_gan_seed1.pt").exists() and (tmp_path / "ring_gan_scores.pt").exists()
    resumed = run_remedy("ring", "gan", [0, 1], ensemble=False, checkpoint_dir=tmp_path, **args)
    assert json.dumps(resumed["curve"]) == json.dumps(whole["curve"])  # NaN compares as text
    assert all(torch.equal(resumed["samples"][s], whole["samples"][s]) for s in (0, 1))


def test_the_same_run_twice_scores_the_same():
    a = run_remedy("grid", "minibatch-std", [0], steps=3, eval_every=3, data_size=300,
                   eval_samples=100, device="cpu")
    b = run_remedy("grid", "minibatch-std", [0], steps=3, eval_every=3, data_size=300,
                   eval_samples=100, device="cpu")
    assert a["curve"] == b["curve"] and torch.equal(a["samples"][0], b["samples"][0])


@pytest.mark.parametrize("kwargs, match", [
    (dict(mixture="spiral"), "unknown mixture"),
    (dict(remedy="dropout"), "unknown remedy"),
    (dict(seeds=[]), "seeds is empty"),
    (dict(steps=0), "steps must be"),
    (dict(eval_every=0), "eval_every must be"),
])
def test_bad_arguments_say_what_to_pass(kwargs, match):
    args = dict(mixture="ring", remedy="gan", seeds=[0], steps=2, eval_every=1)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        run_remedy(args.pop("mixture"), args.pop("remedy"), args.pop("seeds"), **args)


def test_published_table_is_pacgans_table_1():
    assert PUBLISHED["gan"]["ring"]["modes"] == (6.3, 0.5)
    assert PUBLISHED["gan"]["grid"]["high_quality"] == (0.948, 0.007)
    for rows in PUBLISHED.values():
        for mixture, row in rows.items():
            assert 0 < row["modes"][0] <= {"ring": 8, "grid": 25}[mixture]
            assert 0 < row["high_quality"][0] <= 1


def test_the_shipped_study_covers_every_remedy_on_both_mixtures():
    study = load_shipped_study()
    assert set(study["results"]) == {(m, r) for m in ("ring", "grid") for r in REMEDIES}
    parts = study["provenance"]["parts"]
    assert all("mode_collapse_study.py" in p["command"] and "trained" in p for p in parts)
    for (mixture, _), res in study["results"].items():
        num_modes = {"ring": 8, "grid": 25}[mixture]
        assert len(res["seeds"]) >= 3 and res["curve"][-1]["step"] == res["steps"]
        assert all(0 <= m <= num_modes for m in res["curve"][-1]["modes"])
        (samples,) = res["samples"].values()
        assert samples.shape == (2500, 2) and torch.isfinite(samples).all()


def test_the_shipped_longer_grid_run_extends_the_study():
    longer = load_shipped_study("mode_collapse_study_grid_long")
    study = load_shipped_study(samples=False)["results"]
    assert set(longer["results"]) == {("grid", "gan"), ("grid", "pacgan2")}
    for key, res in longer["results"].items():
        assert res["steps"] > study[key]["steps"] and len(res["seeds"]) >= 3
        assert res["curve"][-1]["step"] == res["steps"]
        (samples,) = res["samples"].values()
        assert samples.shape == (2500, 2)


@pytest.mark.parametrize("name", ["mode_collapse_study", "mode_collapse_study_grid_long"])
def test_every_shipped_row_is_its_own_recorded_run(name):
    """Each row was trained by a part its provenance records, and no row is a copy of another
    (a row copied in to fill a table would pass every other check)."""
    shipped = load_shipped_study(name)
    results = shipped["results"]
    for key, res in results.items():
        assert recorded_part(shipped["provenance"], res) is not None, \
            f"no recorded command trained {key}"
    curves = [json.dumps(res["curve"]) for res in results.values()]
    assert len(set(curves)) == len(curves), "two shipped rows have identical curves"
    firsts = [res["samples"][res["seeds"][0]] for res in results.values()]
    for i in range(len(firsts)):
        for j in range(i):
            assert not torch.equal(firsts[i], firsts[j]), "two shipped rows have identical samples"


def test_a_missing_foreign_or_unknown_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="recipes/mode_collapse_study.py"):
        read_study(tmp_path / "absent.json")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"curve": []}))
    with pytest.raises(ValueError, match="not a results file"):
        read_study(other)
    with pytest.raises(ValueError, match="not a study's results"):
        load_shipped_study("mnist_classifier")
    with pytest.raises(KeyError, match="mode_collapse_study_grid_long"):
        load_shipped_study("mode_collapse_study_grid_longer")


@pytest.fixture
def study_recipe(monkeypatch):
    recipes = Path(__file__).parents[1] / "recipes"
    monkeypatch.syspath_prepend(str(recipes))  # the recipe imports its helper, recipes/_recipe.py
    import importlib.util

    spec = importlib.util.spec_from_file_location("mode_collapse_study_recipe",
                                                  recipes / "mode_collapse_study.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_study_recipe_writes_and_merges_what_the_reader_reads(tmp_path, study_recipe):
    for mixture in ("ring", "grid"):
        assert study_recipe.main(["--mixtures", mixture, "--remedies", "gan", "minibatch-std",
                                  "--seeds", "1", "--steps", "2", "--eval-every", "1",
                                  "--work", str(tmp_path), "--part", mixture]) == 0
    merged = tmp_path / "study.json"
    study_recipe.main(["--merge", "ring", "grid", "--work", str(tmp_path), "--out", str(merged)])
    study = read_study(merged, samples_path=tmp_path / "study_samples.pt")
    assert set(study["results"]) == {(m, r) for m in ("ring", "grid") for r in ("gan", "minibatch-std")}
    parts = study["provenance"]["parts"]
    assert [p["trained"]["mixtures"] for p in parts] == [["ring"], ["grid"]]
    res = study["results"]["grid", "minibatch-std"]
    assert recorded_part(study["provenance"], res) is parts[1]
    assert [row["step"] for row in res["curve"]] == [1, 2]
    assert res["samples"][0].shape == (2500, 2)
    with pytest.raises(SystemExit, match="repeat a configuration"):
        study_recipe.main(["--merge", "ring", "ring", "--work", str(tmp_path),
                           "--out", str(tmp_path / "twice.json")])
    # a configuration trained again replaces the earlier rows with --replace, which provenance says
    study_recipe.main(["--mixtures", "ring", "--remedies", "minibatch-std", "--seeds", "1",
                       "--steps", "3", "--eval-every", "1", "--work", str(tmp_path),
                       "--part", "ring_again"])
    study_recipe.main(["--merge", "ring", "grid", "ring_again", "--replace", "--work",
                       str(tmp_path), "--out", str(tmp_path / "replaced.json")])
    replaced = read_study(tmp_path / "replaced.json", samples_path=tmp_path / "replaced_samples.pt")
    assert set(replaced["results"]) == set(study["results"])
    res = replaced["results"]["ring", "minibatch-std"]
    assert [row["step"] for row in res["curve"]] == [1, 2, 3]
    assert replaced["provenance"]["parts"][-1]["replaces"] == ["ring/minibatch-std"]
    assert recorded_part(replaced["provenance"], res) is replaced["provenance"]["parts"][-1]
    # a rerun of a finished part trains nothing and keeps its rows
    before = (tmp_path / "ring" / "part.json").read_text()
    study_recipe.main(["--mixtures", "ring", "--remedies", "gan", "minibatch-std", "--seeds", "1",
                       "--steps", "2", "--eval-every", "1", "--work", str(tmp_path),
                       "--part", "ring"])
    assert json.loads((tmp_path / "ring" / "part.json").read_text())["results"] == \
        json.loads(before)["results"]
    with pytest.raises(SystemExit, match="pass another --part"):
        study_recipe.main(["--mixtures", "grid", "--seeds", "1", "--steps", "2",
                           "--work", str(tmp_path), "--part", "ring"])


def test_the_recipe_reads_what_old_and_new_commands_trained(study_recipe):
    old = ("python scripts/mode_collapse_study.py --mixtures grid --remedies gan pacgan2 "
           "--steps 20000 --out x.json")
    assert study_recipe.trained(old) == {"mixtures": ["grid"], "remedies": ["gan", "pacgan2"],
                                         "seeds": 3, "steps": 20000}
    defaults = study_recipe.trained("python recipes/mode_collapse_study.py --part p")
    assert defaults == {"mixtures": ["ring", "grid"], "remedies": list(REMEDIES), "seeds": 3,
                        "steps": 8000}


def test_recorded_part_matches_what_each_part_trained():
    res = dict(mixture="grid", remedy="pacgan2", steps=20000, seeds=[0, 1, 2])
    explicit = {"trained": {"mixtures": ["grid"], "remedies": ["gan", "pacgan2"], "seeds": 3,
                            "steps": 20000}, "torch": "a"}
    other = {"trained": {"mixtures": ["ring", "grid"], "remedies": list(REMEDIES), "seeds": 3,
                         "steps": 8000}, "torch": "b"}
    assert recorded_part({"parts": [other, explicit]}, res)["torch"] == "a"
    assert recorded_part({"parts": [other]}, dict(res, steps=8000))["torch"] == "b"
    assert recorded_part({"parts": [explicit]}, dict(res, remedy="sn-hinge")) is None
    assert recorded_part({"parts": [explicit]}, dict(res, seeds=[0])) is None
    with pytest.raises(ValueError, match="load_shipped_study"):
        recorded_part({"parts": [{"command": "python x.py"}]}, res)
