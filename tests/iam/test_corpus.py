"""Round trip over the shared corpus: the generated policy covers every definition exactly.

For each definition: coverage of the generated policy reports nothing (ASL501-506), and removing
any one of its statements makes at least one problem appear (``strict`` counts the rare case where
the remaining statements may still grant it, depending on values unknown statically).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from asl_lint.iam.check import coverage, overbroad
from asl_lint.iam.evaluate import PolicySet
from asl_lint.iam.generate import least_privilege_policy
from asl_lint.iam.policy import parse_policy
from asl_lint.iam.requirements import machine_requirements
from asl_lint.iam.sources import definition_for_state_machine, policies_for_state_machine, state_machine_arn
from tests.conftest import shared_path

SM = "arn:aws:states:us-east-1:123456789012:stateMachine:Corpus"


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns CloudFormation short tags into their long forms."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        return {"Fn::GetAtt": value.split(".", 1)}
    return {f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _tag)


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        return json.loads(text) if path.suffix in (".json", ".asl") else yaml.load(text, Loader=_CfnLoader)
    except (ValueError, yaml.YAMLError):
        return None


@cache
def standalone() -> list[tuple[str, dict[str, Any]]]:
    root = shared_path("corpus", "standalone")
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        doc = _load(path)
        if isinstance(doc, dict) and "StartAt" in doc and isinstance(doc.get("States"), dict):
            out.append((str(path.relative_to(root)), doc))
    return out


@cache
def templated() -> list[tuple[str, dict[str, Any], str]]:
    root = shared_path("corpus", "templates")
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        doc = _load(path)
        resources = doc.get("Resources") if isinstance(doc, dict) else None
        if not isinstance(resources, dict):
            continue
        for logical, res in resources.items():
            if isinstance(res, dict) and res.get("Type") in (
                "AWS::StepFunctions::StateMachine",
                "AWS::Serverless::StateMachine",
            ):
                out.append((str(path.relative_to(root)), doc, logical))
    return out


def _round_trip(reqs: list[Any]) -> tuple[int, int, int, list[str]]:
    """(statements, removals that made a problem, removals that made one only in strict mode, errors)."""
    doc = least_privilege_policy(reqs)
    full = PolicySet([parse_policy(doc, "generated")])
    errors = [p.message for p in coverage(reqs, full, strict=True) + overbroad(full, reqs)]
    definite = strict_only = 0
    for i in range(len(doc["Statement"])):
        rest = {**doc, "Statement": doc["Statement"][:i] + doc["Statement"][i + 1 :]}
        ps = PolicySet([parse_policy(rest, "generated")])
        if coverage(reqs, ps):
            definite += 1
        elif coverage(reqs, ps, strict=True):
            strict_only += 1
        else:
            errors.append(f"statement {doc['Statement'][i]['Sid']} can be removed")
    return len(doc["Statement"]), definite, strict_only, errors


@pytest.mark.slow
def test_round_trip_standalone_definitions() -> None:
    defs = standalone()
    assert len(defs) >= 250
    statements = definite = strict_only = 0
    failures = []
    for name, definition in defs:
        for arn in (None, SM):
            n, d, s, errors = _round_trip(machine_requirements(definition, state_machine_arn=arn))
            statements, definite, strict_only = statements + n, definite + d, strict_only + s
            failures.extend(f"{name}: {e}" for e in errors)
    assert failures == []
    assert statements == definite + strict_only
    # Only endpoints like "${Host}/flows" vs "${Host}/flows/${rest}" stay undecided without strict mode.
    assert strict_only <= statements // 100


@pytest.mark.slow
def test_round_trip_template_definitions() -> None:
    machines = templated()
    assert machines
    checked = 0
    failures = []
    for name, template, logical in machines:
        definition = definition_for_state_machine(template, logical)
        if definition is None:
            continue
        checked += 1
        reqs = machine_requirements(definition, state_machine_arn=state_machine_arn(template, logical))
        _, _, _, errors = _round_trip(reqs)
        failures.extend(f"{name}#{logical}: {e}" for e in errors)
        # Reading the template's own role never raises, whatever it holds.
        policies_for_state_machine(template, logical)
    assert checked >= 20
    assert failures == []
