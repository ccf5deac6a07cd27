"""Print gan_lib's import graph by shelf (data, theory, models, ...) and check it has no cycles.

    python tools/import_graph.py            # shelf -> the shelves it imports
    python tools/import_graph.py --modules  # module -> the gan_lib modules it imports

Reads the source with `ast` (nothing is imported), resolving relative imports.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "gan_lib"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """{module: the gan_lib modules it imports}, for every .py file under `root`."""
    names = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in names.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                candidates = [target] + [f"{target}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            deps.update(c for c in candidates if c in names and c != name)
        graph[name] = deps
    return graph


def shelf(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def shelf_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for module, deps in graph.items():
        out.setdefault(shelf(module), set()).update(shelf(d) for d in deps if shelf(d) != shelf(module))
    return out


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of nodes (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT, help="a gan_lib folder (default: ours)")
    args = parser.parse_args()
    graph = module_graph(args.root.resolve())
    shown = graph if args.modules else shelf_graph(graph)
    for node in sorted(shown):
        print(f"{node:40s} -> {', '.join(sorted(shown[node])) or '-'}")
    for name, g in (("modules", graph), ("shelves", shelf_graph(graph))):
        cycle = find_cycle(g)
        print(f"{name}: {len(g)}, cycle: {' -> '.join(cycle) if cycle else 'none'}")


if __name__ == "__main__":
    main()
