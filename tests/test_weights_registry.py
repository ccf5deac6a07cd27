"""Every shipped file, re-evaluated: checksum, complete provenance, and its headline numbers
recomputed from the file itself (a shipped number its file does not reproduce fails here).

Tolerances, per metric (`REEVALUATE` returns them with each number):
- the classifier's test accuracy: 2 of the 10,000 test digits (0.0002), for BLAS rounding on
  other CPUs; the log printed 4 decimals.
- the reference DCGAN (2,000 samples of noise seed 1 against the first 2,000 test digits, as
  its recipe scored it): confident fraction 0.001 (the log's 3 decimals plus one sample), classes
  exactly, classifier FD 0.05 (the log's 2 decimals plus float rounding).
- the mode-collapse samples: modes exactly; high-quality fraction and reverse KL 1e-4 (the JSON
  rounds to 4 decimals).
- numbers parsed from a log or a JSON file: exactly, or 5e-5 for means rounded to 4 decimals.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import statistics
from pathlib import Path

import pytest
import torch
from torch import nn

from gan_lib import weights
from gan_lib.data.mnist import load_mnist
from gan_lib.metrics import classifier_outputs, gaussian_stats, mode_coverage, sample_quality
from gan_lib.runtime import file_digest
from gan_lib.sampling.latent import generate, sample_latent
from gan_lib.studies.mode_collapse import MIXTURES
from gan_lib.train.classifier import accuracy

ROOT = Path(__file__).parents[1]
NAMES = weights.list()


def _classifier(entry, model):
    x, y = load_mnist("test")
    return {"test_accuracy": (entry.metrics["test_accuracy"], accuracy(model, x, y), 2e-4)}


def _dcgan(entry, generator):
    classifier = weights.get("mnist_classifier").load()
    test_images, _ = load_mnist("test")
    real = gaussian_stats(classifier_outputs(test_images[:2000], classifier=classifier)[0])
    z = sample_latent(2000, 100, generator=torch.Generator().manual_seed(1))
    q = sample_quality(generate(generator, z=z), reference=real, classifier=classifier)
    m = entry.metrics
    return {"confident": (m["confident"], q.coverage.confident_fraction, 1e-3),
            "classes": (m["classes"], q.coverage.num_present, 0),
            "fd": (m["fd"], q.fd, 0.05)}


def _last_row(keys):
    """Metrics "final_<key>" of a log entry against its last row, "evaluations" against its
    length, "best_<key>" against its minimum."""
    def check(entry, rows):
        out = {}
        for name, recorded in entry.metrics.items():
            if name == "evaluations":
                out[name] = (recorded, len(rows), 0)
            elif name.startswith("final_"):
                out[name] = (recorded, rows[-1][keys[name[6:]]], 0)
            elif name.startswith("best_"):
                out[name] = (recorded, min(r[keys[name[5:]]] for r in rows), 0)
            else:
                out[name] = (recorded, rows[-1][keys[name]], 0)
        return out
    return check


def _study_means(entry, raw):
    out = {}
    for res in raw["results"]:
        last, key = res["curve"][-1], f"{res['mixture']}/{res['remedy']}"
        assert last["step"] == res["steps"] == entry.provenance["steps"]
        for metric, recorded in entry.metrics[key].items():
            out[f"{key} {metric}"] = (recorded, statistics.mean(last[metric]), 5e-5)
    assert len(out) == 3 * len(entry.metrics), "metrics name a configuration the file lacks"
    return out


def _study_samples(entry, samples):
    study = weights.get(entry.name.removesuffix("_samples")).load()
    seed0 = {f"{r['mixture']}/{r['remedy']}": r["curve"][-1] for r in study["results"]}
    out = {}
    assert set(samples) == set(entry.metrics) == set(seed0)
    for key, points in samples.items():
        cov = mode_coverage(points, MIXTURES[key.split("/")[0]]())
        recomputed = {"modes": cov.modes_captured, "high_quality": cov.high_quality_fraction,
                      "reverse_kl": cov.reverse_kl}
        for metric, value in recomputed.items():
            tolerance = 0 if metric == "modes" else 1e-4
            out[f"{key} {metric}"] = (entry.metrics[key][metric], value, tolerance)
            out[f"{key} {metric} (JSON, seed 0)"] = (seed0[key][metric][0], value, tolerance)
    return out


def _seed_means(group_key):
    """Metrics {group: {"<metric>_mean": recorded}} of a multi-seed results file against the mean
    of its rows (rows whose metric is None, a diverged run, are left out), and "runs" against the
    number of rows of the group."""
    def check(entry, raw):
        out = {}
        for group, recorded in entry.metrics.items():
            rows = [r for r in raw["results"] if r[group_key] == group]
            for name, value in recorded.items():
                if name == "runs":
                    out[f"{group} runs"] = (value, len(rows), 0)
                    continue
                metric = name.removesuffix("_mean")
                values = [r[metric] for r in rows if r[metric] is not None]
                out[f"{group} {name}"] = (value, statistics.mean(values), 5e-5)
        assert out, "no metrics"
        return out
    return check


def _curves(entry, raw):
    """The DCGAN-to-quality curves: each seed's last row (the averaged generator) against the
    entry's metrics, and the last step against the provenance."""
    out = {}
    for run in raw["results"]:
        last = run["curve"][-1]
        assert last["step"] == entry.provenance["steps"]
        for metric in ("confident", "classes", "fd"):
            out[f"seed{run['seed']} {metric}"] = (
                entry.metrics[f"seed{run['seed']}"][metric], last["ema"][metric], 5e-5)
    assert len(out) == 3 * len(entry.metrics), "metrics name a seed the file lacks"
    return out


