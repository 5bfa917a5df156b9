"""``asl-lint graph FILE --format mermaid|dot``: the state graph with findings marked.

The file is linted with the engine (for the findings) and its definitions are modelled
(``asl_lint.model``, ``asl_lint.graph``) into one neutral :class:`Diagram`; the Mermaid and DOT
writers at the end only format it, so both formats show the same content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from asl_lint.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from asl_lint.model import Scope, State
    from asl_lint.sources.base import LocatedDefinition

NodeKind = Literal["state", "start", "end", "missing"]
EdgeKind = Literal["next", "default", "choice", "catch", "enter", "start", "end"]
MAX_LABEL = 48  # condition and error-list labels are shortened beyond this


@dataclass
class Node:
    id: str
    label: str
    kind: NodeKind = "state"
    state_type: str | None = None
    terminal: bool = False
    severity: Severity | None = None  # the most severe finding on this state
    codes: tuple[str, ...] = ()


@dataclass
class Cluster:
    id: str
    label: str
    nodes: list[Node] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    label: str = ""


@dataclass
class Diagram:
    title: str
    root: Cluster
    edges: list[Edge] = field(default_factory=list)
    unattached: int = 0  # findings on no state (top-level fields, the file itself)

    def clusters(self) -> list[Cluster]:
        found: list[Cluster] = []
        stack = [self.root]
        while stack:
            cluster = stack.pop()
            found.append(cluster)
            stack.extend(reversed(cluster.clusters))
        return found

    def nodes(self) -> list[Node]:
        return [node for cluster in self.clusters() for node in cluster.nodes]


# --- building ------------------------------------------------------------------------------------
def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _index_after(pointer: str, field_name: str) -> int | None:
    parts = pointer.split("/")
    for i, part in enumerate(parts[:-1]):
        if part == field_name and parts[i + 1].isdigit():
            return int(parts[i + 1])
    return None


def _condition(rule: Any) -> str:
    """A short text for a Choice rule: its JSONata Condition or its JSONPath comparison."""
    if not isinstance(rule, dict):
        return ""
    if isinstance(rule.get("Condition"), str):
        return str(rule["Condition"])
    for combinator in ("And", "Or", "Not"):
        if combinator in rule:
            return f"{combinator}(…)"
    variable = rule.get("Variable")
    for key, value in rule.items():
        if key not in ("Variable", "Next", "Comment", "Assign", "Output"):
            return f"{variable} {key} {value}" if isinstance(variable, str) else str(key)
    return ""


def _edge_label(state: State, kind: str, pointer: str) -> str:
    if kind == "default":
        return "Default"
    if kind == "choice":
        index = _index_after(pointer, "Choices")
        rules = state.list_field("Choices")
        condition = _condition(rules[index]) if index is not None and index < len(rules) else ""
        return _shorten(f"#{index} {condition}".strip())
    if kind == "catch":
        catchers = dict(state.catchers)
        catcher = catchers.get(_index_after(pointer, "Catch") or 0, {})
        errors = catcher.get("ErrorEquals")
        names = [str(e) for e in errors] if isinstance(errors, list) else []
        return _shorten(", ".join(names) or "Catch")
    return ""


def _scope_label(scope: Scope) -> str:
    owner = scope.owner
    if owner is None:
        return "state machine"
    if scope.kind == "branch":
        return f"{owner.name} · branch {scope.pointer.rsplit('/', 1)[-1]}"
    return f"{owner.name} · item processor" + (" (distributed)" if scope.distributed else "")


class _Builder:
    def __init__(self, prefix: str, located: LocatedDefinition, diagnostics: list[Diagnostic]) -> None:
        from asl_lint.model import build_model

        self.prefix = prefix
        self.machine = build_model(located.definition)
        self.ids = {id(state): f"{prefix}_s{i}" for i, state in enumerate(self.machine.states)}
        self.edges: list[Edge] = []
        self.unattached = 0
        self.findings: dict[str, list[Diagnostic]] = {}
        for diag in diagnostics:
            rel = diag.pointer[len(located.pointer):]
            state = self.machine.state_for_pointer(rel)
            if state is None:
                self.unattached += 1
            else:
                self.findings.setdefault(self.ids[id(state)], []).append(diag)

    def node(self, state: State) -> Node:
        node_id = self.ids[id(state)]
        found = self.findings.get(node_id, [])
        severity = max((d.severity for d in found), key=lambda s: s.rank, default=None)
        return Node(node_id, state.name, "state", state.type, state.is_end or state.is_terminal_type,
                    severity, tuple(sorted({d.code for d in found})))

    def cluster(self, scope: Scope, cluster_id: str, label: str) -> Cluster:
        from asl_lint.graph.build import transitions_of
        from asl_lint.sources.base import is_unknown

        cluster = Cluster(cluster_id, label)
        start, end = f"{cluster_id}_start", f"{cluster_id}_end"
        cluster.nodes.append(Node(start, "Start", "start"))
        if scope.owner is not None:
            index = scope.pointer.rsplit("/", 1)[-1]
            self.edges.append(Edge(self.ids[id(scope.owner)], start, "enter",
                                   f"branch {index}" if scope.kind == "branch" else "items"))
        first = scope.states.get(scope.start_at or "")
        if first is not None:
            self.edges.append(Edge(start, self.ids[id(first)], "start"))
        missing: dict[str, str] = {}
        for state in scope.states.values():
            cluster.nodes.append(self.node(state))
            for number, child in enumerate(state.children):
                child_id = f"{self.ids[id(state)]}_c{number}"
                cluster.clusters.append(self.cluster(child, child_id, _scope_label(child)))
        for state in scope.states.values():
            # The graph module's own transition list, in declaration order (Next, Default, Choices, Catch).
            for target_name, kind, pointer in transitions_of(state):
                target_state = scope.states.get(target_name)
                if target_state is not None:
                    target = self.ids[id(target_state)]
                else:  # a transition to a state that does not exist (ASL101): show the name
                    target = missing.get(target_name) or f"{cluster_id}_m{len(missing)}"
                    if target_name not in missing:
                        missing[target_name] = target
                        # A ${placeholder} is filled in at deploy time: unknown here, not missing.
                        note = "placeholder" if is_unknown(target_name) else "missing"
                        cluster.nodes.append(Node(target, f"{target_name} ({note})", "missing"))
                self.edges.append(Edge(self.ids[id(state)], target, kind, _edge_label(state, kind, pointer)))
        terminals = [s for s in scope.states.values() if s.is_end or s.is_terminal_type]
        if terminals:
            cluster.nodes.append(Node(end, "End", "end"))
            self.edges.extend(Edge(self.ids[id(s)], end, "end") for s in terminals)
        return cluster


def build_diagram(file: str, located: list[LocatedDefinition], diagnostics: list[Diagnostic],
                  secrets: set[str] | None = None) -> Diagram:
    """The diagram of every definition in a file; ``diagnostics`` are that file's findings."""
    diagram = Diagram(Path(file).name, Cluster("root", Path(file).name))
    single = len(located) == 1 and located[0].kind == "standalone"
    taken: set[int] = set()
    for number, definition in enumerate(located):
        mine = []
        for index, diag in enumerate(diagnostics):
            rel = diag.pointer[len(definition.pointer):]
            inside = diag.pointer.startswith(definition.pointer) and (not rel or rel[0] == "/")
            if inside and index not in taken:
                mine.append(diag)
                taken.add(index)
        builder = _Builder(f"d{number}", definition, mine)
        label = definition.resource or f"definition {number + 1}"
        scope_cluster = builder.cluster(builder.machine.root, f"d{number}", label)
        if single:
            diagram.root.nodes.extend(scope_cluster.nodes)
            diagram.root.clusters.extend(scope_cluster.clusters)
        else:
            diagram.root.clusters.append(scope_cluster)
        diagram.edges.extend(builder.edges)
        diagram.unattached += builder.unattached
    diagram.unattached += len(diagnostics) - len(taken)
    if secrets:
        _redact(diagram, secrets)
    return diagram


