"""The Terraform layout on the fixture projects: which definitions each .tf file reports, where every
node is, and the machine's context (substitutions, type, name, role policies)."""

from __future__ import annotations

from asl_lint.iam import check_state_machine
from tests.sources.terraform.helpers import node_where, project_file, read, text_at, where


# --- jsonencode ------------------------------------------------------------------------------------
def test_jsonencode_definition_is_the_hcl_object_with_its_positions() -> None:
    result = read("jsonencode", "main.tf")
    assert result.layout == "terraform" and result.is_template and not result.problems and not result.external
    (located,) = result.definitions
    path = project_file("jsonencode", "main.tf")
    assert located.definition["States"]["Send"]["Parameters"] == {
        "QueueUrl": "${aws_sqs_queue.jobs.url}", "MessageBody.$": "$.job"}
    assert located.definition["States"]["Wait"] == {"Type": "Wait", "Seconds": 5, "Next": "Missing"}
    # identifier key, quoted key, numbers, nested objects: key and value spans in main.tf
    assert node_where(path, located.spans("/States/Wait/Next")) == ((30, 9, 30, 13), (30, 19, 30, 28))
    assert node_where(path, located.spans("/States/Wait")) == ((27, 7, 27, 13), (27, 16, 31, 8))
    assert node_where(path, located.spans("/States/Wait/Seconds")) == ((29, 9, 29, 16), (29, 19, 29, 20))
    assert node_where(path, located.spans("/States/Send/Parameters/MessageBody.$")) == (
        (23, 11, 23, 26), (23, 29, 23, 36))
    # a value not known statically keeps the place of its expression
    assert node_where(path, located.spans("/States/Send/Parameters/QueueUrl")) == (
        (22, 11, 22, 19), (22, 27, 22, 49))
    assert located.spans("") is not None and where(path, located.spans("").value)[:2] == (14, 27)
    # code points inside a string value, through the quotes
    span = located.string_span("/States/Wait/Next", 1, 4) if located.string_span else None
    assert span is not None and text_at(path, span) == "iss"


def test_jsonencode_context() -> None:
    (located,) = read("jsonencode", "main.tf").definitions
    context = located.context
    assert context is not None
    assert (context.layout, context.id, context.name, context.machine_type) == (
        "terraform", "aws_sfn_state_machine.queue", "aws_sfn_state_machine.queue", None)
    assert context.origin == project_file("jsonencode", "main.tf")
    assert context.site is not None and (context.site.line, context.site.column) == (11, 1)
    assert context.role_site is not None and (context.role_site.line, context.role_site.column) == (13, 3)
    url = context.substitutions["aws_sqs_queue.jobs.url"]
    assert (url.kind, url.symbolic) == ("reference", "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/jobs")
    assert url.ref is not None and (url.ref.type, url.ref.name, url.ref.attribute) == (
        "aws_sqs_queue", "aws_sqs_queue.jobs", "url")
    assert context.state_machine_arn == "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:queue-jobs"
    # the heredoc policy of the inline_policy block allows exactly the queue the task sends to;
    # the AWS-managed policy cannot be read offline
    assert context.policies is not None and context.policies.unresolved == [
        "managed policy arn:aws:iam::aws:policy/CloudWatchLogsFullAccess attached by "
        "aws_iam_role.queue.managed_policy_arns (document not in the configuration)"]
    assert [list(st.resources) for st in context.policies.statements()] == [
        ["arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs"]]
    assert located.resolved["States"]["Send"]["Parameters"]["QueueUrl"] == url.symbolic
    problems = check_state_machine(located.resolved, context.policies, state_machine_arn=context.state_machine_arn)
    assert [p.code for p in problems] == ["ASL507"]


