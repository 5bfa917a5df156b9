"""``asl-lint check --fix``: ASL401/ASL402 fixes spliced into JSON and YAML files."""

from __future__ import annotations

import json
from pathlib import Path

from asl_lint.cli import main
from tests.helpers import lint

JSON_4 = """{
    "Comment": "keep   this  spacing",
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "Next": "Api"
        },
        "Api": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "g", "Payload.$": "$"},
            "Retry": [
                {"ErrorEquals": ["States.ALL"], "MaxAttempts": 2},
                {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0}
            ],
            "End": true
        }
    }
}
"""

JSON_4_FIXED = """{
    "Comment": "keep   this  spacing",
    "StartAt": "Call",
    "States": {
        "Call": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f", "Payload.$": "$"},
            "Next": "Api",
            "Retry": [
                {
                    "ErrorEquals": [
                        "Lambda.ServiceException",
                        "Lambda.AWSLambdaException",
                        "Lambda.SdkClientException",
                        "Lambda.TooManyRequestsException"
                    ],
                    "IntervalSeconds": 1,
                    "MaxAttempts": 3,
                    "BackoffRate": 2,
                    "JitterStrategy": "FULL"
                }
            ]
        },
        "Api": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "g", "Payload.$": "$"},
            "Retry": [
                {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 0},
                {"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}
            ],
            "End": true
        }
    }
}
"""

YAML = """# A comment at the top
StartAt: Call
States:
  Call:
    Type: Task   # inline comment
    Resource: arn:aws:states:::lambda:invoke
    Parameters:
      FunctionName: f
    Retry:
      - ErrorEquals: [Lambda.TooManyRequestsException]   # throttles
        IntervalSeconds: 5
    Next: Done  # trailing
  Done:
    Type: Succeed
"""

YAML_FIXED = """# A comment at the top
StartAt: Call
States:
  Call:
    Type: Task   # inline comment
    Resource: arn:aws:states:::lambda:invoke
    Parameters:
      FunctionName: f
    Retry:
      - ErrorEquals:
          - Lambda.ServiceException
          - Lambda.AWSLambdaException
          - Lambda.SdkClientException
        IntervalSeconds: 1
        MaxAttempts: 3
        BackoffRate: 2
        JitterStrategy: FULL
      - ErrorEquals: [Lambda.TooManyRequestsException]   # throttles
        IntervalSeconds: 5
    Next: Done  # trailing
  Done:
    Type: Succeed
"""


def _fix(path: Path) -> str:
    main(["check", "--fix", "--exit-zero", str(path)])
    return path.read_text(encoding="utf-8")


def test_json_keeps_indentation_and_untouched_bytes(tmp_path: Path) -> None:
    path = tmp_path / "flow.asl.json"
    path.write_text(JSON_4, encoding="utf-8")
    assert _fix(path) == JSON_4_FIXED
    assert not [d for d in lint(JSON_4_FIXED) if d.code in ("ASL401", "ASL402")]


def test_yaml_keeps_comments_and_existing_retriers(tmp_path: Path) -> None:
    path = tmp_path / "flow.asl.yaml"
    path.write_text(YAML, encoding="utf-8")
    assert _fix(path) == YAML_FIXED
    assert not [d for d in lint(YAML_FIXED, "flow.asl.yaml") if d.code in ("ASL401", "ASL402")]


def test_yaml_adds_a_missing_retry_block(tmp_path: Path) -> None:
    path = tmp_path / "flow.asl.yaml"
    text = (
        "StartAt: Call\nStates:\n  Call:\n    Type: Task\n    Resource: arn:aws:states:::http:invoke\n"
        "    Parameters:\n      ApiEndpoint: https://api.example.com\n      Method: GET\n"
        "      Authentication:\n        ConnectionArn: arn:aws:events:us-east-1:123456789012:connection/a/b\n"
        "    End: true  # done\n"
    )
    path.write_text(text, encoding="utf-8")
    fixed = _fix(path)
    assert fixed == text + (
        "    Retry:\n"
        "      - ErrorEquals:\n"
        "          - States.Http.StatusCode.429\n"
        "          - States.Http.StatusCode.503\n"
        "          - States.Http.StatusCode.504\n"
        "          - States.Http.StatusCode.502\n"
        "        BackoffRate: 2\n"
        "        IntervalSeconds: 1\n"
        "        MaxAttempts: 3\n"
        "        JitterStrategy: FULL\n"
    )


def test_compact_json_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "flow.asl.json"
    text = (
        '{"StartAt": "Call", "States": {"Call": {"Type": "Task",'
        ' "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}'
    )
    path.write_text(text, encoding="utf-8")
    fixed = _fix(path)
    assert fixed.startswith(text[:-3] + ', "Retry": [{"ErrorEquals": ["Lambda.ServiceException"')
    assert "\n" not in fixed
    crlf = tmp_path / "crlf.asl.json"
    crlf.write_bytes(JSON_4.replace("\n", "\r\n").encode())
    main(["check", "--fix", "--exit-zero", str(crlf)])
    assert crlf.read_bytes() == JSON_4_FIXED.replace("\n", "\r\n").encode()


def test_without_fix_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "flow.asl.json"
    path.write_text(JSON_4, encoding="utf-8")
    main(["check", "--exit-zero", str(path)])
    assert path.read_text(encoding="utf-8") == JSON_4


