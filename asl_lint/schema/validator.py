"""Validate a whole definition, one object at a time, with the schema's per-kind definitions.

The model gives every state (nested ones included) its own pointer, so each state is validated
against the definition for its ``Type`` alone: errors are specific ("Task state 'X' is missing the
required field 'Resource'") instead of a failed ``oneOf``. Choice rules are dispatched the same
way (comparison, And/Or/Not, JSONata Condition).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from asl_lint._lazy import lazy_compile
from asl_lint.model.machine import STATE_TYPES, State, StateMachine
from asl_lint.schema.loader import definition, validator_for
from asl_lint.schema.messages import SchemaProblem, Subject, render, suggest, translate
from asl_lint.schema.variables import assigned, name_problem

Unknown = Callable[[Any], bool]
RULE_META = ("Variable", "Next", "Comment", "Assign", "Output")
COMBINATORS = ("And", "Or", "Not")
_JSONATA = re.compile(r"^\{%[\s\S]*%\}$")
_RFC3339 = lazy_compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$")
_LAMBDA = re.compile(r"^arn:[^:]+:lambda:[^:]*:[^:]*:function:(.*)$")
_LAMBDA_NAME = lazy_compile(r"^[A-Za-z0-9_-]{1,64}$")
_LAMBDA_QUALIFIER = lazy_compile(r"^(\$LATEST|[0-9]+|[A-Za-z0-9_-]{1,128})$")
_DYNAMODB = re.compile(r"^arn:([^:]+):states:::dynamodb:([A-Za-z]+)$")
# The optimized DynamoDB integration has exactly these; everything else goes through aws-sdk.
DYNAMODB_OPTIMIZED = ("getItem", "putItem", "updateItem", "deleteItem")


def is_jsonata(value: Any) -> bool:
    return isinstance(value, str) and _JSONATA.match(value) is not None


def is_cfn_intrinsic(value: Any) -> bool:
    """A CloudFormation function (``{"Ref": ...}``, ``{"Fn::GetAtt": ...}``), resolved at deploy time."""
    return (
        isinstance(value, dict)
        and len(value) == 1
        and (next(iter(value)) == "Ref" or next(iter(value)).startswith("Fn::"))
    )


@cache
def comparison_operators() -> tuple[str, ...]:
    return tuple(name for name in definition("comparisonRule")["properties"] if name not in RULE_META)


@cache
def fields_by_type() -> dict[str, list[str]]:
    """For each field name, the state types that accept it (for 'only Task states have it')."""
    owners: dict[str, list[str]] = {}
    for state_type in STATE_TYPES:
        for name in definition(state_type)["properties"]:
            owners.setdefault(name, []).append(state_type)
    return owners


def validate_definition(machine: StateMachine, unknown: Unknown) -> list[SchemaProblem]:
    """Every structural problem of the definition, in document order of the objects."""
    raw = machine.raw
    if not isinstance(raw, dict):
        return [
            SchemaProblem(
                "",
                f"A state machine definition must be a JSON object with StartAt and States, "
                f"got {render(raw)}",
            )
        ]
    problems = list(_run("machine", raw, Subject("", "the state machine", "root"), unknown))
    for state in machine.states:
        problems.extend(validate_state(state, unknown))
    problems.extend(_duplicate_labels(machine, unknown))
    return problems


def _duplicate_labels(machine: StateMachine, unknown: Unknown) -> Iterator[SchemaProblem]:
    """AWS rejects two Map states with the same Label (DUPLICATE_LABEL_NAME)."""
    seen: dict[str, State] = {}
    for state in machine.iter_states("Map"):
        label = state.raw.get("Label")
        if not isinstance(label, str) or not label or unknown(label):
            continue
        first = seen.setdefault(label, state)
        if first is not state:
            yield SchemaProblem(
                state.ptr("Label"),
                f"Label {render(label)} is already used by Map state '{first.name}'; every Map Label must be "
                "unique in the state machine",
            )


# Problems of each state object: the language server re-parses only the part of a document an edit
# touched, so every other state is the very object it was in the previous lint. Keyed by identity
# (the entry holds the object, so the id stays its own) and by what the problems depend on besides.
_STATE_CACHE: dict[tuple[int, str, str, bool, int], tuple[Any, tuple[SchemaProblem, ...]]] = {}
_STATE_CACHE_SIZE = 4096


def validate_state(state: State, unknown: Unknown) -> Iterator[SchemaProblem]:
    key = (id(state.raw), state.pointer, state.name, state.jsonata, id(unknown))
    hit = _STATE_CACHE.get(key)
    if hit is not None and hit[0] is state.raw:
        yield from hit[1]
        return
    problems = tuple(_validate_state(state, unknown))
    if len(_STATE_CACHE) >= _STATE_CACHE_SIZE:
        _STATE_CACHE.clear()
    _STATE_CACHE[key] = (state.raw, problems)
    yield from problems


def _validate_state(state: State, unknown: Unknown) -> Iterator[SchemaProblem]:
    raw = state.raw
    if "Type" not in raw:
        yield SchemaProblem(
            state.pointer, f"State '{state.name}' is missing the required field 'Type'", "key"
        )
        return
    state_type = raw["Type"]
    if state_type not in STATE_TYPES:
        if not unknown(state_type):
            message = f"'Type' must be one of {', '.join(STATE_TYPES)}; got {render(state_type)}"
            guess = suggest(state_type, STATE_TYPES) if isinstance(state_type, str) else None
            if guess is not None:
                message += f" — did you mean '{guess}'?"
            yield SchemaProblem(state.ptr("Type"), message)
        return  # the fields of an unknown type cannot be judged
    subject = Subject(state.pointer, f"{state_type} state '{state.name}'", "state", state_type)
    yield from _run(state_type, raw, subject, unknown)
    yield from _values(state, unknown)
    if state_type == "Choice":
        choices = raw.get("Choices")
        if isinstance(choices, list):
            for index, rule in enumerate(choices):
                if isinstance(rule, dict):
                    yield from _choice_rule(state, rule, [index], True, unknown)


# Schema results per (schema, object, subject): the language server re-lints after every edit, and
# most states did not change. Bounded so a long session cannot grow it without limit.
_RUN_CACHE: dict[tuple[str, str, Subject, int], tuple[SchemaProblem, ...]] = {}
_RUN_CACHE_SIZE = 8192


def _run(name: str, instance: Any, subject: Subject, unknown: Unknown) -> Iterator[SchemaProblem]:
    import json

    from asl_lint.schema.compiled import clean

    if clean(name, instance, unknown):
        return  # certainly nothing to report: jsonschema is not needed
    try:
        key = (name, json.dumps(instance, sort_keys=True), subject, id(unknown))
    except (TypeError, ValueError):
        yield from _run_uncached(name, instance, subject, unknown)
        return
    cached = _RUN_CACHE.get(key)
    if cached is None:
        cached = tuple(_run_uncached(name, instance, subject, unknown))
        if len(_RUN_CACHE) >= _RUN_CACHE_SIZE:
            _RUN_CACHE.clear()
        _RUN_CACHE[key] = cached
    yield from cached


def _run_uncached(name: str, instance: Any, subject: Subject, unknown: Unknown) -> Iterator[SchemaProblem]:
    from asl_lint.schema.errors import Unsupported, schema_errors

    owners = fields_by_type()
    try:
        found: list[Any] = schema_errors(name, instance)  # jsonschema's errors, without its import
    except (Unsupported, RecursionError):
        found = list(validator_for(name).iter_errors(instance))
    errors = sorted(found, key=lambda e: [str(t) for t in e.absolute_path])
    for error in errors:
        # Retriers take no JSONata: an expression there is a wrong value like any other.
        expressions = not (error.absolute_path and error.absolute_path[0] == "Retry")
        if _tolerated(error.instance, error.validator, unknown, expressions):
            continue
        yield from translate(error, subject, owners)


def _tolerated(value: Any, keyword: str, unknown: Unknown, expressions: bool = True) -> bool:
    """Values that pass any value check: placeholders, CloudFormation functions, JSONata expressions.

    A JSONata expression where a number is expected is fine in a JSONata state; in a JSONPath
    state ASL004 reports it (so ASL003 must not report it as well).
    """
    if keyword in ("additionalProperties", "required", "x-exclusive", "x-one-required", "x-any-required"):
        return False
    return unknown(value) or is_cfn_intrinsic(value) or (expressions and is_jsonata(value))


def _values(state: State, unknown: Unknown) -> Iterator[SchemaProblem]:
    """Value formats the schema cannot say well: Wait timestamps, variable names, Task resources."""
    raw = state.raw
    timestamp = raw.get("Timestamp")
    literal = isinstance(timestamp, str) and not _tolerated(timestamp, "format", unknown)
    if state.type == "Wait" and literal and not valid_timestamp(str(timestamp)):
        yield SchemaProblem(
            state.ptr("Timestamp"),
            f"'Timestamp' must be an RFC 3339 timestamp like '2026-01-31T23:59:00Z' (uppercase T, "
            f"and Z or a numeric offset), got {render(timestamp)}",
        )
    for item in assigned(state):
        problem = name_problem(item)
        if problem is not None and not (state.jsonata and item.key.endswith(".$")):
            yield SchemaProblem(item.pointer, problem, "key")
    if state.type == "Map":
        yield from _reader_combinations(state)
    resource = raw.get("Resource")
    if state.type == "Task" and isinstance(resource, str) and not _tolerated(resource, "format", unknown):
        problem = resource_problem(resource)
        if problem is not None:
            yield SchemaProblem(state.ptr("Resource"), problem)


def _reader_combinations(state: State) -> Iterator[SchemaProblem]:
    """ItemReader settings that exclude each other (reference §11)."""
    reader = state.raw.get("ItemReader")
    config = reader.get("ReaderConfig") if isinstance(reader, dict) else None
    if not isinstance(reader, dict) or not isinstance(config, dict):
        return
    if config.get("ManifestType") == "S3_INVENTORY" and "InputType" in config:
        yield SchemaProblem(
            state.ptr("ItemReader", "ReaderConfig", "InputType"),
            "'InputType' cannot be set with \"ManifestType\": \"S3_INVENTORY\" (the inventory manifest sets the "
            "format); remove it",
            "key",
        )
    if config.get("InputType") == "PARQUET":
        for field in ("Parameters", "Arguments"):
            request = reader.get(field)
            if isinstance(request, dict) and "VersionId" in request:
                yield SchemaProblem(
                    state.ptr("ItemReader", field, "VersionId"),
                    "'VersionId' is not supported with \"InputType\": \"PARQUET\"; read the current object "
                    "version or use another input type",
                    "key",
                )


def valid_timestamp(text: str) -> bool:
    match = _RFC3339.match(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    try:
        from datetime import datetime

        datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return False
    offset_hours = match.group(9)
    return offset_hours is None or (int(offset_hours) <= 23 and int(match.group(10)) <= 59)


def resource_problem(resource: str) -> str | None:
    if not resource.startswith("arn:") or resource.count(":") < 5:
        return f"'Resource' must be an ARN such as 'arn:aws:states:::lambda:invoke', got {render(resource)}"
    dynamodb = _DYNAMODB.match(resource)
    if dynamodb is not None and dynamodb.group(2) not in DYNAMODB_OPTIMIZED:
        return (
            f"The resource provided {resource} is not recognized: the optimized DynamoDB integration has "
            "only "
            f"{', '.join(DYNAMODB_OPTIMIZED)}; use 'arn:{dynamodb.group(1)}:states:::aws-sdk:dynamodb:"
            f"{dynamodb.group(2)}' for other actions"
        )
    match = _LAMBDA.match(resource)
    if match is None:
        return None
    parts = match.group(1).split(":")
    if not _LAMBDA_NAME.match(parts[0]) or len(parts) > 2:
        return (
            f"'Resource' is not a valid Lambda function ARN: expected "
            f"arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>], got {render(resource)}"
        )
    if len(parts) == 2 and not _LAMBDA_QUALIFIER.match(parts[1]):
        return (
            f"'Resource' has an invalid Lambda qualifier {render(parts[1])}: a version number, $LATEST, or "
            "an alias of letters, digits, '-' and '_'"
        )
    return None


# --- Choice rules --------------------------------------------------------------------------------
def rule_kind(rule: dict[str, Any]) -> str:
    """'condition' (JSONata), 'combinator' (And/Or/Not) or 'comparison' (Variable + operator)."""
    if "Condition" in rule:
        return "condition"
    if any(name in rule for name in COMBINATORS):
        return "combinator"
    return "comparison"


def _choice_rule(
    state: State, rule: dict[str, Any], tokens: list[str | int], top: bool, unknown: Unknown
) -> Iterator[SchemaProblem]:
    pointer = state.ptr("Choices", *tokens)
    prefix = "Choices" + "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in tokens)
    subject = Subject(pointer, f"{prefix} of Choice state '{state.name}'", "part", "Choice")
    kind = rule_kind(rule)
    # A rule of the other query language is ASL004's finding; judging its shape here would repeat it.
    if (kind == "condition") != state.jsonata:
        return
    yield from _run(f"{kind}Rule", rule, subject, unknown)
    if kind != "condition":
        if top and "Next" not in rule:
            yield SchemaProblem(
                pointer,
                f"{subject.name[:1].upper()}{subject.name[1:]} is missing the required field 'Next'",
                "key",
            )
        if not top and "Next" in rule:
            yield SchemaProblem(
                f"{pointer}/Next",
                f"Field 'Next' is not allowed in {subject.name}: only top-level "
                "Choice rules transition, rules inside And, Or and Not do not",
                "key",
            )
    if kind == "comparison":
        operators = [name for name in rule if name in comparison_operators()]
        if not operators:
            yield SchemaProblem(
                pointer,
                f"{subject.name[:1].upper()}{subject.name[1:]} has no comparison operator; "
                "add exactly one, such as StringEquals, NumericGreaterThan or IsPresent",
                "key",
            )
        elif len(operators) > 1:
            listed = ", ".join(f"'{o}'" for o in operators)
            yield SchemaProblem(
                f"{pointer}/{operators[1]}",
                f"{subject.name[:1].upper()}{subject.name[1:]} has {len(operators)} comparison "
                f"operators ({listed}); a rule takes exactly one: combine rules with And or Or",
                "key",
            )
    elif kind == "combinator":
        for name in ("And", "Or"):
            members = rule.get(name)
            if isinstance(members, list):
                for index, member in enumerate(members):
                    if isinstance(member, dict):
                        yield from _choice_rule(state, member, [*tokens, name, index], False, unknown)
        negated = rule.get("Not")
        if isinstance(negated, dict):
            yield from _choice_rule(state, negated, [*tokens, "Not"], False, unknown)