# --- heredoc ---------------------------------------------------------------------------------------
def test_heredoc_definition_positions_go_through_the_offset_map() -> None:
    result = read("heredoc", "main.tf")
    assert not result.problems
    (located,) = result.definitions
    path = project_file("heredoc", "main.tf")
    publish = located.definition["States"]["Publish"]
    # "$${price}" is Terraform's escape for a literal "${price}"; an unknown value stays a placeholder;
    # a known one (the variable's default) is filled in, outside a string too
    assert publish["Parameters"] == {"TopicArn": "${aws_sns_topic.alerts.arn}", "Message": "Price: ${price}"}
    assert publish["TimeoutSeconds"] == 30
    assert located.embedded_string
    assert node_where(path, located.spans("/States/Publish/Type")) == ((13, 11, 13, 17), (13, 19, 13, 25))
    assert node_where(path, located.spans("/States/Done/Type")) == ((19, 18, 19, 24), (19, 26, 19, 35))
    # a substituted value lands on its ${...}
    assert where(path, located.spans("/States/Publish/Parameters/TopicArn").value) == (15, 38, 15, 67)
    assert where(path, located.spans("/States/Publish/TimeoutSeconds").value) == (16, 29, 16, 43)
    # characters inside a string, past a JSON escape in the heredoc (backslashes are literal in HCL)
    span = located.string_span("/States/Done/Comment", 4, 8) if located.string_span else None
    assert span is not None and text_at(path, span) == "here"
    assert located.definition["States"]["Done"]["Comment"] == "tab\there"


def test_heredoc_context_and_policy_document() -> None:
    (located,) = read("heredoc", "main.tf").definitions
    context = located.context
    assert context is not None and context.policies is not None
    assert not context.substitutions_complete  # "${price}" came from an escape: a literal, not a bug
    assert [(list(st.actions), list(st.resources)) for st in context.policies.statements()] == [
        (["sns:Publish"], ["arn:aws:sns:${AWS::Region}:${AWS::AccountId}:alerts"])]
    assert check_state_machine(located.resolved, context.policies, state_machine_arn=context.state_machine_arn) == []


# --- templatefile ----------------------------------------------------------------------------------
def test_templatefile_is_an_external_definition_with_its_variables() -> None:
    result = read("templatefile", "main.tf")
    assert not result.definitions and not result.problems
    (external,) = result.external
    assert external.path == project_file("templatefile", "statemachine", "orders.asl.json")
    assert (external.site.line, external.site.column, external.site.end_line, external.site.end_column) == (
        28, 16, 35, 5)
    context = external.context
    assert (context.machine_type, context.template_syntax, context.substitution_source) == (
        "EXPRESS", "terraform", "templatefile() variables")
    assert context.substitutions_complete
    subs = context.substitutions
    assert {name: (s.kind, s.value) for name, s in subs.items() if s.kind == "literal"} == {
        "endpoint": ("literal", "http://partner.example.com/orders"),
        "retries": ("literal", 3),
        "region": ("literal", "eu-west-1"),  # the variable's default
    }
    worker = subs["worker_arn"]
    assert worker.kind == "reference" and worker.symbolic == (
        "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:order-worker")
    assert worker.ref is not None and worker.ref.site is not None and worker.ref.site.line == 1
    connection = subs["connection_arn"]
    assert connection.ref is not None and connection.ref.type == "aws_cloudwatch_event_connection"
    assert connection.symbolic == ("arn:aws:events:${AWS::Region}:${AWS::AccountId}:connection/partner/"
                                   "${aws_cloudwatch_event_connection.partner.connection_id}")
    assert worker.site is not None and (worker.site.line, worker.site.column, worker.site.end_column) == (
        29, 5, 48)


def test_templatefile_role_policies() -> None:
    (external,) = read("templatefile", "main.tf").external
    policies = external.context.policies
    assert policies is not None and policies.unresolved == []
    (statement,) = policies.statements()
    assert list(statement.resources) == ["arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:order-worker",
                                   "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:order-worker:*"]