def _ssl_results(entry, raw):
    """Each seed's shipped averaged-D error and their mean, from the results rows."""
    errors = {f"seed{r['seed']}": r["test_error_average"] for r in raw["results"]}
    out = {f"{k} test_error_average": (v, errors[k], 0)
           for k, v in entry.metrics["test_error_average"].items()}
    out["mean"] = (entry.metrics["test_error_average_mean"], statistics.mean(errors.values()),
                   5e-6)
    assert set(errors) == set(entry.metrics["test_error_average"]), "a seed is missing"
    return out


def _ssl_discriminator(entry, model):
    """The shipped averaged D scored again on the 10,000 test digits (pixels in [0, 1])."""
    x, y = load_mnist("test")
    return {"test_error": (entry.metrics["test_error"], 1 - accuracy(model, (x + 1) / 2, y), 1e-4)}


def _ssl_baseline(entry, raw):
    """Each baseline seed's best averaged-D error over its curve, and their mean."""
    best = {f"seed{r['seed']}": min(c["test_error_average"] for c in r["curve"])
            for r in raw["results"]}
    out = {f"{k} best": (v, best[k], 0)
           for k, v in entry.metrics["best_test_error_average"].items()}
    out["mean"] = (entry.metrics["best_test_error_average_mean"], statistics.mean(best.values()),
                   5e-6)
    return out


def _stabilisers(entry, raw):
    """Per arm: its main runs' count, the means over seeds at the last update (last iterate and
    EMA), and how many of its aggressive-rate runs failed."""
    main = [r for r in raw["results"] if r["kind"] == "main"]
    out = {}
    for arm, recorded in entry.metrics.items():
        last = [r["curve"][-1] for r in main if r["arm"] == arm]
        assert last and all(p["step"] == entry.provenance["steps"] for p in last)
        values = {"runs": len(last),
                  "fd_mean": statistics.mean(p["last"]["fd"] for p in last),
                  "confident_mean": statistics.mean(p["last"]["confident"] for p in last),
                  "classes_mean": statistics.mean(p["last"]["classes"] for p in last),
                  "ema_fd_mean": statistics.mean(p["ema"]["fd"] for p in last),
                  "aggressive_failed": sum(r["failed"] for r in raw["results"]
                                           if r["kind"] == "aggressive" and r["arm"] == arm)}
        for name, value in recorded.items():
            exact = name in ("runs", "aggressive_failed")
            out[f"{arm} {name}"] = (value, values[name], 0 if exact else 5e-6)
    assert len(out) == 6 * len(entry.metrics), "metrics name an arm or a number the file lacks"
    return out


