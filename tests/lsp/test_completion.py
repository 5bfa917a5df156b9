"""Completion at the cursor of a half-typed document: names, types, fields, functions, ARNs, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.helpers import apply_edits, change_full, machine, open_doc, pos, uri_for, wait_diagnostics

BASE = machine(
    {
        "Start": {"Type": "Pass", "Next": "Work"},
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True},
    }
)


async def items_at(client: LanguageClient, uri: str, text: str, needle: str) -> list[types.CompletionItem]:
    """Completion items with the cursor just after ``needle`` (its last occurrence) in ``text``."""
    at = text.rindex(needle) + len(needle)
    position = pos(text[:at] + "\0", "\0")
    result = await client.text_document_completion_async(
        types.CompletionParams(types.TextDocumentIdentifier(uri=uri), position)
    )
    assert isinstance(result, types.CompletionList)
    return list(result.items)


async def edited(client: LanguageClient, tmp_path: Path, name: str, text: str, language: str = "json") -> str:
    """Open the valid base text, then type ``text`` (which may not parse) as version 2."""
    uri = uri_for(tmp_path, name)
    await open_doc(client, uri, BASE if language == "json" else YAML_BASE, language)
    change_full(client, uri, 2, text)
    await wait_diagnostics(client, uri, 2)
    return uri


def labels(items: list[types.CompletionItem]) -> list[str]:
    return [item.label for item in items]


@pytest.mark.asyncio(loop_scope="module")
async def test_state_names_in_next_replace_what_was_typed(client: LanguageClient, tmp_path: Path) -> None:
    text = BASE.replace('"Next": "Work"', '"Next": "Wo')
    uri = await edited(client, tmp_path, "next.asl.json", text)
    items = await items_at(client, uri, text, '"Next": "Wo')
    assert sorted(labels(items)) == ["Start", "Work"]
    work = next(i for i in items if i.label == "Work")
    assert isinstance(work.text_edit, types.TextEdit)
    assert apply_edits(text, [work.text_edit]) == BASE.replace('"Next": "Work"', '"Next": "Work')


@pytest.mark.asyncio(loop_scope="module")
async def test_types_resources_and_fields(client: LanguageClient, tmp_path: Path) -> None:
    text = BASE.replace('"Type": "Pass"', '"Type": "')
    uri = await edited(client, tmp_path, "type.asl.json", text)
    assert set(labels(await items_at(client, uri, text, '"Type": "'))) >= {"Task", "Choice", "Map", "Parallel"}

    text = BASE.replace('"Resource": "arn:aws:states:::lambda:invoke"', '"Resource": "arn:aws:states:::sq')
    uri = await edited(client, tmp_path, "resource.asl.json", text)
    items = await items_at(client, uri, text, ":::sq")
    sqs = next(i for i in items if i.label == "arn:aws:states:::sqs:sendMessage")
    assert sqs.detail == "sqs:sendMessage"

    text = BASE.replace('"End": true', '"End": true,\n      "Ti')
    uri = await edited(client, tmp_path, "fields.asl.json", text)
    fields = labels(await items_at(client, uri, text, '"Ti'))
    assert "TimeoutSeconds" in fields and "Retry" in fields
    assert "Resource" not in fields and "End" not in fields  # already there
    assert "Choices" not in fields and "Seconds" not in fields  # not Task fields


@pytest.mark.asyncio(loop_scope="module")
async def test_intrinsics_and_error_names(client: LanguageClient, tmp_path: Path) -> None:
    text = BASE.replace('"Next": "Work"', '"Parameters": {"x.$": "States.Arr"}, "Next": "Work"')
    uri = await edited(client, tmp_path, "intrinsic.asl.json", text)
    items = await items_at(client, uri, text, "States.Arr")
    length = next(i for i in items if i.label == "States.ArrayLength")
    assert length.detail == "States.ArrayLength(array) → number"
    assert isinstance(length.text_edit, types.TextEdit) and length.text_edit.new_text == "States.ArrayLength("

    text = BASE.replace('"End": true', '"End": true, "Retry": [{"ErrorEquals": ["Lambda.')
    uri = await edited(client, tmp_path, "errors.asl.json", text)
    names = labels(await items_at(client, uri, text, '["Lambda.'))
    assert "Lambda.ServiceException" in names and "States.ALL" in names and "States.Timeout" in names


YAML_BASE = "StartAt: One\nStates:\n  One:\n    Type: Pass\n    Next: Two\n  Two:\n    Type: Succeed\n"


@pytest.mark.asyncio(loop_scope="module")
async def test_yaml_names_are_plain_scalars(client: LanguageClient, tmp_path: Path) -> None:
    text = YAML_BASE.replace("Next: Two", "Next: T")
    uri = await edited(client, tmp_path, "names.asl.yaml", text, "yaml")
    items = await items_at(client, uri, text, "Next: T")
    two = next(i for i in items if i.label == "Two")
    assert isinstance(two.text_edit, types.TextEdit) and apply_edits(text, [two.text_edit]) == YAML_BASE


@pytest.mark.asyncio(loop_scope="module")
async def test_jsonata_builtins_inside_an_expression(client: LanguageClient, tmp_path: Path) -> None:
    text = BASE.replace('"Next": "Work"', '"QueryLanguage": "JSONata", "Output": "{% $upp", "Next": "Work"')
    uri = await edited(client, tmp_path, "jsonata.asl.json", text)
    items = await items_at(client, uri, text, "{% $upp")
    upper = next(i for i in items if i.label == "$uppercase")
    assert upper.detail == "$uppercase(string?)"
    assert "$partition" in labels(items)  # Step Functions' own additions too
