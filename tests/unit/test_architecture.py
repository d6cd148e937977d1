"""The layering rules of docs/architecture.md, checked on the source: no import cycle anywhere,
views without Dash, ui without the engine, thin pages, small modules."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("data_sources", "projections", "dashboard", "pages")
MAX_LINES = 420  # "about 400": a module past this is doing two jobs
MAX_PAGE_IMPORTS = 5


def _modules() -> dict[str, Path]:
    out = {"app": ROOT / "app.py"}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


MODULES = _modules()


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    return skip


def _imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(imported project module, inside a function) for every import of ``name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    in_function = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                targets.append(sub if sub in MODULES else node.module)
        for target in targets:
            if target in MODULES and target != name and not name.startswith(target + "."):
                found.append((target, id(node) in in_function))
    return found


GRAPH: dict[str, set[str]] = defaultdict(set)
INNER: dict[str, list[str]] = defaultdict(list)
for _name, _path in MODULES.items():
    for _target, _inner in _imports(_name, _path):
        GRAPH[_name].add(_target)
        if _inner:
            INNER[_name].append(_target)


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(MODULES):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_in_the_project():
    assert _cycles() == []


def test_no_project_import_inside_a_function_in_the_dashboard():
    """Imports inside functions were used to step around cycles; none is needed now."""
    inner = {m: t for m, t in INNER.items() if m.startswith(("dashboard", "pages", "app"))}
    assert inner == {}


def test_views_never_import_dash_and_ui_never_reaches_the_engine():
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        imported = {
            (n.module if isinstance(n, ast.ImportFrom) else a.name).split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom) and getattr(n, "module", "x")
            for a in (n.names if isinstance(n, ast.Import) else [n])
        }
        if name.startswith(("dashboard.views", "dashboard.state", "dashboard.text")):
            assert not imported & {"dash", "plotly", "flask"}, name
        if name.startswith("dashboard.ui"):
            assert not imported & {"projections"}, name
            assert not any(t.startswith("dashboard.data") for t in GRAPH[name]), name


def test_pages_import_at_most_five_dashboard_modules():
    for name in MODULES:
        if name.startswith("pages."):
            used = {t for t in GRAPH[name] if t.startswith("dashboard")}
            assert len(used) <= MAX_PAGE_IMPORTS, (name, sorted(used))
            assert not any(t.startswith(("projections", "data_sources")) for t in GRAPH[name])


def test_modules_stay_small():
    big = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert big == {}
