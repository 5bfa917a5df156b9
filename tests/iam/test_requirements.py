"""Per-task requirements: one test per row of the integration table, plus walking whole machines."""

from __future__ import annotations

from typing import Any

import pytest

from asl_lint.iam.requirements import machine_requirements, task_requirements

R, A = "us-east-1", "123456789012"
SM = f"arn:aws:states:{R}:{A}:stateMachine:Main"


def reqs(state: dict[str, Any], **kw: Any) -> list[tuple[str, str | None, str]]:
    kw.setdefault("region", R)
    kw.setdefault("account", A)
    return [(r.action, r.resource, r.field) for r in task_requirements(state, state_name="S", **kw)]


def task(resource: str, params: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": resource, "Parameters": params or {}, "End": True, **extra}


FN = f"arn:aws:lambda:{R}:{A}:function:ship"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ship", FN),
        ("ship:PROD", FN + ":PROD"),
        (f"{A}:function:ship", FN),
        (FN, FN),
        (FN + ":3", FN + ":3"),
    ],
)
def test_lambda_invoke_function_name_forms(name: str, expected: str) -> None:
    assert reqs(task("arn:aws:states:::lambda:invoke", {"FunctionName": name})) == [
        ("lambda:InvokeFunction", expected, "Parameters/FunctionName")
    ]


def test_lambda_qualifier_dynamic_and_bare_arn() -> None:
    got = reqs(task("arn:aws:states:::lambda:invoke", {"FunctionName": "ship", "Qualifier": "live"}))
    assert got == [("lambda:InvokeFunction", FN + ":live", "Parameters/FunctionName")]
    dynamic = reqs(task("arn:aws:states:::lambda:invoke.waitForTaskToken", {"FunctionName.$": "$.fn"}))
    assert dynamic == [("lambda:InvokeFunction", None, "Parameters/FunctionName.$")]
    assert reqs(task(FN)) == [("lambda:InvokeFunction", FN, "Resource")]
    # An unresolved placeholder for the whole value: its form (name? ARN?) is unknown.
    assert reqs(task("arn:aws:states:::lambda:invoke", {"FunctionName": "${FnArn}"}))[0][1] is None
    # Without region/account they stay symbolic.
    symbolic = task_requirements(task("arn:aws:states:::lambda:invoke", {"FunctionName": "f"}), state_name="S")
    assert symbolic[0].resource == "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f"


def test_jsonata_arguments() -> None:
    state = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "ship", "Payload": "{% $states.input %}"},
        "End": True,
    }
    assert reqs(state, query_language="JSONata") == [("lambda:InvokeFunction", FN, "Arguments/FunctionName")]
    state["Arguments"] = {"FunctionName": "{% $fn %}"}
    assert reqs(state, query_language="JSONata") == [("lambda:InvokeFunction", None, "Arguments/FunctionName")]
    state["Arguments"] = "{% $states.input.args %}"
    assert reqs(state, query_language="JSONata") == [("lambda:InvokeFunction", None, "Arguments")]


