"""The table of optimized integrations: ``<service>:<api>`` of a Task Resource -> what the role needs.

Facts and their sources: docs/sources.md#iam-for-the-other-integrations (per-service pages, managed
rules) and docs/sources.md#iam-for-the-http-task. Each handler reads the task's parameters and appends Requirements.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from asl_lint.iam import arns
from asl_lint.iam.task import TaskContext, known, split_arn

Handler = Callable[[TaskContext, str], None]
HANDLERS: dict[str, Handler] = {}


def handles(*apis: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        for api in apis:
            HANDLERS[api] = fn
        return fn

    return register


def _sync_extras(
    ctx: TaskContext,
    api: str,
    actions: tuple[str, ...],
    resource: str | None,
    field: str,
    rule: str | None,
) -> None:
    if not ctx.sync:
        return
    for action in actions:
        ctx.need(action, resource, field, f"{api}{ctx.suffix} polls / cancels the job")
    if rule:
        ctx.managed_rule(rule, api)


@handles("lambda:invoke")
def _lambda(ctx: TaskContext, api: str) -> None:
    fn = ctx.value("FunctionName")
    qual = ctx.value("Qualifier")
    arn = arns.lambda_function(ctx, fn.text, qual.text)
    ctx.need("lambda:InvokeFunction", arn, fn.field, "lambda:invoke calls the function")


@handles("sns:publish")
def _sns(ctx: TaskContext, api: str) -> None:
    topic = ctx.value("TopicArn")
    if topic.present:
        ctx.need("sns:Publish", known(topic.text), topic.field, "sns:publish publishes to the topic")
        return
    target = ctx.value("TargetArn")
    where = target if target.present else ctx.value("PhoneNumber")
    ctx.need("sns:Publish", None, where.field, "sns:publish to a target/phone number (resource '*')")


@handles("sqs:sendMessage")
def _sqs(ctx: TaskContext, api: str) -> None:
    url = ctx.value("QueueUrl")
    ctx.need("sqs:SendMessage", arns.sqs_queue(ctx, url.text), url.field, "sqs:sendMessage sends to the queue")


@handles("events:putEvents")
def _events(ctx: TaskContext, api: str) -> None:
    entries = ctx.value("Entries")
    raw = entries.raw
    if not entries.present or not isinstance(raw, list):
        ctx.need("events:PutEvents", None, entries.field, "events:putEvents with dynamic entries")
        return
    for i, entry in enumerate(raw):
        bus = ctx.value("EventBusName", base=entry, base_field=f"{entries.field}/{i}")
        arn = arns.event_bus(ctx, bus.text if bus.present else None) if not bus.dynamic else None
        field = bus.field if bus.present else f"{entries.field}/{i}"
        ctx.need("events:PutEvents", arn, field, "events:putEvents puts events on the bus")


@handles("dynamodb:getItem", "dynamodb:putItem", "dynamodb:updateItem", "dynamodb:deleteItem")
def _dynamodb(ctx: TaskContext, api: str) -> None:
    table = ctx.value("TableName")
    action = "dynamodb:" + api.split(":")[1][0].upper() + api.split(":")[1][1:]
    ctx.need(action, arns.dynamodb_table(ctx, table.text), table.field, f"{api} on the table")


@handles("states:startExecution")
def _start_execution(ctx: TaskContext, api: str) -> None:
    sm = ctx.value("StateMachineArn")
    arn = arns.state_machine(ctx, sm.text)
    # A version/alias ARN is authorized against the plain ARN, qualified by states:StateMachineQualifier.
    qualifier = split_arn(sm.text)[7:] if sm.text and arn else []
    context: dict[str, str | list[str]] = {"states:StateMachineQualifier": qualifier} if qualifier else {}
    why = "states:startExecution starts the nested workflow"
    ctx.need("states:StartExecution", arn, sm.field, why, context=context)
    if ctx.sync:
        execution = arns.execution_of(ctx, arn)
        for action in ("states:DescribeExecution", "states:StopExecution"):
            ctx.need(action, execution, sm.field, f"startExecution{ctx.suffix} tracks the nested execution")
        ctx.managed_rule("StepFunctionsGetEventsForStepFunctionsExecutionRule", api)


@handles("ecs:runTask")
def _ecs(ctx: TaskContext, api: str) -> None:
    td = ctx.value("TaskDefinition")
    text = known(td.text)
    arn = None
    if text is not None:
        if text.startswith("arn:"):
            arn = text
        else:  # family or family:revision
            arn = ctx.arn("ecs", f"task-definition/{text if ':' in text else text + ':${revision}'}")
    ctx.need("ecs:RunTask", arn, td.field, "ecs:runTask runs the task definition")
    _sync_extras(
        ctx,
        api,
        ("ecs:StopTask", "ecs:DescribeTasks"),
        None,
        "Resource",
        "StepFunctionsGetEventsForECSTaskRule",
    )
    for key in ("TaskRoleArn", "ExecutionRoleArn"):
        role = ctx.value("Overrides", key)
        if role.present:
            ctx.need(
                "iam:PassRole",
                arns.role(ctx, role.text),
                role.field,
                "ecs:runTask passes the override role to ECS",
                context={"iam:PassedToService": "ecs-tasks.amazonaws.com"},
            )


@handles("batch:submitJob")
def _batch(ctx: TaskContext, api: str) -> None:
    # DG grants '*' ("partial resource-level support"); CDK narrows: either is accepted (resource unknown).
    ctx.need("batch:SubmitJob", None, ctx.value("JobDefinition").field, "batch:submitJob submits the job")
    _sync_extras(
        ctx,
        api,
        ("batch:DescribeJobs", "batch:TerminateJob"),
        None,
        "Resource",
        "StepFunctionsGetEventsForBatchJobsRule",
    )


@handles("glue:startJobRun")
def _glue(ctx: TaskContext, api: str) -> None:
    job = ctx.value("JobName")
    arn = arns.named(ctx, "glue", "job/", job.text)
    ctx.need("glue:StartJobRun", arn, job.field, "glue:startJobRun starts the job")
    _sync_extras(ctx, api, ("glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"), arn, job.field, None)


_CODEBUILD = {
    "codebuild:startBuild": ("codebuild:StartBuild", ("codebuild:StopBuild", "codebuild:BatchGetBuilds"),
                             "StepFunctionsGetEventForCodeBuildStartBuildRule"),
    "codebuild:startBuildBatch": ("codebuild:StartBuildBatch",
                                  ("codebuild:StopBuildBatch", "codebuild:BatchGetBuildBatches"),
                                  "StepFunctionsGetEventForCodeBuildStartBuildBatchRule"),
    "codebuild:retryBuildBatch": ("codebuild:RetryBuildBatch",
                                  ("codebuild:StopBuildBatch", "codebuild:BatchGetBuildBatches"), None),
    "codebuild:stopBuild": ("codebuild:StopBuild", (), None),
    "codebuild:stopBuildBatch": ("codebuild:StopBuildBatch", (), None),
    "codebuild:deleteBuildBatch": ("codebuild:DeleteBuildBatch", (), None),
    "codebuild:batchDeleteBuilds": ("codebuild:BatchDeleteBuilds", (), None),
}  # fmt: skip


@handles(*_CODEBUILD)
def _codebuild(ctx: TaskContext, api: str) -> None:
    action, extras, rule = _CODEBUILD[api]
    project = ctx.value("ProjectName")
    arn = arns.named(ctx, "codebuild", "project/", project.text)
    ctx.need(action, arn, project.field, f"{api} on the project")
    _sync_extras(ctx, api, extras, arn, project.field, rule)


@handles("codebuild:batchGetReports")
def _codebuild_reports(ctx: TaskContext, api: str) -> None:
    ctx.need("codebuild:BatchGetReports", None, ctx.value("ReportArns").field, "codebuild:batchGetReports")


_EMR = {
    "elasticmapreduce:addStep": (("AddJobFlowSteps",), ("DescribeStep", "CancelSteps"),
                                 "StepFunctionsGetEventForEMRAddJobFlowStepsRule"),
    "elasticmapreduce:cancelStep": (("CancelSteps",), (), None),
    "elasticmapreduce:terminateCluster": (("TerminateJobFlows",), ("DescribeCluster",),
                                          "StepFunctionsGetEventForEMRTerminateJobFlowsRule"),
    "elasticmapreduce:setClusterTerminationProtection": (("SetTerminationProtection",), (), None),
    "elasticmapreduce:modifyInstanceFleetByName": (("ModifyInstanceFleet", "ListInstanceFleets"), (), None),
    "elasticmapreduce:modifyInstanceGroupByName": (("ModifyInstanceGroups", "ListInstanceGroups"), (), None),
}  # fmt: skip


@handles(*_EMR)
def _emr(ctx: TaskContext, api: str) -> None:
    actions, extras, rule = _EMR[api]
    cluster = ctx.value("ClusterId")
    arn = arns.named(ctx, "elasticmapreduce", "cluster/", cluster.text)
    for action in actions:
        ctx.need(f"elasticmapreduce:{action}", arn, cluster.field, f"{api} on the cluster")
    _sync_extras(ctx, api, tuple(f"elasticmapreduce:{a}" for a in extras), arn, cluster.field, rule)


@handles("elasticmapreduce:createCluster")
def _emr_create(ctx: TaskContext, api: str) -> None:
    for action in ("RunJobFlow", "DescribeCluster", "TerminateJobFlows"):
        ctx.need(f"elasticmapreduce:{action}", None, "Resource", "createCluster (resource '*')")
    if ctx.sync:
        ctx.managed_rule("StepFunctionsGetEventForEMRRunJobFlowRule", api)
    for key in ("ServiceRole", "JobFlowRole", "AutoScalingRole"):
        role = ctx.value(key)
        if role.present:
            ctx.need("iam:PassRole", arns.role(ctx, role.text), role.field, f"createCluster passes {key}")


_SAGEMAKER_JOBS = {
    "sagemaker:createTrainingJob": ("CreateTrainingJob", "training-job/", "TrainingJobName",
                                    ("DescribeTrainingJob", "StopTrainingJob"),
                                    "StepFunctionsGetEventsForSageMakerTrainingJobsRule", "RoleArn"),
    "sagemaker:createTransformJob": ("CreateTransformJob", "transform-job/", "TransformJobName",
                                     ("DescribeTransformJob", "StopTransformJob"),
                                     "StepFunctionsGetEventsForSageMakerTransformJobsRule", None),
    "sagemaker:createProcessingJob": ("CreateProcessingJob", "processing-job/", "ProcessingJobName",
                                      ("DescribeProcessingJob", "StopProcessingJob"), None, "RoleArn"),
    "sagemaker:createHyperParameterTuningJob": ("CreateHyperParameterTuningJob",
                                                "hyper-parameter-tuning-job/",
                                                "HyperParameterTuningJobName",
                                                ("DescribeHyperParameterTuningJob",
                                                 "StopHyperParameterTuningJob"), None, None),
    "sagemaker:createLabelingJob": ("CreateLabelingJob", "labeling-job/", "LabelingJobName",
                                    ("DescribeLabelingJob", "StopLabelingJob"), None, "RoleArn"),
    "sagemaker:createModel": ("CreateModel", "model/", "ModelName", (), None, "ExecutionRoleArn"),
    "sagemaker:createEndpointConfig": ("CreateEndpointConfig", "endpoint-config/", "EndpointConfigName",
                                       (), None, None),
    "sagemaker:createEndpoint": ("CreateEndpoint", "endpoint/", "EndpointName", (), None, None),
    "sagemaker:updateEndpoint": ("UpdateEndpoint", "endpoint/", "EndpointName", (), None, None),
}  # fmt: skip


@handles(*_SAGEMAKER_JOBS)
def _sagemaker(ctx: TaskContext, api: str) -> None:
    action, prefix, name_key, extras, rule, role_key = _SAGEMAKER_JOBS[api]
    name = ctx.value(name_key)
    # SageMaker lower-cases names inside its ARNs.
    arn = arns.named(ctx, "sagemaker", prefix, name.text, lower=True)
    ctx.need(f"sagemaker:{action}", arn, name.field, f"{api} creates the resource")
    if api == "sagemaker:createEndpoint":
        cfg = ctx.value("EndpointConfigName")
        cfg_arn = arns.named(ctx, "sagemaker", "endpoint-config/", cfg.text, lower=True)
        ctx.need("sagemaker:CreateEndpoint", cfg_arn, cfg.field, "createEndpoint reads the endpoint config")
    if api != "sagemaker:createEndpointConfig":
        ctx.need("sagemaker:ListTags", None, "Resource", f"{api} reads tags (resource '*')")
    _sync_extras(ctx, api, tuple(f"sagemaker:{a}" for a in extras), arn, name.field, rule)
    if role_key:
        role = ctx.value(role_key)
        if role.present:
            ctx.need(
                "iam:PassRole",
                arns.role(ctx, role.text),
                role.field,
                f"{api} passes its role to SageMaker",
                context={"iam:PassedToService": "sagemaker.amazonaws.com"},
            )


@handles("athena:startQueryExecution", "athena:stopQueryExecution", "athena:getQueryExecution",
         "athena:getQueryResults")  # fmt: skip
def _athena(ctx: TaskContext, api: str) -> None:
    op = api.split(":")[1]
    action = "athena:" + op[0].upper() + op[1:]
    wg = ctx.value("WorkGroup")
    workgroup = (
        arns.named(ctx, "athena", "workgroup/", wg.text if wg.present else "primary")
        if api == "athena:startQueryExecution"
        else None
    )
    ctx.need(action, workgroup, wg.field if wg.present else "Resource", f"{api} in the workgroup")
    if api == "athena:startQueryExecution":
        # The DG template grants GetDataCatalog; working samples that query the default catalog omit
        # it, so it is required only when the task names a catalog.
        catalog = ctx.value("QueryExecutionContext", "Catalog")
        if catalog.present and catalog.text != "AwsDataCatalog":
            target = arns.named(ctx, "athena", "datacatalog/", catalog.text)
            ctx.need("athena:GetDataCatalog", target, catalog.field, "startQueryExecution reads the data catalog")
        loc = ctx.value("ResultConfiguration", "OutputLocation")
        if loc.present:
            obj = arns.s3_uri(ctx, loc.text)
            bucket = obj.split("/", 1)[0] if obj else None
            ctx.need("s3:GetBucketLocation", bucket, loc.field, "Athena checks the output bucket")
            ctx.need("s3:PutObject", obj + "${object-key}" if obj else None, loc.field, "Athena writes results")
        if ctx.sync:
            for extra in ("athena:GetQueryExecution", "athena:StopQueryExecution"):
                ctx.need(extra, None, "Resource", f"startQueryExecution{ctx.suffix} polls the query")
    if api == "athena:getQueryResults":
        ctx.need("s3:GetObject", None, "Resource", "getQueryResults reads the results from S3")


# System-defined cross-Region inference profile IDs start with a geography: us.anthropic.claude-...
_INFERENCE_PROFILE = re.compile(r"\A(?:us|us-gov|eu|apac|jp|au|ca|global)\.(?=[a-z0-9-]+\.)")


@handles("bedrock:invokeModel")
def _bedrock(ctx: TaskContext, api: str) -> None:
    model = ctx.value("ModelId")
    text = known(model.text)
    arn = None
    profile = _INFERENCE_PROFILE.match(text) if text is not None else None
    if profile is not None and text is not None:
        # A cross-Region inference profile ID (us., eu., apac., global. ...): the call is allowed on
        # the profile and on the foundation model in every Region the profile routes to.
        # https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html
        ctx.need("bedrock:InvokeModel", ctx.arn("bedrock", f"inference-profile/{text}"), model.field,
                 "bedrock:invokeModel invokes the model through the inference profile")
        arn = f"arn:{ctx.partition}:bedrock:*::foundation-model/{text[profile.end():]}"
    elif text is not None:
        arn = text if text.startswith("arn:") else ctx.arn("bedrock", f"foundation-model/{text}", account=False)
    ctx.need("bedrock:InvokeModel", arn, model.field, "bedrock:invokeModel invokes the model")
    for key, action in (("Input", "s3:GetObject"), ("Output", "s3:PutObject")):
        uri = ctx.value(key, "S3Uri")
        if uri.present:
            ctx.need(action, arns.s3_uri(ctx, uri.text), uri.field, f"bedrock:invokeModel {key} in S3")
    guard = ctx.value("GuardrailIdentifier")
    if guard.present:
        ctx.need(
            "bedrock:ApplyGuardrail",
            arns.named(ctx, "bedrock", "guardrail/", guard.text),
            guard.field,
            "bedrock:invokeModel applies the guardrail",
        )


@handles("bedrock:createModelCustomizationJob")
def _bedrock_job(ctx: TaskContext, api: str) -> None:
    ctx.need("bedrock:CreateModelCustomizationJob", None, "Resource", api)
    _sync_extras(
        ctx,
        api,
        ("bedrock:GetModelCustomizationJob", "bedrock:StopModelCustomizationJob"),
        None,
        "Resource",
        None,
    )
    role = ctx.value("RoleArn")
    if role.present:
        ctx.need("iam:PassRole", arns.role(ctx, role.text), role.field, f"{api} passes its role to Bedrock")


@handles("apigateway:invoke")
def _apigateway(ctx: TaskContext, api: str) -> None:
    auth = ctx.value("AuthType")
    if auth.text not in ("IAM_ROLE", "RESOURCE_POLICY") and not auth.dynamic:
        return  # NO_AUTH (default) needs nothing from the role
    endpoint = ctx.value("ApiEndpoint")
    arn = None
    host = known(endpoint.text)
    stage, method, path = ctx.value("Stage"), ctx.value("Method"), ctx.value("Path")
    from asl_lint.iam.http import endpoint_value

    tail = endpoint_value(path).lstrip("/") if path.present else ""
    if host and ".execute-api." in host and stage.text and method.text:
        # Split on the dots outside ${...}: a symbolic id may hold dots (${aws_api_gateway_rest_api.a.id}).
        labels = re.findall(r"(?:\$\{[^}]*\}|[^.])+", host)
        api_id, region = labels[0], labels[2] if len(labels) > 2 else ctx.region
        route = f"{api_id}/{stage.text}/{method.text}/{tail}"
        arn = f"arn:{ctx.partition}:execute-api:{region}:{ctx.account}:{route}"
    # A WebSocket API's @connections callbacks are authorized as ManageConnections (inferred from
    # the IAM action for PostToConnection; not stated for apigateway:invoke by the reference).
    action = "execute-api:ManageConnections" if tail.startswith("@connections") else "execute-api:Invoke"
    ctx.need(action, arn, endpoint.field, f"apigateway:invoke with AuthType {auth.text}")


_SIMPLE = {
    "eks:createCluster": ("eks:CreateCluster", "eks:DescribeCluster", "eks:DeleteCluster"),
    "eks:deleteCluster": ("eks:DeleteCluster", "eks:DescribeCluster"),
    "eks:createNodegroup": ("eks:CreateNodegroup", "eks:DescribeNodegroup", "eks:DeleteNodegroup"),
    "eks:deleteNodegroup": ("eks:DeleteNodegroup", "eks:DescribeNodegroup"),
    "emr-containers:startJobRun": ("emr-containers:StartJobRun", "emr-containers:DescribeJobRun",
                                   "emr-containers:CancelJobRun"),
    "databrew:startJobRun": ("databrew:StartJobRun", "databrew:ListJobRuns", "databrew:StopJobRun"),
}  # fmt: skip


@handles(*_SIMPLE)
def _simple(ctx: TaskContext, api: str) -> None:
    for action in _SIMPLE[api]:
        ctx.need(action, None, "Resource", f"{api} (resource not derived)")
    role = ctx.value("RoleArn") if api.startswith("eks:") else None
    if role is not None and role.present:
        ctx.need(
            "iam:PassRole",
            arns.role(ctx, role.text),
            role.field,
            f"{api} passes its role to EKS",
            context={"iam:PassedToService": "eks.amazonaws.com"},
        )


@handles("http:invoke")
def _http(ctx: TaskContext, api: str) -> None:
    from asl_lint.iam.http import http_requirements

    http_requirements(ctx)
