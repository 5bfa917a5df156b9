"""``asl-lint graph``: Mermaid that parses as a flowchart, DOT that a DOT parser accepts."""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from asl_lint.report.graph_export import build_diagram, export_graph, to_mermaid
from tests.conftest import shared_path
from tests.helpers import lint_result
from tests.report.defs import run, write

RICH: dict[str, Any] = {
    "StartAt": 'Check "order" [v2]',
    "States": {
        'Check "order" [v2]': {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Fan out"},
                {"Variable": "$.kind", "StringEquals": "a|b#c", "Next": "Each <item>"},
            ],
            "Default": "Fail it",
        },
        "Fan out": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": True}}},
                {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Next": "Nope"}}},
            ],
            "Catch": [{"ErrorEquals": ["States.TaskFailed", "States.Timeout"], "Next": "Fail it"}],
            "Next": "Done",
        },
        "Each <item>": {
            "Type": "Map",
            "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": True}}},
            "Next": "Done",
        },
        "Fail it": {"Type": "Fail", "Error": "X"},
        "Done": {"Type": "Succeed"},
        "Orphan": {"Type": "Pass", "End": True},
    },
}


# --- a small Mermaid flowchart reader (the subset asl-lint writes, strictly) -----------------------
_NODE = re.compile(r'^(\w+)(\(\(\(|\(\(|\[\[|\(\[|\(|\[|\{|>)"([^"]*)"(\)\)\)|\)\)|\]\]|\]\)|\)|\]|\})$')
_EDGE = re.compile(r'^(\w+) (-->|-\.->|==>)(?:\|"([^"]*)"\|)? (\w+)$')
_SUBGRAPH = re.compile(r'^subgraph (\w+) \["([^"]*)"\]$')
_SHAPES = {"(((": ")))", "((": "))", "[[": "]]", "([": "])", "(": ")", "[": "]", "{": "}", ">": "]"}


@dataclass
class Flowchart:
    nodes: dict[str, str] = field(default_factory=dict)  # id -> label
    parent: dict[str, str | None] = field(default_factory=dict)  # node id -> subgraph id
    subgraphs: dict[str, str] = field(default_factory=dict)  # id -> label
    edges: list[tuple[str, str, str, str]] = field(default_factory=list)  # (source, arrow, label, target)
    classes: dict[str, set[str]] = field(default_factory=dict)  # class -> node ids
    link_styles: list[int] = field(default_factory=list)  # styled link numbers


def parse_mermaid(text: str) -> Flowchart:
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    chart, stack = Flowchart(), []
    for raw in lines[1:]:
        line = raw.strip()
        if not line or line.startswith("%%") or line.startswith("direction ") or line.startswith("classDef "):
            continue
        if match := _SUBGRAPH.match(line):
            assert match.group(1) not in chart.subgraphs
            chart.subgraphs[match.group(1)] = match.group(2)
            stack.append(match.group(1))
        elif line == "end":
            assert stack, "unbalanced end"
            stack.pop()
        elif match := _NODE.match(line):
            node_id, opening, label, closing = match.groups()
            assert _SHAPES[opening] == closing, line
            assert node_id not in chart.nodes, f"node declared twice: {node_id}"
            chart.nodes[node_id] = label
            chart.parent[node_id] = stack[-1] if stack else None
        elif match := _EDGE.match(line):
            chart.edges.append((match.group(1), match.group(2), match.group(3) or "", match.group(4)))
        elif line.startswith("linkStyle "):
            _, indices, _style = line.split(" ", 2)
            chart.link_styles.extend(int(i) for i in indices.split(","))
        elif line.startswith("class "):
            _, ids, name = line.split(" ")
            chart.classes.setdefault(name, set()).update(ids.split(","))
        else:
            raise AssertionError(f"not a flowchart statement: {raw!r}")
    assert not stack, "unclosed subgraph"
    for source, _, _, target in chart.edges:
        assert source in chart.nodes and target in chart.nodes, (source, target)
    for members in chart.classes.values():
        assert members <= set(chart.nodes)
    assert all(0 <= i < len(chart.edges) for i in chart.link_styles)
    return chart


def _node(chart: Flowchart, label_start: str) -> str:
    (found,) = [node_id for node_id, label in chart.nodes.items() if label.startswith(label_start)]
    return found


@pytest.fixture
def rich_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "rich.asl.json", RICH)
    return "rich.asl.json"