def test_sns_sqs_events_dynamodb() -> None:
    topic = f"arn:aws:sns:{R}:{A}:orders"
    assert reqs(task("arn:aws:states:::sns:publish", {"TopicArn": topic})) == [
        ("sns:Publish", topic, "Parameters/TopicArn")
    ]
    assert reqs(task("arn:aws:states:::sns:publish", {"PhoneNumber": "+15555550100"})) == [
        ("sns:Publish", None, "Parameters/PhoneNumber")
    ]
    url = f"https://sqs.eu-west-1.amazonaws.com/{A}/jobs.fifo"
    assert reqs(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken", {"QueueUrl": url})) == [
        ("sqs:SendMessage", f"arn:aws:sqs:eu-west-1:{A}:jobs.fifo", "Parameters/QueueUrl")
    ]
    legacy = reqs(task("arn:aws:states:::sqs:sendMessage", {"QueueUrl": f"https://queue.amazonaws.com/{A}/q"}))
    assert legacy[0][1] == f"arn:aws:sqs:us-east-1:{A}:q"
    entries = {"Entries": [{"Detail": {}}, {"EventBusName": "audit"}, {"EventBusName.$": "$.bus"}]}
    assert reqs(task("arn:aws:states:::events:putEvents", entries)) == [
        ("events:PutEvents", f"arn:aws:events:{R}:{A}:event-bus/default", "Parameters/Entries/0"),
        ("events:PutEvents", f"arn:aws:events:{R}:{A}:event-bus/audit", "Parameters/Entries/1/EventBusName"),
        ("events:PutEvents", None, "Parameters/Entries/2/EventBusName.$"),
    ]
    table = f"arn:aws:dynamodb:{R}:{A}:table/Orders"
    for api, action in [("getItem", "GetItem"), ("putItem", "PutItem"), ("updateItem", "UpdateItem"),
                        ("deleteItem", "DeleteItem")]:  # fmt: skip
        got = reqs(task(f"arn:aws:states:::dynamodb:{api}", {"TableName": "Orders"}))
        assert got == [(f"dynamodb:{action}", table, "Parameters/TableName")]


def test_start_execution_sync_needs_tracking_and_managed_rule() -> None:
    child = f"arn:aws:states:{R}:{A}:stateMachine:Child"
    assert reqs(task("arn:aws:states:::states:startExecution", {"StateMachineArn": child + ":live"})) == [
        ("states:StartExecution", child, "Parameters/StateMachineArn")  # alias stripped
    ]
    aliased = task_requirements(
        task("arn:aws:states:::states:startExecution", {"StateMachineArn": child + ":live"}), state_name="S"
    )
    assert aliased[0].context == {"states:StateMachineQualifier": ["live"]}
    rule = f"arn:aws:events:{R}:{A}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"
    execution = f"arn:aws:states:{R}:{A}:execution:Child:${{execution-name}}"
    for suffix in (".sync", ".sync:2"):
        got = reqs(task(f"arn:aws:states:::states:startExecution{suffix}", {"StateMachineArn": child}))
        assert got == [
            ("states:StartExecution", child, "Parameters/StateMachineArn"),
            ("states:DescribeExecution", execution, "Parameters/StateMachineArn"),
            ("states:StopExecution", execution, "Parameters/StateMachineArn"),
            ("events:PutTargets", rule, "Resource"),
            ("events:PutRule", rule, "Resource"),
            ("events:DescribeRule", rule, "Resource"),
        ]


def test_ecs_batch_glue_codebuild() -> None:
    ecs = reqs(
        task(
            "arn:aws:states:::ecs:runTask.sync",
            {"TaskDefinition": "web:7", "Overrides": {"TaskRoleArn": f"arn:aws:iam::{A}:role/task"}},
        )
    )
    rule = f"arn:aws:events:{R}:{A}:rule/StepFunctionsGetEventsForECSTaskRule"
    assert ecs == [
        ("ecs:RunTask", f"arn:aws:ecs:{R}:{A}:task-definition/web:7", "Parameters/TaskDefinition"),
        ("ecs:StopTask", None, "Resource"),
        ("ecs:DescribeTasks", None, "Resource"),
        ("events:PutTargets", rule, "Resource"),
        ("events:PutRule", rule, "Resource"),
        ("events:DescribeRule", rule, "Resource"),
        ("iam:PassRole", f"arn:aws:iam::{A}:role/task", "Parameters/Overrides/TaskRoleArn"),
    ]
    family = reqs(task("arn:aws:states:::ecs:runTask", {"TaskDefinition": "web"}))
    assert family[0][1] == f"arn:aws:ecs:{R}:{A}:task-definition/web:${{revision}}"
    batch = [a for a, _, _ in reqs(task("arn:aws:states:::batch:submitJob.sync", {"JobDefinition": "d"}))]
    assert batch == ["batch:SubmitJob", "batch:DescribeJobs", "batch:TerminateJob", "events:PutTargets",
                     "events:PutRule", "events:DescribeRule"]  # fmt: skip
    glue = reqs(task("arn:aws:states:::glue:startJobRun.sync", {"JobName": "etl"}))
    job = f"arn:aws:glue:{R}:{A}:job/etl"
    assert [(a, r) for a, r, _ in glue] == [
        ("glue:StartJobRun", job),
        ("glue:GetJobRun", job),
        ("glue:GetJobRuns", job),
        ("glue:BatchStopJobRun", job),
    ]
    build = reqs(task("arn:aws:states:::codebuild:startBuild.sync", {"ProjectName": "ci"}))
    assert [a for a, _, _ in build][:3] == [
        "codebuild:StartBuild",
        "codebuild:StopBuild",
        "codebuild:BatchGetBuilds",
    ]
    assert build[-1][1] == f"arn:aws:events:{R}:{A}:rule/StepFunctionsGetEventForCodeBuildStartBuildRule"


