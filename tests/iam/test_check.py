"""Coverage problems (ASL501-504, 506, 507), over-broad grants (ASL505) and the generated policy."""

from __future__ import annotations

from typing import Any

from asl_lint.iam.check import coverage, overbroad
from asl_lint.iam.evaluate import PolicySet
from asl_lint.iam.generate import least_privilege_policy
from asl_lint.iam.policy import parse_policy
from asl_lint.iam.requirements import machine_requirements

R, A = "us-east-1", "123456789012"
SM = f"arn:aws:states:{R}:{A}:stateMachine:Pay"
CONN = f"arn:aws:events:{R}:{A}:connection/stripe/0a1b"
SECRET = f"arn:aws:secretsmanager:{R}:{A}:secret:events!connection/stripe/*"
FN = f"arn:aws:lambda:{R}:{A}:function:ship"

DEFINITION = {
    "StartAt": "Charge",
    "States": {
        "Charge": {
            "Type": "Task",
            "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {
                "ApiEndpoint": "https://api.stripe.com/v1/charges",
                "Method": "POST",
                "InvocationConfig": {"ConnectionArn": CONN},
            },
            "Next": "Ship",
        },
        "Ship": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "ship", "Payload.$": "$"},
            "End": True,
        },
    },
}


def requirements() -> list[Any]:
    return machine_requirements(DEFINITION, state_machine_arn=SM, region=R, account=A)


def policies(*statements: dict[str, Any]) -> PolicySet:
    return PolicySet([parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, "role-policy")])


HTTP_OK = {
    "Sid": "Http",
    "Effect": "Allow",
    "Action": "states:InvokeHTTPEndpoint",
    "Resource": SM,
    "Condition": {
        "StringEquals": {"states:HTTPMethod": "POST"},
        "StringLike": {"states:HTTPEndpoint": "https://api.stripe.com/*"},
    },
}
CREDS_OK = {"Effect": "Allow", "Action": "events:RetrieveConnectionCredentials", "Resource": CONN}
SECRET_OK = {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
             "Resource": SECRET}  # fmt: skip
LAMBDA_OK = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": [FN, FN + ":*"]}


def codes(problems: list[Any]) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in problems]


def test_everything_granted() -> None:
    assert coverage(requirements(), policies(HTTP_OK, CREDS_OK, SECRET_OK, LAMBDA_OK)) == []


def test_each_missing_http_permission_has_its_own_code() -> None:
    conn_ptr = "/States/Charge/Parameters/InvocationConfig/ConnectionArn"
    assert codes(coverage(requirements(), policies(CREDS_OK, SECRET_OK, LAMBDA_OK))) == [
        ("ASL502", "/States/Charge/Parameters/ApiEndpoint")
    ]
    assert codes(coverage(requirements(), policies(HTTP_OK, SECRET_OK, LAMBDA_OK))) == [("ASL503", conn_ptr)]
    only_get = {**SECRET_OK, "Action": "secretsmanager:GetSecretValue"}
    assert codes(coverage(requirements(), policies(HTTP_OK, CREDS_OK, only_get, LAMBDA_OK))) == [("ASL504", conn_ptr)]
    assert codes(coverage(requirements(), policies(HTTP_OK, CREDS_OK, SECRET_OK))) == [
        ("ASL501", "/States/Ship/Parameters/FunctionName")
    ]


def test_http_condition_mismatch_message_and_fix() -> None:
    get_only = {**HTTP_OK, "Condition": {"StringEquals": {"states:HTTPMethod": "GET"}}}
    (problem,) = coverage(requirements(), policies(get_only, CREDS_OK, SECRET_OK, LAMBDA_OK))
    assert problem.code == "ASL502"
    assert problem.state_name == "Charge"
    assert problem.field == "Parameters/ApiEndpoint"
    assert problem.message == (
        f"Task 'Charge' needs states:InvokeHTTPEndpoint (POST https://api.stripe.com/v1/charges) on {SM} "
        "(the HTTP Task calls the endpoint), but no statement of the role allows it; closest: statement 'Http' "
        "(role-policy #0) allows states:InvokeHTTPEndpoint but its Condition does not hold "
        "(StringEquals states:HTTPMethod = GET)"
    )
    assert problem.fix == {
        "Sid": "StatesInvokeHTTPEndpoint",
        "Effect": "Allow",
        "Action": "states:InvokeHTTPEndpoint",
        "Resource": SM,
        "Condition": {
            "StringEquals": {
                "states:HTTPEndpoint": "https://api.stripe.com/v1/charges",
                "states:HTTPMethod": "POST",
            }
        },
    }


