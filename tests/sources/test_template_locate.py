"""What locate_in_template finds: kinds, substitutions, placeholders, problems, DefinitionUri."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from asl_lint.config import Config
from asl_lint.engine.runner import lint_paths
from tests.sources.helpers import located, position


def test_template_without_state_machines() -> None:
    result, _ = located(
        """
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
        """
    )
    assert result.is_template and result.definitions == [] and result.problems == []


def test_unknown_placeholder_outside_a_string_still_parses() -> None:
    result, text = located(
        """
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Sub |
                {"StartAt": "A", "TimeoutSeconds": ${Timeout}, "States": {"A": {"Type": "Succeed"}}}
        """
    )
    (machine,) = result.definitions
    assert result.problems == []
    assert machine.definition["TimeoutSeconds"] == "${Timeout}"
    assert [(p.name, p.pointer) for p in machine.placeholders] == [("Timeout", "/TimeoutSeconds")]
    node = machine.spans("/TimeoutSeconds")
    assert node is not None
    assert text[node.value.start:node.value.end] == "${Timeout}"


def test_known_substitutions_from_sub_map_and_definition_substitutions() -> None:
    result, text = located(
        """
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionSubstitutions:
                Wait: 30
                Table: !Ref Table
              DefinitionString: !Sub
                - |
                  {"StartAt": "W", "TimeoutSeconds": ${Limit}, "States": {
                    "W": {"Type": "Wait", "Seconds": ${!Wait}, "Next": "P"},
                    "P": {"Type": "Pass", "Result": "${Table} ${Flag}", "End": true}}}
                - Limit: 300
                  Flag: true
        """
    )
    (machine,) = result.definitions
    assert machine.definition["TimeoutSeconds"] == 300
    assert machine.definition["States"]["W"]["Seconds"] == 30  # ${!Wait} → ${Wait} → 30
    assert machine.definition["States"]["P"]["Result"] == "${Table} true"
    assert machine.substitutions == {"Limit": 300, "Flag": True, "Wait": 30}
    assert [p.name for p in machine.placeholders] == ["Table"]
    # A substituted value maps to its placeholder.
    node = machine.spans("/States/W/Seconds")
    assert node is not None and text[node.value.start:node.value.end] == "${!Wait}"
    node = machine.spans("/States/P/Next")
    assert node is None
    key = machine.spans("/States/P/End")
    assert key is not None and key.key is not None and text[key.key.start:key.key.end] == '"End"'


def test_sam_definition_substitutions_in_object_definition() -> None:
    result, text = located(
        """
        Resources:
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionSubstitutions:
                Seconds: 5
                FnArn: !GetAtt Fn.Arn
                Name: orders
              Definition:
                StartAt: W
                States:
                  W: {Type: Wait, Seconds: "${Seconds}", Next: T}
                  T:
                    Type: Task
                    Resource: ${FnArn}
                    Parameters:
                      Table: "table-${Name}"
                      Queue: !GetAtt Queue.Arn
                      Url: !Sub "https://${Name}.${AWS::Region}/${!Name}"
                      Key: !Join ["/", ["arn:aws:s3::", !Ref Bucket, !Sub "${Name}-${Suffix}", !If [C, a, b]]]
                      Suffix: !Sub ["${Suffix}", {Suffix: 7}]
                    End: true
        """
    )
    (machine,) = result.definitions
    assert machine.kind == "sam" and not machine.embedded_string
    states = machine.definition["States"]
    assert states["W"]["Seconds"] == 5
    assert states["T"]["Resource"] == "${FnArn}"
    assert states["T"]["Parameters"] == {
        "Table": "table-orders",
        "Queue": "${GetAtt:Queue.Arn}",
        "Url": "https://orders.${AWS::Region}/orders",  # ${!Name} is left to DefinitionSubstitutions
        "Key": "arn:aws:s3::/${Ref:Bucket}/orders-${Suffix}/${Fn::If}",
        "Suffix": "7",
    }
    assert machine.substitutions == {"Seconds": 5, "Name": "orders"}
    assert sorted({p.name for p in machine.placeholders}) == [
        "AWS::Region", "Fn::If", "FnArn", "GetAtt:Queue.Arn", "Ref:Bucket", "Suffix"]
    node = machine.spans("/States/W/Seconds")
    assert node is not None and text[node.value.start:node.value.end] == '"${Seconds}"'
    assert machine.pointer == "/Resources/Flow/Properties/Definition"


def test_substitution_cycle_terminates() -> None:
    result, _ = located(
        """
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionSubstitutions: {A: "${B}", B: "${A}"}
              DefinitionString: !Sub
                - '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "${A}/${X}", "End": true}}}'
                - {X: "${X}"}
        """
    )
    (machine,) = result.definitions
    assert machine.definition["States"]["P"]["Result"] == "${B}/${X}"


def test_definition_string_that_is_not_json() -> None:
    result, text = located(
        """
        Resources:
          Broken:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: |
                {
                  "StartAt": "A",
                  "States": {"A": {"Type": "Succeed"},}
                }
        """
    )
    assert result.definitions == []
    (problem,) = result.problems
    assert problem.code == "ASL001"
    assert problem.message == "DefinitionString of Broken is not valid JSON: Trailing comma before '}'"
    assert position(text, problem.span.start) == (8, 46)
    assert text[problem.span.start] == ","
    assert problem.pointer == "/Resources/Broken/Properties/DefinitionString"


def test_duplicate_key_in_definition_string_names_template_lines() -> None:
    result, text = located(
        """
        Resources:
          Dup:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: |
                {"StartAt": "A",
                 "States": {"A": {"Type": "Succeed"},
                            "A": {"Type": "Succeed"}}}
        """
    )
    (machine,) = result.definitions
    (problem,) = result.problems
    assert problem.code == "ASL002"
    assert position(text, problem.span.start) == (8, 21)
    assert problem.message == (
        "Duplicate key 'A': already defined at line 7, column 21; only the last value would be kept")
    assert problem.pointer == "/Resources/Dup/Properties/DefinitionString/States/A"
    assert machine.definition["States"] == {"A": {"Type": "Succeed"}}


def test_s3_locations_and_unsupported_shapes_are_skipped() -> None:
    result, _ = located(
        """
        Resources:
          FromS3:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionS3Location: {Bucket: b, Key: k}
          SamS3:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionUri: {Bucket: b, Key: k}
          Conditional:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !If [Prod, '{}', '{}']
          Odd:
            Type: AWS::StepFunctions::StateMachine
            Properties: not-a-mapping
        """
    )
    assert result.is_template and result.definitions == [] and result.external == []
    # The definitions in S3 are not linted, and the report says so (ASL007, info).
    assert [(p.code, p.pointer, p.message) for p in result.problems] == [
        ("ASL007", "/Resources/FromS3/Properties/DefinitionS3Location",
         "The definition of FromS3 is in S3 (DefinitionS3Location), not in this project: asl-lint cannot check it;"
         " keep it in a local file (DefinitionUri: path/to/file.asl.json) to have it linted"),
        ("ASL007", "/Resources/SamS3/Properties/DefinitionUri",
         "The definition of SamS3 is in S3 (DefinitionUri), not in this project: asl-lint cannot check it;"
         " keep it in a local file (DefinitionUri: path/to/file.asl.json) to have it linted"),
    ]


def test_sam_definition_uri_is_linted_as_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "statemachine").mkdir()
    asl = tmp_path / "statemachine" / "flow.asl.json"
    asl.write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Bx"},\n'
                   '  "B": {"Type": "Succeed"}}}\n')
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Flow:\n"
        "    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n"
        "      DefinitionUri: statemachine/flow.asl.json\n"
    )
    parsed_result, _ = located(template.read_text(), path=str(template))
    assert parsed_result.definitions == [] and parsed_result.problems == []
    (external,) = parsed_result.external
    assert external.path == str(asl) and external.context.name == "Flow" and external.context.layout == "sam"
    outcome = lint_paths([str(tmp_path)], Config())
    assert outcome.definitions == 1
    missing = [(Path(d.file).name, d.line, d.column) for d in outcome.diagnostics if d.code == "ASL101"]
    assert missing == [("flow.asl.json", 1, 59)]


@pytest.mark.parametrize("value", [
    None, 1, [], {}, "{", "", {"Fn::Sub": []}, {"Fn::Sub": [1]}, {"Fn::Sub": ["{", "vars"]},
    {"Fn::Sub": {"a": 1}},
    {"Fn::Join": ["", "parts"]}, {"Fn::Join": [1, []]}, {"Fn::Join": ["", [None, 1, {"Fn::If": []}]]},
    {"Fn::Join": ["", [{"Fn::Join": ["", [{"Fn::Sub": "{"}]]}]]}, {"Ref": "X"},
])
@pytest.mark.parametrize("subs", [None, [1], {"X": {"Ref": "Y"}}, {"X": None}])
def test_odd_shapes_never_raise(value: Any, subs: Any) -> None:
    for key in ("Definition", "DefinitionString", "DefinitionUri"):
        props: dict[str, Any] = {key: value}
        if subs is not None:
            props["DefinitionSubstitutions"] = subs
        template = {"Resources": {"M/~1": {"Type": "AWS::StepFunctions::StateMachine", "Properties": props},
                                  "T": {"Type": ["AWS::StepFunctions::StateMachine"]}}}
        result, _ = located(json.dumps(template), path="t.json")
        assert result.is_template
        for problem in result.problems:
            assert problem.code in ("ASL001", "ASL007") and problem.pointer.startswith("/Resources/M~1~01/")
        for machine in result.definitions:
            assert machine.spans("") is not None