def test_emr_sagemaker_athena_bedrock() -> None:
    emr = reqs(task("arn:aws:states:::elasticmapreduce:addStep.sync", {"ClusterId": "j-1"}))
    cluster = f"arn:aws:elasticmapreduce:{R}:{A}:cluster/j-1"
    assert [(a, r) for a, r, _ in emr][:3] == [
        ("elasticmapreduce:AddJobFlowSteps", cluster),
        ("elasticmapreduce:DescribeStep", cluster),
        ("elasticmapreduce:CancelSteps", cluster),
    ]
    create = reqs(task("arn:aws:states:::elasticmapreduce:createCluster", {"ServiceRole": "EMR_DefaultRole"}))
    assert ("iam:PassRole", f"arn:aws:iam::{A}:role/EMR_DefaultRole", "Parameters/ServiceRole") in create
    train = task_requirements(
        task(
            "arn:aws:states:::sagemaker:createTrainingJob.sync",
            {"TrainingJobName": "Nightly", "RoleArn": "r"},
        ),
        state_name="S",
        region=R,
        account=A,
    )
    assert train[0].resource == f"arn:aws:sagemaker:{R}:{A}:training-job/nightly"  # lower-cased
    passrole = next(r for r in train if r.action == "iam:PassRole")
    assert passrole.context == {"iam:PassedToService": "sagemaker.amazonaws.com"}
    athena = reqs(
        task(
            "arn:aws:states:::athena:startQueryExecution.sync",
            {"WorkGroup": "wg", "ResultConfiguration": {"OutputLocation": "s3://out/results/"}},
        )
    )
    assert (
        "athena:StartQueryExecution",
        f"arn:aws:athena:{R}:{A}:workgroup/wg",
        "Parameters/WorkGroup",
    ) in athena
    assert ("s3:PutObject", "arn:aws:s3:::out/results/${object-key}",
            "Parameters/ResultConfiguration/OutputLocation") in athena  # fmt: skip
    assert ("athena:GetQueryExecution", None, "Resource") in athena
    assert "athena:GetDataCatalog" not in [a for a, _, _ in athena]  # default catalog
    named = reqs(task("arn:aws:states:::athena:startQueryExecution", {"QueryExecutionContext": {"Catalog": "hive"}}))
    assert ("athena:GetDataCatalog", f"arn:aws:athena:{R}:{A}:datacatalog/hive",
            "Parameters/QueryExecutionContext/Catalog") in named  # fmt: skip
    bedrock = reqs(
        task(
            "arn:aws:states:::bedrock:invokeModel",
            {"ModelId": "anthropic.claude-v2", "Input": {"S3Uri": "s3://in/prompt.json"}},
        )
    )
    assert bedrock == [
        (
            "bedrock:InvokeModel",
            f"arn:aws:bedrock:{R}::foundation-model/anthropic.claude-v2",
            "Parameters/ModelId",
        ),
        ("s3:GetObject", "arn:aws:s3:::in/prompt.json", "Parameters/Input/S3Uri"),
    ]
    # A cross-Region inference profile ID: the profile, and the model in every Region it routes to.
    profile = reqs(task("arn:aws:states:::bedrock:invokeModel", {"ModelId": "global.amazon.nova-2-lite-v1:0"}))
    assert profile == [
        ("bedrock:InvokeModel", f"arn:aws:bedrock:{R}:{A}:inference-profile/global.amazon.nova-2-lite-v1:0",
         "Parameters/ModelId"),
        ("bedrock:InvokeModel", "arn:aws:bedrock:*::foundation-model/amazon.nova-2-lite-v1:0", "Parameters/ModelId"),
    ]