def _redact(diagram: Diagram, secrets: set[str]) -> None:
    """State names and conditions come from the source: mask any secret the linter found."""
    from asl_lint.secrets.masking import redact

    ordered = sorted(secrets, key=len, reverse=True)
    for cluster in diagram.clusters():
        cluster.label = redact(cluster.label, ordered)
        for node in cluster.nodes:
            node.label = redact(node.label, ordered)
    diagram.edges = [Edge(e.source, e.target, e.kind, redact(e.label, ordered)) for e in diagram.edges]


# --- the command -----------------------------------------------------------------------------------
def _load(file: str) -> tuple[list[LocatedDefinition], list[Diagnostic], set[str]]:
    from asl_lint.cli import UsageError
    from asl_lint.config import ConfigError, config_for
    from asl_lint.engine.runner import decode, detect_format, lint_file, parse_text
    from asl_lint.sources import locate

    try:
        data = Path(file).read_bytes()
        config = config_for([file], None)
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    text, _problems, unreadable = decode(data)
    parsed = None if unreadable else parse_text(text.lstrip("\ufeff"), detect_format(file, text))
    if parsed is None or parsed.fatal:
        raise UsageError(f"{file} cannot be parsed; run `asl-lint check {file}`")
    located = locate(parsed, Path(file), text).definitions
    if not located:
        raise UsageError(f"{file} holds no state machine definition")
    result = lint_file(file, True, config)
    if result is None:
        return located, [], set()
    result.finish()
    return located, result.diagnostics, result.secrets