def test_mermaid_structure(rich_file: str) -> None:
    chart = parse_mermaid(export_graph(rich_file, "mermaid"))
    check, fan, each = _node(chart, "Check"), _node(chart, "Fan out"), _node(chart, "Each")
    fail, done, b2 = _node(chart, "Fail it"), _node(chart, "Done"), _node(chart, "B2")
    # Names with quotes, brackets and hashes are escaped, never raw.
    assert chart.nodes[check] == "Check #quot;order#quot; [v2]"
    assert chart.nodes[each].startswith("Each #lt;item#gt;")
    # Nested scopes are subgraphs holding their states.
    assert sorted(chart.subgraphs.values()) == [
        "Each #lt;item#gt; · item processor", "Fan out · branch 0", "Fan out · branch 1", "Legend"]
    assert chart.subgraphs[chart.parent[_node(chart, "B1")] or ""] == "Fan out · branch 0"
    assert chart.subgraphs[chart.parent[_node(chart, "Work")] or ""].endswith("item processor")
    assert chart.parent[check] is None
    edges = {(s, t): (arrow, label) for s, arrow, label, t in chart.edges}
    assert edges[(check, fan)] == ("-->", "#35;0 $.total NumericGreaterThan 100")
    assert edges[(check, each)] == ("-->", "#35;1 $.kind StringEquals a#124;b#35;c")
    assert edges[(check, fail)] == ("-->", "Default")
    assert edges[(fan, fail)] == ("-.->", "States.TaskFailed, States.Timeout")
    assert edges[(fan, done)] == ("-->", "")
    catch_link = chart.edges.index((fan, "-.->", "States.TaskFailed, States.Timeout", fail))
    assert catch_link in chart.link_styles
    entered = [label for s, arrow, label, _ in chart.edges if s == fan and arrow == "==>"]
    assert entered == ["branch 0", "branch 1"]
    # Start and terminal nodes.
    starts = [n for n, label in chart.nodes.items() if label == "Start"]
    assert len(starts) == 4  # the machine, two branches, the item processor
    assert {fail, done, _node(chart, "Orphan")} <= chart.classes["terminal"]
    # Findings: ASL101 on B2 (Next: Nope), ASL102 on the unreachable Orphan; the missing target shown.
    assert chart.nodes[b2] == "B2<br/>⚠ ASL101"
    assert "⚠ ASL102" in chart.nodes[_node(chart, "Orphan")]
    assert {b2, _node(chart, "Orphan")} <= chart.classes["error"]
    missing = _node(chart, "Nope (missing)")
    assert (b2, "-->", "", missing) in chart.edges and missing in chart.classes["missing"]
    assert any(label.startswith("⚠ error finding") for label in chart.nodes.values())  # the legend


def test_dot_is_accepted_by_pydot(rich_file: str) -> None:
    pydot = pytest.importorskip("pydot")
    text = export_graph(rich_file, "dot")
    (graph,) = pydot.graph_from_dot_data(text)
    clusters = {s.get_name().strip('"'): s for s in graph.get_subgraphs()}
    assert set(clusters) == {"cluster_d0_s1_c0", "cluster_d0_s1_c1", "cluster_d0_s4_c0", "cluster_legend"}
    nodes = graph.get_nodes() + [n for c in clusters.values() for n in c.get_nodes()]
    labels = {n.get_name().strip('"'): (n.get("label") or "").strip('"') for n in nodes}
    assert labels["d0_s0"] == 'Check \\"order\\" [v2]'
    assert labels["d0_s3"] == "B2\\n⚠ ASL101"
    in_branch = {n.get_name().strip('"') for n in clusters["cluster_d0_s1_c1"].get_nodes()}
    assert "d0_s3" in in_branch
    catch = [e for e in graph.get_edges() if e.get("style") == "dashed"]
    assert [(e.get_source().strip('"'), e.get_destination().strip('"'), e.get("label")) for e in catch] == [
        ("d0_s1", "d0_s6", '"States.TaskFailed, States.Timeout"')]
    assert clusters["cluster_d0_s1_c1"].get_node('"d0_s3"')[0].get("fillcolor") == '"#ffebe9"'


def test_output_is_deterministic(rich_file: str) -> None:
    assert export_graph(rich_file, "mermaid") == export_graph(rich_file, "mermaid")
    assert export_graph(rich_file, "dot") == export_graph(rich_file, "dot")


def test_cli(rich_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["graph", rich_file], capsys)
    assert code == 0 and out.startswith("flowchart TD\n")
    code, out = run(["graph", rich_file, "--format", "dot"], capsys)
    assert code == 0 and out.startswith('digraph "asl" {')
    (tmp_path / "broken.asl.json").write_text('{"StartAt": ', encoding="utf-8")
    assert run(["graph", "broken.asl.json"], capsys)[0] == 2
    assert run(["graph", "missing.asl.json"], capsys)[0] == 2


def test_secrets_found_by_the_linter_are_masked_in_labels() -> None:
    name = "Use hunter2-very-secret"
    inner = {"StartAt": "In", "States": {"In": {"Type": "Pass", "End": True}}}
    definition = {"StartAt": name, "States": {name: {"Type": "Map", "ItemProcessor": inner, "End": True}}}
    text = json.dumps(definition)
    result = lint_result(definition)
    from asl_lint.sources.base import LocatedDefinition

    located = [LocatedDefinition(definition, "", lambda _p: None)]
    diagram = build_diagram("x.asl.json", located, result.diagnostics, {"hunter2-very-secret"})
    assert "hunter2-very-secret" not in to_mermaid(diagram)
    assert "hunter2-very-secret" in text  # the input did hold it


@pytest.mark.skipif(importlib.util.find_spec("asl_lint.sources.cloudformation") is None,
                    reason="template locating not available")
def test_template_machines_are_subgraphs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    template = {"Resources": {
        name: {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": RICH}}
        for name in ("First", "Second")
    }}
    write(tmp_path / "template.json", template)
    chart = parse_mermaid(export_graph("template.json", "mermaid"))
    assert {"First", "Second"} <= set(chart.subgraphs.values())
    assert sum(1 for label in chart.nodes.values() if label.startswith("B2")) == 2


def test_corpus_graphs_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every definition and template of the shared corpus gives a well-formed Mermaid flowchart."""
    from asl_lint.cli import UsageError

    corpus = shared_path("corpus")
    monkeypatch.chdir(corpus)
    files = sorted(p for p in Path(".").rglob("*") if p.suffix in (".json", ".yaml", ".yml") and p.is_file())
    drawn = 0
    for path in files:
        try:
            text = export_graph(str(path), "mermaid")
        except UsageError:
            continue  # no state machine in it
        chart = parse_mermaid(text)
        assert chart.nodes, path
        drawn += 1
    assert drawn > 100
