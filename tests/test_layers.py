"""gan_lib's layout is its architecture: shelves import only the layers below them, never in a circle.

The layers, bottom to top (gan_lib/README.md draws the same map):
    0  runtime, checks                 seeding and devices; argument checks
    1  data, models, weights           data sets; networks; files trained offline
    2  train, sampling                 the loop, plans, objectives; drawing from generators
    3  theory                          toy distributions, divergences, games (uses train's losses)
    4  metrics                         sample quality, coverage, the training monitor
    5  viz, studies                    figures; multi-run experiments
    6  book                            what a chapter imports at run time
"""

from import_graph import find_cycle, module_graph, shelf, shelf_graph

LAYERS = {
    "gan_lib": 0, "runtime": 0, "checks": 0,
    "data": 1, "models": 1, "weights": 1,
    "train": 2, "sampling": 2,
    "theory": 3,
    "metrics": 4,
    "viz": 5, "studies": 5,
    "book": 6,
}


def test_every_shelf_has_a_layer():
    shelves = set(shelf_graph(module_graph()))
    assert shelves == set(LAYERS), f"shelves without a layer: {shelves - set(LAYERS)}"


def test_shelves_import_only_lower_layers():
    graph = module_graph()
    upward = sorted(
        f"{module} imports {dep}"
        for module, deps in graph.items() for dep in deps
        if shelf(dep) != shelf(module) and shelf(dep) != "gan_lib"
        and LAYERS[shelf(dep)] >= LAYERS[shelf(module)]
    )
    assert not upward, "imports that point up or sideways:\n" + "\n".join(upward)


def test_no_import_cycles():
    graph = module_graph()
    assert find_cycle(graph) is None, find_cycle(graph)
    assert find_cycle(shelf_graph(graph)) is None


def test_the_checker_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