def export_graph(file: str, fmt: str) -> str:
    located, diagnostics, secrets = _load(file)
    diagram = build_diagram(file, located, diagnostics, secrets)
    if fmt == "mermaid":
        return to_mermaid(diagram)
    if fmt == "dot":
        return to_dot(diagram)
    raise ValueError(f"unknown graph format {fmt!r} (use mermaid or dot)")


# --- shared presentation ---------------------------------------------------------------------------
LEGEND = (
    ("error", "⚠ error finding"),
    ("warning", "⚠ warning finding"),
    ("info", "ℹ info finding"),
    ("terminal", "terminal state (End, Succeed, Fail)"),
    ("missing", "missing target (unknown state or ${placeholder})"),
)
EDGE_LEGEND = ("→ Next · → labelled: Choice rule #index / Default · ⇢ dashed: Catch (error names) · "
               "⇒ thick: enters a branch / item processor")


def _display(node: Node) -> list[str]:
    """The lines of a node's label: its name, and the codes found on it."""
    lines = [node.label]
    if node.codes:
        marker = "ℹ" if node.severity is Severity.INFO else "⚠"
        lines.append(f"{marker} {', '.join(node.codes)}")
    return lines


def _classes(node: Node) -> list[str]:
    classes = []
    if node.terminal:
        classes.append("terminal")
    if node.kind == "missing":
        classes.append("missing")
    if node.severity is not None:
        classes.append(node.severity.value)
    return classes


# --- Mermaid -------------------------------------------------------------------------------------
_MERMAID_STYLES = {
    "error": "fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#1f2328",
    "warning": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#1f2328",
    "info": "fill:#ddf4ff,stroke:#0969da,color:#1f2328",
    "terminal": "stroke-width:3px",
    "missing": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#59636e",
    "boundary": "fill:#1f2328,stroke:#1f2328,color:#ffffff",
}
_MERMAID_LINK_STYLES = {"catch": "stroke:#cf222e,color:#cf222e", "default": "stroke:#59636e"}
_MERMAID_ARROWS = {"next": "-->", "default": "-->", "choice": "-->", "start": "-->", "end": "-->",
                   "catch": "-.->", "enter": "==>"}


def mermaid_text(text: str) -> str:
    """A label safe inside Mermaid double quotes (entity codes for quote, hash, angle brackets...)."""
    out = text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return out.replace("`", "#96;").replace("|", "#124;").replace("\n", " ")


def _mermaid_node(node: Node) -> str:
    label = "<br/>".join(mermaid_text(line) for line in _display(node))
    if node.kind == "start":
        return f'{node.id}(("{label}"))'
    if node.kind == "end":
        return f'{node.id}((("{label}")))'
    if node.kind == "missing":
        return f'{node.id}>"{label}"]'
    if node.state_type == "Choice":
        return f'{node.id}{{"{label}"}}'
    if node.state_type in ("Succeed", "Fail"):
        return f'{node.id}(["{label}"])'
    if node.state_type in ("Parallel", "Map"):
        return f'{node.id}[["{label}"]]'
    return f'{node.id}("{label}")'


def _mermaid_cluster(cluster: Cluster, depth: int, out: list[str]) -> None:
    pad = "    " * depth
    for node in cluster.nodes:
        out.append(pad + _mermaid_node(node))
    for child in cluster.clusters:
        out.append(f'{pad}subgraph {child.id} ["{mermaid_text(child.label)}"]')
        out.append(f"{pad}    direction TB")
        _mermaid_cluster(child, depth + 1, out)
        out.append(f"{pad}end")


def to_mermaid(diagram: Diagram) -> str:
    out = ["flowchart TD", f"    %% {diagram.title}: state graph by asl-lint"]
    _mermaid_cluster(diagram.root, 1, out)
    for edge in diagram.edges:
        arrow = _MERMAID_ARROWS[edge.kind]
        label = f'|"{mermaid_text(edge.label)}"|' if edge.label else ""
        out.append(f"    {edge.source} {arrow}{label} {edge.target}")
    out.append('    subgraph legend ["Legend"]')
    out.append("        direction LR")
    for name, text in LEGEND:
        out.append(f'        legend_{name}["{mermaid_text(text)}"]')
    out.append(f'        legend_edges["{mermaid_text(EDGE_LEGEND)}"]')
    if diagram.unattached:
        out.append(f'        legend_unattached["{diagram.unattached} finding(s) not on a state"]')
    out.append("    end")
    for kind, style in _MERMAID_LINK_STYLES.items():  # links are numbered in declaration order
        indices = [str(i) for i, edge in enumerate(diagram.edges) if edge.kind == kind]
        if indices:
            out.append(f"    linkStyle {','.join(indices)} {style}")
    for name, style in _MERMAID_STYLES.items():
        out.append(f"    classDef {name} {style}")
    members: dict[str, list[str]] = {name: [] for name in _MERMAID_STYLES}
    for node in diagram.nodes():
        for name in _classes(node):
            members[name].append(node.id)
        if node.kind in ("start", "end"):
            members["boundary"].append(node.id)
    for name, _ in LEGEND:
        members[name].append(f"legend_{name}")
    for name, ids in members.items():
        if ids:
            out.append(f"    class {','.join(ids)} {name}")
    return "\n".join(out) + "\n"


