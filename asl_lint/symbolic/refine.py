"""What a JSONPath Choice branch knows: its rule held and every earlier rule was false (without a
run-time error). Facts kept in the data itself: IsPresent, Is*, the type a comparison needs, and
the values an equality (or an Or of equalities) allows, which then survive copies of the field;
the whole conditions travel as guards (``domain.Guard``) while the data is not rewritten."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from asl_lint.model.machine import State
from asl_lint.symbolic.domain import TOP, AVal, Guard, Presence, refine, with_guards
from asl_lint.symbolic.paths import input_steps

Fact = tuple[tuple[Any, ...], Presence, frozenset[str] | None]

_TYPE_TESTS = {"IsNull": "null", "IsNumeric": "number", "IsString": "string", "IsBoolean": "boolean",
               "IsTimestamp": "string"}


def operator_of(rule: dict[str, Any]) -> str | None:
    from asl_lint.eval.choice import COMPARATORS

    return next((k for k in rule if k in COMPARATORS), None)


def family_type(operator: str) -> str | None:
    """The JSON type a comparison operator needs (None for the Is* tests)."""
    if operator.startswith(("String", "Timestamp")):
        return "string"
    if operator.startswith("Numeric"):
        return "number"
    if operator.startswith("Boolean"):
        return "boolean"
    return None


def facts_true(rule: Any) -> list[Fact]:
    if not isinstance(rule, dict):
        return []
    if isinstance(rule.get("And"), list):
        return [f for member in rule["And"] for f in facts_true(member)]
    if isinstance(rule.get("Not"), dict):
        return facts_false(rule["Not"])
    if "Or" in rule:
        return []
    operator = operator_of(rule)
    steps = input_steps(rule.get("Variable", "$"))
    if operator is None or steps is None:
        return []
    operand = rule[operator]
    if operator == "IsPresent":
        return [(steps, "yes" if operand is True else "no", None)] if isinstance(operand, bool) else []
    facts: list[Fact] = []
    if operator in _TYPE_TESTS:
        types = frozenset({_TYPE_TESTS[operator]}) if operand is True else None
        facts.append((steps, "yes", types))
        return facts
    kind = family_type(operator)
    facts.append((steps, "yes", frozenset({kind}) if kind else None))
    if operator.endswith("Path") and isinstance(operand, str):
        other = input_steps(operand)
        if other is not None:
            facts.append((other, "yes", frozenset({kind}) if kind else None))
    return facts


# Not NumericEquals: 5 and 5.0 compare equal but print differently (States.Format, JsonToString).
_EQUALS: dict[str, type] = {"StringEquals": str, "BooleanEquals": bool}


def equal_values(rule: Any) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(path, values) for every path a true rule pins to a few scalar values."""
    if not isinstance(rule, dict):
        return []
    if isinstance(rule.get("And"), list):
        return [pin for member in rule["And"] for pin in equal_values(member)]
    if isinstance(rule.get("Or"), list) and rule["Or"]:
        pins = [equal_values(member) for member in rule["Or"]]
        if any(len(p) != 1 for p in pins) or len({p[0][0] for p in pins}) != 1:
            return []
        values: list[Any] = []
        for p in pins:
            values += [v for v in p[0][1] if not any(type(v) is type(w) and v == w for w in values)]
        return [(pins[0][0][0], tuple(values))]
    operator = operator_of(rule)
    steps = input_steps(rule.get("Variable", "$"))
    if operator is None or steps is None or "Not" in rule:
        return []
    operand = rule[operator]
    if operator == "IsNull" and operand is True:
        return [(steps, (None,))]
    wanted = _EQUALS.get(operator)
    if wanted is None or not isinstance(operand, wanted):
        return []
    from asl_lint.sources.base import is_unknown

    return [] if is_unknown(operand) else [(steps, (operand,))]


def _pin(value: AVal, rule: Any) -> AVal:
    for steps, values in equal_values(rule):
        value = refine(value, steps, "yes", None, values)
    return value


def facts_false(rule: Any) -> list[Fact]:
    """Facts of a rule that evaluated to false without an error."""
    if not isinstance(rule, dict):
        return []
    if isinstance(rule.get("Or"), list):
        return [f for member in rule["Or"] for f in facts_false(member)]
    if isinstance(rule.get("Not"), dict):
        return facts_true(rule["Not"])
    if "And" in rule:
        return []
    operator = operator_of(rule)
    steps = input_steps(rule.get("Variable", "$"))
    if operator is None or steps is None:
        return []
    operand = rule[operator]
    if operator == "IsPresent":
        return [(steps, "no" if operand is True else "yes", None)] if isinstance(operand, bool) else []
    facts: list[Fact] = [(steps, "yes", None)]  # evaluated without error: the value was there
    if operator.endswith("Path") and isinstance(operand, str):
        other = input_steps(operand)
        if other is not None:
            facts.append((other, "yes", None))
    return facts


def _apply(value: AVal, facts: list[Fact]) -> AVal:
    for steps, presence, types in facts:
        value = refine(value, steps, presence, types)
    return value


def rule_paths(rule: Any) -> tuple[tuple[Any, ...], ...] | None:
    """Every path a JSONPath rule reads, or None when one is not a plain ``$``-rooted path."""
    if not isinstance(rule, dict):
        return None
    found: list[tuple[Any, ...]] = []
    for name in ("And", "Or"):
        if name in rule:
            members = rule[name]
            if not isinstance(members, list):
                return None
            for member in members:
                inner = rule_paths(member)
                if inner is None:
                    return None
                found += inner
            return tuple(found)
    if "Not" in rule:
        return rule_paths(rule["Not"])
    operator = operator_of(rule)
    if operator is None:
        return None
    texts = [rule.get("Variable", "$")] + ([rule[operator]] if operator.endswith("Path") else [])
    for text in texts:
        steps = input_steps(text) if isinstance(text, str) else None
        if steps is None:
            return None  # $$ and $variables change from state to state: no lasting fact
        found.append(steps)
    return tuple(found)


def guard(rule: Any, held: bool) -> tuple[Guard, ...]:
    paths = rule_paths(rule)
    return () if paths is None else (Guard(id(rule), held, rule, False, paths),)


def branch_values(state: State, effective: AVal | None) -> Iterator[tuple[str, AVal]]:
    """(pointer of the Next/Default field, the data on that edge) for every branch of a Choice."""
    base = effective if effective is not None else TOP
    earlier: list[Fact] = []
    passed: tuple[Guard, ...] = ()
    choices = state.raw.get("Choices")
    for index, rule in enumerate(choices if isinstance(choices, list) else []):
        if not isinstance(rule, dict):
            continue
        if isinstance(rule.get("Next"), str):
            value = _pin(_apply(base, earlier + facts_true(rule)), rule)
            yield state.ptr("Choices", index, "Next"), with_guards(value, passed + guard(rule, True))
        earlier += facts_false(rule)
        passed += guard(rule, False)
    if isinstance(state.raw.get("Default"), str):
        yield state.ptr("Default"), with_guards(_apply(base, earlier), passed)
