"""The compiled "no schema problem here" (asl_lint.schema.compiled) agrees exactly with jsonschema
plus asl-lint's tolerance, on every object of the corpus and on generated objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asl_lint.model import build_model
from asl_lint.schema.compiled import clean, compiles
from asl_lint.schema.loader import schema, validator_for
from asl_lint.schema.validator import _tolerated, rule_kind
from asl_lint.sources.base import is_unknown
from tests.conftest import shared_path


def reference(name: str, instance: Any) -> bool:
    """What validator._run_uncached keeps: no jsonschema error that the tolerance does not drop."""
    for error in validator_for(name).iter_errors(instance):
        expressions = not (error.absolute_path and error.absolute_path[0] == "Retry")
        if not _tolerated(error.instance, error.validator, is_unknown, expressions):
            return False
    return True


def test_every_definition_compiles() -> None:
    assert [name for name in schema()["$defs"] if not compiles(name)] == []


def _objects(definition: Any) -> list[tuple[str, Any]]:
    """(schema definition, object) as validator.validate_definition asks them."""
    found: list[tuple[str, Any]] = [("machine", definition)]
    if not isinstance(definition, dict):
        return found
    machine = build_model(definition)
    for state in machine.states:
        if state.type in schema()["$defs"]:
            found.append((state.type, state.raw))
        choices = state.raw.get("Choices") if state.type == "Choice" else None
        stack = [r for r in choices if isinstance(r, dict)] if isinstance(choices, list) else []
        while stack:
            rule = stack.pop()
            found.append((f"{rule_kind(rule)}Rule", rule))
            for key in ("And", "Or"):
                if isinstance(rule.get(key), list):
                    stack += [r for r in rule[key] if isinstance(r, dict)]
            if isinstance(rule.get("Not"), dict):
                stack.append(rule["Not"])
    return found


def _corpus_definitions() -> list[Any]:
    """Every definition the linter finds in the corpus: standalone files, templates, projects."""
    from asl_lint.engine.runner import decode, detect_format, parse_text
    from asl_lint.sources import locate

    out = []
    for path in sorted(shared_path("corpus").rglob("*")):
        if not path.is_file() or path.suffix not in (".json", ".yaml", ".yml", ".asl"):
            continue
        text, _, unreadable = decode(path.read_bytes())
        parsed = None if unreadable else parse_text(text, detect_format(str(path), text))
        if parsed is None or parsed.fatal:
            continue
        try:
            out += [located.definition for located in locate(parsed, path, text).definitions]
        except Exception:  # a locate crash is the locator's own test's business
            continue
    return out


def test_agrees_with_jsonschema_on_the_corpus() -> None:
    checked = disagree = 0
    for definition in _corpus_definitions():
        for name, instance in _objects(definition):
            checked += 1
            if clean(name, instance, is_unknown) != reference(name, instance):
                disagree += 1
    assert checked > 3000
    assert disagree == 0


def _rule_example_objects() -> list[tuple[str, str, Any]]:
    """(rule code, schema definition, object) of the bad and fixed examples of every rule document
    (many of them schema problems on purpose)."""
    from asl_lint.engine.metadata import all_rules
    from asl_lint.engine.runner import parse_text
    from asl_lint.sources import locate

    out = []
    for meta in all_rules().values():
        for section in ("Example", "Fixed example"):
            for language, text in meta.examples(section):
                parsed = parse_text(text, "yaml" if language == "yaml" else "json")
                if parsed.fatal:
                    continue
                for located in locate(parsed, Path(f"{meta.code}.asl.{language}"), text).definitions:
                    out += [(meta.code, name, instance) for name, instance in _objects(located.definition)]
    return out


def test_agrees_on_the_rule_examples() -> None:
    examples = _rule_example_objects()
    assert len(examples) > 200
    for code, name, instance in examples:
        assert clean(name, instance, is_unknown) == reference(name, instance), (code, instance)


_FIELDS = sorted({field for d in schema()["$defs"].values() if isinstance(d, dict)
                  for field in d.get("properties", {})} | {"Extra", "Fn::Sub"})
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 100_000_001), st.sampled_from([0.0, 1.0, 2.5, -1.5, 1e9]),
    st.sampled_from(["", "x", "Task", "JSONata", "DISTRIBUTED", "GIVEN", "${Arn}", "{% $x %}", "$.a",
                     "arn:aws:states:::s3:getObject", "arn:aws:lambda:us-east-1:1:function:f", "States.ALL"]),
)


def _values(depth: int) -> Any:
    if depth == 0:
        return _SCALARS
    inner = _values(depth - 1)
    return st.one_of(
        _SCALARS,
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_FIELDS), inner, max_size=4),
        st.builds(lambda v: {"Ref": v}, _SCALARS),
    )


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from(sorted(schema()["$defs"])), instance=_values(3))
def test_agrees_on_generated_objects(name: str, instance: Any) -> None:
    assert clean(name, instance, is_unknown) == reference(name, instance)


@pytest.mark.parametrize("value", [__import__("datetime").date(2026, 1, 1), (1, 2), {1: "x"}])
def test_values_jsonschema_knows_better_are_left_to_it(value: Any) -> None:
    # A YAML date, a tuple, a non-string key: never "clean" without asking jsonschema.
    assert clean("Wait", {"Type": "Wait", "Timestamp": value, "Next": "x"}, is_unknown) is False or \
        reference("Wait", {"Type": "Wait", "Timestamp": value, "Next": "x"})
