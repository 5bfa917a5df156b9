"""Findings inside templates point at the exact place in the template file."""

from __future__ import annotations

import json

from tests.helpers import findings, lint
from tests.sources.helpers import located, position

MISSING = "Next names state 'Bx', which does not exist; did you mean 'B'?"


def test_object_definition_in_yaml() -> None:
    diags = lint(
        """
        Resources:
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              Definition:
                StartAt: A
                States:
                  A: {Type: Pass, Next: Bx}
                  B: {Type: Succeed}
        """,
        path="template.yaml",
    )
    assert findings(diags, "ASL101") == [(8, 33, 8, 35, MISSING)]
    assert [d.pointer for d in diags if d.code == "ASL101"] == [
        "/Resources/Flow/Properties/Definition/States/A/Next"]


def test_object_definition_in_json() -> None:
    states = {"A": {"Type": "Pass", "Next": "Bx"}, "B": {"Type": "Succeed"}}
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "Definition": {"StartAt": "A", "States": states},
    }}}}
    diags = lint(template, path="template.json")
    # json.dumps(indent=2): "Next" sits on line 11 at column 15, its value after ": ".
    assert findings(diags, "ASL101") == [(11, 23, 11, 27, MISSING)]


def test_definition_string_in_json_with_escapes_and_non_ascii() -> None:
    definition = (
        '{\n  "Comment": "caf\\u00e9 \\"quoted\\" déjà vu",\n  "StartAt": "A",\n'
        '  "States": {"A": {"Type": "Pass", "Next": "Bx"}, "B": {"Type": "Succeed"}}\n}'
    )
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine",
                                       "Properties": {"DefinitionString": definition}}}}
    text = json.dumps(template, indent=2, ensure_ascii=False)
    diags = lint(text, path="template.json")
    # The whole definition is one line of the template: the escaped "Bx" is \"Bx\".
    start = text.index('\\"Bx\\"')
    line, column = position(text, start)
    assert findings(diags, "ASL101") == [(line, column, line, column + 6, MISSING)]
    assert (line, column) == (6, 164)
    assert [d.pointer for d in diags if d.code == "ASL101"] == [
        "/Resources/Flow/Properties/DefinitionString/States/A/Next"]


def test_definition_string_yaml_literal_block() -> None:
    diags = lint(
        """
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: |
                {
                  "Comment": "Grüße",
                  "StartAt": "A",
                  "States": {
                    "A": {"Type": "Pass", "Next": "Bx"},
                    "B": {"Type": "Succeed"}
                  }
                }
        """,
        path="template.yaml",
    )
    assert findings(diags, "ASL101") == [(10, 43, 10, 47, MISSING)]


def test_fn_sub_with_variables_keeps_columns_after_substitution() -> None:
    diags = lint(
        """
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Sub
                - |-
                  {"StartAt": "A", "States": {
                    "A": {"Type": "Task", "Resource": "arn:${Region}:function:${Name}", "Next": "Bx"},
                    "B": {"Type": "Succeed"}}}
                - Region: ap-southeast-2
                  Name: !Ref Fn
        """,
        path="template.yaml",
    )
    assert findings(diags, "ASL101") == [(8, 89, 8, 93, MISSING)]


def test_fn_sub_without_variables() -> None:
    result, text = located(
        """
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Sub |
                {"StartAt": "A", "States": {"A": {"Type": "Task",
                  "Resource": "arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:f", "End": true}}}
        """
    )
    (machine,) = result.definitions
    assert machine.kind == "cfn" and machine.resource == "Flow" and machine.embedded_string
    resource = machine.definition["States"]["A"]["Resource"]
    assert resource == "arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:f"
    assert [(p.name, p.pointer) for p in machine.placeholders] == [
        ("AWS::Partition", "/States/A/Resource"), ("AWS::Region", "/States/A/Resource")]
    node = machine.spans("/States/A/Resource")
    assert node is not None
    assert text[node.value.start:node.value.end] == f'"{resource}"'
    assert machine.size == len(
        '{"StartAt": "A", "States": {"A": {"Type": "Task",\n'
        '  "Resource": "arn:${AWS::Partition}:lambda:${AWS::Region}:1:function:f", "End": true}}}\n')


