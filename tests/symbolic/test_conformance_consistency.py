"""Nothing the symbolic analysis claims may contradict a run AWS recorded
(../shared/conformance/execution): the abstract input of every visited state must admit the
concrete one, a state reported to always fail must not have run in a successful execution, and a
rule reported never taken must not be the one the concrete evaluator took."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.eval import execution
from asl_lint.eval.api import run_execution
from asl_lint.graph.build import build_graphs
from asl_lint.model import build_model
from asl_lint.symbolic.domain import NOCONST, AVal, type_of
from asl_lint.symbolic.flow import analyse
from asl_lint.symbolic.witness import jsonata_outcome, jsonpath_outcome
from tests.conftest import shared_path
from tests.eval.conformance import load_cases
from tests.helpers import lint


def admits(abstract: AVal, value: Any, depth: int = 0) -> bool:
    """Whether the concrete ``value`` is one of those ``abstract`` stands for."""
    if depth > 10:
        return True
    if type_of(value) not in abstract.types:
        return False
    if abstract.const is not NOCONST and len(abstract.types) == 1 and value != abstract.const:
        return False
    if abstract.options is not None and not isinstance(value, dict | list) and value not in abstract.options:
        return False
    if isinstance(value, dict) and abstract.only("object"):
        for key, member in abstract.members.items():
            if member.presence == "yes" and key not in value:
                return False
            if member.presence == "no" and key in value:
                return False
            if key in value and member.presence != "no" and not admits(member.value, value[key], depth + 1):
                return False
        if abstract.closed and set(value) - set(abstract.members):
            return False
    if isinstance(value, list) and abstract.only("array") and abstract.items is not None:
        if len(value) != len(abstract.items):
            return False
        return all(admits(a, v, depth + 1) for a, v in zip(abstract.items, value, strict=True))
    return True


def _record(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    visits: list[tuple[str, Any]] = []
    original = execution.run_state

    def spy(name: str, state: dict[str, Any], raw: Any, *args: Any, **kwargs: Any) -> Any:
        visits.append((name, raw))
        return original(name, state, raw, *args, **kwargs)

    monkeypatch.setattr(execution, "run_state", spy)
    return visits


def test_no_claim_contradicts_a_recorded_run(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = load_cases(shared_path("conformance", "execution"))
    visits = _record(monkeypatch)
    problems: list[str] = []
    checked = 0
    for case in cases:
        definition = case["definition"]
        if not isinstance(definition, dict):
            continue
        visits.clear()
        result = run_execution(definition, case.get("input"))
        if result["status"] != case["expected"]["status"]:
            continue  # the evaluator disagrees with AWS here: nothing to compare against
        machine = build_model(definition)
        flow = analyse(machine, build_graphs(machine))
        by_name: dict[str, list[Any]] = {}
        for state in machine.states:
            by_name.setdefault(state.name, []).append(state)
        diags = [d for d in lint(definition) if d.code.startswith("ASL7")]
        for name, raw in visits:
            states = by_name.get(name, [])
            checked += 1
            inputs = [flow.inputs.get(s.pointer) for s in states]
            if states and all(v is not None and not admits(v, raw) for v in inputs):
                problems.append(f"{case['id']}: abstract input of {name!r} does not admit {raw!r}")
            for state in states:
                if state.type != "Choice" or state.raw.get("InputPath", "$") != "$":
                    continue
                rules = state.raw.get("Choices") or []
                taken = jsonata_outcome(rules, raw) if state.jsonata else jsonpath_outcome(rules, raw)
                for d in diags:
                    if isinstance(taken, int) and d.code in ("ASL701", "ASL702") and \
                            d.pointer == f"{state.pointer}/Choices/{taken}":
                        problems.append(f"{case['id']}: {d.code} on the rule the run took")
                    if d.code == "ASL703" and d.state == name and taken is None and result["status"] == "SUCCEEDED":
                        problems.append(f"{case['id']}: run succeeded without a match?")
            if result["status"] == "SUCCEEDED":
                for d in diags:
                    if d.state == name and d.code in ("ASL705", "ASL706") and d.severity.value == "error":
                        problems.append(f"{case['id']}: {d.code} error on {name!r}, which ran successfully")
    assert checked > 500
    assert problems == []
