"""Hover, definition, references, rename and document symbols, on JSON and YAML documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.helpers import apply_edits, change_full, machine, open_doc, pos, uri_for, wait_diagnostics

TEXT = machine(
    {
        "Load": {
            "Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:load", "Payload.$": "$"},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            "Next": "Check",
        },
        "Check": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "Fan"}],
            "Default": "Failed",
        },
        "Fan": {
            "Type": "Parallel",
            "Branches": [
                {"StartAt": "One", "States": {"One": {"Type": "Pass", "End": True}}},
                {"StartAt": "Two", "States": {"Two": {"Type": "Pass", "Parameters": {"x.$": "States.Format('{}', $.a)"}, "End": True}}},
            ],
            "Next": "Done",
        },
        "Failed": {"Type": "Fail", "Error": "E", "Cause": "c"},
        "Done": {"Type": "Succeed"},
    }
)

YAML = """\
StartAt: First
States:
  First:
    Type: Pass
    Next: 'Second'
  Second:
    Type: Wait
    Seconds: 1
    Next: Last
  Last: {Type: Succeed}
"""


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def hover_text(client: LanguageClient, uri: str, position: types.Position) -> str:
    result = await client.text_document_hover_async(types.HoverParams(doc(uri), position))
    assert result is not None
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_state_resource_intrinsic_and_finding(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "hover.asl.json")
    diags = await open_doc(client, uri, TEXT)
    state = await hover_text(client, uri, pos(TEXT, '"Failed"', 2, nth=1))
    assert "`Fail` state" in state
    assert "`Load` (catch)" in state and "`Check` (default)" in state
    resource = await hover_text(client, uri, pos(TEXT, "arn:aws:states:::lambda", 3))
    assert "lambda:invoke" in resource and "`lambda:InvokeFunction`" in resource
    assert "function:load" in resource
    intrinsic = await hover_text(client, uri, pos(TEXT, "States.Format", 9))
    assert "States.Format(string, any...) → string" in intrinsic
    finding = next(d for d in diags if d.code == "ASL401")  # the Lambda task has no retrier
    text = await hover_text(client, uri, finding.range.start)
    assert text.startswith("**ASL401** `missing-transient-retry`")
    assert "## What it finds" in text and "## Fixed example" in text


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_jsonata_builtin(client: LanguageClient, tmp_path: Path) -> None:
    text = machine({"P": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $uppercase($states.input.a) %}",
                          "End": True}})
    uri = uri_for(tmp_path, "jsonata.asl.json")
    await open_doc(client, uri, text)
    assert "$uppercase(string?)" in await hover_text(client, uri, pos(text, "$uppercase", 3))


@pytest.mark.asyncio(loop_scope="module")
async def test_definition_and_references(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "nav.asl.json")
    await open_doc(client, uri, TEXT)
    location = await client.text_document_definition_async(
        types.DefinitionParams(doc(uri), pos(TEXT, '"Failed"', 3, nth=1))  # the Default
    )
    assert isinstance(location, types.Location)
    assert location.range.start == pos(TEXT, '"Failed": {')
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(uri),
            position=pos(TEXT, '"Failed": {', 2),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    starts = sorted((r.range.start.line, r.range.start.character) for r in refs)
    expected = sorted((p.line, p.character) for p in (pos(TEXT, '"Failed"', nth=i) for i in range(3)))
    assert starts == expected
    # StartAt inside a branch leads to the branch's state.
    inner = await client.text_document_definition_async(types.DefinitionParams(doc(uri), pos(TEXT, '"Two"', 1)))
    assert isinstance(inner, types.Location) and inner.range.start == pos(TEXT, '"Two"', nth=1)


@pytest.mark.asyncio(loop_scope="module")
async def test_rename_json_state_and_every_transition(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "rename.asl.json")
    await open_doc(client, uri, TEXT)
    where = await client.text_document_prepare_rename_async(
        types.PrepareRenameParams(doc(uri), pos(TEXT, '"Check"', 2))
    )
    assert isinstance(where, types.PrepareRenamePlaceholder) and where.placeholder == "Check"
    assert where.range == types.Range(pos(TEXT, '"Check"'), pos(TEXT, '"Check"', 7))
    edit = await client.text_document_rename_async(
        types.RenameParams(doc(uri), pos(TEXT, '"Check"', 2), "Check it")
    )
    assert edit is not None and edit.changes is not None
    renamed = apply_edits(TEXT, edit.changes[uri])
    assert renamed == TEXT.replace('"Check"', '"Check it"')
    change_full(client, uri, 2, renamed)
    diags = await wait_diagnostics(client, uri, 2)
    assert not [d for d in diags if d.code in ("ASL101", "ASL102")]


@pytest.mark.asyncio(loop_scope="module")
async def test_yaml_navigation_rename_and_symbols(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "flow.asl.yaml")
    await open_doc(client, uri, YAML, "yaml")
    location = await client.text_document_definition_async(types.DefinitionParams(doc(uri), pos(YAML, "Last", 1)))
    assert isinstance(location, types.Location) and location.range.start == pos(YAML, "Last:")
    edit = await client.text_document_rename_async(types.RenameParams(doc(uri), pos(YAML, "Second:"), "Pause: 2"))
    assert edit is not None and edit.changes is not None
    assert apply_edits(YAML, edit.changes[uri]) == YAML.replace("'Second'", "'Pause: 2'").replace(
        "Second:", '"Pause: 2":'
    )
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri)))
    assert symbols is not None
    assert [(s.name, s.detail) for s in symbols] == [("First", "Pass"), ("Second", "Wait"), ("Last", "Succeed")]


@pytest.mark.asyncio(loop_scope="module")
async def test_symbols_nest_parallel_branches(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "symbols.asl.json")
    await open_doc(client, uri, TEXT)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri)))
    assert symbols is not None
    assert [s.name for s in symbols] == ["Load", "Check", "Fan", "Failed", "Done"]
    fan = symbols[2]
    assert isinstance(fan, types.DocumentSymbol) and fan.children is not None
    assert [(b.name, [c.name for c in b.children or []]) for b in fan.children] == [
        ("Branch 0", ["One"]),
        ("Branch 1", ["Two"]),
    ]
    assert fan.selection_range.start == pos(TEXT, '"Fan": {')


@pytest.mark.asyncio(loop_scope="module")
async def test_half_typed_document_still_navigates(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "half.asl.json")
    await open_doc(client, uri, TEXT)
    broken = TEXT.replace('"Next": "Done"', '"Next": "Done",\n      "Ti')
    change_full(client, uri, 2, broken)
    diags = await wait_diagnostics(client, uri, 2)
    assert [d.code for d in diags] == ["ASL001"]
    location = await client.text_document_definition_async(
        types.DefinitionParams(doc(uri), pos(broken, '"Failed"', 3, nth=1))
    )
    assert isinstance(location, types.Location) and location.range.start == pos(broken, '"Failed": {')
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri)))
    assert symbols is not None and len(symbols) == 5


TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Take
        States:
          Take:
            Type: Pass
            Next: Ship
          Ship:
            Type: Succeed
"""