def test_template_definition_object_and_definition_string(tmp_path: Path) -> None:
    task = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"},
        "End": True,
    }
    definition = {"StartAt": "Call", "States": {"Call": task}}
    template = {
        "Resources": {
            "Flow": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {"RoleArn": "arn:aws:iam::123456789012:role/r", "Definition": definition},
            },
            "Other": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "RoleArn": "arn:aws:iam::123456789012:role/r",
                    "DefinitionString": json.dumps(definition),
                },
            },
        }
    }
    path = tmp_path / "template.json"
    original = json.dumps(template, indent=2)
    path.write_text(original, encoding="utf-8")
    fixed = json.loads(_fix(path))
    props = fixed["Resources"]["Flow"]["Properties"]
    assert props["Definition"]["States"]["Call"]["Retry"][0]["ErrorEquals"][0] == "Lambda.ServiceException"
    assert fixed["Resources"]["Other"] == template["Resources"]["Other"]  # inside a string: not mechanical


def test_tabs_flow_yaml_and_yaml_reorder(tmp_path: Path) -> None:
    tab = tmp_path / "tab.asl.json"
    tab.write_text(
        '{\n\t"StartAt": "A",\n\t"States": {\n\t\t"A": {\n\t\t\t"Type": "Task",\n'
        '\t\t\t"Resource": "arn:aws:states:::lambda:invoke",\n\t\t\t"End": true\n\t\t}\n\t}\n}\n',
        encoding="utf-8",
    )
    assert '\t\t\t"End": true,\n\t\t\t"Retry": [\n\t\t\t\t{\n\t\t\t\t\t"ErrorEquals": [\n' in _fix(tab)
    flow = tmp_path / "flow.asl.yaml"
    flow.write_text(
        'StartAt: A\nStates:\n  A: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", End: true}\n'
    )
    assert _fix(flow).startswith(
        'StartAt: A\nStates:\n  A: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", End: true,'
        ' "Retry": [{"ErrorEquals": ["Lambda.ServiceException", '
    )
    reorder = tmp_path / "reorder.asl.yaml"
    head = "StartAt: A\nStates:\n  A:\n    Type: Task\n"
    head += "    Resource: arn:aws:states:::lambda:invoke\n    Retry:\n"
    reorder.write_text(
        head + "    - ErrorEquals: [States.ALL]\n      MaxAttempts: 1\n"
        "    - ErrorEquals: [States.Timeout]   # keep me\n      MaxAttempts: 0\n    End: true\n"
    )
    assert _fix(reorder) == (
        head + "    - ErrorEquals: [States.Timeout]   # keep me\n      MaxAttempts: 0\n"
        "    - ErrorEquals: [States.ALL]\n      MaxAttempts: 1\n    End: true\n"
    )


# --- YAML through ruamel.yaml's round-trip emitter: the file's own style is kept -------------------
def _fix_one(text: str, code: str, path: str = "flow.asl.yaml") -> str:
    from asl_lint.fix import fix_text

    diags = [d for d in lint(text, path) if d.code == code and d.fix is not None]
    assert diags, f"no fixable {code} in the fixture"
    new_text, count = fix_text(text, path, diags[:1])
    assert count == 1
    return new_text


TYPO = "StartAt: One\nStates:\n  One:\n    Type: Pass\n    Next: {next}  # typo\n  {name}:\n    Type: Succeed\n"


def test_yaml_scalar_replacement_keeps_the_quoting_it_had() -> None:
    plain = TYPO.format(next="Tow", name="Two")
    assert _fix_one(plain, "ASL101") == plain.replace("Next: Tow", "Next: Two")
    single = TYPO.format(next="'Tow'", name="Two")
    assert _fix_one(single, "ASL101") == single.replace("'Tow'", "'Two'")
    double = TYPO.format(next='"Tow"', name="Two")
    assert _fix_one(double, "ASL101") == double.replace('"Tow"', '"Two"')


def test_yaml_scalar_that_yaml_11_reads_as_a_boolean_is_quoted() -> None:
    # "On" is a boolean to YAML 1.1 readers (PyYAML, the SAM CLI): written plain it would change type.
    text = TYPO.format(next="Onn", name="On")
    assert _fix_one(text, "ASL101") == text.replace("Next: Onn", "Next: 'On'")


def test_yaml_scalar_in_a_flow_mapping_is_quoted_only_when_it_must_be() -> None:
    text = "StartAt: One\nStates:\n  One: {Type: Pass, Next: Tow}\n  Two: {Type: Succeed}\n"
    assert _fix_one(text, "ASL101") == text.replace("Next: Tow", "Next: Two")
    text = "StartAt: One\nStates:\n  One: {Type: Pass, Next: 'Go, nwo'}\n  Go, now: {Type: Succeed}\n"
    text = text.replace("Go, now:", "'Go, now':")
    assert _fix_one(text, "ASL101") == text.replace("'Go, nwo'", "'Go, now'")


def test_yaml_block_follows_a_file_with_flush_sequences_and_four_space_indent() -> None:
    text = (
        "StartAt: Call\n"
        "States:\n"
        "    Call:\n"
        "        Type: Task\n"
        "        Resource: arn:aws:states:::lambda:invoke\n"
        "        Parameters:\n"
        "            FunctionName: f\n"
        "        Catch:\n"
        "        - ErrorEquals: [States.ALL]   # everything\n"
        "          Next: Done\n"
        "        Next: Done\n"
        "    Done:\n"
        "        Type: Succeed\n"
    )
    fixed = _fix_one(text, "ASL401")
    assert fixed == text.replace(
        "        Next: Done\n    Done:",
        "        Next: Done\n"
        "        Retry:\n"
        "        - ErrorEquals:\n"
        "          - Lambda.ServiceException\n"
        "          - Lambda.AWSLambdaException\n"
        "          - Lambda.SdkClientException\n"
        "          - Lambda.TooManyRequestsException\n"
        "          IntervalSeconds: 1\n"
        "          MaxAttempts: 3\n"
        "          BackoffRate: 2\n"
        "          JitterStrategy: FULL\n"
        "    Done:",
    )
