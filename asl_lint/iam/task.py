"""One Task (or Map) state seen by the requirement builders: its parameters, static or dynamic.

A parameter value is *static* when it is a literal (JSONPath ``Parameters``, JSONata ``Arguments``),
*dynamic* when it comes from a path (``Key.$``) or a JSONata ``{% %}`` expression. Unresolved
``${X}`` placeholders in static strings stay in place: they mark unknown parts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["task", "http-invoke", "connection", "connection-secret"]


@dataclass(frozen=True)
class Requirement:
    """One permission a state needs: ``action`` on ``resource`` (None: unknown) with ``context``."""

    action: str
    resource: str | None
    context: dict[str, str | list[str]] = field(default_factory=dict)
    kind: Kind = "task"
    reason: str = ""
    field: str = "Resource"

    def key(self) -> tuple[str, str | None, tuple[tuple[str, str], ...]]:
        """Identity for de-duplication (context values flattened)."""
        ctx = tuple(sorted((k, v if isinstance(v, str) else "\x00".join(v)) for k, v in self.context.items()))
        return (self.action.lower(), self.resource, ctx)


@dataclass(frozen=True)
class Value:
    """A parameter: ``text`` is the static string (may hold ``${...}``), None when dynamic or absent."""

    text: str | None
    field: str
    present: bool
    raw: Any = None
    dynamic: bool = False  # from a path (``Key.$``) or a JSONata expression


_JSONATA = re.compile(r"^\s*\{%(.*)%\}\s*$", re.S)


@dataclass
class TaskContext:
    """Everything a requirement builder needs about one state and the machine around it."""

    state: Mapping[str, Any]
    state_name: str
    jsonata: bool
    partition: str
    region: str
    account: str
    state_machine_arn: str | None
    suffix: str = ""  # "", ".sync", ".sync:2", ".waitForTaskToken"
    out: list[Requirement] = field(default_factory=list)

    @property
    def params_field(self) -> str:
        return "Arguments" if self.jsonata else "Parameters"

    def value(self, *path: str, base: Any = None, base_field: str | None = None) -> Value:
        """The parameter at ``path`` under Parameters/Arguments (or under ``base``)."""
        node: Any = self.state.get(self.params_field) if base is None else base
        where = base_field if base_field is not None else self.params_field
        for i, key in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, str) and self.jsonata and _JSONATA.match(node):
                return Value(None, where, True, node, dynamic=True)  # the whole object is one expression
            if not isinstance(node, Mapping):
                return Value(None, f"{where}/{key}", False)
            if key not in node and f"{key}.$" in node:
                return Value(None, f"{where}/{key}.$", True, node[f"{key}.$"], dynamic=True)
            if key not in node:
                return Value(None, f"{where}/{key}", False)
            node = node[key]
            where = f"{where}/{key}"
            if last:
                if isinstance(node, str):
                    if self.jsonata and _JSONATA.match(node):
                        return Value(None, where, True, node, dynamic=True)
                    return Value(node, where, True, node)
                return Value(None, where, True, node) if node is not None else Value(None, where, False)
        return Value(None, where, False)

    def arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        reg = self.region if region else ""
        acct = self.account if account else ""
        return f"arn:{self.partition}:{service}:{reg}:{acct}:{resource}"

    def need(
        self,
        action: str,
        resource: str | None,
        field: str,
        reason: str,
        *,
        kind: Kind = "task",
        context: dict[str, str | list[str]] | None = None,
    ) -> None:
        self.out.append(Requirement(action, resource, dict(context or {}), kind, reason, field))

    def managed_rule(self, rule: str, reason: str) -> None:
        """The EventBridge rule Step Functions manages for a ``.sync`` integration."""
        arn = self.arn("events", f"rule/{rule}")
        for action in ("events:PutTargets", "events:PutRule", "events:DescribeRule"):
            self.need(action, arn, "Resource", f"{reason}: managed rule {rule} for {self.suffix}")

    @property
    def sync(self) -> bool:
        return self.suffix.startswith(".sync")


def only_placeholder(text: str) -> bool:
    """True when the text is nothing but one ``${...}``: its shape (name? ARN?) is unknown."""
    return bool(re.fullmatch(r"\$\{[^}]*\}", text.strip()))


def known(text: str | None) -> str | None:
    """A static value usable to build an ARN, or None when it is wholly unknown."""
    if text is None or only_placeholder(text):
        return None
    return text


def split_arn(text: str, maxsplit: int = -1) -> list[str]:
    """Split on ``:`` outside ``${...}`` placeholders (``${AWS::Region}`` stays one piece)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            current.append("${")
            i += 2
            continue
        ch = text[i]
        if ch == "}" and depth:
            depth -= 1
        if ch == ":" and not depth and (maxsplit < 0 or len(parts) < maxsplit):
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts
