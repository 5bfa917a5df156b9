"""ASL004: fields and expressions of the other query language.

Every state type's schema lists the fields of both languages, so a field of the wrong language
is reported here (once), never as an unknown field by the schema rule. A field a state type
never has (``Result`` on a Task) stays the schema rule's finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from asl_lint.model.machine import State, StateMachine
from asl_lint.schema.loader import definition
from asl_lint.schema.messages import SchemaProblem, quote_list
from asl_lint.schema.validator import COMBINATORS, comparison_operators, is_jsonata, rule_kind

JSONPATH_FIELDS = (
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Result",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
    "ErrorPath",
    "CausePath",
)
JSONATA_FIELDS = ("Arguments", "Output", "Items")
# Fields of nested objects, by the object's field name on the state.
NESTED_JSONPATH = {
    "ItemReader": ("Parameters",),
    "ResultWriter": ("Parameters",),
    "ItemBatcher": ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"),
}
NESTED_JSONATA = {"ItemReader": ("Arguments",), "ResultWriter": ("Arguments",)}
NESTED_SCOPES = ("Branches", "ItemProcessor", "Iterator")
DOWNGRADE = "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"


def language_problems(machine: StateMachine) -> list[SchemaProblem]:
    problems: list[SchemaProblem] = []
    for state in machine.states:
        problems.extend(_state(machine, state))
    return problems


def _state(machine: StateMachine, state: State) -> Iterator[SchemaProblem]:
    raw = state.raw
    if (
        raw.get("QueryLanguage") == "JSONPath"
        and machine.query_language == "JSONata"
        and not _in_distributed_child(state)
    ):
        yield SchemaProblem(
            state.ptr("QueryLanguage"),
            f'{DOWNGRADE}: remove "QueryLanguage": "JSONPath" from state \'{state.name}\' and write it in JSONata',
        )
    try:
        allowed = definition(state.type or "")["properties"]
    except KeyError:
        return  # unknown Type: the schema rule reports it
    flagged: set[str] = set()
    wrong = JSONPATH_FIELDS if state.jsonata else JSONATA_FIELDS
    for name in raw:
        if name in wrong and name in allowed:
            flagged.add(name)
            yield SchemaProblem(state.ptr(name), _field_message(state, name), "key")
    nested = NESTED_JSONPATH if state.jsonata else NESTED_JSONATA
    for owner, names in nested.items():
        holder = raw.get(owner)
        if isinstance(holder, dict):
            for name in names:
                if name in holder:
                    yield SchemaProblem(state.ptr(owner, name), _field_message(state, f"{owner}.{name}"), "key")
        reader_config = holder.get("ReaderConfig") if owner == "ItemReader" and isinstance(holder, dict) else None
        if state.jsonata and isinstance(reader_config, dict) and "MaxItemsPath" in reader_config:
            yield SchemaProblem(
                state.ptr(owner, "ReaderConfig", "MaxItemsPath"),
                _field_message(state, "ItemReader.ReaderConfig.MaxItemsPath"),
                "key",
            )
    for index, catcher in state.catchers:
        field = "ResultPath" if state.jsonata else "Output"
        if field in catcher:
            yield SchemaProblem(
                state.ptr("Catch", index, field), _field_message(state, f"Catch[{index}].{field}"), "key"
            )
    if state.type == "Choice":
        yield from _choice_rules(state)
    if not state.jsonata:
        yield from _typed_expressions(state, flagged)


def _in_distributed_child(state: State) -> bool:
    """A state inside a Distributed Map's processor runs as its own child workflow."""
    scope = state.scope
    while scope.owner is not None:
        if scope.distributed:
            return True
        scope = scope.owner.scope
    return False


def _field_message(state: State, field: str) -> str:
    if state.jsonata:
        return (
            f"'{field}' is a JSONPath field, but state '{state.name}' uses JSONata; "
            f"{_jsonata_hint(field.rsplit('.', 1)[-1], field.startswith('Catch['))}"
        )
    return (
        f"'{field}' is a JSONata field, but state '{state.name}' uses JSONPath; add \"QueryLanguage\": "
        f'"JSONata" to the state (or the top level), or {_jsonpath_hint(field)}'
    )


