"""Prints the shape of the code: files and lines per top-level package, import circles between modules
and between packages, and imports placed inside functions (with or without a reason beside them).

Run it with the project's Python: `.venv/bin/python scripts/house_report.py`. It reads the source as
text (ast), so it works on any checkout, before or after a move; it changes nothing.
"""

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", ".git", "tests", "bench", "scripts", "migrations", "node_modules", "static", "templates", "locale"}


def python_files(root: Path) -> list[Path]:
    return sorted(
        path
        for path in root.rglob("*.py")
        if not (set(path.relative_to(root).parts[:-1]) & SKIP) and path.parent != root
    )


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Absolute names of what one import statement imports (modules, or names inside modules)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)] if node.level > 1 else anchor
        base = ".".join([*anchor, base] if base else anchor)
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def resolve(name: str, modules: set[str]) -> str | None:
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


class Scan(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, lines: list[str]) -> None:
        self.module, self.is_package, self.lines = module, is_package, lines
        self.depth = 0
        self.top: list[str] = []
        self.inner: list[tuple[int, str, bool]] = []  # line, statement, a reason is written beside it
        self.deferred: list[str] = []  # what the imports inside functions import

    def _function(self, node) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _import(self, node) -> None:
        names = imported(node, self.module, self.is_package)
        if self.depth:
            text = self.lines[node.lineno - 1].strip()
            reason = "#" in text or (node.lineno > 1 and self.lines[node.lineno - 2].strip().startswith("#"))
            self.inner.append((node.lineno, text, reason))
            self.deferred.extend(names)
        else:
            self.top.extend(names)

    visit_Import = visit_ImportFrom = _import


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm; returns the components of more than one node (each is an import circle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@dataclass(frozen=True)
class House:
    sizes: dict[str, tuple[int, int]]  # top-level package: (files, lines)
    module_cycles: list[list[str]]
    hidden_cycles: list[list[str]]  # counting imports inside functions
    package_cycles: list[list[str]]
    inner_imports: list[tuple[str, int, str, bool]]  # module, line, statement, a reason is written beside it


def measure(root: Path = ROOT) -> House:
    files = python_files(root)
    modules = {module_name(path): path for path in files}
    names = set(modules)
    graph: dict[str, set[str]] = defaultdict(set)
    everything: dict[str, set[str]] = defaultdict(set)  # with the imports inside functions too
    packages: dict[str, set[str]] = defaultdict(set)
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    inner: list[tuple[str, int, str, bool]] = []
    for module, path in modules.items():
        text = path.read_text(encoding="utf-8")
        top = module.split(".")[0]
        sizes[top][0] += 1
        sizes[top][1] += len(text.splitlines())
        scan = Scan(module, path.name == "__init__.py", text.splitlines())
        scan.visit(ast.parse(text))
        for name in scan.top:
            target = resolve(name, names)
            if target and target != module:
                graph[module].add(target)
                if target.split(".")[0] != top:
                    packages[top].add(target.split(".")[0])
        for name in scan.top + scan.deferred:
            target = resolve(name, names)
            if target and target != module:
                everything[module].add(target)
        inner += [(module, line, statement, reason) for line, statement, reason in scan.inner]
    return House(
        sizes={top: (count, lines) for top, (count, lines) in sorted(sizes.items())},
        module_cycles=strongly_connected(graph),
        hidden_cycles=strongly_connected(everything),
        package_cycles=strongly_connected(packages),
        inner_imports=inner,
    )


def main() -> None:
    house = measure()
    print("| package | files | lines |\n|---|---|---|")
    for top, (count, lines) in house.sizes.items():
        print(f"| {top} | {count} | {lines} |")
    print(f"| total | {sum(s[0] for s in house.sizes.values())} | {sum(s[1] for s in house.sizes.values())} |")
    for title, cycles in (
        ("import circles between modules (module-level imports)", house.module_cycles),
        ("import circles between modules, counting imports inside functions", house.hidden_cycles),
        ("import circles between top-level packages", house.package_cycles),
    ):
        print(f"{title}: {len(cycles)}")
        for cycle in cycles:
            print("  " + " <-> ".join(cycle))
    reasoned = sum(1 for *_, reason in house.inner_imports if reason)
    print(f"imports inside functions: {len(house.inner_imports)} ({reasoned} with a reason written beside them)")
    for module, line, statement, reason in house.inner_imports:
        print(f"  {module}:{line}  {statement}{'' if reason else '   (no reason given)'}")


if __name__ == "__main__":
    main()