# --- DOT -----------------------------------------------------------------------------------------
_BOUNDARY = {"style": "filled", "fillcolor": '"#1f2328"', "fontcolor": '"#ffffff"', "fontsize": "10"}
_DOT_NODE_STYLES: dict[str, dict[str, str]] = {
    "error": {"style": '"rounded,filled"', "fillcolor": '"#ffebe9"', "color": '"#cf222e"', "penwidth": "2"},
    "warning": {"style": '"rounded,filled"', "fillcolor": '"#fff8c5"', "color": '"#9a6700"', "penwidth": "2"},
    "info": {"style": '"rounded,filled"', "fillcolor": '"#ddf4ff"', "color": '"#0969da"'},
    "terminal": {"peripheries": "2"},
    "missing": {"style": "dashed", "color": '"#8c959f"', "fontcolor": '"#59636e"'},
}
_DOT_EDGE_STYLES = {
    "catch": {"style": "dashed", "color": '"#cf222e"', "fontcolor": '"#cf222e"'},
    "default": {"color": '"#59636e"'},
    "enter": {"penwidth": "2.5"},
}


def dot_text(text: str) -> str:
    """A DOT double-quoted string body (backslashes and quotes escaped, no raw newlines)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")


def _dot_shape(node: Node) -> dict[str, str]:
    if node.kind == "start":
        return {"shape": "circle", **_BOUNDARY}
    if node.kind == "end":
        return {"shape": "doublecircle", **_BOUNDARY}
    if node.kind == "missing":
        return {"shape": "cds"}
    if node.state_type == "Choice":
        return {"shape": "diamond"}
    if node.state_type in ("Parallel", "Map"):
        return {"shape": "box3d"}
    return {"shape": "box", "style": "rounded"}


def _dot_attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in attrs.items())


def _dot_node(node: Node) -> str:
    label = "\\n".join(dot_text(line) for line in _display(node))  # DOT's own line break
    attrs = {"label": f'"{label}"', **_dot_shape(node)}
    for name in _classes(node):
        attrs.update(_DOT_NODE_STYLES[name])
    return f'"{node.id}" [{_dot_attrs(attrs)}];'


def _dot_cluster(cluster: Cluster, depth: int, out: list[str]) -> None:
    pad = "    " * depth
    for node in cluster.nodes:
        out.append(pad + _dot_node(node))
    for child in cluster.clusters:
        out.append(f'{pad}subgraph "cluster_{child.id}" {{')
        out.append(f'{pad}    label="{dot_text(child.label)}"; style="rounded,dashed"; color="#8c959f";')
        _dot_cluster(child, depth + 1, out)
        out.append(f"{pad}}}")


def to_dot(diagram: Diagram) -> str:
    out = [
        'digraph "asl" {',
        f'    graph [label="{dot_text(diagram.title)}", labelloc=t, fontname="Helvetica", rankdir=TB];',
        '    node [fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
    ]
    _dot_cluster(diagram.root, 1, out)
    for edge in diagram.edges:
        attrs = {"label": f'"{dot_text(edge.label)}"'} if edge.label else {}
        attrs.update(_DOT_EDGE_STYLES.get(edge.kind, {}))
        suffix = f" [{_dot_attrs(attrs)}]" if attrs else ""
        out.append(f'    "{edge.source}" -> "{edge.target}"{suffix};')
    out.append('    subgraph "cluster_legend" {')
    out.append('        label="Legend"; style=rounded; color="#8c959f";')
    for name, text in LEGEND:
        attrs = {"label": f'"{dot_text(text)}"', "shape": "box", **_DOT_NODE_STYLES[name]}
        out.append(f'        "legend_{name}" [{_dot_attrs(attrs)}];')
    out.append(f'        "legend_edges" [label="{dot_text(EDGE_LEGEND)}", shape=note];')
    if diagram.unattached:
        text = f"{diagram.unattached} finding(s) not on a state"
        out.append(f'        "legend_unattached" [label="{text}", shape=note];')
    out.append("    }")
    out.append("}")
    return "\n".join(out) + "\n"
