"""Import layers: a module imports only from its own layer or below, never a private name of another package.

The flow reads bottom-up: model → analytics → planning → knowledge → render → writing → llm → replan →
graph state → interview → edits → nodes → graph wiring → api → cli/web. The most specific prefix decides a module's
layer, so `agent.graph.state` sits below the nodes while `agent.graph.build` wires them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "agent"
LAYERS: list[tuple[str, ...]] = [
    ("agent.model",),
    ("agent.analytics",),
    ("agent.planning",),
    ("agent.knowledge",),
    ("agent.render",),
    ("agent.writing",),
    ("agent.llm",),
    ("agent.replan",),
    ("agent.graph.state", "agent.graph.checkpoint", "agent.graph.errors"),
    ("agent.interview",),
    ("agent.edits",),
    ("agent.nodes",),
    ("agent.graph",),
    ("agent.api",),
    ("agent.cli", "agent.web"),
]
FACE = {"agent"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    """The layer of the longest prefix that names this module."""
    best, rank = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    if rank < 0:
        raise AssertionError(f"{module} belongs to no layer: add its folder to LAYERS")
    return rank


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def imports_of(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, imported names) for every `agent` import, including those inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "agent":
            found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.split(".")[0] == "agent"]
    return found


def modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if module_name(p) not in FACE)


def test_the_package_root_holds_only_its_face() -> None:
    loose = sorted(p.name for p in ROOT.glob("*.py") if p.name != "__init__.py")
    assert loose == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: module_name(p))
def test_no_import_from_a_higher_layer_or_of_a_private_name(path: Path) -> None:
    me = module_name(path)
    problems = []
    for line, target, names in imports_of(path):
        if target == "agent":
            target = f"agent.{names[0]}" if names else target
        if layer_of(target) > layer_of(me):
            problems.append(f"line {line}: imports {target} from a higher layer")
        if package_of(target) != package_of(me):
            problems += [f"line {line}: imports private {target}.{n}" for n in names if n.startswith("_")]
    assert problems == []


def test_the_layer_rule_catches_an_upward_import() -> None:
    assert layer_of("agent.planning.channels") < layer_of("agent.graph.state") < layer_of("agent.nodes.plan")
    assert layer_of("agent.graph.build") > layer_of("agent.nodes.plan")
    assert layer_of("agent.cli.console") > layer_of("agent.interview.bank")