def test_explicit_deny_is_asl506_and_names_the_deny() -> None:
    deny = {"Sid": "NoSecrets", "Effect": "Deny", "Action": "secretsmanager:*", "Resource": "*"}
    problems = coverage(requirements(), policies(HTTP_OK, CREDS_OK, SECRET_OK, LAMBDA_OK, deny))
    assert [p.code for p in problems] == ["ASL506", "ASL506"]
    assert problems[0].message.endswith("but denied by statement 'NoSecrets' (role-policy #4)")
    assert problems[0].fix is None


def test_unresolved_policies_give_asl507_and_no_certain_error() -> None:
    ps = policies(HTTP_OK, CREDS_OK, SECRET_OK)
    ps.unresolved.append("managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaRole (document not available)")
    problems = coverage(requirements(), ps)
    assert codes(problems) == [("ASL507", "")]
    assert problems[0].message == (
        "cannot be read statically: managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaRole "
        "(document not available); coverage is unknown"
    )
    strict = coverage(requirements(), ps, strict=True)
    assert [p.code for p in strict] == ["ASL507", "ASL501"]
    assert "cannot be shown to allow it" in strict[1].message


def test_unknown_values_are_not_errors_unless_strict() -> None:
    definition = {"StartAt": "S", "States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                                                   "Parameters": {"TopicArn.$": "$.topic"}, "End": True}}}  # fmt: skip
    reqs = machine_requirements(definition)
    narrow = policies({"Effect": "Allow", "Action": "sns:Publish", "Resource": f"arn:aws:sns:{R}:{A}:t"})
    assert coverage(reqs, narrow) == []
    assert [p.code for p in coverage(reqs, narrow, strict=True)] == ["ASL501"]
    assert coverage(reqs, policies({"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}), strict=True) == []


def test_overbroad() -> None:
    reqs = requirements()
    broad = [
        {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "AllStates", "Effect": "Allow", "Action": "states:*", "Resource": SM},
        {"Sid": "NotIam", "Effect": "Allow", "NotAction": "iam:*", "Resource": SM},
        {"Sid": "HttpAnywhere", "Effect": "Allow", "Action": "states:InvokeHTTPEndpoint", "Resource": "*"},
        {"Sid": "AllSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"},
        {"Sid": "AnyFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"},
        {"Sid": "PassAny", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Sid": "Logging", "Effect": "Allow", "Action": ["logs:*", "cloudwatch:*"], "Resource": "*"},
    ]
    messages = {p.message for p in overbroad(policies(*broad), reqs)}
    assert messages == {
        "statement 'Admin' (role-policy #0) grants every action of every service; allows states:InvokeHTTPEndpoint "
        "without a states:HTTPEndpoint condition; allows secretsmanager:GetSecretValue beyond the connections' "
        "secrets; allows iam:PassRole on * without an iam:PassedToService condition",
        "statement 'AllStates' (role-policy #1) grants every action of states (states:*); allows "
        "states:InvokeHTTPEndpoint without a states:HTTPEndpoint condition",
        "statement 'NotIam' (role-policy #2) uses NotAction with Allow: grants every action except those listed",
        "statement 'HttpAnywhere' (role-policy #3) allows states:InvokeHTTPEndpoint without a states:HTTPEndpoint "
        "condition",
        "statement 'AllSecrets' (role-policy #4) allows secretsmanager:GetSecretValue beyond the connections' secrets",
        f"statement 'AnyFunction' (role-policy #5) grants on '*' what the workflow needs only on {FN}",
        "statement 'PassAny' (role-policy #6) allows iam:PassRole on * without an iam:PassedToService condition",
        "statement 'Logging' (role-policy #7) grants every action of logs (logs:*) (the state machine's logging to "
        "CloudWatch Logs needs only logs:CreateLogDelivery, logs:GetLogDelivery, logs:UpdateLogDelivery, "
        "logs:DeleteLogDelivery, logs:ListLogDeliveries, logs:PutResourcePolicy, logs:DescribeResourcePolicies, "
        "logs:DescribeLogGroups); grants every action of cloudwatch (cloudwatch:*)",
    }
    fix = next(p.fix for p in overbroad(policies(broad[5]), reqs))
    assert fix == {"Version": "2012-10-17", "Statement": [
        {"Sid": "LambdaInvokeFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN}]}  # fmt: skip
    # Tight grants, and '*' where the documented minimum is '*', are fine.
    assert overbroad(policies(HTTP_OK, CREDS_OK, SECRET_OK, LAMBDA_OK), reqs) == []
    http_star = {**HTTP_OK, "Resource": "*"}
    assert overbroad(policies(http_star), reqs) == []


def test_generated_policy_is_exact_and_deterministic() -> None:
    reqs = requirements()
    doc = least_privilege_policy(reqs)
    assert doc == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "EventsRetrieveConnectionCredentials", "Effect": "Allow",
             "Action": "events:RetrieveConnectionCredentials", "Resource": CONN},
            {"Sid": "LambdaInvokeFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN},
            {"Sid": "SecretsmanagerDescribeSecretAnd1More", "Effect": "Allow",
             "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
             "Resource": f"arn:aws:secretsmanager:{R}:{A}:secret:events!connection/stripe/*"},
            {"Sid": "StatesInvokeHTTPEndpoint", "Effect": "Allow", "Action": "states:InvokeHTTPEndpoint",
             "Resource": SM, "Condition": {"StringEquals": {
                 "states:HTTPEndpoint": "https://api.stripe.com/v1/charges", "states:HTTPMethod": "POST"}}},
        ],
    }  # fmt: skip
    assert least_privilege_policy(list(reversed(reqs))) == doc
    ps = PolicySet([parse_policy(doc, "generated")])
    assert coverage(reqs, ps) == [] and overbroad(ps, reqs) == []


def test_generated_policy_drops_statements_a_broader_one_covers() -> None:
    definition = {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "ship"},
              "Next": "B"},
        "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName.$": "$.f"},
              "End": True}}}  # fmt: skip
    doc = least_privilege_policy(machine_requirements(definition))
    assert doc["Statement"] == [
        {"Sid": "LambdaInvokeFunctionOnAnyResourceNotKnownStatically", "Effect": "Allow",
         "Action": "lambda:InvokeFunction", "Resource": "*"}
    ]  # fmt: skip


def test_for_all_values_without_null_guard_is_overbroad() -> None:
    tags = {"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}
    loose = {
        "Sid": "Tags",
        "Effect": "Allow",
        "Action": "lambda:InvokeFunction",
        "Resource": FN,
        "Condition": tags,
    }
    (problem,) = overbroad(policies(loose), requirements())
    assert problem.message == (
        "statement 'Tags' (role-policy #0) uses ForAllValues:StringEquals without a Null guard: "
        "it passes when the key is absent"
    )
    guarded = {**loose, "Condition": {**tags, "Null": {"aws:TagKeys": "false"}}}
    assert overbroad(policies(guarded), requirements()) == []


def test_no_closest_statement_when_none_covers_the_action() -> None:
    (problem,) = coverage(requirements(), policies(HTTP_OK, CREDS_OK, SECRET_OK))
    assert problem.message == (
        f"Task 'Ship' needs lambda:InvokeFunction on {FN} (lambda:invoke calls the function), "
        "but no statement of the role allows it"
    )
    assert problem.fix == {"Sid": "LambdaInvokeFunction", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                           "Resource": FN}  # fmt: skip


def test_trailing_star_names_are_overbroad() -> None:
    sam_style = {"Sid": "Sam", "Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FN + "*"}
    (problem,) = overbroad(policies(sam_style), requirements())
    assert problem.message == (
        f"statement 'Sam' (role-policy #0) {FN}* also matches every resource whose name starts with '{FN}'"
    )
    qualified = {**sam_style, "Resource": [FN, FN + ":*"]}
    assert overbroad(policies(qualified), requirements()) == []


def test_one_call_entry_points() -> None:
    from asl_lint.iam import check_state_machine, policy_for_definition

    doc = policy_for_definition(DEFINITION, state_machine_arn=SM, region=R, account=A)
    assert doc == least_privilege_policy(requirements())
    ps = PolicySet([parse_policy(doc, "generated")])
    assert check_state_machine(DEFINITION, ps, state_machine_arn=SM, region=R, account=A) == []
    broad = policies({"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"})
    got = check_state_machine(DEFINITION, broad, state_machine_arn=SM, region=R, account=A)
    assert [p.code for p in got] == ["ASL505"]


def test_state_machine_qualifier_condition() -> None:
    child = f"arn:aws:states:{R}:{A}:stateMachine:Child"
    definition = {
        "StartAt": "S",
        "States": {
            "S": {
                "Type": "Task",
                "Resource": "arn:aws:states:::states:startExecution",
                "Parameters": {"StateMachineArn": child + ":prod"},
                "End": True,
            }
        },
    }
    reqs = machine_requirements(definition)
    only_prod = {
        "Effect": "Allow",
        "Action": "states:StartExecution",
        "Resource": child,
        "Condition": {"ForAnyValue:StringEquals": {"states:StateMachineQualifier": "prod"}},
    }
    assert coverage(reqs, policies(only_prod)) == []
    only_test = {**only_prod, "Condition": {"ForAnyValue:StringEquals": {"states:StateMachineQualifier": "test"}}}
    assert [p.code for p in coverage(reqs, policies(only_test))] == ["ASL501"]
