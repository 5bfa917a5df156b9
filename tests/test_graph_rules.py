"""ASL101–ASL106 on fixtures that trigger them and fixtures that must stay silent."""

from __future__ import annotations

from tests.helpers import findings, lint, serious

UNKNOWN = """\
{
  "StartAt": "Pack",
  "States": {
    "Pack": {"Type": "Pass", "Next": "Shpi"},
    "Ship": {"Type": "Succeed"}
  }
}
"""


def test_asl101_unknown_next_with_suggestion_and_fix() -> None:
    diags = lint(UNKNOWN)
    assert findings(diags, "ASL101") == [
        (4, 38, 4, 44, "Next names state 'Shpi', which does not exist; did you mean 'Ship'?")
    ]
    [diag] = [d for d in diags if d.code == "ASL101"]
    assert diag.pointer == "/States/Pack/Next"
    assert diag.state == "Pack"
    assert diag.fix is not None and diag.fix.edits[0].value == "Ship"
    # The dangling transition must not also be blamed as a dead end (ASL103) or leave Ship unreachable noise only.
    assert findings(diags, "ASL103") == []


def test_asl101_start_at_and_catch_and_choice_targets() -> None:
    diags = lint(
        {
            "StartAt": "Nope",
            "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Gone"}], "End": True},
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Also gone"}],
                      "Default": "T"},
            },
        }
    )
    messages = [f[4] for f in findings(diags, "ASL101")]
    assert messages == [
        "StartAt names state 'Nope', which does not exist",
        "Catch Next names state 'Gone', which does not exist",
        "Choice rule Next names state 'Also gone', which does not exist",
    ]


def test_asl101_cross_scope_target() -> None:
    diags = lint(
        {
            "StartAt": "P",
            "States": {
                "P": {"Type": "Parallel", "End": True, "Branches": [
                    {"StartAt": "In", "States": {"In": {"Type": "Pass", "Next": "Out"}}}]},
                "Out": {"Type": "Succeed"},
            },
        }
    )
    [(_, _, _, _, message)] = findings(diags, "ASL101")
    assert message == (
        "Next names state 'Out', which does not exist in branch 0 of Parallel state 'P'; it is in the state"
        " machine, and transitions cannot cross scopes"
    )


def test_asl102_unreachable_points_at_the_state_key() -> None:
    diags = lint('{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Succeed"},\n    "B": {"Type": "Succeed"}\n  }\n}\n')
    assert findings(diags, "ASL102") == [
        (5, 5, 5, 8, "State 'B' is unreachable: no path from StartAt 'A' leads to it"
                     " (AWS rejects definitions with unreachable states)")
    ]


def test_asl103_closed_loop_and_scope_without_end() -> None:
    diags = lint(
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Wait", "Seconds": 1, "Next": "B"},
                "B": {"Type": "Wait", "Seconds": 1, "Next": "A"},
            },
        }
    )
    assert [f[4] for f in findings(diags, "ASL103")] == [
        "No state in the state machine can end it: add a Succeed or Fail state, or \"End\": true on a Task,"
        " Pass, Wait, Parallel or Map state"
    ]
    diags = lint(
        {
            "StartAt": "A",
            "States": {
                "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "Done"}],
                      "Default": "B"},
                "B": {"Type": "Wait", "Seconds": 1, "Next": "C"},
                "C": {"Type": "Wait", "Seconds": 1, "Next": "B"},
                "Done": {"Type": "Succeed"},
            },
        }
    )
    assert [f[4] for f in findings(diags, "ASL103")] == [
        "States 'B', 'C' form a loop that never reaches a terminal state (no End, Succeed or Fail on any path out)"
    ]


def test_asl104_duplicate_names_across_scopes() -> None:
    diags = lint(
        {
            "StartAt": "Fan",
            "States": {
                "Fan": {"Type": "Parallel", "End": True, "Branches": [
                    {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": True}}},
                    {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": True}}},
                ]},
            },
        }
    )
    [(_, _, _, _, message)] = findings(diags, "ASL104")
    assert message == (
        "State name 'Work' is already used by the state at /States/Fan/Branches/0/States/Work; state names must"
        " be unique across the whole definition, nested branches and Map processors included"
    )


def test_asl105_both_and_neither() -> None:
    text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass", "Next": "B", "End": true},\n    "B": {"Type": "Pass"}\n  }\n}\n'
    assert findings(lint(text), "ASL105") == [
        (4, 40, 4, 45, "Pass state 'A' has both Next and \"End\": true; keep exactly one"),
        (5, 5, 5, 8, "Pass state 'B' has neither Next nor \"End\": true; it needs exactly one"),
    ]


def test_asl106_busy_loop_in_yaml() -> None:
    text = """\
    StartAt: Check
    States:
      Check:
        Type: Choice
        Choices:
          - Variable: $.done
            BooleanEquals: true
            Next: Done
        Default: Again
      Again:
        Type: Pass
        Next: Check
      Done:
        Type: Succeed
    """
    diags = lint(text, path="loop.asl.yaml")
    assert findings(diags, "ASL106") == [
        (3, 3, 3, 8, "The loop through 'Check', 'Again' has no Wait or Task state: it spins without pause until"
                     " the execution hits its 25,000-event history limit; add a Wait state to the loop")
    ]


def test_polling_loop_with_wait_is_silent() -> None:
    text = """\
    StartAt: Check
    States:
      Check:
        Type: Choice
        Choices:
          - Variable: $.done
            BooleanEquals: true
            Next: Done
        Default: Again
      Again:
        Type: Wait
        Seconds: 10
        Next: Check
      Done:
        Type: Succeed
    """
    assert serious(lint(text, path="loop.asl.yaml")) == []


def test_well_formed_nested_machine_is_silent() -> None:
    diags = lint(
        {
            "StartAt": "M",
            "States": {
                "M": {"Type": "Map", "ItemsPath": "$.items", "Next": "Done", "ItemProcessor": {
                    "StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": True}}}},
                "Done": {"Type": "Succeed"},
            },
        }
    )
    assert serious(diags) == []


def test_placeholder_targets_are_unknown_not_errors() -> None:
    diags = lint({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${NextState}"}, "B": {"Type": "Succeed"}}})
    assert findings(diags, "ASL101") == []
