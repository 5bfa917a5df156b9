"""ASL003 schema-violation: exact positions and messages, JSON and YAML."""

from __future__ import annotations

from tests.helpers import findings, lint, serious

TASK_TYPOS = """
{
  "StartAt": "Charge",
  "States": {
    "Charge": {
      "Type": "Task",
      "Resourse": "arn:aws:states:::lambda:invoke",
      "TimeoutSeconds": -5,
      "End": true
    }
  }
}
"""


def test_missing_field_unknown_field_and_bad_value_json() -> None:
    assert findings(lint(TASK_TYPOS), "ASL003") == [
        (4, 5, 4, 13, "Task state 'Charge' is missing the required field 'Resource'"),
        (6, 7, 6, 17, "Field 'Resourse' is not allowed on a Task state; did you mean 'Resource'?"),
        (7, 25, 7, 27, "'TimeoutSeconds' must be a positive integer, got -5"),
    ]


def test_missing_field_unknown_field_and_bad_value_yaml() -> None:
    text = """
    StartAt: Charge
    States:
      Charge:
        Type: Task
        Resourse: arn:aws:states:::lambda:invoke
        TimeoutSeconds: -5
        End: true
    """
    assert findings(lint(text, path="flow.asl.yaml"), "ASL003") == [
        (3, 3, 3, 9, "Task state 'Charge' is missing the required field 'Resource'"),
        (5, 5, 5, 13, "Field 'Resourse' is not allowed on a Task state; did you mean 'Resource'?"),
        (6, 21, 6, 23, "'TimeoutSeconds' must be a positive integer, got -5"),
    ]


def test_unknown_type_with_suggestion_and_missing_type() -> None:
    text = """
    {
      "StartAt": "A",
      "States": {
        "A": {"Type": "Taks", "Next": "B"},
        "B": {"End": true}
      }
    }
    """
    assert findings(lint(text), "ASL003") == [
        (4, 19, 4, 25, "'Type' must be one of Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map; got"
                       " 'Taks'"
                       " — did you mean 'Task'?"),
        (5, 5, 5, 8, "State 'B' is missing the required field 'Type'"),
    ]


def test_field_of_another_state_type_names_its_owners() -> None:
    text = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Retry": [], "End": true}}}'
    assert findings(lint(text), "ASL003") == [
        (1, 51, 1, 58, "Field 'Retry' is not allowed on a Pass state; only Task, Parallel, Map states have"
                       " it"),
    ]


def test_top_level_problems() -> None:
    text = """
    {
      "StartAt": "A",
      "Version": "2.0",
      "States": {"QueryLanguage": "JSONata", "A": {"Type": "Succeed"}}
    }
    """
    assert findings(lint(text), "ASL003") == [
        (3, 14, 3, 19, "'Version' must be \"1.0\", got '2.0'"),
        (4, 31, 4, 40, "State 'QueryLanguage' must be a state object, got 'JSONata'; 'QueryLanguage' belongs"
                       " at the"
                       " top level of the definition, next to StartAt, not in States"),
    ]


CHOICE = """
{
  "StartAt": "Check",
  "States": {
    "Check": {
      "Type": "Choice",
      "Choices": [
        {"Variable": "$.n", "Next": "Done"},
        {"Variable": "$.n", "NumericEquals": 1, "NumericLessThan": 5, "Next": "Done"},
        {"And": [{"Variable": "$.a", "IsPresent": true, "Next": "Done"}], "Next": "Done"},
        {"Variable": "$.b", "BooleanEquals": "yes", "End": true},
        {"Not": {"Variable": "$.c", "IsNull": false}, "Next": "Done"}
      ],
      "Default": "Done"
    },
    "Done": {"Type": "Succeed"}
  }
}
"""