@pytest.mark.asyncio(loop_scope="module")
async def test_sam_template_navigation_and_outline(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "template.yaml")
    await open_doc(client, uri, TEMPLATE, "yaml")
    location = await client.text_document_definition_async(types.DefinitionParams(doc(uri), pos(TEMPLATE, "Ship", 1)))
    assert isinstance(location, types.Location) and location.range.start == pos(TEMPLATE, "Ship:")
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(doc(uri)))
    assert symbols is not None and [s.name for s in symbols] == ["Orders"]
    orders = symbols[0]
    assert isinstance(orders, types.DocumentSymbol)
    assert [c.name for c in orders.children or []] == ["Take", "Ship"]
    assert "`Pass` state" in await hover_text(client, uri, pos(TEMPLATE, "Take:", 1))


@pytest.mark.asyncio(loop_scope="module")
async def test_definition_string_navigates_but_does_not_rename(client: LanguageClient, tmp_path: Path) -> None:
    import json

    inner = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}})
    text = json.dumps({"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine",
                                           "Properties": {"DefinitionString": inner}}}}, indent=2)
    uri = uri_for(tmp_path, "cfn.json")
    await open_doc(client, uri, text)
    location = await client.text_document_definition_async(
        types.DefinitionParams(doc(uri), pos(text, '\\"B\\"', 2))
    )
    assert isinstance(location, types.Location) and location.range.start == pos(text, '\\"B\\"', nth=1)
    edit = await client.text_document_rename_async(types.RenameParams(doc(uri), pos(text, '\\"B\\"', 2), "C"))
    assert edit is None