# how each entry's headline metrics are recomputed from what entry.load() returns
REEVALUATE = {
    "mnist_classifier": _classifier,
    "mnist_classifier_log": _last_row({"epochs": "epochs", "train_loss": "train_loss",
                                       "test_accuracy": "test_accuracy"}),
    "dcgan_mnist_reference": _dcgan,
    "dcgan_mnist_reference_log": _last_row({"confident": "confident", "classes": "classes",
                                            "fd": "fd"}),
    "dcgan_mnist_seed0": _dcgan,
    "dcgan_mnist_seed1": _dcgan,
    "dcgan_mnist_seed2": _dcgan,
    "dcgan_mnist_curves": _curves,
    "dcgan_ablations": _seed_means("variant"),
    "fc_dcgan_race": _seed_means("arm"),
    "mode_collapse_study": _study_means,
    "mode_collapse_study_samples": _study_samples,
    "mode_collapse_study_grid_long": _study_means,
    "mode_collapse_study_grid_long_samples": _study_samples,
    "conditional_gans": _seed_means("arm"),
    "augmentation_mnist": _seed_means("set"),
    "stabilisers_mnist": _stabilisers,
    **{f"stabilisers_mnist_g_{key}": _dcgan for key in ("dcgan", "lsgan", "sn_hinge", "wgan_gp",
                                                        "r1")},
    # --- conditional GANs and augmentation entries (chapter 7): append above this line ---
    "simgan_mnist": _seed_means("arm"),
    # --- image-to-image / refinement entries (chapter 8): append above this line ---
    "semi_supervised_mnist": _ssl_results,
    "semi_supervised_mnist_d_seed0": _ssl_discriminator,
    "semi_supervised_mnist_d_seed1": _ssl_discriminator,
    "semi_supervised_mnist_d_seed2": _ssl_discriminator,
    "semi_supervised_mnist_supervised": _ssl_baseline,
    "semi_supervised_mnist_adam_eps_1e_4": _ssl_results,
    # --- semi-supervised entries (chapter 7, section 4): append above this line ---
}


def mismatches(entry) -> list[str]:
    """Each recorded metric its file does not reproduce within the tolerance, described."""
    return [f"{entry.name} {name}: recorded {recorded}, recomputed {value} (tolerance {tol})"
            for name, (recorded, value, tol) in REEVALUATE[entry.name](entry, entry.load()).items()
            if not abs(recorded - value) <= tol]


def test_the_registry_lists_every_shipped_file_once():
    files = sorted(p.name for p in weights.FILES_DIR.iterdir() if p.is_file())
    assert sorted(weights.get(name).file for name in NAMES) == files
    assert len(set(NAMES)) == len(NAMES)


def test_every_entry_is_also_an_enum_member_as_in_torchvision():
    assert [member.value for member in weights.Shipped] == [weights.get(n) for n in NAMES]
    assert weights.Shipped.MNIST_CLASSIFIER.sha256 == weights.get("mnist_classifier").sha256


def test_every_entry_has_a_reevaluation():
    assert set(REEVALUATE) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_checksum_provenance_and_recipe(name):
    entry = weights.get(name)
    assert file_digest(entry.path, "sha256") == entry.sha256
    p = entry.provenance
    for field in weights.PROVENANCE_FIELDS:
        assert p[field] not in ("", None, [], {}), f"{name}: provenance {field} is empty"
    assert all(isinstance(s, int) for s in p["seeds"]) and p["seeds"]
    assert isinstance(p["steps"], int) and p["steps"] > 0
    assert isinstance(p["threads"], int) and p["threads"] >= 1
    assert re.fullmatch(r"\d+\.\d+\.\d+\+\w+( \(parts [\d-]+\))?(, \d+\.\d+\.\d+\+\w+ \(parts "
                        r"[\d-]+\))?", p["torch"]), p["torch"]
    if weights.is_recorded(p["commit"]):
        assert re.match(r"[0-9a-f]{7}", p["commit"]), p["commit"]
    # the recipe runs today's files; the original command names what actually ran
    for script in re.findall(r"python (\S+\.py)", entry.recipe):
        assert script.startswith("recipes/") and (ROOT / script).is_file(), script
    assert "python " in p["command"]


