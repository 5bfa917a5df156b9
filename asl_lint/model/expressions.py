"""Where expressions live in a definition: every JSONPath path, payload template, intrinsic call
and JSONata expression, with the context that decides what is allowed there.

Rules, the symbolic analysis and the language server all walk definitions through this module,
so "which fields hold paths" is written down once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from asl_lint.model.machine import State, StateMachine
from asl_lint.source.pointer import escape

SiteKind = Literal["path", "reference-path", "path-or-intrinsic", "payload", "jsonata", "static"]

# Fields holding a Path (filters allowed) and those that must be Reference Paths (spec, §2).
PATH_FIELDS = ("InputPath", "OutputPath")
REFERENCE_PATH_FIELDS = (
    "ResultPath", "ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath",
    "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
)
NESTED_REFERENCE_PATHS = (
    ("ItemReader", "ReaderConfig", "MaxItemsPath"),
    ("ItemBatcher", "MaxItemsPerBatchPath"),
    ("ItemBatcher", "MaxInputBytesPerBatchPath"),
)
PAYLOAD_FIELDS = ("Parameters", "ResultSelector", "ItemSelector", "Credentials")
NESTED_PAYLOADS = (("ItemBatcher", "BatchInput"), ("ItemReader", "Parameters"), ("ResultWriter", "Parameters"))
CHOICE_PATH_OPERATORS = (
    "StringEqualsPath", "StringLessThanPath", "StringGreaterThanPath", "StringLessThanEqualsPath",
    "StringGreaterThanEqualsPath", "NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath",
    "NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath", "BooleanEqualsPath", "TimestampEqualsPath",
    "TimestampLessThanPath", "TimestampGreaterThanPath", "TimestampLessThanEqualsPath",
    "TimestampGreaterThanEqualsPath",
)
# Keys of a JSONata state whose string values are never expressions.
_JSONATA_CONSTANT_KEYS = frozenset({"Type", "Resource", "Comment", "Next", "End", "Default", "QueryLanguage",
                                   "StartAt", "States", "Branches", "ItemProcessor", "Iterator", "ErrorEquals",
                                   "Label", "ProcessorConfig"})


@dataclass(frozen=True)
class Site:
    """One expression (or payload template) in a definition."""

    state: State
    pointer: str  # of the value (for payloads: of the template object)
    value: Any
    kind: SiteKind
    field: str  # human name of the field, e.g. "InputPath", "Parameters", "Choices[0].Variable"
    allow_context: bool = True
    allow_variables: bool = True
    in_item_selector: bool = False
    # JSONata: the $states members usable here.
    states_members: frozenset[str] = frozenset({"input", "context"})


def _child(state: State, *tokens: str | int) -> tuple[str, Any] | None:
    node: Any = state.raw
    for token in tokens:
        in_dict = isinstance(node, dict) and isinstance(token, str) and token in node
        in_list = isinstance(node, list) and isinstance(token, int) and token < len(node)
        if in_dict or in_list:
            node = node[token]
        else:
            return None
    return state.ptr(*tokens), node


def jsonpath_sites(state: State) -> Iterator[Site]:
    raw = state.raw
    for name in PATH_FIELDS:
        if isinstance(raw.get(name), str):
            yield Site(state, state.ptr(name), raw[name], "path", name)
    for name in REFERENCE_PATH_FIELDS:
        if isinstance(raw.get(name), str):
            no_extras = name == "ResultPath"
            yield Site(state, state.ptr(name), raw[name], "reference-path", name,
                       allow_context=not no_extras, allow_variables=not no_extras)
    for tokens in NESTED_REFERENCE_PATHS:
        found = _child(state, *tokens)
        if found and isinstance(found[1], str):
            yield Site(state, found[0], found[1], "reference-path", "/".join(tokens))
    if state.type == "Fail":
        for name in ("ErrorPath", "CausePath"):
            if isinstance(raw.get(name), str):
                yield Site(state, state.ptr(name), raw[name], "path-or-intrinsic", name)
    for name in PAYLOAD_FIELDS:
        if isinstance(raw.get(name), (dict, list)):
            selector = state.type == "Map" and name in ("ItemSelector", "Parameters")
            yield Site(state, state.ptr(name), raw[name], "payload", name, in_item_selector=selector)
    for tokens in NESTED_PAYLOADS:
        found = _child(state, *tokens)
        if found and isinstance(found[1], (dict, list)):
            yield Site(state, found[0], found[1], "payload", "/".join(tokens))
    if isinstance(raw.get("Assign"), dict):
        yield Site(state, state.ptr("Assign"), raw["Assign"], "payload", "Assign")
    if state.type == "Pass" and "Result" in raw:
        yield Site(state, state.ptr("Result"), raw["Result"], "static", "Result")
    if state.type == "Choice":
        choices = raw.get("Choices")
        if isinstance(choices, list):
            for index, rule in enumerate(choices):
                if isinstance(rule, dict):
                    yield from _choice_rule_sites(state, rule, state.ptr("Choices", index), f"Choices[{index}]")
                    if isinstance(rule.get("Assign"), dict):
                        yield Site(state, state.ptr("Choices", index, "Assign"), rule["Assign"], "payload",
                                   f"Choices[{index}].Assign")
    for index, catcher in state.catchers:
        if isinstance(catcher.get("ResultPath"), str):
            yield Site(state, state.ptr("Catch", index, "ResultPath"), catcher["ResultPath"], "reference-path",
                       f"Catch[{index}].ResultPath", allow_context=False, allow_variables=False)
        if isinstance(catcher.get("Assign"), dict):
            yield Site(state, state.ptr("Catch", index, "Assign"), catcher["Assign"], "payload",
                       f"Catch[{index}].Assign")


def _choice_rule_sites(state: State, rule: dict[str, Any], pointer: str, label: str) -> Iterator[Site]:
    if isinstance(rule.get("Variable"), str):
        yield Site(state, f"{pointer}/Variable", rule["Variable"], "reference-path", f"{label}.Variable")
    for operator in CHOICE_PATH_OPERATORS:
        if isinstance(rule.get(operator), str):
            yield Site(state, f"{pointer}/{operator}", rule[operator], "reference-path", f"{label}.{operator}")
    for combinator in ("And", "Or"):
        members = rule.get(combinator)
        if isinstance(members, list):
            for index, member in enumerate(members):
                if isinstance(member, dict):
                    yield from _choice_rule_sites(state, member, f"{pointer}/{combinator}/{index}",
                                                  f"{label}.{combinator}[{index}]")
    if isinstance(rule.get("Not"), dict):
        yield from _choice_rule_sites(state, rule["Not"], f"{pointer}/Not", f"{label}.Not")


def jsonata_sites(state: State) -> Iterator[Site]:
    """Every string of a JSONata state that is (or tries to be) a ``{% %}`` expression."""
    result_states = state.type in ("Task", "Map", "Parallel")
    for key, value in state.raw.items():
        if key in _JSONATA_CONSTANT_KEYS:
            continue
        members = frozenset({"input", "context"})
        if key in ("Output", "Assign") and result_states:
            members = members | {"result"}
        if key == "Catch" and isinstance(value, list):
            for index, catcher in enumerate(value):
                if isinstance(catcher, dict):
                    for ckey in ("Output", "Assign"):
                        if ckey in catcher:
                            yield from _strings(state, catcher[ckey], state.ptr("Catch", index, ckey),
                                                f"Catch[{index}].{ckey}", members | {"errorOutput"})
            continue
        if key == "Retry":
            continue
        yield from _strings(state, value, state.ptr(key), key, members)


def _strings(state: State, value: Any, pointer: str, field: str, members: frozenset[str]) -> Iterator[Site]:
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, str):
            if "{%" in node or "%}" in node:
                yield Site(state, ptr, node, "jsonata", field, states_members=members)
        elif isinstance(node, dict):
            for k, v in reversed(list(node.items())):
                if k not in ("Comment",):
                    stack.append((v, f"{ptr}/{escape(k)}"))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                stack.append((node[i], f"{ptr}/{i}"))


def payload_entries(template: Any, pointer: str) -> Iterator[tuple[str, str, Any, str]]:
    """(key, pointer of the member, value, pointer of the containing object) for every member of a
    payload template at any depth (arrays included)."""
    stack: list[tuple[Any, str]] = [(template, pointer)]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                member = f"{ptr}/{escape(key)}"
                yield key, member, value, ptr
                if isinstance(value, (dict, list)):
                    stack.append((value, member))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, (dict, list)):
                    stack.append((value, f"{ptr}/{index}"))


def all_sites(machine: StateMachine) -> Iterator[Site]:
    for state in machine.states:
        if state.jsonata:
            yield from jsonata_sites(state)
        else:
            yield from jsonpath_sites(state)