def test_api_gateway_only_with_iam_auth() -> None:
    params = {"ApiEndpoint": "abc123.execute-api.us-west-2.amazonaws.com", "Method": "GET", "Stage": "prod",
              "Path": "/orders"}  # fmt: skip
    assert reqs(task("arn:aws:states:::apigateway:invoke", params)) == []
    got = reqs(task("arn:aws:states:::apigateway:invoke", {**params, "AuthType": "IAM_ROLE"}))
    assert got == [
        (
            "execute-api:Invoke",
            f"arn:aws:execute-api:us-west-2:{A}:abc123/prod/GET/orders",
            "Parameters/ApiEndpoint",
        )
    ]


@pytest.mark.parametrize(
    ("integration", "params", "expected"),
    [
        ("aws-sdk:s3:getObject", {"Bucket": "b", "Key": "k"}, [("s3:GetObject", "arn:aws:s3:::b/k")]),
        ("aws-sdk:s3:listObjectsV2", {"Bucket": "b"}, [("s3:ListBucket", "arn:aws:s3:::b")]),
        ("aws-sdk:s3:listBuckets", {}, [("s3:ListAllMyBuckets", None)]),
        ("aws-sdk:sfn:startSyncExecution", {"StateMachineArn": SM}, [("states:StartSyncExecution", SM)]),
        ("aws-sdk:dynamodb:query", {"TableName": "T", "IndexName": "byDate"},
         [("dynamodb:Query", f"arn:aws:dynamodb:{R}:{A}:table/T/index/byDate")]),
        ("aws-sdk:eventbridge:putEvents", {}, [("events:PutEvents", None)]),
        ("aws-sdk:bedrockruntime:converse", {}, [("bedrock:InvokeModel", None)]),
        ("aws-sdk:cloudwatchlogs:createLogGroup", {}, [("logs:CreateLogGroup", None)]),
        ("aws-sdk:rekognition:detectLabels", {}, [("rekognition:DetectLabels", None)]),
        ("aws-sdk:sqs:sendMessageBatch", {"QueueUrl": f"https://sqs.{R}.amazonaws.com/{A}/q"},
         [("sqs:SendMessage", f"arn:aws:sqs:{R}:{A}:q")]),
        ("aws-sdk:apigateway:getRestApis", {}, [("apigateway:GET", None)]),
        ("aws-sdk:lambda:invoke.waitForTaskToken", {"FunctionName": "ship"}, [("lambda:InvokeFunction", FN)]),
    ],
)  # fmt: skip
def test_aws_sdk_derivation(integration: str, params: dict[str, Any], expected: list[tuple[str, Any]]) -> None:
    got = reqs(task(f"arn:aws:states:::{integration}", params))
    assert [(a, r) for a, r, _ in got] == expected


def test_activities_credentials_and_unknown_resources() -> None:
    assert reqs(task(f"arn:aws:states:{R}:{A}:activity:approve")) == []
    assert reqs(task("${WorkerArn}")) == []
    role = "arn:aws:iam::999999999999:role/cross"
    crossed = task("arn:aws:states:::lambda:invoke", {"FunctionName": "f"}, Credentials={"RoleArn": role})
    assert reqs(crossed) == [("sts:AssumeRole", role, "Credentials/RoleArn")]
    # Partition and region/account taken from the Resource's own partition when literal.
    cn = task_requirements(task("arn:aws-cn:states:::sns:publish", {"TopicArn.$": "$.t"}), state_name="S")
    assert cn[0].resource is None
    assert reqs(task("arn:aws:states:::glue:startCrawler", {"Name": "c"})) == [
        ("glue:StartCrawler", None, "Resource")  # not in the table: the generic derivation
    ]