def test_choice_rules() -> None:
    assert findings(lint(CHOICE), "ASL003") == [
        (7, 9, 7, 44, "Choices[0] of Choice state 'Check' has no comparison operator; add exactly one, such"
                      " as"
                      " StringEquals, NumericGreaterThan or IsPresent"),
        (8, 49, 8, 66, "Choices[1] of Choice state 'Check' has 2 comparison operators ('NumericEquals',"
                       " 'NumericLessThan'); a rule takes exactly one: combine rules with And or Or"),
        (9, 57, 9, 63, "Field 'Next' is not allowed in Choices[2].And[0] of Choice state 'Check': only"
                       " top-level"
                       " Choice rules transition, rules inside And, Or and Not do not"),
        (10, 9, 10, 65, "Choices[3] of Choice state 'Check' is missing the required field 'Next'"),
        (10, 46, 10, 51, "'BooleanEquals' of Choices[3] of Choice state 'Check' must be true or false, got"
                         " 'yes'"),
        (10, 53, 10, 58, "Field 'End' is not allowed in Choices[3] of Choice state 'Check'"),
    ]


def test_wait_task_retry_credentials() -> None:
    text = """
    {
      "StartAt": "Wait",
      "States": {
        "Wait": {"Type": "Wait", "Seconds": 5, "SecondsPath": "$.s", "Next": "Later"},
        "Later": {"Type": "Wait", "Timestamp": "2016-12-05 21:29:29Z", "Next": "Work"},
        "Work": {
          "Type": "Task",
          "Resource": "arn:aws:states:::dynamodb:query",
          "Credentials": {},
          "Retry": [{"ErrorEqual": ["States.ALL"]}],
          "End": true
        }
      }
    }
    """
    assert findings(lint(text), "ASL003") == [
        (4, 44, 4, 57, "'Seconds' and 'SecondsPath' cannot both be set in Wait state 'Wait'; keep only one"
                       " of them"),
        (5, 44, 5, 66, "'Timestamp' must be an RFC 3339 timestamp like '2026-01-31T23:59:00Z' (uppercase T,"
                       " and Z"
                       " or a numeric offset), got '2016-12-05 21:29:29Z'"),
        (8, 19, 8, 52, "The resource provided arn:aws:states:::dynamodb:query is not recognized: the"
                       " optimized"
                       " DynamoDB integration has only getItem, putItem, updateItem, deleteItem; use"
                       " 'arn:aws:states:::aws-sdk:dynamodb:query' for other actions"),
        (9, 7, 9, 20, "Credentials of Task state 'Work' is missing the required field 'RoleArn' (or 'RoleArn.$'"
                      " with a path)"),
        (10, 17, 10, 47, "Retry[0] of Task state 'Work' is missing the required field 'ErrorEquals'"),
        (10, 18, 10, 30, "Field 'ErrorEqual' is not allowed in Retry[0] of Task state 'Work'; did you mean"
                         " 'ErrorEquals'?"),
    ]


def test_bad_resources() -> None:
    text = """
    {
      "StartAt": "A",
      "States": {
        "A": {"Type": "Task", "Resource": "${lambdaArn", "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f:", "End": true}
      }
    }
    """
    assert findings(lint(text), "ASL003") == [
        (4, 39, 4, 52, "'Resource' must be an ARN such as 'arn:aws:states:::lambda:invoke', got"
                       " '${lambdaArn'"),
        (5, 39, 5, 90, "'Resource' has an invalid Lambda qualifier '': a version number, $LATEST, or an"
                       " alias of"
                       " letters, digits, '-' and '_'"),
    ]


MAP_YAML = """
StartAt: Fan
States:
  Fan:
    Type: Map
    ItemReader:
      Resource: arn:aws:states:::s3:getObject
      ReaderConfig:
        InputType: XML
        MaxItems: 10
        MaxItemsPath: $.max
    ItemProcessor:
      ProcessorConfig:
        Mode: DISTRIBUTED
      StartAt: Each
      States:
        Each:
          Type: Pass
          End: true
    ItemBatcher: {}
    ResultWriter:
      WriterConfig:
        OutputType: CSV
    ToleratedFailureCount: 1
    ToleratedFailureCountPath: $.n
    End: true
  Lost:
    Type: Map
    End: true
"""