# --- data.template_file, file(), roles outside the configuration ----------------------------------
def test_data_template_file_and_file() -> None:
    result = read("template_file", "main.tf")
    forms, plain = sorted(result.external, key=lambda e: e.context.id)
    assert forms.path == project_file("template_file", "definitions", "forms.asl.json")
    assert forms.context.substitution_source == "data.template_file.definition vars"
    assert {n: (s.kind, s.value) for n, s in forms.context.substitutions.items()} == {"table": ("literal", "forms")}
    assert (forms.site.line, forms.site.column) == (8, 14)
    policies = forms.context.policies
    assert policies is not None
    assert [list(st.actions) for st in policies.statements()] == [["dynamodb:PutItem"]]  # aws_iam_policy via file()
    assert policies.unresolved == [
        "managed policy arn:aws:iam::aws:policy/service-role/AWSLambdaRole attached by "
        "aws_iam_role_policy_attachment.lambda (document not in the configuration)"]
    # file() relative to the root module's directory, sent as it is
    assert plain.path == project_file("template_file", "definitions", "plain.asl.json")
    assert plain.context.substitutions == {} and plain.context.substitutions_complete
    assert plain.context.template_syntax == "cloudformation"
    assert plain.context.policies is not None and plain.context.policies.unresolved == [
        "role data.aws_iam_role.shared (read from AWS, not declared in this Terraform configuration)"]


# --- locals, tfvars, variables --------------------------------------------------------------------
def test_local_definition_is_reported_by_the_file_that_holds_it() -> None:
    assert read("locals", "main.tf").definitions == []
    (located,) = read("locals", "locals.tf").definitions
    path = project_file("locals", "locals.tf")
    assert located.definition["States"]["Pause"] == {"Type": "Wait", "Seconds": 10, "Next": "Finish"}
    assert node_where(path, located.spans("/States/Pause/Next")) == ((6, 62, 6, 66), (6, 69, 6, 77))
    # a value from another local keeps the place where it is used
    assert where(path, located.spans("/States/Pause/Seconds").value) == (6, 42, 6, 60)
    context = located.context
    assert context is not None
    assert context.machine_type == "EXPRESS"  # terraform.tfvars wins over the default
    assert context.state_machine_arn == "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:prod-flow"
    assert context.origin == project_file("locals", "main.tf")
    assert context.policies is not None and context.policies.unresolved == [
        "role var.role_arn (var.role_arn has no default and is not set in a .tfvars file)"]


def test_definition_not_known_statically_is_an_asl007_problem_at_the_attribute() -> None:
    (problem,) = read("locals", "main.tf").problems
    assert problem.code == "ASL007"
    assert problem.message == ("The definition of aws_sfn_state_machine.given is not known statically: var.definition "
                               "has no default and is not set in a .tfvars file; it is not linted")
    assert where(project_file("locals", "main.tf"), problem.span) == (15, 16, 15, 30)


# --- modules ----------------------------------------------------------------------------------------
def test_local_module_gets_its_inputs_from_the_caller() -> None:
    assert read("modules", "main.tf").external == []
    (external,) = read("modules", "modules", "workflow", "main.tf").external
    context = external.context
    assert context.id == context.name == "module.workflow.aws_sfn_state_machine.this"
    # path.module of the caller, relative to the root module
    assert external.path == project_file("modules", "flows", "events.asl.json")
    topic = context.substitutions["topic"]
    assert topic.ref is not None and topic.ref.name == "aws_sns_topic.events"
    assert topic.symbolic == "arn:aws:sns:${AWS::Region}:${AWS::AccountId}:events"
    assert context.state_machine_arn == "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:events-flow"
    assert context.policies is not None and not context.policies.unresolved
    assert [list(st.resources) for st in context.policies.statements()] == [[topic.symbolic]]
    assert sorted(read("modules", "modules", "workflow", "main.tf").depends_on) == [project_file("modules", "main.tf")]


# --- invalid HCL ------------------------------------------------------------------------------------
def test_invalid_hcl_is_a_problem_of_its_file_and_the_other_files_still_read() -> None:
    broken = read("broken", "extra.tf")
    (problem,) = broken.problems
    path = project_file("broken", "extra.tf")
    assert problem.code == "ASL001"
    assert problem.message == "The Terraform file is not valid HCL: the file ends before the block or expression is closed"
    assert where(path, problem.span) == (7, 1, 7, 1)  # the end of the file
    ok = read("broken", "main.tf")
    assert not ok.problems
    assert [d.definition for d in ok.definitions] == [{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}]