CONN = f"arn:aws:events:{R}:{A}:connection/stripe/0a1b"


def http_task(**params: Any) -> dict[str, Any]:
    base = {"ApiEndpoint": "https://api.stripe.com/v1/charges", "Method": "POST",
            "InvocationConfig": {"ConnectionArn": CONN}}  # fmt: skip
    base.update(params)
    return task("arn:aws:states:::http:invoke", base)


def test_http_task_needs_four_permissions() -> None:
    got = task_requirements(http_task(), state_name="Charge", state_machine_arn=SM, region=R, account=A)
    assert [(r.action, r.resource, r.kind, r.field) for r in got] == [
        ("states:InvokeHTTPEndpoint", SM, "http-invoke", "Parameters/ApiEndpoint"),
        ("events:RetrieveConnectionCredentials", CONN, "connection",
         "Parameters/InvocationConfig/ConnectionArn"),
        ("secretsmanager:GetSecretValue",
         f"arn:aws:secretsmanager:{R}:{A}:secret:events!connection/stripe/${{connection-secret}}",
         "connection-secret", "Parameters/InvocationConfig/ConnectionArn"),
        ("secretsmanager:DescribeSecret",
         f"arn:aws:secretsmanager:{R}:{A}:secret:events!connection/stripe/${{connection-secret}}",
         "connection-secret", "Parameters/InvocationConfig/ConnectionArn"),
    ]  # fmt: skip
    assert got[0].context == {
        "states:HTTPMethod": "POST",
        "states:HTTPEndpoint": "https://api.stripe.com/v1/charges",
    }


def test_http_task_dynamic_parts() -> None:
    legacy = http_task(InvocationConfig=None, Authentication={"ConnectionArn.$": "$.conn"})
    del legacy["Parameters"]["InvocationConfig"]
    got = task_requirements(legacy, state_name="S")
    assert got[1].resource is None and got[1].field == "Parameters/Authentication/ConnectionArn.$"
    assert got[2].resource == (
        "arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/"
        "${connection-name}/${connection-secret}"
    )
    fmt = http_task(**{"ApiEndpoint.$": "States.Format('https://api.x.com/users/{}', $.id)", "Method.$": "$.m"})
    del fmt["Parameters"]["ApiEndpoint"]
    del fmt["Parameters"]["Method"]
    ctx = task_requirements(fmt, state_name="S")[0].context
    assert ctx == {
        "states:HTTPMethod": "${Method}",
        "states:HTTPEndpoint": "https://api.x.com/users/${argument}",
    }
    jsonata = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
               "Arguments": {"ApiEndpoint": "{% 'https://api.x.com/' & $path %}", "Method": "GET",
                             "InvocationConfig": {"ConnectionArn": "{% $conn %}"}}}  # fmt: skip
    got = task_requirements(jsonata, state_name="S", query_language="JSONata")
    assert got[0].context["states:HTTPEndpoint"] == "https://api.x.com/${rest}"
    assert got[1].resource is None and got[1].field == "Arguments/InvocationConfig/ConnectionArn"


def test_connection_of_the_project_gives_its_secret_the_name_policies_give_it() -> None:
    """The secret of a connection that is a resource of the project is spelled as a policy naming that
    connection's secret ARN spells it (CloudFormation ``!GetAtt C.SecretArn``, Terraform
    ``aws_cloudwatch_event_connection.c.secret_arn``), so coverage is proven either way."""
    from asl_lint.iam.cfn import template_resolver
    from asl_lint.sources.terraform.resources import attribute_pattern

    resolve = template_resolver({"Resources": {"Conn": {"Type": "AWS::Events::Connection", "Properties": {}}}})
    address = "module.m.aws_cloudwatch_event_connection.c"
    for arn, secret in [
        (resolve({"Fn::GetAtt": ["Conn", "Arn"]}), resolve({"Fn::GetAtt": ["Conn", "SecretArn"]})),
        (attribute_pattern("aws_cloudwatch_event_connection", "arn", "c-name", address),
         attribute_pattern("aws_cloudwatch_event_connection", "secret_arn", "c-name", address)),
    ]:
        got = task_requirements(http_task(InvocationConfig={"ConnectionArn": arn}), state_name="S")
        assert [r.resource for r in got[2:]] == [secret, secret]
    assert secret == ("arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/c-name/"
                      "${module.m.aws_cloudwatch_event_connection.c.secret_id}")
    # a connection ARN with a literal id: the secret's own id is not known
    odd = "arn:aws:events:eu-west-1:1:connection/c/${Other.Thing}"
    got = task_requirements(http_task(InvocationConfig={"ConnectionArn": odd}), state_name="S")
    assert got[2].resource == "arn:aws:secretsmanager:eu-west-1:1:secret:events!connection/c/${connection-secret}"