def test_distributed_map_parts_yaml() -> None:
    assert findings(lint(MAP_YAML, path="fan.asl.yaml"), "ASL003") == [
        (8, 20, 8, 23, "'ItemReader.ReaderConfig.InputType' must be CSV, JSON, JSONL, PARQUET or MANIFEST,"
                       " got 'XML'"),
        (10, 9, 10, 21, "'MaxItems' and 'MaxItemsPath' cannot both be set in ItemReader.ReaderConfig of Map"
                        " state"
                        " 'Fan'; keep only one of them"),
        (12, 7, 12, 22, "ItemProcessor.ProcessorConfig of Map state 'Fan' is missing the required field"
                        " 'ExecutionType'"),
        (19, 5, 19, 16, "ItemBatcher of Map state 'Fan' needs at least one of the fields 'MaxItemsPerBatch',"
                        " 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath'"),
        (22, 21, 22, 24, "'ResultWriter.WriterConfig.OutputType' must be JSON or JSONL, got 'CSV'"),
        (24, 5, 24, 30, "'ToleratedFailureCount' and 'ToleratedFailureCountPath' cannot both be set in Map"
                        " state"
                        " 'Fan'; keep only one of them"),
        (26, 3, 26, 7, "Map state 'Lost' needs exactly one of the fields 'ItemProcessor' or 'Iterator'"),
    ]


def test_parallel_branches_and_nested_states_have_their_own_pointers() -> None:
    text = """
    {
      "StartAt": "Both",
      "States": {
        "Both": {
          "Type": "Parallel",
          "Branches": [
            {"States": {"X": {"Type": "Pass", "End": true}}},
            {"StartAt": "Y", "States": {"Y": {"Type": "Task", "End": true}}}
          ],
          "End": true
        }
      }
    }
    """
    diags = lint(text)
    assert findings(diags, "ASL003") == [
        (7, 9, 7, 57, "Branches[0] of Parallel state 'Both' is missing the required field 'StartAt'"),
        (8, 37, 8, 40, "Task state 'Y' is missing the required field 'Resource'"),
    ]
    nested = [d for d in diags if d.code == "ASL003" and d.state == "Y"]
    assert nested[0].pointer == "/States/Both/Branches/1/States/Y"


def test_unknown_values_pass_every_value_check() -> None:
    text = """
    {
      "StartAt": "Run",
      "States": {
        "Run": {
          "Type": "Task",
          "Resource": "${WorkerArn}",
          "TimeoutSeconds": "${Timeout}",
          "Credentials": "${Credentials}",
          "Retry": "${RetryPolicy}",
          "Next": "Hold"
        },
        "Hold": {"Type": "Wait", "Timestamp": "${Deadline}", "Next": "Map"},
        "Map": {
          "Type": "Map",
          "MaxConcurrency": {"Ref": "Concurrency"},
          "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
          "End": true
        }
      }
    }
    """
    diags = lint(text)
    assert findings(diags, "ASL003") == []
    assert serious(diags) == []


def test_jsonata_expression_in_a_retrier_is_a_wrong_value() -> None:
    text = """
    {
      "QueryLanguage": "JSONata",
      "StartAt": "Run",
      "States": {
        "Run": {
          "Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage",
          "Arguments": {"QueueUrl": "q", "MessageBody": "{% $states.input %}"},
          "TimeoutSeconds": "{% $states.input.timeout %}",
          "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": "{% 3 %}"}],
          "End": true
        }
      }
    }
    """
    assert findings(lint(text), "ASL003") == [
        (10, 64, 10, 73, "'Retry[0].MaxAttempts' must be a non-negative integer, got '{% 3 %}'"),
    ]


def test_assign_names_are_whole_variables() -> None:
    text = """
    {
      "StartAt": "Set",
      "States": {
        "Set": {"Type": "Pass", "Assign": {"order.id.$": "$.id", "states": 1, "top-level": 2}, "End": true}
      }
    }
    """
    assert findings(lint(text), "ASL003") == [
        (4, 40, 4, 52, "Variable name 'order.id' is not valid: Assign sets whole variables, not paths inside"
                       " them; assign the complete value to a plain name"),
        (4, 62, 4, 70, "Variable name 'states' is reserved ($states holds the state's input, result and"
                       " context)"),
    ]


