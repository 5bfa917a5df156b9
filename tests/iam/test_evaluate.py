"""The policy evaluator: wildcards, conditions, deny precedence, boundaries, variables, unknowns."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.iam.evaluate import PolicySet, Request, evaluate
from asl_lint.iam.glob import Tri, match
from asl_lint.iam.policy import parse_policy

SM = "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"
FN = "arn:aws:lambda:us-east-1:123456789012:function:ship"


def policy(*statements: dict[str, Any], name: str = "p", version: str = "2012-10-17") -> PolicySet:
    return PolicySet([parse_policy({"Version": version, "Statement": list(statements)}, name)])


def allow(action: Any = "lambda:InvokeFunction", resource: Any = FN, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def outcome(ps: PolicySet, action: str, resource: str | None = FN, complete: bool = False, **ctx: Any) -> str:
    context = {k.replace("__", ":"): v for k, v in ctx.items()}
    return evaluate(Request(action, resource, context, complete_context=complete), ps).outcome


# --- wildcards -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "value", "mode", "expected"),
    [
        ("s3:Get*", "s3:GetObject", "action", Tri.YES),
        ("S3:GETOBJECT", "s3:getobject", "action", Tri.YES),  # actions: case-insensitive
        ("s3:Get?bject", "s3:GetObject", "action", Tri.YES),
        ("s3:Get?", "s3:GetObject", "action", Tri.NO),  # ? is exactly one character
        ("iam:*AccessKey*", "iam:CreateAccessKey", "action", Tri.YES),
        ("*", "anything:AtAll", "action", Tri.YES),
        ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", "resource", Tri.NO),  # resources: case-sensitive
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y:z", "resource", Tri.YES),  # * spans / and : in the resource
        ("arn:aws:lambda:*:123456789012:function:ship", FN, "resource", Tri.YES),
        ("arn:aws:lambda:us-*:*:function:ship", FN, "resource", Tri.YES),
        ("arn:aws:lambda:*:function:ship", FN, "resource", Tri.NO),  # * stays inside one region segment
        ("arn:aws:*", FN, "resource", Tri.YES),  # a final * absorbs the rest
        ("arn:aws:lambda:us-east-?:*:function:ship", FN, "resource", Tri.YES),
        ("arn:aws:lambda:us-east-1:123456789012:function:ship", FN + ":PROD", "resource", Tri.NO),
        ("arn:aws:lambda:us-east-1:123456789012:function:ship*", FN + ":PROD", "resource", Tri.YES),
        ("arn:aws:*", FN, "arn", Tri.NO),  # ArnLike: never across segments
        ("arn:aws:lambda:*:*:function:*", FN + ":PROD", "arn", Tri.YES),  # the 6th part keeps its colons
        ("https://api.x.com/*", "https://api.x.com/v1/a", "like", Tri.YES),
        ("GET", "get", "equals", Tri.NO),
        ("GET", "get", "equals-ci", Tri.YES),
        ("a*", "a*", "equals", Tri.YES),
        ("a*", "ab", "equals", Tri.NO),  # StringEquals: * is literal
    ],
)
def test_wildcards(pattern: str, value: str, mode: Any, expected: Tri) -> None:
    assert match(pattern, value, mode) is expected


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        (
            "arn:aws:lambda:*:*:function:f",
            "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f",
            Tri.YES,
        ),
        ("arn:aws:lambda:us-east-1:*:function:f", "arn:aws:lambda:${AWS::Region}:1:function:f", Tri.UNKNOWN),
        ("arn:aws:sqs:*:*:q", "arn:aws:lambda:${AWS::Region}:1:function:f", Tri.NO),
        (
            "arn:${AWS::Partition}:sns:${AWS::Region}:1:t",
            "arn:${AWS::Partition}:sns:${AWS::Region}:1:t",
            Tri.YES,
        ),
        ("arn:aws:sns:us-east-1:1:t", "${TopicArn}", Tri.UNKNOWN),
        ("*", "${TopicArn}", Tri.YES),
    ],
)
def test_placeholders_are_unknown_or_symbolic(pattern: str, value: str, expected: Tri) -> None:
    assert match(pattern, value, "resource") is expected


def test_escaped_wildcards_are_literal() -> None:
    ps = policy(allow("s3:GetObject", "arn:aws:s3:::b/${*}"))
    assert outcome(ps, "s3:GetObject", "arn:aws:s3:::b/*") == "allowed"
    assert outcome(ps, "s3:GetObject", "arn:aws:s3:::b/x") == "implicit_deny"


# --- Action / NotAction / Resource / NotResource -----------------------------------------------


def test_allow_and_implicit_deny() -> None:
    ps = policy(allow())
    assert outcome(ps, "lambda:InvokeFunction") == "allowed"
    assert outcome(ps, "lambda:invokefunction") == "allowed"
    assert outcome(ps, "lambda:InvokeFunction", FN.replace("ship", "pack")) == "implicit_deny"
    assert outcome(ps, "sqs:SendMessage") == "implicit_deny"
    assert outcome(PolicySet(), "sqs:SendMessage") == "implicit_deny"


def test_not_action_and_not_resource() -> None:
    ps = policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    assert outcome(ps, "lambda:InvokeFunction") == "allowed"
    assert outcome(ps, "iam:PassRole", "arn:aws:iam::1:role/r") == "implicit_deny"
    ps = policy({"Effect": "Allow", "Action": "lambda:*", "NotResource": FN})
    assert outcome(ps, "lambda:InvokeFunction") == "implicit_deny"
    assert outcome(ps, "lambda:InvokeFunction", FN + "2") == "allowed"
    # An unknown resource may or may not be the excluded one.
    assert outcome(ps, "lambda:InvokeFunction", None) == "unknown"


def test_unknown_resource_is_allowed_only_by_star() -> None:
    assert outcome(policy(allow(resource="*")), "lambda:InvokeFunction", None) == "allowed"
    assert outcome(policy(allow()), "lambda:InvokeFunction", None) == "unknown"


def test_explicit_deny_wins_and_names_the_statement() -> None:
    ps = policy(
        allow("lambda:*", "*", Sid="All"),
        {"Sid": "NoShip", "Effect": "Deny", "Action": "lambda:Invoke*", "Resource": FN},
        name="inline-role-policy",
    )
    decision = evaluate(Request("lambda:InvokeFunction", FN), ps)
    assert decision.outcome == "explicit_deny"
    assert decision.statement is not None and decision.statement.sid == "NoShip"
    assert decision.reason == "denied by statement 'NoShip' (inline-role-policy #1)"
    assert outcome(ps, "lambda:InvokeFunction", FN + "2") == "allowed"


def test_deny_with_not_action_denies_everything_else() -> None:
    ps = policy(allow("*", "*"), {"Effect": "Deny", "NotAction": ["s3:*"], "Resource": "*"})
    assert outcome(ps, "s3:GetObject", "arn:aws:s3:::b/k") == "allowed"
    assert outcome(ps, "lambda:InvokeFunction") == "explicit_deny"


def test_unknown_deny_makes_the_decision_unknown() -> None:
    ps = policy(allow("sns:Publish", "*"), {"Effect": "Deny", "Action": "sns:*", "Resource": "arn:aws:sns:*:*:x"})
    assert outcome(ps, "sns:Publish", "${TopicArn}") == "unknown"
    assert outcome(ps, "sns:Publish", "arn:aws:sns:us-east-1:1:y") == "allowed"


def test_closest_statement_explains_the_miss() -> None:
    ps = policy(
        allow("sqs:SendMessage", "*", Sid="Queue"),
        allow("lambda:InvokeFunction", FN.replace("ship", "pack"), Sid="Pack"),
    )
    decision = evaluate(Request("lambda:InvokeFunction", FN), ps)
    assert decision.outcome == "implicit_deny"
    assert decision.closest is not None and decision.closest.sid == "Pack"
    assert decision.reason == (
        "statement 'Pack' (p #1) allows lambda:InvokeFunction but its Resource is "
        "arn:aws:lambda:us-east-1:123456789012:function:pack"
    )


# --- boundaries, unresolved ---------------------------------------------------------------------


def test_permissions_boundary_must_also_allow() -> None:
    identity = policy(allow("lambda:*", "*"), allow("sqs:*", "*"))
    boundary = parse_policy({"Version": "2012-10-17", "Statement": [allow("lambda:*", "*")]}, "boundary")
    ps = PolicySet(identity.identity, [boundary])
    assert outcome(ps, "lambda:InvokeFunction") == "allowed"
    decision = evaluate(Request("sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q"), ps)
    assert decision.outcome == "implicit_deny"
    assert decision.reason.startswith("the permissions boundary does not allow it")
    # The boundary grants nothing by itself.
    assert outcome(PolicySet([], [boundary]), "lambda:InvokeFunction") == "implicit_deny"
    # A Deny in the boundary denies.
    deny_boundary = parse_policy({"Statement": [allow("*", "*"), {"Effect": "Deny", "Action": "lambda:*",
                                                                  "Resource": "*"}]}, "b2")  # fmt: skip
    assert outcome(PolicySet(identity.identity, [deny_boundary]), "lambda:InvokeFunction") == "explicit_deny"


def test_unresolved_policies_turn_a_deny_into_unknown() -> None:
    ps = policy(allow("sqs:*", "*"))
    ps.unresolved.append("managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaRole")
    decision = evaluate(Request("lambda:InvokeFunction", FN), ps)
    assert decision.outcome == "unknown"
    assert "AWSLambdaRole" in decision.reason
    assert outcome(ps, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:q") == "allowed"


# --- conditions ---------------------------------------------------------------------------------


def cond(op: str, key: str, value: Any, action: str = "states:InvokeHTTPEndpoint") -> PolicySet:
    return policy(allow(action, "*", Condition={op: {key: value}}))


H = "states:InvokeHTTPEndpoint"


@pytest.mark.parametrize(
    ("op", "value", "request_value", "expected"),
    [
        ("StringEquals", "GET", "GET", "allowed"),
        ("StringEquals", "GET", "get", "implicit_deny"),
        ("StringEquals", ["POST", "GET"], "GET", "allowed"),  # values OR
        ("StringNotEquals", ["POST", "PUT"], "GET", "allowed"),  # negated: NOR
        ("StringNotEquals", ["POST", "GET"], "GET", "implicit_deny"),
        ("StringEqualsIgnoreCase", "GET", "get", "allowed"),
        ("StringNotEqualsIgnoreCase", "GET", "get", "implicit_deny"),
        ("StringLike", "G?T", "GET", "allowed"),
        ("StringLike", "P*", "GET", "implicit_deny"),
        ("StringNotLike", "P*", "GET", "allowed"),
        ("StringEquals", "GET", "${Method}", "unknown"),
    ],
)
def test_string_operators(op: str, value: Any, request_value: str, expected: str) -> None:
    assert outcome(cond(op, "states:HTTPMethod", value), H, SM, states__HTTPMethod=request_value) == expected


@pytest.mark.parametrize(
    ("op", "value", "request_value", "expected"),
    [
        ("NumericEquals", "10", "10.0", "allowed"),
        ("NumericNotEquals", "10", "10", "implicit_deny"),
        ("NumericLessThan", "10", "9", "allowed"),
        ("NumericLessThan", "10", "10", "implicit_deny"),
        ("NumericLessThanEquals", 10, "10", "allowed"),
        ("NumericGreaterThan", "10", "11", "allowed"),
        ("NumericGreaterThanEquals", "10", "9", "implicit_deny"),
        ("NumericEquals", "10", "ten", "implicit_deny"),
        ("DateLessThan", "2030-01-01T00:00:00Z", "2026-11-25T12:00:00Z", "allowed"),
        ("DateGreaterThan", "2030-01-01T00:00:00Z", "2026-11-25T12:00:00Z", "implicit_deny"),
        ("DateEquals", "2020-01-01T00:00:00Z", "1577836800", "allowed"),  # epoch seconds
        ("DateNotEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00+00:00", "implicit_deny"),
        ("DateLessThanEquals", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", "allowed"),
        ("DateGreaterThanEquals", "2020-01-01T00:00:00Z", "2019-12-31T23:59:59Z", "implicit_deny"),
        ("Bool", "true", "TRUE", "allowed"),
        ("Bool", True, "false", "implicit_deny"),
        ("IpAddress", "203.0.113.0/24", "203.0.113.7", "allowed"),
        ("IpAddress", "203.0.113.0/24", "198.51.100.1", "implicit_deny"),
        ("NotIpAddress", "203.0.113.0/24", "198.51.100.1", "allowed"),
        ("BinaryEquals", "QmluYXJ5", "QmluYXJ5", "allowed"),
        ("ArnLike", "arn:aws:states:*:*:stateMachine:Ord*", SM, "allowed"),
        ("ArnEquals", "arn:aws:states:*:*:stateMachine:Orders", SM, "allowed"),
        ("ArnLike", "arn:aws:*", SM, "implicit_deny"),  # all six parts are needed
        ("ArnNotLike", "arn:aws:states:*:*:stateMachine:Other", SM, "allowed"),
        ("ArnNotEquals", SM, SM, "implicit_deny"),
    ],
)
def test_other_operators(op: str, value: Any, request_value: str, expected: str) -> None:
    ps = cond(op, "test:key", value, action="test:Action")
    assert outcome(ps, "test:Action", "*", test__key=request_value) == expected


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("StringEquals", "GET", "implicit_deny"),  # positive operator, key absent: false
        ("StringNotEquals", "GET", "allowed"),  # negated operator, key absent: true
        ("StringNotLike", "G*", "allowed"),
        ("ArnNotLike", "arn:aws:states:*:*:stateMachine:*", "allowed"),
        ("StringEqualsIfExists", "GET", "allowed"),  # IfExists: absent is true
        ("NumericLessThanIfExists", "3", "allowed"),
        ("ForAllValues:StringEquals", "GET", "allowed"),  # ForAllValues: absent is true
        ("ForAnyValue:StringEquals", "GET", "implicit_deny"),  # ForAnyValue: absent is false
        ("Null", "true", "allowed"),
        ("Null", "false", "implicit_deny"),
    ],
)
def test_missing_keys(op: str, value: str, expected: str) -> None:
    assert outcome(cond(op, "states:HTTPMethod", value), H, SM) == expected


def test_present_key_with_ifexists_and_null() -> None:
    assert outcome(cond("StringEqualsIfExists", "states:HTTPMethod", "GET"), H, SM, states__HTTPMethod="PUT") == (
        "implicit_deny"
    )
    assert outcome(cond("Null", "states:HTTPMethod", "false"), H, SM, states__HTTPMethod="PUT") == "allowed"


def test_set_operators() -> None:
    any_value = cond("ForAnyValue:StringEquals", "aws:TagKeys", ["team", "env"])
    all_values = cond("ForAllValues:StringLike", "aws:TagKeys", ["team", "env*"])
    assert outcome(any_value, H, SM, aws__TagKeys=["cost", "team"]) == "allowed"
    assert outcome(any_value, H, SM, aws__TagKeys=["cost"]) == "implicit_deny"
    assert outcome(all_values, H, SM, aws__TagKeys=["team", "env-prod"]) == "allowed"
    assert outcome(all_values, H, SM, aws__TagKeys=["team", "cost"]) == "implicit_deny"
    assert outcome(all_values, H, SM, aws__TagKeys=[]) == "allowed"  # empty set: vacuously true
    combined = cond("ForAnyValue:StringLikeIfExists", "aws:TagKeys", "te*")
    assert outcome(combined, H, SM, complete=True) == "allowed"


def test_condition_keys_are_case_insensitive_and_blocks_are_anded() -> None:
    ps = policy(
        allow(
            H,
            "*",
            Condition={
                "StringEquals": {"STATES:httpmethod": "GET"},
                "StringLike": {"states:HTTPEndpoint": ["https://a.com/*", "https://b.com/*"]},
            },
        )
    )
    assert outcome(ps, H, SM, states__HTTPMethod="GET", states__HTTPEndpoint="https://b.com/x") == "allowed"
    assert outcome(ps, H, SM, states__HTTPMethod="GET", states__HTTPEndpoint="https://c.com/x") == "implicit_deny"
    assert outcome(ps, H, SM, states__HTTPMethod="POST", states__HTTPEndpoint="https://a.com/x") == "implicit_deny"
    partly = {"states__HTTPMethod": "GET", "states__HTTPEndpoint": "https://a.com/${rest}"}
    assert outcome(ps, H, SM, **partly) == "allowed"  # the known prefix decides
    assert outcome(ps, H, SM, states__HTTPMethod="GET", states__HTTPEndpoint="${url}") == "unknown"


def test_keys_outside_the_request_are_unknown_not_absent() -> None:
    # aws:PrincipalTag is never known statically; the action's own service keys are set by the caller.
    assert outcome(cond("StringEquals", "aws:PrincipalTag/team", "x"), H, SM) == "unknown"
    assert outcome(cond("StringEquals", "aws:RequestedRegion", "us-east-1"), H, SM) == "unknown"
    assert outcome(cond("StringEquals", "aws:RequestedRegion", "us-east-1"), H, SM, complete=True) == ("implicit_deny")


def test_unknown_operator_is_never_decided() -> None:
    assert outcome(cond("StringMatchesRegex", "states:HTTPMethod", "G.*"), H, SM, states__HTTPMethod="GET") == (
        "unknown"
    )


# --- policy variables ---------------------------------------------------------------------------


def test_policy_variables_in_resource_and_condition() -> None:
    ps = policy(allow("s3:GetObject", "arn:aws:s3:::home/${aws:PrincipalTag/team, 'shared'}/*"))
    # A principal tag is never known statically...
    assert outcome(ps, "s3:GetObject", "arn:aws:s3:::home/ops/x") == "unknown"
    # ...unless the caller gives it, or says the context is complete (then the default applies).
    tagged = Request("s3:GetObject", "arn:aws:s3:::home/ops/x", {"aws:PrincipalTag/team": "ops"})
    assert evaluate(tagged, ps).outcome == "allowed"
    assert outcome(ps, "s3:GetObject", "arn:aws:s3:::home/shared/x", complete=True) == "allowed"
    assert outcome(ps, "s3:GetObject", "arn:aws:s3:::home/ops/x", complete=True) == "implicit_deny"
    ps2 = policy(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"))
    # A role session has no aws:username: the statement cannot match.
    assert outcome(ps2, "s3:GetObject", "arn:aws:s3:::home/bob/x") == "implicit_deny"
    ps3 = policy(allow(H, "*", Condition={"StringEquals": {"states:HTTPEndpoint": "https://${aws:PrincipalTag/h}"}}))
    assert outcome(ps3, H, SM, states__HTTPEndpoint="https://a") == "unknown"
    ctx = {"states:HTTPEndpoint": "https://a", "aws:PrincipalTag/h": "a"}
    assert evaluate(Request(H, SM, ctx), ps3).outcome == "allowed"
    ctx["aws:PrincipalTag/h"] = "b"
    assert evaluate(Request(H, SM, ctx), ps3).outcome == "implicit_deny"


def test_variables_are_literal_in_version_2008() -> None:
    ps = policy(allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*"), version="2008-10-17")
    # ${aws:username} is plain text there: only a key spelled that way could match.
    assert outcome(ps, "s3:GetObject", "arn:aws:s3:::home/bob/x") != "allowed"
