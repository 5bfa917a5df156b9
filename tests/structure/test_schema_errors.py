"""asl_lint.schema.errors gives jsonschema's errors (keyword, its value, the value at fault, the
schema object, the path; in jsonschema's order) for asl-lint's schema: on every object of the
corpus, on broken variants of them, on the rule examples and on generated objects."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asl_lint.schema.errors import Unsupported, Violation, schema_errors
from asl_lint.schema.loader import schema, validator_for
from tests.structure.test_compiled_schema import _corpus_definitions, _objects, _rule_example_objects, _values

_BROKEN = [None, True, 0, -1, 1.5, 100_000_001, "", "x", "{% $x %}", "${Arn}", "$.a", [], ["x"], {}, {"Extra": 1},
           {"Fn::Sub": "x"}]


def _signature(errors: list[Any]) -> list[tuple[Any, ...]]:
    """As ``validator._run_uncached`` uses them: sorted by path, then what ``translate`` reads."""
    ordered = sorted(errors, key=lambda e: [str(t) for t in e.absolute_path])
    return [(e.validator, repr(e.validator_value), repr(e.instance), e.schema, list(e.absolute_path))
            for e in ordered]


def _same(name: str, instance: Any) -> bool:
    return _signature(schema_errors(name, instance)) == _signature(list(validator_for(name).iter_errors(instance)))


def _variants(instance: Any) -> list[Any]:
    """The object with one field removed, or set to a wrong value, or one field added."""
    if not isinstance(instance, dict):
        return []
    out: list[Any] = [{**instance, "Extra": 1}]
    for key in instance:
        out.append({k: v for k, v in instance.items() if k != key})
        out += [{**instance, key: value} for value in _BROKEN]
        inner = instance[key]
        if isinstance(inner, dict) and inner:
            first = next(iter(inner))
            out += [{**instance, key: {**inner, first: value}} for value in _BROKEN[::3]]
        if isinstance(inner, list) and inner and isinstance(inner[0], dict):
            out += [{**instance, key: [{**inner[0], "Extra": value}, *inner[1:]]} for value in _BROKEN[::5]]
    return out


@pytest.fixture(scope="module")
def corpus_objects() -> list[tuple[str, Any]]:
    return [found for definition in _corpus_definitions() for found in _objects(definition)]


def test_the_same_errors_on_the_corpus(corpus_objects: list[tuple[str, Any]]) -> None:
    assert len(corpus_objects) > 3000
    assert [(name, instance) for name, instance in corpus_objects if not _same(name, instance)] == []


def test_the_same_errors_on_broken_variants_of_the_corpus(corpus_objects: list[tuple[str, Any]]) -> None:
    checked, failing = 0, []
    for name, instance in corpus_objects[::7]:
        for variant in _variants(copy.deepcopy(instance)):
            checked += 1
            errors = schema_errors(name, variant)
            if not _same(name, variant):
                failing.append((name, variant))
            elif errors:
                assert all(isinstance(e, Violation) for e in errors)
    assert checked > 5000
    assert failing == []


def test_the_same_errors_on_the_rule_examples() -> None:
    examples = _rule_example_objects()
    assert len(examples) > 200
    for code, name, instance in examples:
        assert _same(name, instance), (code, name, instance)


@settings(max_examples=400, deadline=None)
@given(name=st.sampled_from(sorted(schema()["$defs"])), instance=_values(3))
def test_the_same_errors_on_generated_objects(name: str, instance: Any) -> None:
    assert _same(name, instance)


def test_what_it_does_not_judge_is_left_to_jsonschema() -> None:
    import datetime

    with pytest.raises(Unsupported):  # a YAML date is not a JSON value
        schema_errors("Wait", {"Type": "Wait", "Timestamp": datetime.date(2026, 1, 1), "Next": "x", "Extra": 1})


def test_a_run_with_a_schema_problem_does_not_import_jsonschema() -> None:
    import subprocess
    import sys

    code = ("import sys; from asl_lint import lint_text\n"
            "found = lint_text('{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true, "
            "\"Extra\": 1}}}', 'a.asl.json')\n"
            "print(sorted({d.code for d in found}), 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")[0]
    assert out == "['ASL003'] False"
