"""A definition file linted in its project by the long-lived server: what the infrastructure files
around it depend on (tfvars, sibling ``.tf`` files, policy documents, new files) is read anew when
it changes on disk, not only after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.helpers import open_doc, pos, wait_diagnostics

MAIN_TF = """\
resource "aws_sfn_state_machine" "m" {
  name       = "m"
  role_arn   = aws_iam_role.m.arn
  definition = templatefile("${path.module}/statemachine/m.asl.json", { wait = var.wait, topic = aws_sns_topic.t.arn })
}

variable "wait" {
  type = number
}

resource "aws_sns_topic" "t" {
  name = "t"
}

resource "aws_iam_role" "m" {
  name = "m"
}
"""
ROLE_TF = """\
resource "aws_iam_role_policy" "from_file" {
  role   = aws_iam_role.m.id
  policy = file("${path.module}/policy.json")
}
"""
SECOND_POLICY_TF = """
resource "aws_iam_role_policy" "publish" {
  role = aws_iam_role.m.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = aws_sns_topic.t.arn }]
  })
}
"""
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "%s", "Resource": "%s"}]}\n'
DEFINITION = """\
{
  "StartAt": "Pause",
  "States": {
    "Pause": { "Type": "Wait", "Seconds": ${wait}, "Next": "Tell" },
    "Tell": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish",
      "Parameters": { "TopicArn": "${topic}", "Message": "done" },
      "End": true
    }
  }
}
"""


def _rows(diagnostics: list[types.Diagnostic]) -> list[tuple[object, types.Position, types.Position, str]]:
    return [(d.code, d.range.start, d.range.end, d.message) for d in diagnostics]


async def _relint(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    """Save the (unchanged) document: the server lints it again and publishes."""
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
    return await wait_diagnostics(client, uri)


def _terraform_project(tmp_path: Path) -> str:
    """A Terraform project whose machine's definition file is ``statemachine/m.asl.json``; its URI."""
    (tmp_path / ".git").mkdir()  # the project root: the search for infrastructure files stops here
    (tmp_path / "statemachine").mkdir()
    (tmp_path / "main.tf").write_text(MAIN_TF, encoding="utf-8")
    (tmp_path / "role.tf").write_text(ROLE_TF, encoding="utf-8")
    (tmp_path / "terraform.tfvars").write_text("wait = 5\n", encoding="utf-8")
    (tmp_path / "policy.json").write_text(POLICY % ("sns:Publish", "arn:aws:sns:*:*:t"), encoding="utf-8")
    definition = tmp_path / "statemachine" / "m.asl.json"
    definition.write_text(DEFINITION, encoding="utf-8")
    uri = definition.as_uri()
    return uri


@pytest.mark.asyncio(loop_scope="module")
async def test_changed_tfvars_sibling_tf_policy_file_and_new_tfvars_are_seen(
        client: LanguageClient, tmp_path: Path) -> None:
    uri = _terraform_project(tmp_path)
    assert await open_doc(client, uri, DEFINITION) == []

    # terraform.tfvars: the value substituted at ${wait} changes
    (tmp_path / "terraform.tfvars").write_text("wait = -15\n", encoding="utf-8")
    wait_error = ("ASL003", pos(DEFINITION, "${wait}"), pos(DEFINITION, "${wait}", 7),
                  "'Seconds' must be a non-negative integer, got -15")
    assert _rows(await _relint(client, uri)) == [wait_error]

    # the policy document a sibling .tf file reads with file(): the role no longer publishes
    (tmp_path / "policy.json").write_text(POLICY % ("sqs:SendMessage", "*"), encoding="utf-8")
    diagnostics = await _relint(client, uri)
    assert _rows(diagnostics)[0] == wait_error
    assert [(d.code, d.range.start, d.range.end) for d in diagnostics[1:]] == [
        ("ASL501", pos(DEFINITION, '"${topic}"'), pos(DEFINITION, '"${topic}"', 10))]
    assert diagnostics[1].message.startswith(
        "Task 'Tell' needs sns:Publish on arn:aws:sns:${AWS::Region}:${AWS::AccountId}:t (sns:publish publishes to "
        "the topic), but no statement of the role allows it")

    # a sibling .tf file gives the role a second policy that publishes again
    (tmp_path / "role.tf").write_text(ROLE_TF + SECOND_POLICY_TF, encoding="utf-8")
    assert _rows(await _relint(client, uri)) == [wait_error]

    # a new *.auto.tfvars file: Terraform loads it after terraform.tfvars, so its value wins
    (tmp_path / "wait.auto.tfvars").write_text("wait = 3\n", encoding="utf-8")
    assert await _relint(client, uri) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_a_project_file_changed_on_disk_relints_the_open_definitions_of_its_project(
        client: LanguageClient, tmp_path: Path) -> None:
    uri = _terraform_project(tmp_path)
    assert await open_doc(client, uri, DEFINITION) == []

    # The editor's file watcher reports terraform.tfvars (not open in the editor): no save of the
    # definition is needed for its new value to show.
    tfvars = tmp_path / "terraform.tfvars"
    tfvars.write_text("wait = -15\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=tfvars.as_uri(), type=types.FileChangeType.Changed)]))
    assert _rows(await wait_diagnostics(client, uri)) == [
        ("ASL003", pos(DEFINITION, "${wait}"), pos(DEFINITION, "${wait}", 7),
         "'Seconds' must be a non-negative integer, got -15")]

    # A .tf file saved in the editor: the definition of its project is linted again.
    tfvars.write_text("wait = 5\n", encoding="utf-8")
    main_tf = tmp_path / "main.tf"
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=main_tf.as_uri())))
    assert await wait_diagnostics(client, uri) == []


@pytest.mark.asyncio(loop_scope="module")
async def test_a_change_in_another_project_leaves_open_documents_alone(
        client: LanguageClient, tmp_path: Path) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    for folder in (mine, other):
        (folder / ".git").mkdir(parents=True)
    definition = mine / "flow.asl.json"
    text = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}\n'
    definition.write_text(text, encoding="utf-8")
    uri = definition.as_uri()
    assert await open_doc(client, uri, text) == []
    seen: list[int | None] = []
    (other / "template.yaml").write_text("Resources: {}\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=(other / "template.yaml").as_uri(), type=types.FileChangeType.Created)]))
    # A change in this project afterwards is the next publication for the document: nothing in between.
    (mine / "template.yaml").write_text("Resources: {}\n", encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=(mine / "template.yaml").as_uri(), type=types.FileChangeType.Created)]))
    assert await wait_diagnostics(client, uri, seen=seen) == []
    assert len(seen) == 2  # one lint (its fast and complete publications), for `mine` only
