"""ASL201–ASL207 with exact positions, in JSONPath and JSONata, JSON and YAML."""

from __future__ import annotations

from tests.helpers import findings, lint, serious


def machine(state: dict, **top: object) -> dict:
    return {**top, "StartAt": "S", "States": {"S": {**state}}}


def test_asl201_position_inside_the_string() -> None:
    text = '{\n  "StartAt": "S",\n  "States": {\n    "S": {"Type": "Pass", "InputPath": "$.a[0", "End": true}\n  }\n}\n'
    assert findings(lint(text), "ASL201") == [
        (4, 45, 4, 46, "Invalid JSONPath in InputPath: Expected ']' but found end of path")
    ]


def test_asl201_in_payload_value_and_intrinsic_argument() -> None:
    diags = lint(machine({"Type": "Pass", "End": True,
                          "Parameters": {"a.$": "$..", "b.$": "States.ArrayLength($.x[)"}}))
    assert sorted(d.code for d in diags if d.severity.value == "error") == ["ASL201", "ASL203"]
    assert findings(diags, "ASL203")[0][4].startswith("Invalid intrinsic function call: ")


def test_asl202_reference_paths() -> None:
    diags = lint(machine({"Type": "Pass", "End": True, "ResultPath": "$.list[*]"}))
    [(_, _, _, _, message)] = findings(diags, "ASL202")
    assert message.startswith("ResultPath must be a Reference Path that names a single node")
    diags = lint(machine({"Type": "Pass", "End": True, "ResultPath": "$$.Execution.Id"}))
    assert [f[4] for f in findings(diags, "ASL202")] == ["ResultPath cannot use the Context object ($$); it must start with $"]
    choice = {
        "StartAt": "C",
        "States": {
            "C": {"Type": "Choice", "Default": "D",
                  "Choices": [{"Variable": "$.items[?(@.ok)]", "IsPresent": True, "Next": "D"}]},
            "D": {"Type": "Succeed"},
        },
    }
    assert [f[4][:36] for f in findings(lint(choice), "ASL202")] == ["Choices[0].Variable must be a Refere"]


def test_asl203_unknown_function_with_suggestion_and_exact_span() -> None:
    text = '{"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true, "Parameters": {"n.$": "States.ArrayLenght($.l)"}}}}'
    [(line, col, end_line, end_col, message)] = findings(lint(text), "ASL203")
    assert message == "Unknown intrinsic function States.ArrayLenght; did you mean States.ArrayLength?"
    assert text[col - 1 : end_col - 1] == "States.ArrayLenght"
    assert (line, end_line) == (1, 1)


def test_asl203_intrinsic_where_not_allowed() -> None:
    diags = lint(machine({"Type": "Pass", "End": True, "InputPath": "States.Format('{}', $.a)"}))
    assert [f[4] for f in findings(diags, "ASL203")] == [
        "InputPath cannot hold an intrinsic function; intrinsics are allowed only in payload templates (keys"
        " ending in '.$') and in a Fail state's ErrorPath/CausePath"
    ]
    diags = lint(machine({"Type": "Fail", "ErrorPath": "States.ArrayLength($.a)"}))
    assert [f[4].split(" (")[0] for f in findings(diags, "ASL203")] == [
        "ErrorPath needs a string: States.ArrayLength does not return one"
    ]
    assert findings(lint(machine({"Type": "Fail", "CausePath": "States.Format('x {}', $.a)"})), "ASL203") == []


def test_asl204_jsonata_syntax_wrapper_and_restrictions() -> None:
    text = '{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass", "Output": "{% $sum($states.input.x %}", "End": true}}}'
    [(_, col, _, _, message)] = findings(lint(text), "ASL204")
    assert message.startswith("Invalid JSONata in Output: ")
    assert col > text.index("{%")
    diags = lint(machine({"Type": "Pass", "Output": "{% $states.input", "End": True}, QueryLanguage="JSONata"))
    assert [f[4] for f in findings(diags, "ASL204")] == ["The JSONata expression opens with {% but does not end with %}"]
    diags = lint(machine({"Type": "Pass", "Output": " {% 1 %} ", "End": True}, QueryLanguage="JSONata"))
    [diag] = [d for d in diags if d.code == "ASL204"]
    assert diag.severity.value == "warning"
    diags = lint(machine({"Type": "Pass", "Output": "{% $states.result %}", "End": True}, QueryLanguage="JSONata"))
    assert [f[4] for f in findings(diags, "ASL204")] == [
        "$states.result is not available in Output: it exists only in the Output and Assign of Task, Map and"
        " Parallel states"
    ]


