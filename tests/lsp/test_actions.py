"""Code actions: the fixes findings carry and "suppress", applied and re-linted (the finding goes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.helpers import apply_edits, change_full, machine, open_doc, uri_for, wait_diagnostics

LAMBDA = "arn:aws:states:::lambda:invoke"
TASK = {"Type": "Task", "Resource": LAMBDA, "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "End": True}


async def actions_for(client: LanguageClient, uri: str, diag: types.Diagnostic) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]),
        )
    )
    assert result is not None
    return [a for a in result if isinstance(a, types.CodeAction)]


async def apply_and_relint(
    client: LanguageClient, uri: str, text: str, action: types.CodeAction
) -> tuple[str, list[types.Diagnostic]]:
    assert action.edit is not None and action.edit.changes is not None
    new_text = apply_edits(text, action.edit.changes[uri])
    change_full(client, uri, 2, new_text)
    return new_text, await wait_diagnostics(client, uri, 2)


async def fix_one(client: LanguageClient, tmp_path: Path, name: str, text: str, code: str,
                  title: str, language: str = "json") -> tuple[str, list[types.Diagnostic]]:
    uri = uri_for(tmp_path, name)
    diags = await open_doc(client, uri, text, language)
    diag = next(d for d in diags if d.code == code)
    action = next(a for a in await actions_for(client, uri, diag) if a.title.startswith(title))
    assert action.kind == types.CodeActionKind.QuickFix
    return await apply_and_relint(client, uri, text, action)


@pytest.mark.asyncio(loop_scope="module")
async def test_add_the_recommended_retrier(client: LanguageClient, tmp_path: Path) -> None:
    text = machine({"Call": TASK})
    new_text, diags = await fix_one(client, tmp_path, "retry.asl.json", text, "ASL401", "Add the recommended retrier")
    assert '"Retry": [' in new_text and "Lambda.ServiceException" in new_text
    assert '      "Retry": [\n        {\n' in new_text  # the file's own indentation
    assert not [d for d in diags if d.code == "ASL401"]


@pytest.mark.asyncio(loop_scope="module")
async def test_move_states_all_last(client: LanguageClient, tmp_path: Path) -> None:
    catch = [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}, {"ErrorEquals": ["States.Timeout"], "Next": "Oops"}]
    text = machine({"Call": {**TASK, "Catch": catch}, "Oops": {"Type": "Fail"}})
    new_text, diags = await fix_one(client, tmp_path, "all.asl.json", text, "ASL402", "Move the States.ALL")
    assert new_text.index("States.Timeout") < new_text.index("States.ALL")
    assert not [d for d in diags if d.code == "ASL402"]


@pytest.mark.asyncio(loop_scope="module")
async def test_fix_a_misspelt_next_in_yaml(client: LanguageClient, tmp_path: Path) -> None:
    text = "StartAt: One\nStates:\n  One:\n    Type: Pass\n    Next: Tow  # typo\n  Two:\n    Type: Succeed\n"
    new_text, diags = await fix_one(client, tmp_path, "typo.asl.yaml", text, "ASL101", "Change Next to", "yaml")
    assert new_text == text.replace("Next: Tow", "Next: Two")  # plain, as the file wrote it
    assert not [d for d in diags if d.code == "ASL101"]


@pytest.mark.asyncio(loop_scope="module")
async def test_suppress_in_a_json_comment(client: LanguageClient, tmp_path: Path) -> None:
    text = machine({"Call": {**TASK, "Comment": "calls f"}})
    new_text, diags = await fix_one(client, tmp_path, "suppress.asl.json", text, "ASL401", "Suppress ASL401")
    assert '"Comment": "calls f asl-lint: ignore[ASL401]"' in new_text
    assert not [d for d in diags if d.code in ("ASL401", "ASL902", "ASL903")]

    text = machine({"Call": TASK})
    new_text, diags = await fix_one(client, tmp_path, "suppress2.asl.json", text, "ASL401", "Suppress ASL401")
    assert '"Comment": "asl-lint: ignore[ASL401]"' in new_text
    assert not [d for d in diags if d.code in ("ASL401", "ASL902", "ASL903")]


@pytest.mark.asyncio(loop_scope="module")
async def test_suppress_with_a_yaml_comment_line(client: LanguageClient, tmp_path: Path) -> None:
    text = "StartAt: One\nStates:\n  One:\n    Type: Pass\n    Next: Gone\n"
    new_text, diags = await fix_one(client, tmp_path, "suppress.asl.yaml", text, "ASL101", "Suppress ASL101", "yaml")
    assert "    # asl-lint: ignore[ASL101]\n    Next: Gone\n" in new_text
    assert not [d for d in diags if d.code in ("ASL101", "ASL902", "ASL903")]
