"""The mode-collapse studies that gan_lib ships, read from the registry, and their provenance.

`load_shipped_study()` returns a study (`run_remedy`'s results per (mixture, remedy), with the
final samples of each configuration's first seed) from the registry entries
"mode_collapse_study" and "mode_collapse_study_grid_long", checksums verified; `read_study` reads
one that recipes/mode_collapse_study.py wrote for you; `recorded_part` finds the part of a
merged file's provenance that trained a given row (which PyTorch made it, when).
"""

from __future__ import annotations

from pathlib import Path

from gan_lib import weights
from gan_lib.weights.readers import read_results_json, read_tensors

__all__ = ["load_shipped_study", "read_study", "recorded_part"]


def _assemble(raw: dict, stored: dict, source: str) -> dict:
    results = {}
    for entry in raw["results"]:
        key = (entry["mixture"], entry["remedy"])
        entry = dict(entry)
        if stored and f"{key[0]}/{key[1]}" not in stored:
            raise ValueError(f"{source}: the samples have no {key[0]}/{key[1]}")
        entry["samples"] = {entry["seeds"][0]: stored[f"{key[0]}/{key[1]}"]} if stored else {}
        results[key] = entry
    return {"provenance": raw["provenance"], "results": results}


def load_shipped_study(name: str = "mode_collapse_study", *, samples: bool = True) -> dict:
    """A study that gan_lib ships, from the registry (checksums verified).

    Args:
        name: the registry entry: "mode_collapse_study" (six remedies x ring/grid x 3 seeds, 5
            for the plain GAN and PacGAN2, x 8,000 steps) or "mode_collapse_study_grid_long" (the plain GAN and PacGAN2 on the
            grid, 20,000 steps).
        samples: also load the final samples of each configuration's first seed (entry
            name + "_samples").

    Returns:
        {"provenance": {"parts": [...]}, "results": {(mixture, remedy): run_remedy's dict}},
        each result with "samples": {first seed: (2500, 2) tensor} (empty when samples=False).
        Each part of the provenance says what it "trained" (see `recorded_part`).
    """
    entry = weights.get(name)
    if entry.kind != "results":
        raise ValueError(f"{name} is a {entry.kind} entry, not a study's results; try "
                         "'mode_collapse_study' or 'mode_collapse_study_grid_long'")
    raw = entry.load()
    parts = raw["provenance"].get("parts", [raw["provenance"]])
    # files published before the recipe recorded what each part trained get it from the registry
    for part, trained in zip(parts, entry.provenance.get("parts_trained", [])):
        part.setdefault("trained", trained)
    stored = weights.get(f"{name}_samples").load() if samples else {}
    return _assemble(raw, stored, name)


def read_study(path: str | Path, samples_path: str | Path | None = None) -> dict:
    """A study file that recipes/mode_collapse_study.py wrote (not checksummed: your own files),
    in `load_shipped_study`'s form."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing; recipes/mode_collapse_study.py writes it")
    raw = read_results_json(path)
    stored = read_tensors(samples_path) if samples_path is not None else {}
    return _assemble(raw, stored, str(path))


def recorded_part(provenance: dict, result: dict) -> dict | None:
    """The part of a study's provenance whose run trained `result` (its mixture, remedy, number
    of seeds and steps, as the part's "trained" records them), or None when no part did. Tells,
    say, which PyTorch made a shipped row, since a merged file holds parts run at different times.
    The latest matching part wins: a merge with --replace keeps a later part's rows.
    """
    for part in reversed(provenance.get("parts", [provenance])):
        trained = part.get("trained")
        if trained is None:
            raise ValueError("a provenance part does not say what it trained (no 'trained'); "
                             "read shipped files with load_shipped_study, which adds it")
        if (result["mixture"] in trained["mixtures"] and result["remedy"] in trained["remedies"]
                and trained["steps"] == result["steps"]
                and trained["seeds"] == len(result["seeds"])):
            return part
    return None