def test_asl205_both_directions() -> None:
    diags = lint(machine({"Type": "Pass", "End": True,
                          "Parameters": {"id": "$.order.id", "n.$": 5, "t.$": "plain text"}}))
    messages = [(d.severity.value, d.message) for d in diags if d.code == "ASL205"]
    assert ("warning", "'id' holds '$.order.id', which looks like a path or intrinsic, but the key does not end"
            " in '.$', so it is passed as a literal string; did you mean 'id.$'?") in messages
    assert ("error", "The value of 'n.$' must be a string holding a path or an intrinsic function, not a number;"
            " remove '.$' from the key to pass a literal") in messages
    assert ("error", "The value of 't.$' must be a path ($, $$ or $variable) or an intrinsic function"
            " (States.…), got 'plain text'; remove '.$' from the key to pass a literal string") in messages


def test_asl205_duplicate_plain_and_dollar_key() -> None:
    diags = lint(machine({"Type": "Pass", "End": True, "Parameters": {"x": 1, "x.$": "$.x"}}))
    assert [f[4] for f in findings(diags, "ASL205")] == [
        "Both 'x' and 'x.$' are set in the same object; AWS rejects the duplicate field — keep one"
    ]


def test_asl206_order_paths_and_scopes() -> None:
    definition = {
        "StartAt": "A",
        "States": {
            "A": {"Type": "Choice", "Default": "C", "Choices": [
                {"Variable": "$.x", "IsPresent": True, "Next": "B", "Assign": {"picked": 1}}]},
            "B": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Pass", "Parameters": {"v.$": "$picked"}, "End": True},
        },
    }
    [diag] = [d for d in lint(definition) if d.code == "ASL206"]
    assert diag.severity.value == "warning"
    assert diag.message == "$picked is not assigned on every path to state 'C'; on the others reading it fails at run time"
    same_state = machine({"Type": "Pass", "Assign": {"total": 0}, "Parameters": {"s.$": "$total"}, "End": True})
    [diag] = [d for d in lint(same_state) if d.code == "ASL206"]
    assert diag.severity.value == "error"


def test_asl206_inner_scope_cannot_assign_outer_name_and_distributed_cannot_read() -> None:
    definition = {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"limit": 3}, "Next": "M"},
            "M": {"Type": "Map", "End": True, "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "Each", "States": {"Each": {"Type": "Pass", "Parameters": {"l.$": "$limit"},
                                                       "Assign": {"limit": 4}, "End": True}}}},
        },
    }
    messages = [f[4] for f in findings(lint(definition), "ASL206")]
    assert "$limit is a variable of an outer scope, and a Distributed Map's child workflow cannot read outer" \
           " variables; pass it in through ItemSelector" in messages
    assert "Variable $limit belongs to an outer scope; inside the processor of Map state 'M' it can be read but" \
           " not assigned (no shadowing)" in messages


def test_asl206_jsonata_reads() -> None:
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "A",
        "States": {
            "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Output": "{% $x + $y %}", "End": True},
        },
    }
    assert [f[4] for f in findings(lint(definition), "ASL206")] == [
        "$y is read in state 'B' but no Assign anywhere in this definition sets it; reading it fails at run time"
    ]


def test_asl207_context_paths() -> None:
    diags = lint(machine({"Type": "Pass", "End": True, "Parameters": {"e.$": "$$.Execution.Nmae"}}))
    assert [f[4] for f in findings(diags, "ASL207")] == [
        "The Context object has no field $$.Execution.Nmae; did you mean $$.Execution.Name?"
    ]


def test_yaml_positions() -> None:
    text = """\
    StartAt: S
    States:
      S:
        Type: Pass
        Parameters:
          n.$: States.ArrayLenght($.items)
        End: true
    """
    assert findings(lint(text, path="t.asl.yaml"), "ASL203") == [
        (6, 12, 6, 30, "Unknown intrinsic function States.ArrayLenght; did you mean States.ArrayLength?")
    ]


def test_rich_valid_machine_is_silent() -> None:
    definition = {
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Assign": {"count": 0, "ids.$": "$.ids"}, "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$.ids", "Next": "Shape", "ResultPath": "$.results",
                     "ItemSelector": {"id.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "n.$": "$count"},
                     "ItemProcessor": {"StartAt": "Work", "States": {
                         "Work": {"Type": "Pass", "Parameters": {"x.$": "States.Format('item {}', $.id)"}, "End": True}}}},
            "Shape": {"Type": "Pass", "Parameters": {"len.$": "States.ArrayLength($ids)", "name.$": "$$.Execution.Name",
                                                     "first.$": "$.results[0]", "some.$": "$.results[?(@.x > 1)]"},
                      "ResultPath": "$.summary", "OutputPath": "$.summary", "Next": "J"},
            "J": {"Type": "Pass", "QueryLanguage": "JSONata",
                  "Output": "{% $merge([$states.input, {'n': $count, 'when': $states.context.State.EnteredTime}]) %}",
                  "End": True},
        },
    }
    assert [(d.code, d.message) for d in serious(lint(definition))] == []