def test_item_reader_and_writer_resources_and_reader_config_dependencies() -> None:
    text = """
    StartAt: Fan
    States:
      Fan:
        Type: Map
        Label: Fan
        ItemReader:
          Resource: arn:aws:states:::s3:putObject
          ReaderConfig:
            InputType: CSV
            CSVHeaderLocation: GIVEN
        ItemProcessor:
          ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
          StartAt: P
          States: {P: {Type: Pass, End: true}}
        ResultWriter:
          Resource: arn:${AWS::Partition}:states:::s3:getObject
          WriterConfig:
            Transformation: LOAD_AND_FLATTEN
        Next: Flat
      Flat:
        Type: Map
        Label: Flat
        ItemReader:
          Resource: arn:aws-cn:states:::s3:listObjectsV2
          ReaderConfig: {Transformation: LOAD_AND_FLATTEN}
        ItemProcessor:
          ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
          StartAt: Q
          States: {Q: {Type: Pass, End: true}}
        End: true
    """
    assert findings(lint(text, path="fan.asl.yaml"), "ASL003") == [
        (7, 17, 7, 46, "'ItemReader.Resource' must be arn:aws:states:::s3:getObject or"
                       " arn:aws:states:::s3:listObjectsV2, got 'arn:aws:states:::s3:putObject'"),
        (8, 7, 8, 19, "ItemReader.ReaderConfig of Map state 'Fan' is missing the required field 'CSVHeaders'"),
        (18, 25, 18, 41, "'ResultWriter.WriterConfig.Transformation' must be NONE, COMPACT or FLATTEN, got"
                         " 'LOAD_AND_FLATTEN'"),
        (25, 7, 25, 19, "ItemReader.ReaderConfig of Map state 'Flat' is missing the required field 'InputType'"),
    ]


def test_map_labels_are_unique() -> None:
    text = """
    {
      "StartAt": "A",
      "States": {
        "A": {"Type": "Map", "Label": "Run", "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass",
              "End": true}}}, "Next": "B"},
        "B": {"Type": "Map", "Label": "Run", "Iterator": {"StartAt": "Q", "States": {"Q": {"Type": "Pass",
              "End": true}}}, "End": true}
      }
    }
    """
    assert findings(lint(text), "ASL003") == [
        (6, 35, 6, 40, "Label 'Run' is already used by Map state 'A'; every Map Label must be unique in the state"
                       " machine"),
    ]


def test_item_reader_combinations() -> None:
    text = """
    StartAt: Inventory
    States:
      Inventory:
        Type: Map
        Label: Inventory
        ItemReader:
          Resource: arn:aws:states:::s3:getObject
          ReaderConfig: {ManifestType: S3_INVENTORY, InputType: CSV}
          Parameters: {Bucket: b, Key: manifest.json}
        ItemProcessor:
          ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
          StartAt: P
          States: {P: {Type: Pass, End: true}}
        Next: Parquet
      Parquet:
        Type: Map
        Label: Parquet
        ItemReader:
          Resource: arn:aws:states:::s3:getObject
          ReaderConfig: {InputType: PARQUET}
          Parameters: {Bucket: b, Key: data.parquet, VersionId: v1}
        ItemProcessor:
          ProcessorConfig: {Mode: DISTRIBUTED, ExecutionType: STANDARD}
          StartAt: Q
          States: {Q: {Type: Pass, End: true}}
        End: true
    """
    assert findings(lint(text, path="inventory.asl.yaml"), "ASL003") == [
        (8, 50, 8, 59, "'InputType' cannot be set with \"ManifestType\": \"S3_INVENTORY\" (the inventory manifest"
                       " sets the format); remove it"),
        (21, 50, 21, 59, "'VersionId' is not supported with \"InputType\": \"PARQUET\"; read the current object version"
                         " or use another input type"),
    ]
