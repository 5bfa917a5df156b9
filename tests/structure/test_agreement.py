"""Agreement with other judges of validity: asl-validator's test suite, AWS's recorded verdicts
(conformance/validation and conformance/execution) and the real-world corpus.

Each test prints its agreement numbers (run with ``-s``) and the disagreements it allows, with
the reason for each.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from asl_lint.config import Config
from asl_lint.diagnostics import Diagnostic
from asl_lint.engine.runner import lint_file, lint_text
from tests.conftest import shared_path

MINE = ("ASL003", "ASL004", "ASL005", "ASL006")
# Rules of the foundation (structure and graph): a valid-* file must get no error from these.
FOUNDATION = ("ASL0", "ASL1")

# asl-validator files on which asl-lint may disagree, and why: the invalid-* files whose only problem
# is a path, JSONata or intrinsic error (the expressions area, ASL2xx, decides those), and one file
# where AWS itself contradicts the suite. Every other file must agree.
OTHER_AREA = "path/JSONata/intrinsic error: the expressions area (ASL2xx)"
PEER_ALLOWED = {
    "invalid-assign.asl.json": OTHER_AREA,  # "{% 420. %}"
    "invalid-choice-state-variable.json": OTHER_AREA,  # Variable is an intrinsic, not a Reference Path
    "invalid-dupe-fields.asl.json": OTHER_AREA,  # "conflict" and "conflict.$" in one payload template
    "invalid-duplicate-fields-nested.json": OTHER_AREA,
    "invalid-duplicate-fields.json": OTHER_AREA,
    "invalid-exercise-ajv.asl.json": OTHER_AREA,  # InputPath "bug$.library.movies"
    "invalid-json-path.json": OTHER_AREA,  # ResultPath ".guid", "()", "$..."
    "invalid-json-surround-syntax-extra-spaces.json": OTHER_AREA,  # "{% \n10         %}"
    "invalid-jsonata-surround-syntax-no-close.json": OTHER_AREA,
    "invalid-jsonata-surround-syntax-no-open.json": OTHER_AREA,
    "invalid-jsonata-surround-syntax-no-spaces.json": OTHER_AREA,  # "{%10%}"
    "invalid-jsonata-syntax-arithmetic.json": OTHER_AREA,
    "invalid-jsonata-syntax-jsonpath-in-jsonata-surround.json": OTHER_AREA,
    "invalid-jsonata-syntax-mismatched-parens.json": OTHER_AREA,
    "invalid-math-add.json": OTHER_AREA,  # States.MathAdd(1,'-1')
    "invalid-payload-template.asl.json": OTHER_AREA,  # "lorem.$": "ipsum"
    "invalid-variable-result-path.json": OTHER_AREA,  # ResultPath "$foo"
    # Credentials without RoleArn: AWS rejects exactly this ("The field 'RoleArn' is required but was
    # missing", conformance/validation test_invalid_credentials_field), so asl-lint follows AWS.
    "valid-task-credentials.json": "AWS requires Credentials.RoleArn (recorded), the suite does not",
}

# Corpus files with ASL003-ASL005 errors a reviewer agrees with (the published file is not deployable as is).
CORPUS_REVIEWED = {
    # "QueryLanguage": "JSONata" sits inside States instead of the top level, so the states are JSONPath.
    "standalone/aws-samples__step-functions-workflows-collection/"
    "shared-fallback-state-jsonata__statemachine__statemachine.asl.json",
    # Custom (non-${}) template tokens replaced by the project's own code: "Items": "TOOL_NAMES_LIST".
    "standalone/guyernest__step-functions-agent/step-functions__dynamic-agent-template.json",
    "standalone/guyernest__step-functions-agent/step-functions__dynamic-sql-agent-template.json",
    # "Arguments" on a Map state: AWS's Map has Items/ItemSelector, Arguments is Task/Parallel only.
    "standalone/guyernest__step-functions-agent/step-functions__supervisor-with-agentcore.json",
}


def _errors(diags: list[Diagnostic], prefixes: tuple[str, ...] = ("ASL",)) -> list[Diagnostic]:
    return [d for d in diags if d.severity.value == "error" and d.code.startswith(prefixes)]


def _lint_definition(definition: Any, machine_type: str | None = None) -> list[Diagnostic]:
    if machine_type == "EXPRESS" and isinstance(definition, dict):
        # The type is not part of a definition: say it the way users do, in a template.
        definition = {"Resources": {"Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "StateMachineType": "EXPRESS", "Definition": definition}}}}
        return lint_text(json.dumps(definition, indent=2), "template.json", Config()).finish().diagnostics
    text = definition if isinstance(definition, str) else json.dumps(definition, indent=2)
    return lint_text(text, "case.asl.json", Config()).finish().diagnostics


def test_asl_validator_suite() -> None:
    folder = shared_path("corpus", "peer-suites", "asl-validator", "definitions")
    files = sorted(folder.glob("*.json"))
    assert len(files) > 100
    disagreements: dict[str, list[str]] = {}
    for file in files:
        result = lint_file(str(file), True, Config())
        assert result is not None
        diags = result.finish().diagnostics
        if file.name.startswith("invalid-"):
            wrong = not _errors(diags)
        else:
            wrong = bool(_errors(diags, FOUNDATION))
            others = _errors(diags)
            if others and not wrong:
                print(f"note: {file.name} (valid) has errors from other areas: {[d.code for d in others]}")
        if wrong:
            disagreements[file.name] = [f"{d.code} {d.message}" for d in _errors(diags)]
    valid = [f for f in files if f.name.startswith("valid-")]
    invalid = [f for f in files if f.name.startswith("invalid-")]
    bad_valid = sum(1 for name in disagreements if name.startswith("valid-"))
    print(f"asl-validator: valid {len(valid) - bad_valid}/{len(valid)}, "
          f"invalid {len(invalid) - len(disagreements) + bad_valid}/{len(invalid)}")
    for name, errors in disagreements.items():
        print(f"  disagree: {name}: {PEER_ALLOWED.get(name, 'NOT ALLOWED')} {errors}")
    assert set(disagreements) <= set(PEER_ALLOWED)
    assert len(disagreements) <= 5, "most files must agree"


def test_definitions_aws_rejected_get_an_error_and_accepted_ones_none() -> None:
    cases = sorted(shared_path("conformance", "validation").glob("*.json"))
    assert len(cases) > 100
    wrong: list[str] = []
    for case_file in cases:
        case = json.loads(case_file.read_text(encoding="utf-8"))
        expected = case["expected"]
        rejected = "Error" in expected or expected.get("result") == "FAIL"
        definition = case.get("definition", case.get("definitionText", ""))
        diags = _lint_definition(definition, case.get("type"))
        if bool(_errors(diags)) != rejected:
            wrong.append(f"{case_file.name}: rejected={rejected} {[d.message for d in diags]}")
    print(f"conformance/validation: {len(cases) - len(wrong)}/{len(cases)} agree")
    assert wrong == []


def test_label_cases_are_asl005() -> None:
    folder = shared_path("conformance", "validation")
    cases = sorted(folder.glob("test_sfn_api_map_run.test_map_state_label*"))
    assert len(cases) == 89  # 87 forbidden characters, empty, too long
    for case_file in cases:
        case = json.loads(case_file.read_text(encoding="utf-8"))
        codes = [d.code for d in _lint_definition(case["definition"])]
        assert codes == ["ASL005"], case_file.name


def test_executions_aws_ran_successfully_get_no_error_from_structure_rules() -> None:
    cases = sorted(shared_path("conformance", "execution").glob("*.json"))
    checked = 0
    wrong: list[str] = []
    for case_file in cases:
        case = json.loads(case_file.read_text(encoding="utf-8"))
        if case["expected"]["status"] != "SUCCEEDED":
            continue
        checked += 1
        mine = [d for d in _errors(_lint_definition(case["definition"])) if d.code in MINE]
        if mine:
            wrong.append(f"{case_file.name}: {[f'{d.code} {d.message}' for d in mine]}")
    print(f"conformance/execution (SUCCEEDED): {checked - len(wrong)}/{checked} without ASL003-ASL006 errors")
    assert checked > 700
    assert wrong == []


def test_corpus_has_no_structure_errors_beyond_the_reviewed_files() -> None:
    root = shared_path("corpus")
    files = sorted(p for kind in ("standalone", "templates") for p in (root / kind).rglob("*") if p.is_file())
    flagged: dict[str, list[str]] = {}
    definitions = 0
    for file in files:
        result = lint_file(str(file), True, Config())
        assert result is not None
        result.finish()
        definitions += result.definitions
        assert not [d for d in result.diagnostics if d.code == "ASL901"], file
        mine = [d for d in result.diagnostics if d.code in ("ASL003", "ASL004", "ASL005")]
        if mine:
            flagged[str(file.relative_to(root))] = [f"{d.line}: {d.code} {d.message}" for d in mine]
    print(f"corpus: {len(files)} files, {definitions} definitions, {len(flagged)} with ASL003-ASL005 errors")
    for name, messages in flagged.items():
        print(f"  {name}: {messages}")
    assert set(flagged) <= CORPUS_REVIEWED
    assert definitions > 260


def test_reviewed_corpus_names_exist() -> None:
    root = shared_path("corpus")
    peer = Path("peer-suites/asl-validator/definitions")
    for name in CORPUS_REVIEWED | {str(peer / n) for n in PEER_ALLOWED}:
        assert (root / name).is_file(), name
