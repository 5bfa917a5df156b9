"""YAML loading with positions, safely.

We only *compose* YAML into nodes (never construct Python objects from tags, so a
``!!python/...`` tag can never run code) and build plain values ourselves. CloudFormation
short tags (``!Ref``, ``!GetAtt``, ``!Sub``, ...) become their long JSON forms, exactly what
the JSON flavour of the same template contains. Alias expansion is bounded.
"""

from __future__ import annotations

import re
from typing import Any

from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.pointer import escape
from asl_lint.source.text import Span

# Aliases re-use nodes, so a "billion laughs" document expands far beyond its own size. We
# count the nodes built a second time through an alias and stop past this many; real
# templates re-use a few small anchors at most.
MAX_ALIAS_EXPANSION = 100_000

_CFN_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!GetAtt": "Fn::GetAtt",
    "!Sub": "Fn::Sub",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!If": "Fn::If",
    "!Equals": "Fn::Equals",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Not": "Fn::Not",
    "!FindInMap": "Fn::FindInMap",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!ImportValue": "Fn::ImportValue",
    "!GetAZs": "Fn::GetAZs",
    "!Transform": "Fn::Transform",
    "!ToJsonString": "Fn::ToJsonString",
    "!Length": "Fn::Length",
    "!ForEach": "Fn::ForEach",
    "!ValueOf": "Fn::ValueOf",
    "!Contains": "Fn::Contains",
    "!EachMemberEquals": "Fn::EachMemberEquals",
    "!EachMemberIn": "Fn::EachMemberIn",
    "!RefAll": "Fn::RefAll",
}
_STD = "tag:yaml.org,2002:"
_COMMENT = re.compile(r"(?:^|[ \t])#(.*)$")


class _TooBig(Exception):
    pass


def parse_yaml(text: str) -> ParseResult:
    """Parse one YAML document. Offsets in the result index ``text`` (a leading BOM is allowed)."""
    import yaml

    result = ParseResult()
    base = 1 if text.startswith("\ufeff") else 0
    body = text[base:]
    if not body.strip():
        result.problems.append(SourceProblem("ASL001", "The file is empty: expected a YAML mapping", Span(0, 0)))
        result.fatal = True
        return result
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_cls(body)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        offset = base + (mark.index if mark is not None else 0)
        message = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        result.problems.append(SourceProblem("ASL001", f"Invalid YAML: {message}", Span(offset, offset + 1)))
        result.fatal = True
        return result
    except RecursionError:
        result.problems.append(SourceProblem("ASL001", "YAML nesting is too deep to read", Span(base, base + 1)))
        result.fatal = True
        return result
    except yaml.YAMLError as exc:  # reader errors (control characters) have no problem_mark
        result.problems.append(SourceProblem("ASL001", f"Invalid YAML: {exc}", Span(base, base + 1)))
        result.fatal = True
        return result
    if node is None:
        result.problems.append(SourceProblem("ASL001", "The file is empty: expected a YAML mapping", Span(0, 0)))
        result.fatal = True
        return result
    builder = _Builder(body, base, result)
    try:
        result.value = builder.build(node, "", None)
    except _TooBig:
        result.problems.append(
            SourceProblem(
                "ASL005",
                f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION:,} extra nodes; refusing to expand further",
                Span(base, base + 1),
            )
        )
        result.value = None
        result.fatal = True
    except RecursionError:
        result.problems.append(SourceProblem("ASL001", "YAML nesting is too deep to read", Span(base, base + 1)))
        result.value = None
        result.fatal = True
    result.comments = _comments(text)
    return result


def _comments(text: str) -> list[tuple[int, str]]:
    """(line, comment text) for comment lines that carry an asl-lint directive."""
    found: list[tuple[int, str]] = []
    if "asl-lint" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        if "asl-lint" in line:
            m = _COMMENT.search(line)
            if m:
                found.append((number, m.group(1).strip()))
    return found