def test_fn_join_cdk_style() -> None:
    parts = [
        '{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"',
        {"Fn::GetAtt": ["Handler886CB40B", "Arn"]},
        '","TimeoutSeconds":',
        {"Ref": "Timeout"},
        ',"Next":"Bx"},"B":{"Type":"Succeed"}}}',
    ]
    template = {"Resources": {"SM": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "RoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
        "DefinitionString": {"Fn::Join": ["", parts]},
    }}}}
    text = json.dumps(template, indent=1)
    diags = lint(text, path="cdk.out/Stack.template.json")
    start = text.index('\\"Bx\\"')
    line, column = position(text, start)
    assert findings(diags, "ASL101") == [(line, column, line, column + 6,
                                          "Next names state 'Bx', which does not exist; did you mean 'B'?")]
    result, _ = located(text, path="Stack.template.json")
    (machine,) = result.definitions
    call = machine.definition["States"]["Call"]
    assert call["Resource"] == "${GetAtt:Handler886CB40B.Arn}"
    assert call["TimeoutSeconds"] == "${Ref:Timeout}"  # bare placeholder made a string
    assert [p.name for p in machine.placeholders] == ["GetAtt:Handler886CB40B.Arn", "Ref:Timeout"]
    # The string spans from its opening \" in the first part, over the intrinsic object, to the
    # closing \" in the next part.
    node = machine.spans("/States/Call/Resource")
    assert node is not None
    start = text.index('Resource\\":\\"') + len('Resource\\":')
    end = text.index('\\",\\"TimeoutSeconds') + 2
    assert (node.value.start, node.value.end) == (start, end)
    assert '"Fn::GetAtt"' in text[start:end]


def test_multiple_machines_each_in_place() -> None:
    diags = lint(
        """
        Resources:
          One:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: |
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Bx"}, "B": {"Type": "Succeed"}}}
          Bucket:
            Type: AWS::S3::Bucket
          Two:
            Type: AWS::Serverless::StateMachine
            Properties:
              Definition:
                StartAt: A
                States:
                  A: {Type: Pass, Next: Bx}
                  B: {Type: Succeed}
        """,
        path="template.yaml",
    )
    assert findings(diags, "ASL101") == [(6, 67, 6, 71, MISSING), (15, 33, 15, 35, MISSING)]
    assert [d.pointer for d in diags if d.code == "ASL101"] == [
        "/Resources/One/Properties/DefinitionString/States/A/Next",
        "/Resources/Two/Properties/Definition/States/A/Next",
    ]


def test_string_span_inside_escaped_definition_string() -> None:
    definition = ('{"Comment": "caf\\u00e9 \\"q\\" key=${Region}/tok", "StartAt": "A",'
                  ' "States": {"A": {"Type": "Succeed"}}}')
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": {"Fn::Sub": [definition, {"Region": "eu-central-1"}]}}}}}
    result, text = located(json.dumps(template), path="template.json")
    (machine,) = result.definitions
    comment = machine.definition["Comment"]
    assert comment == 'café "q" key=eu-central-1/tok'
    assert machine.string_span is not None

    def place(piece: str) -> str:
        start = comment.index(piece)
        span = machine.string_span("/Comment", start, start + len(piece))  # type: ignore[misc]
        assert span is not None
        return text[span.start:span.end]

    assert place("é") == "\\\\u00e9"
    assert place('"q"') == '\\\\\\"q\\\\\\"'
    assert place("tok") == "tok"
    assert place("eu-central-1") == "${Region}"
    assert machine.string_span("/Missing", 0, 1) is None


def test_string_span_in_object_definition_only_when_unsubstituted() -> None:
    result, text = located(
        """
        Resources:
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionSubstitutions: {Name: x}
              Definition:
                Comment: "tab\\there token"
                StartAt: A
                States:
                  A: {Type: Pass, Result: "${Name}-token", End: true}
        """
    )
    (machine,) = result.definitions
    assert machine.string_span is not None
    span = machine.string_span("/Comment", 9, 14)
    assert span is not None and text[span.start:span.end] == "token"
    span = machine.string_span("/Comment", 0, 4)
    assert span is not None and text[span.start:span.end] == "tab\\t"
    assert machine.string_span("/States/A/Result", 0, 1) is None


def test_parse_errors_in_definition_string_are_reported_in_place() -> None:
    diags = lint(
        """
        Resources:
          Broken:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Sub |
                {"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "${X}"},}}
          Dup:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: '{"StartAt": "A", "States": {"A": {"Type": "Succeed"},
                "A": {"Type": "Succeed"}}}'
        """,
        path="template.yaml",
    )
    assert findings(diags, "ASL001") == [
        (6, 80, 6, 81, "DefinitionString of Broken is not valid JSON: Trailing comma before '}'")]
    # A folded single-quoted scalar: the duplicate sits on the continuation line.
    assert findings(diags, "ASL002") == [
        (11, 9, 11, 12, "Duplicate key 'A': already defined at line 10, column 54; "
                        "only the last value would be kept")]


def test_fn_join_with_a_newline_separator_in_json() -> None:
    lines = ["{", '  "StartAt": "A",', '  "States": {', '    "A": {"Type": "Pass", "Next": "Bx"},',
             '    "B": {"Type": "Succeed"}', "  }", "}"]
    template = {"Resources": {"SM": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": {"Fn::Join": ["\n", lines]}}}}}
    text = json.dumps(template, indent=2)
    diags = lint(text, path="template.json")
    start = text.index('\\"Bx\\"')
    line, column = position(text, start)
    assert findings(diags, "ASL101") == [(line, column, line, column + 6, MISSING)]
    assert line == 13  # the part's own line in the template
    result, _ = located(text, path="template.json")
    (machine,) = result.definitions
    assert machine.size == len("\n".join(lines))