def _jsonata_hint(field: str, catcher: bool = False) -> str:
    if catcher:
        return "shape the error with 'Output' ($states.errorOutput) or keep it with 'Assign' instead"
    hints = {
        "Parameters": "use 'Arguments' instead",
        "ResultSelector": "shape the result in 'Output' instead",
        "ResultPath": "combine input and result in 'Output' (or store it with 'Assign') instead",
        "OutputPath": "use 'Output' instead",
        "InputPath": "read from $states.input in the expressions instead",
        "Result": "use 'Output' instead",
        "ItemsPath": "use 'Items' instead",
    }
    if field in hints:
        return hints[field]
    if field.endswith("Path"):
        return f"set '{field[:-4]}' to a {{% ... %}} expression instead"
    return "use the JSONata fields instead"


def _jsonpath_hint(field: str) -> str:
    if field.startswith("Choices["):
        return "remove it (a JSONPath Choice rule passes the state input on)"
    return {
        "Arguments": "use 'Parameters' instead",
        "Output": "use 'OutputPath'/'ResultSelector' instead",
        "Items": "use 'ItemsPath' instead",
    }.get(field.rsplit(".", 1)[-1], "use the JSONPath fields instead")


def _choice_rules(state: State) -> Iterator[SchemaProblem]:
    choices = state.raw.get("Choices")
    if not isinstance(choices, list):
        return
    for index, rule in enumerate(choices):
        if not isinstance(rule, dict):
            continue
        kind = rule_kind(rule)
        if state.jsonata and kind != "condition":
            first = next((n for n in rule if n in comparison_operators() or n in COMBINATORS or n == "Variable"), None)
            if first is not None:
                yield SchemaProblem(
                    state.ptr("Choices", index, first),
                    f"Choices[{index}] of state '{state.name}' is a JSONPath rule ('{first}'), but the state "
                    'uses JSONata; write the rule as "Condition": "{% ... %}"',
                    "key",
                )
        elif not state.jsonata and "Output" in rule and kind != "condition":
            yield SchemaProblem(
                state.ptr("Choices", index, "Output"), _field_message(state, f"Choices[{index}].Output"), "key"
            )
        if not state.jsonata and kind == "condition":
            others = [n for n in rule if n in comparison_operators() or n in COMBINATORS or n == "Variable"]
            extra = f" and remove {quote_list(others, 'and')}" if others else ""
            yield SchemaProblem(
                state.ptr("Choices", index, "Condition"),
                f"'Condition' is a JSONata field, but state '{state.name}' uses JSONPath; add "
                f'"QueryLanguage": "JSONata" to the state (or the top level){extra}, or compare with '
                "Variable and an operator",
                "key",
            )


def _typed_expressions(state: State, flagged: set[str]) -> Iterator[SchemaProblem]:
    """``{% %}`` where a JSONPath state needs a number, boolean or timestamp.

    In payloads (Parameters, Result, Assign, ...) AWS keeps such a string literally (observed), so
    only fields whose value must be of another type are reported.
    """
    holders: list[tuple[list[str | int], Any, str]] = [([], state.raw, state.type or "")]
    for owner, kind in (("ItemBatcher", "itemBatcher"), ("ItemReader", "itemReader")):
        holder = state.raw.get(owner)
        if isinstance(holder, dict):
            holders.append(([owner], holder, kind))
            config = holder.get("ReaderConfig")
            if owner == "ItemReader" and isinstance(config, dict):
                holders.append(([owner, "ReaderConfig"], config, "readerConfig"))
    for tokens, holder, kind in holders:
        properties = definition(kind).get("properties", {}) if kind else {}
        for name, value in holder.items():
            if not is_jsonata(value) or (not tokens and name in flagged) or name not in properties:
                continue
            if name == "Timestamp" or "string" not in _types(properties[name]):
                yield SchemaProblem(
                    state.ptr(*tokens, name),
                    f"{_show([*tokens, name])} is a JSONata expression, but state '{state.name}' uses "
                    'JSONPath, where it is not evaluated; add "QueryLanguage": "JSONata" to the state (or '
                    "the top level)",
                )


def _types(schema: dict[str, Any]) -> list[str]:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema = definition(ref.rsplit("/", 1)[-1])
    declared = schema.get("type", [])
    return declared if isinstance(declared, list) else [declared]


def _show(tokens: list[str | int]) -> str:
    out = ""
    for token in tokens:
        out = f"{out}[{token}]" if isinstance(token, int) else (f"{out}.{token}" if out else token)
    return f"The value of '{out}'"