@pytest.mark.parametrize("name", NAMES)
def test_load_returns_what_the_kind_promises(name):
    entry = weights.get(name)
    loaded = entry.load()
    if entry.kind == "weights":
        assert isinstance(loaded, nn.Module) and not loaded.training
        assert next(loaded.parameters()).device.type == "cpu"
    elif entry.kind == "samples":
        assert all(isinstance(v, torch.Tensor) and v.shape == (2500, 2) for v in loaded.values())
    elif entry.kind == "results":
        assert {"provenance", "results"} <= set(loaded)
    else:
        assert isinstance(loaded, list) and all(isinstance(row, dict) for row in loaded)


@pytest.mark.parametrize("name", NAMES)
def test_headline_metrics_are_reproduced_from_the_file(name):
    assert mismatches(weights.get(name)) == []


@pytest.mark.parametrize("name, metric, wrong", [
    ("mode_collapse_study_grid_long_samples", "grid/gan", {"modes": 19, "high_quality": 0.3626,
                                                           "reverse_kl": 0.2738}),
    ("mode_collapse_study_grid_long", "grid/pacgan2", {"modes": 23.6667, "high_quality": 0.498,
                                                       "reverse_kl": 0.0468}),
])
def test_a_number_its_file_does_not_reproduce_fails(name, metric, wrong):
    entry = weights.get(name)
    tampered = dataclasses.replace(entry, metrics={**entry.metrics, metric: wrong})
    assert len(mismatches(tampered)) == 1


@pytest.mark.parametrize("name", ["dcgan_ablations", "fc_dcgan_race", "dcgan_mnist_curves",
                                  "simgan_mnist", "conditional_gans", "augmentation_mnist",
                                  "semi_supervised_mnist", "semi_supervised_mnist_supervised",
                                  "semi_supervised_mnist_adam_eps_1e_4", "stabilisers_mnist"])
def test_a_shifted_seed_mean_fails(name):
    entry = weights.get(name)
    group, recorded = next(iter(entry.metrics.items()))
    key = next(k for k in recorded if k != "runs")
    tampered = dataclasses.replace(
        entry, metrics={**entry.metrics, group: {**recorded, key: recorded[key] + 1}})
    assert len(mismatches(tampered)) == 1


def test_the_study_parts_trained_what_their_commands_say(monkeypatch):
    """The registry's "parts_trained" (what each recorded part of a study file trained) is what
    the recipe's own parser reads from the recorded commands, not a hand-written guess."""
    monkeypatch.syspath_prepend(str(ROOT / "recipes"))
    spec = importlib.util.spec_from_file_location("study_recipe",
                                                  ROOT / "recipes" / "mode_collapse_study.py")
    recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(recipe)
    for name in ("mode_collapse_study", "mode_collapse_study_grid_long"):
        entry = weights.get(name)
        parts = weights.readers.read_results_json(entry.path)["provenance"]["parts"]
        assert [recipe.trained(p["command"]) for p in parts] == entry.provenance["parts_trained"]


def test_unknown_names_and_incomplete_entries_are_refused():
    with pytest.raises(KeyError, match="mnist_classifier"):
        weights.get("mnist_clasifier")
    entry = weights.get("mnist_classifier_log")
    provenance = {k: v for k, v in entry.provenance.items() if k != "commit"}
    with pytest.raises(ValueError, match=r"lacks \['commit'\].*not recorded"):
        dataclasses.replace(entry, provenance=provenance)
    with pytest.raises(ValueError, match="64 lowercase hex"):
        dataclasses.replace(entry, sha256="abc")
    with pytest.raises(ValueError, match="model="):
        dataclasses.replace(entry, kind="weights")
