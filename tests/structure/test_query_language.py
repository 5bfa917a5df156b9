"""ASL004 query-language-mismatch: exact positions and messages; never together with ASL003 for a field."""

from __future__ import annotations

from tests.helpers import findings, lint, serious

JSONATA_MACHINE = """
{
  "QueryLanguage": "JSONata",
  "StartAt": "Shape",
  "States": {
    "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "ResultPath": "$.shaped", "Next": "Old"},
    "Old": {"Type": "Pass", "QueryLanguage": "JSONPath", "Output": {"a": 1}, "Next": "Pick"},
    "Pick": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Work"}],
      "Default": "Work"
    },
    "Work": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage",
      "TimeoutSeconds": 5,
      "TimeoutSecondsPath": "$.t",
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Done"}],
      "End": true
    },
    "Done": {"Type": "Succeed"}
  }
}
"""


def test_jsonpath_fields_in_jsonata_states() -> None:
    diags = lint(JSONATA_MACHINE)
    assert findings(diags, "ASL004") == [
        (5, 31, 5, 43, "'Parameters' is a JSONPath field, but state 'Shape' uses JSONata; use 'Arguments'"
                       " instead"),
        (5, 63, 5, 75, "'ResultPath' is a JSONPath field, but state 'Shape' uses JSONata; combine input and"
                       " result"
                       " in 'Output' (or store it with 'Assign') instead"),
        (6, 46, 6, 56, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine:"
                       " remove"
                       " \"QueryLanguage\": \"JSONPath\" from state 'Old' and write it in JSONata"),
        (6, 58, 6, 66, "'Output' is a JSONata field, but state 'Old' uses JSONPath; add \"QueryLanguage\":"
                       " \"JSONata\" to the state (or the top level), or use 'OutputPath'/'ResultSelector'"
                       " instead"),
        (9, 20, 9, 30, "Choices[0] of state 'Pick' is a JSONPath rule ('Variable'), but the state uses"
                       " JSONata;"
                       " write the rule as \"Condition\": \"{% ... %}\""),
        (16, 7, 16, 27, "'TimeoutSecondsPath' is a JSONPath field, but state 'Work' uses JSONata; set"
                        " 'TimeoutSeconds' to a {% ... %} expression instead"),
        (17, 49, 17, 61, "'Catch[0].ResultPath' is a JSONPath field, but state 'Work' uses JSONata; shape the error"
                         " with 'Output' ($states.errorOutput) or keep it with 'Assign' instead"),
    ]
    # The exclusive pair TimeoutSeconds/TimeoutSecondsPath is not reported again by the schema rule,
    # nor is the JSONPath Choice rule judged as a JSONata rule.
    assert findings(diags, "ASL003") == []


def test_jsonata_fields_and_typed_expressions_in_jsonpath_states_yaml() -> None:
    text = """
    StartAt: Pick
    States:
      Pick:
        Type: Choice
        Choices:
          - Condition: "{% $states.input.n = 1 %}"
            Next: Hold
        Default: Hold
      Hold:
        Type: Wait
        Seconds: "{% $states.input.delay %}"
        Next: Shape
      Shape:
        Type: Pass
        Parameters:
          note: "{% kept literally %}"
        Output:
          x: 1
        End: true
    """
    diags = lint(text, path="flow.asl.yaml")
    assert findings(diags, "ASL004") == [
        (6, 9, 6, 18, "'Condition' is a JSONata field, but state 'Pick' uses JSONPath; add \"QueryLanguage\":"
                       " \"JSONata\" to the state (or the top level), or compare with Variable and an"
                       " operator"),
        (11, 14, 11, 41, "The value of 'Seconds' is a JSONata expression, but state 'Hold' uses JSONPath,"
                         " where it"
                         " is not evaluated; add \"QueryLanguage\": \"JSONata\" to the state (or the top"
                         " level)"),
        (17, 5, 17, 11, "'Output' is a JSONata field, but state 'Shape' uses JSONPath; add \"QueryLanguage\":"
                        " \"JSONata\" to the state (or the top level), or use 'OutputPath'/'ResultSelector'"
                        " instead"),
    ]
    assert findings(diags, "ASL003") == []


def test_jsonpath_child_of_distributed_map_and_literal_expressions_are_allowed() -> None:
    # A Distributed Map runs its processor as child workflows; AWS's own sample (and asl-validator)
    # accept a JSONPath child state there. In JSONPath payloads, {% %} is a literal string (observed).
    text = """
    {
      "QueryLanguage": "JSONata",
      "StartAt": "Fan",
      "States": {
        "Fan": {
          "Type": "Map",
          "Label": "Fan",
          "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Child",
            "States": {
              "Child": {
                "Type": "Pass",
                "QueryLanguage": "JSONPath",
                "Parameters": {"literal": "{% not evaluated %}", "id.$": "$.id"},
                "Assign": {"kept": "{% also literal %}"},
                "End": true
              }
            }
          },
          "End": true
        }
      }
    }
    """
    assert serious(lint(text)) == []


def test_item_reader_and_writer_arguments_by_language() -> None:
    text = """
    {
      "StartAt": "Fan",
      "States": {
        "Fan": {
          "Type": "Map",
          "Label": "Fan",
          "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Arguments": {"Bucket": "b"}},
          "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "P",
            "States": {"P": {"Type": "Pass", "End": true}}
          },
          "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "b"}},
          "End": true
        }
      }
    }
    """
    assert findings(lint(text), "ASL004") == [
        (7, 67, 7, 78, "'ItemReader.Arguments' is a JSONata field, but state 'Fan' uses JSONPath; add"
                       " \"QueryLanguage\": \"JSONata\" to the state (or the top level), or use 'Parameters'"
                       " instead"),
        (13, 69, 13, 80, "'ResultWriter.Arguments' is a JSONata field, but state 'Fan' uses JSONPath; add"
                         " \"QueryLanguage\": \"JSONata\" to the state (or the top level), or use"
                         " 'Parameters'"
                         " instead"),
    ]


def test_field_no_state_type_has_is_the_schema_rule() -> None:
    text = '{"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Succeed", "Result": 1}}}'
    diags = lint(text)
    assert findings(diags, "ASL004") == []
    assert findings(diags, "ASL003") == [
        (1, 82, 1, 90, "Field 'Result' is not allowed on a Succeed state; only Pass states have it"),
    ]


def test_output_on_a_jsonpath_choice_rule() -> None:
    text = """
    {
      "StartAt": "Pick",
      "States": {
        "Pick": {
          "Type": "Choice",
          "Choices": [{"Variable": "$.n", "IsPresent": true, "Output": {"n": 1}, "Next": "Done"}],
          "Default": "Done"
        },
        "Done": {"Type": "Succeed"}
      }
    }
    """
    diags = lint(text)
    assert findings(diags, "ASL004") == [
        (6, 58, 6, 66, "'Choices[0].Output' is a JSONata field, but state 'Pick' uses JSONPath; add \"QueryLanguage\":"
                       " \"JSONata\" to the state (or the top level), or remove it (a JSONPath Choice rule passes the"
                       " state input on)"),
    ]
    assert findings(diags, "ASL003") == []
