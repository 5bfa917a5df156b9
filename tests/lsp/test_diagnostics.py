"""Diagnostics: on open, after full and incremental changes, on save; ranges, codes, quiet files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.helpers import change_full, change_range, machine, open_doc, pos, uri_for, wait_diagnostics

BAD_NEXT = machine({"A": {"Type": "Pass", "Next": "Bee"}, "B": {"Type": "Succeed"}})
GOOD = machine({"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}})


@pytest.mark.asyncio(loop_scope="module")
async def test_open_publishes_the_findings_with_code_link_and_range(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "open.asl.json")
    diags = await open_doc(client, uri, BAD_NEXT)
    found = [d for d in diags if d.code == "ASL101"]
    assert len(found) == 1
    diag = found[0]
    assert diag.source == "asl-lint"
    assert diag.severity == types.DiagnosticSeverity.Error
    assert diag.code_description is not None and diag.code_description.href.endswith("rules/ASL101.md")
    assert diag.range.start == pos(BAD_NEXT, '"Bee"')
    assert diag.range.end == pos(BAD_NEXT, '"Bee"', 5)
    assert "Bee" in diag.message


@pytest.mark.asyncio(loop_scope="module")
async def test_full_change_relints_and_latest_version_wins(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "full.asl.json")
    assert any(d.code == "ASL101" for d in await open_doc(client, uri, BAD_NEXT))
    change_full(client, uri, 2, BAD_NEXT.replace("Bee", "Bea"))
    change_full(client, uri, 3, GOOD)
    seen: list[int | None] = []
    diags = await wait_diagnostics(client, uri, 3, seen)
    assert not any(d.code == "ASL101" for d in diags)
    assert seen == [3, 3]  # fast, then complete; version 2 was superseded while typing went on


@pytest.mark.asyncio(loop_scope="module")
async def test_incremental_change_is_applied_to_the_unsaved_text(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "incr.asl.json")
    await open_doc(client, uri, GOOD)
    start = pos(GOOD, '"B"', 1)
    change_range(client, uri, 2, types.Range(start, types.Position(start.line, start.character + 1)), "Bx")
    diags = await wait_diagnostics(client, uri, 2)
    assert [d.code for d in diags if d.code == "ASL101"] == ["ASL101"]


@pytest.mark.asyncio(loop_scope="module")
async def test_utf16_ranges_after_astral_characters(client: LanguageClient, tmp_path: Path) -> None:
    text = machine({"🚀 A": {"Type": "Pass", "Comment": "🚀🚀", "Next": "Nope"}, "B": {"Type": "Succeed"}})
    uri = uri_for(tmp_path, "emoji.asl.json")
    diags = [d for d in await open_doc(client, uri, text) if d.code == "ASL101"]
    assert diags[0].range.start == pos(text, '"Nope"')


@pytest.mark.asyncio(loop_scope="module")
async def test_save_relints(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "save.asl.json")
    await open_doc(client, uri, BAD_NEXT)
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri=uri)))
    diags = await wait_diagnostics(client, uri)
    assert any(d.code == "ASL101" for d in diags)


@pytest.mark.asyncio(loop_scope="module")
async def test_other_json_is_ignored_but_templates_are_linted(client: LanguageClient, tmp_path: Path) -> None:
    other = uri_for(tmp_path, "package.json")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(other, "json", 1, '{"name": "x", "version": 1,}'))
    )
    template = (
        "Resources:\n"
        "  Machine:\n"
        "    Type: AWS::StepFunctions::StateMachine\n"
        "    Properties:\n"
        "      Definition:\n"
        "        StartAt: A\n"
        "        States:\n"
        "          A: {Type: Pass, Next: Gone}\n"
    )
    uri = uri_for(tmp_path, "template.yaml")
    diags = await open_doc(client, uri, template, "yaml")
    assert [d.range.start for d in diags if d.code == "ASL101"] == [pos(template, "Gone")]
    # The package.json was opened first; a publication for it would have arrived before this one.
    assert other not in client.diagnostics


@pytest.mark.asyncio(loop_scope="module")
async def test_malformed_document_reports_and_server_survives(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "broken.asl.json")
    diags = await open_doc(client, uri, '{"StartAt": "A", "States": {"A": {"Type": "Pass",}}')
    assert [d.code for d in diags] == ["ASL001"]
    for version, text in enumerate(["\x00\x01", "[", "{\"StartAt\": 3, \"States\": []}", ""], start=2):
        change_full(client, uri, version, text)
        await wait_diagnostics(client, uri, version)
    change_full(client, uri, 9, GOOD)
    assert not [d for d in await wait_diagnostics(client, uri, 9) if d.severity == types.DiagnosticSeverity.Error]


@pytest.mark.asyncio(loop_scope="module")
async def test_secrets_are_redacted_in_published_messages(client: LanguageClient, tmp_path: Path) -> None:
    from tests.secrets.fakes import github

    token = github("p", 7)
    text = machine({"A": {"Type": "Pass", "Parameters": {"token": token, "note": f"uses {token}"}, "End": True}})
    uri = uri_for(tmp_path, "secret.asl.json")
    diags = await open_doc(client, uri, text)
    assert [d for d in diags if str(d.code).startswith("ASL60")]
    assert not [d for d in diags if token in d.message]


@pytest.mark.asyncio(loop_scope="module")
async def test_requests_on_unknown_documents_answer_nothing(client: LanguageClient, tmp_path: Path) -> None:
    ident = types.TextDocumentIdentifier(uri=uri_for(tmp_path, "never-opened.asl.json"))
    assert await client.text_document_hover_async(types.HoverParams(ident, types.Position(3, 4))) is None
    assert await client.text_document_document_symbol_async(types.DocumentSymbolParams(ident)) == []


TWO_STEPS = machine({
    "Pick": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Tell"}]},
    "Tell": {"Type": "Pass", "Parameters": {"x.$": "$.items[?(@.a == 1"}, "Next": "Nowhere"},
    "Done": {"Type": "Succeed"},
})


@pytest.mark.asyncio(loop_scope="module")
async def test_fast_findings_first_then_the_rest(client: LanguageClient, tmp_path: Path) -> None:
    uri = uri_for(tmp_path, "steps.asl.json")
    first = await open_doc(client, uri, TWO_STEPS, complete=False)
    complete = await wait_diagnostics(client, uri, 1, complete=False)  # the second publication
    codes_first = {d.code for d in first}
    codes_complete = {d.code for d in complete}
    # The graph (a misspelt Next) comes first; the expression (ASL201) and Choice (ASL703) checks after.
    assert "ASL101" in codes_first
    assert not {c for c in codes_first if str(c).startswith(("ASL2", "ASL5", "ASL7"))}
    assert {"ASL101", "ASL201", "ASL703"} <= codes_complete
    assert [d for d in first if d.code == "ASL101"] == [d for d in complete if d.code == "ASL101"]