class _Builder:
    def __init__(self, text: str, base: int, result: ParseResult) -> None:
        self.text = text
        self.base = base
        self.result = result
        self.built: set[int] = set()
        self.reused = 0

    def span(self, node: Any) -> Span:
        start = node.start_mark.index
        end = node.end_mark.index
        # Block collections end where the next token starts; trim the trailing blank space.
        while end > start and self.text[end - 1] in " \t\r\n":
            end -= 1
        return Span(self.base + start, self.base + end)

    def build(self, node: Any, pointer: str, key_span: Span | None) -> Any:
        import yaml

        if id(node) in self.built:
            self.reused += 1
            if self.reused > MAX_ALIAS_EXPANSION:
                raise _TooBig
        else:
            self.built.add(id(node))
        self.result.spans[pointer] = NodeSpan(self.span(node), key_span)
        tag: str = node.tag or ""
        if tag in _CFN_TAGS:
            name = _CFN_TAGS[tag]
            inner_pointer = f"{pointer}/{escape(name)}"
            if isinstance(node, yaml.ScalarNode):
                value: Any = node.value
                if name == "Fn::GetAtt" and isinstance(value, str):
                    value = value.split(".", 1) if "." in value else [value]
                self.result.spans[inner_pointer] = NodeSpan(self.span(node), None)
            else:
                self.result.spans[inner_pointer] = NodeSpan(self.span(node), None)
                value = self.build_untagged(node, inner_pointer, None)
            return {name: value}
        if tag.startswith("!") or (tag.startswith("tag:") and not tag.startswith(_STD)) or (
            tag.startswith(_STD) and tag[len(_STD) :] not in _STD_NAMES
        ):
            self.result.problems.append(
                SourceProblem(
                    "ASL001",
                    f"Unsupported YAML tag {tag!r}: asl-lint reads plain data only and ignores the tag",
                    self.span(node),
                    pointer,
                )
            )
        return self.build_untagged(node, pointer, key_span)

    def build_untagged(self, node: Any, pointer: str, key_span: Span | None) -> Any:
        import yaml

        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                items.append(self.build(child, f"{pointer}/{index}", None))
            return items
        mapping: dict[Any, Any] = {}
        seen: dict[Any, Span] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STD + "merge" and isinstance(value_node, yaml.MappingNode):
                merged = self.build_untagged(value_node, pointer, None)
                for k, v in merged.items():
                    mapping.setdefault(k, v)
                continue
            key = _scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                key = "" if key is None else str(key)
            kspan = self.span(key_node)
            child_pointer = f"{pointer}/{escape(key)}"
            if key in seen:
                first = seen[key]
                line = self.text.count("\n", 0, first.start - self.base) + 1
                self.result.problems.append(
                    SourceProblem(
                        "ASL002",
                        f"Duplicate key {key!r}: already defined on line {line}; only the last value would be kept",
                        kspan,
                        child_pointer,
                    )
                )
            seen[key] = kspan
            mapping[key] = self.build(value_node, child_pointer, kspan)
        return mapping


_STD_NAMES = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge", "omap", "set"}
_BOOL = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _scalar(node: Any) -> Any:
    """Resolve a scalar like YAML 1.1's safe loader, except timestamps, which stay strings."""
    tag = node.tag
    value: str = node.value
    if tag == _STD + "str" or node.style in ("'", '"', "|", ">"):
        return value
    if tag == _STD + "null":
        return None
    if tag == _STD + "bool":
        # YAML 1.2 semantics: only true/false are booleans. YAML 1.1's yes/no/on/off stay strings,
        # as in js-yaml and ruamel.yaml; state names like "Yes" and "No" are common.
        lowered = value.lower()
        return _BOOL[lowered] if lowered in ("true", "false") else value
    if tag == _STD + "int":
        text = value.replace("_", "")
        try:
            if text.startswith(("0x", "-0x", "+0x")):
                return int(text, 16)
            if text.startswith(("0o", "-0o", "+0o")):
                return int(text, 8)
            if len(text.lstrip("+-")) > 1 and text.lstrip("+-").startswith("0") and text.isdigit():
                return int(text, 8)
            return int(text)
        except ValueError:
            return value
    if tag == _STD + "float":
        text = value.replace("_", "").lower()
        if text in (".nan",):
            return value  # NaN is not JSON; keep the text so rules see a string
        if text in (".inf", "+.inf", "-.inf"):
            return value
        try:
            return float(text)
        except ValueError:
            return value
    return value