def test_distributed_map() -> None:
    dmap = {
        "Type": "Map",
        "ItemReader": {
            "Resource": "arn:aws:states:::s3:listObjectsV2",
            "Parameters": {"Bucket": "in", "Prefix": "x/"},
        },
        "ResultWriter": {
            "Resource": "arn:aws:states:::s3:putObject",
            "Parameters": {"Bucket": "out", "Prefix": "r"},
        },
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {}},
        "End": True,
    }
    got = task_requirements(dmap, state_name="M", state_machine_arn=SM)
    mode = "ItemProcessor/ProcessorConfig/Mode"
    assert [(r.action, r.resource, r.field) for r in got] == [
        ("states:StartExecution", SM, mode),
        ("states:DescribeExecution", f"arn:aws:states:{R}:{A}:execution:Main:${{execution-name}}", mode),
        ("s3:ListBucket", "arn:aws:s3:::in", "ItemReader/Parameters/Bucket"),
        ("s3:PutObject", "arn:aws:s3:::out/r/${result-object}", "ResultWriter/Parameters/Bucket"),
        ("s3:GetObject", "arn:aws:s3:::out/r/${result-object}", "ResultWriter/Parameters/Bucket"),
    ]
    assert got[2].context == {"s3:prefix": "x/"}
    dmap["ItemReader"] = {
        "Resource": "arn:aws:states:::s3:getObject",
        "Parameters": {"Bucket": "in", "Key": "a.csv"},
    }
    assert ("s3:GetObject", "arn:aws:s3:::in/a.csv") in [(r.action, r.resource) for r in task_requirements(
        dmap, state_name="M")]  # fmt: skip
    dmap["ItemProcessor"]["ProcessorConfig"]["Mode"] = "INLINE"
    assert task_requirements(dmap, state_name="M") == []


def test_machine_requirements_walks_nested_scopes_with_pointers() -> None:
    inner = task("arn:aws:states:::lambda:invoke", {"FunctionName": "inner"})
    definition = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "a/b", "States": {"a/b": inner}}],
                "Next": "M",
            },
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": inner}}, "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 1, "End": True},
        },
    }
    got = machine_requirements(definition, region=R, account=A)
    assert [(p, n, r.resource) for p, n, r in got] == [
        ("/States/P/Branches/0/States/a~1b", "a/b", f"arn:aws:lambda:{R}:{A}:function:inner"),
        ("/States/M/ItemProcessor/States/I", "I", f"arn:aws:lambda:{R}:{A}:function:inner"),
    ]


def test_api_gateway_websocket_callbacks() -> None:
    params = {"ApiEndpoint": "abc.execute-api.eu-west-1.amazonaws.com", "Method": "POST", "Stage": "api",
              "Path.$": "States.Format('/@connections/{}', $.id)", "AuthType": "IAM_ROLE"}  # fmt: skip
    assert reqs(task("arn:aws:states:::apigateway:invoke", params)) == [
        ("execute-api:ManageConnections",
         f"arn:aws:execute-api:eu-west-1:{A}:abc/api/POST/@connections/${{argument}}",
         "Parameters/ApiEndpoint")
    ]  # fmt: skip
