"""Whole projects (tests/fixtures/projects): each definition linted with the context of the
machines that use it, findings at exact places in the files that hold what they are about."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from asl_lint.config import Config
from asl_lint.diagnostics import Diagnostic
from asl_lint.engine.runner import lint_file, lint_paths
from asl_lint.sources import load_machines
from asl_lint.sources.project import plan

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def check(*paths: Path, config: Config | None = None) -> list[Diagnostic]:
    return lint_paths([str(p) for p in paths], config or Config()).diagnostics


def found(diags: list[Diagnostic], *codes: str) -> list[tuple[Any, ...]]:
    """(file relative to the fixtures, code, line, column, endLine, endColumn, message)."""
    return [(Path(d.file).resolve().relative_to(FIXTURES).as_posix(), d.code, d.line, d.column, d.end_line,
             d.end_column, d.message) for d in diags if not codes or d.code in codes]


# --- SAM DefinitionUri ----------------------------------------------------------------------------
SAM_HTTP = FIXTURES / "sam-http"
FETCH_NEEDS = ("Task 'Fetch page' needs states:InvokeHTTPEndpoint (GET http://inventory.example.com/items) on "
               "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${InventorySync.Name} (the HTTP Task "
               "calls the endpoint), but no statement of the role allows it")


def test_definition_uri_file_is_linted_with_its_role_and_substitutions() -> None:
    diags = check(SAM_HTTP)
    assert found(diags) == [
        # The role (SAM Policies) lacks states:InvokeHTTPEndpoint: ASL502 on the definition file.
        ("sam-http/statemachine/inventory.asl.json", "ASL502", 9, 24, 9, 46, FETCH_NEEDS),
        # The literal http:// endpoint comes from DefinitionSubstitutions: ASL303 on its placeholder.
        ("sam-http/statemachine/inventory.asl.json", "ASL303", 9, 25, 9, 45,
         "ApiEndpoint uses the 'http' scheme; the HTTP Task calls HTTPS endpoints only: use 'https://'"),
    ]
    # The connection is a reference (!GetAtt InventoryConnection.Arn): the grants on it and on its
    # secret (!GetAtt InventoryConnection.SecretArn) match, so neither ASL503 nor ASL504; the fix of
    # ASL303 would overwrite the placeholder.
    assert all(d.fix is None for d in diags if d.code == "ASL303")
    assert [d.pointer for d in diags] == ["/States/Fetch page/Parameters/ApiEndpoint"] * 2


def test_connection_secret_granted_by_getatt_secret_arn_and_forgotten() -> None:
    """The connection ARN comes in through DefinitionSubstitutions (!GetAtt PartnerConnection.Arn): a role
    granting !GetAtt PartnerConnection.SecretArn is proven to cover the secret (SAM Policies, an inline
    Definition's role), the role that forgets it gets ASL504 with the secret spelled as that attribute."""
    from asl_lint.iam import check_state_machine
    from asl_lint.sources import load_machines

    project = FIXTURES / "sam-connection"
    secret = ("arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:events!connection/partner/"
              "${PartnerConnection.SecretId}")
    assert found(check(project)) == [
        ("sam-connection/statemachine/send.asl.json", "ASL504", 11, 48, 11, 66,
         f"Task 'Send order' needs secretsmanager:{action} on {secret} (the connection keeps its credentials in "
         "a secret), but no statement of the role allows it [machine Forgot]")
        for action in ("DescribeSecret", "GetSecretValue")
    ]
    outcome = {m.name: [p.code for p in check_state_machine(m.resolved(), m.context.policies, strict=True,
                                                             state_machine_arn=m.state_machine_arn)]
               for m in load_machines(str(project)) if m.context is not None}
    assert outcome == {"Granted": [], "Forgot": ["ASL504", "ASL504"], "Inline": []}


def test_a_definition_file_named_alone_finds_its_template_above_it() -> None:
    save = FIXTURES / "nested" / "workflows" / "orders" / "save.asl.json"
    expected = [("nested/workflows/orders/save.asl.json", "ASL501", 8, 22, 8, 36,
                 "Task 'Save' needs dynamodb:PutItem on arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/"
                 "orders (dynamodb:putItem on the table), but no statement of the role allows it")]
    assert found(check(save)) == expected
    assert found(check(FIXTURES / "nested")) == expected
    result = lint_file(str(save), True, Config())
    assert result is not None and found(result.diagnostics) == expected


def test_role_level_findings_land_in_the_template_under_its_suppressions(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(SAM_HTTP, project)
    template = project / "template.yaml"
    text = template.read_text(encoding="utf-8")
    template.write_text(text + "        - AWSXrayWriteOnlyAccess\n", encoding="utf-8")
    diags = lint_paths([str(project)], Config()).diagnostics
    assert [(Path(d.file).name, d.code, d.line, d.column, d.end_column, d.pointer) for d in diags] == [
        ("inventory.asl.json", "ASL303", 9, 25, 45, "/States/Fetch page/Parameters/ApiEndpoint"),
        # The managed policy is not in the template: coverage is unknown (so no ASL502), said at the role.
        ("template.yaml", "ASL507", 23, 7, 15, "/Resources/InventorySync/Properties/Policies"),
    ]
    assert diags[1].message == ("cannot be read statically: managed policy arn:aws:iam::aws:policy/"
                                "AWSXrayWriteOnlyAccess (document not in the template); coverage is unknown")
    # A suppression in the template applies to what the definition file's machine places there.
    template.write_text(text.replace("      Policies:\n", "      # asl-lint: ignore[ASL507] managed on purpose\n"
                                     "      Policies:\n") + "        - AWSXrayWriteOnlyAccess\n", encoding="utf-8")
    result = lint_paths([str(project)], Config())
    assert [d.code for d in result.diagnostics] == ["ASL303"]
    assert [(d.code, d.suppressed) for d in result.suppressed] == [("ASL507", "managed on purpose")]
    # Named alone, the definition file gets its context, but the template's own findings are not
    # reported: the template is not being linted.
    alone = lint_paths([str(project / "statemachine" / "inventory.asl.json")], Config()).diagnostics
    assert [d.code for d in alone] == ["ASL303"]


def test_one_file_two_machines() -> None:
    diags = check(FIXTURES / "shared-definition")
    # NightlyFlow goes on to Done; ManualFlow's AfterWork names no state: only it says so.
    assert found(diags) == [
        ("shared-definition/statemachines/process.asl.yaml", "ASL101", 7, 11, 7, 23,
         "Next names state 'Finish', which does not exist [machine ManualFlow]"),
        ("shared-definition/statemachines/process.asl.yaml", "ASL102", 8, 3, 8, 7,
         "State 'Done' is unreachable: no path from StartAt 'Work' leads to it (AWS rejects definitions with"
         " unreachable states) [machine ManualFlow]"),
    ]
    assert {d.machine for d in diags} == {"ManualFlow"}
    payload = [d.to_dict() for d in diags]
    assert payload[0]["machine"] == "ManualFlow"
    # Two machines, each fingerprinted apart from a finding of the other at the same place.
    assert len({d.fingerprint for d in diags}) == 2


def test_a_finding_both_machines_give_is_reported_once(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "shared-definition", project)
    definition = project / "statemachines" / "process.asl.yaml"
    definition.write_text(definition.read_text(encoding="utf-8").replace("Type: Succeed", "Type: Succeed\n"
                          "    Comment: 1"), encoding="utf-8")
    diags = lint_paths([str(project)], Config(select=("ASL003",))).diagnostics
    assert [(d.code, d.line, d.column, d.machine) for d in diags] == [("ASL003", 10, 14, None)]


def test_nothing_is_linted_twice_and_each_unit_holds_a_project() -> None:
    sam = FIXTURES / "sam-http"
    units = plan([str(sam), str(sam / "statemachine" / "inventory.asl.json")], Config())
    assert [sorted(Path(f.file).name for f in unit.files) for unit in units] == [
        ["inventory.asl.json", "template.yaml"]]
    result = lint_paths([str(sam), str(sam / "statemachine" / "inventory.asl.json")], Config())
    assert len(result.diagnostics) == 2 and len(result.files) == 2


def test_a_template_named_alone_brings_its_definition_files() -> None:
    diags = check(SAM_HTTP / "template.yaml")
    assert [(Path(d.file).name, d.code) for d in diags] == [("inventory.asl.json", "ASL502"),
                                                            ("inventory.asl.json", "ASL303")]


def test_parallel_and_cached_runs_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from asl_lint.cache import lint_paths_cached

    monkeypatch.chdir(FIXTURES)
    names = sorted(os.listdir(FIXTURES))
    plain = lint_paths(names, Config())
    parallel = lint_paths(names, Config(), jobs=2)
    cold = lint_paths_cached(names, Config(), cache_dir=tmp_path / "cache")
    warm = lint_paths_cached(names, Config(), cache_dir=tmp_path / "cache")
    as_json = [[d.to_dict() for d in r.diagnostics] for r in (plain, parallel, cold, warm)]
    assert as_json[0] == as_json[1] == as_json[2] == as_json[3]
    assert len(as_json[0]) > 5


# --- Serverless Framework -------------------------------------------------------------------------
def test_serverless_inline_definition_positions_and_role() -> None:
    diags = check(FIXTURES / "serverless")
    assert found(diags, "ASL101", "ASL102", "ASL501") == [
        ("serverless/serverless.yml", "ASL101", 27, 19, 27, 24,
         "Next names state 'Shipp', which does not exist; did you mean 'Ship'?"),
        ("serverless/serverless.yml", "ASL102", 28, 11, 28, 15,
         "State 'Ship' is unreachable: no path from StartAt 'Validate' leads to it (AWS rejects definitions with"
         " unreachable states)"),
        # The role: is read from resources.Resources; ${self:...}/${sls:...} stay unknown values.
        ("serverless/serverless.yml", "ASL501", 32, 29, 32, 62,
         "Task 'Ship' needs lambda:InvokeFunction on arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:"
         "${self:service}-${sls:stage}-ship (lambda:invoke calls the function), but no statement of the role"
         " allows it"),
    ]
    # The ${file(...)} definition is linted (and is clean); no ASL006 for Serverless variables.
    assert not [d for d in diags if d.code == "ASL006" or "refund" in d.file]
    assert {d.file for d in diags} == {str(FIXTURES / "serverless" / "serverless.yml")}


def test_serverless_machine_type_and_file_definition_are_read() -> None:
    machines = {m.name: m for m in load_machines(str(FIXTURES / "serverless" / "serverless.yml"))}
    assert sorted(machines) == ["ShipOrder", "refund"]
    assert machines["ShipOrder"].context is not None and machines["ShipOrder"].context.machine_type == "EXPRESS"
    assert machines["refund"].file == str(FIXTURES / "serverless" / "statemachine" / "refund.asl.json")
    assert machines["refund"].context is not None and machines["refund"].context.policies is None


# --- CDK output -----------------------------------------------------------------------------------
def test_cdk_template_role_from_its_default_policy_and_the_construct_named() -> None:
    for path in (FIXTURES / "cdk", FIXTURES / "cdk" / "cdk.out"):
        diags = check(path)
        # The asset folder's broken definition is never linted; the role's DefaultPolicy allows
        # lambda:InvokeFunction only, so sns:Publish is missing.
        assert [(Path(d.file).name, d.code, d.line, d.column, d.end_column, d.machine) for d in diags] == [
            ("OrdersStack.template.json", "ASL501", 65, 137, 182, "OrdersStack/OrderFlow")]
        assert diags[0].message.endswith("but no statement of the role allows it [machine OrdersStack/OrderFlow]")


# --- discovery by structure -----------------------------------------------------------------------
def test_discovery_is_by_structure() -> None:
    diags = check(FIXTURES / "collection")
    # example-workflow.json embeds a definition under a key: not a state machine; package.json
    # mentions StartAt: not one either; build/ and dist/ are build output.
    assert found(diags) == [
        ("collection/statemachine/flow.asl.json", "ASL101", 1, 65, 1, 74,
         "Next names state 'Missing', which does not exist")]
    # Named explicitly, a file is always linted.
    explicit = check(FIXTURES / "collection" / "build" / "flow.asl.json")
    assert [d.code for d in explicit] == ["ASL101"]


def test_a_serverless_file_is_never_linted_as_a_definition(tmp_path: Path) -> None:
    (tmp_path / "serverless.yml").write_text(
        "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n    m:\n      definition:\n"
        "        StartAt: A\n        States:\n          A: {Type: Succeed}\n", encoding="utf-8")
    assert check(tmp_path) == [] and check(tmp_path / "serverless.yml") == []


def test_definition_uri_in_s3_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "statemachine").mkdir()
    (tmp_path / "statemachine" / "flow.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}',
                                                             encoding="utf-8")
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Remote:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      DefinitionUri: {Bucket: artifacts, Key: flow.json}\n      Policies: []\n"
        "  Typo:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        "      DefinitionUri: StateMachine/flow.asl.json\n      Policies: []\n", encoding="utf-8")
    diags = check(tmp_path / "template.yaml")
    assert [(d.code, d.severity.value, d.line, d.column, d.end_column) for d in diags] == [
        ("ASL007", "info", 6, 22, 57), ("ASL001", "error", 11, 22, 48)]
    assert diags[1].message.startswith("DefinitionUri of Typo names 'StateMachine/flow.asl.json', which is not a file")
    assert diags[1].message.endswith("`sam build` fails on it; did you mean 'statemachine/flow.asl.json'?")


def test_json_and_sarif_name_the_machine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from asl_lint.cli import main

    target = str(FIXTURES / "shared-definition")
    assert main(["check", target, "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert [d.get("machine") for d in payload["diagnostics"]] == ["ManualFlow", "ManualFlow"]
    assert main(["check", target, "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert [r["properties"] for r in results] == [{"machine": "ManualFlow"}] * 2


# --- iam policy on every layout --------------------------------------------------------------------
@pytest.mark.parametrize(("path", "machines"), [
    ("sam-http/template.yaml", None),
    ("sam-http/statemachine/inventory.asl.json", None),
    ("shared-definition", ["ManualFlow", "NightlyFlow"]),
    ("serverless/serverless.yml", ["ShipOrder", "refund"]),
    ("cdk/cdk.out/OrdersStack.template.json", None),
])
def test_iam_policy_on_every_layout(path: str, machines: list[str] | None,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    from asl_lint.cli import main

    assert main(["iam", "policy", str(FIXTURES / path)]) == 0
    document = json.loads(capsys.readouterr().out)
    if machines is None:
        assert document["Version"] == "2012-10-17" and document["Statement"]
    else:
        assert sorted(document) == machines


def test_iam_policy_of_the_http_project_names_the_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    from asl_lint.cli import main

    assert main(["iam", "policy", str(SAM_HTTP / "template.yaml")]) == 0
    statements = json.loads(capsys.readouterr().out)["Statement"]
    (invoke,) = [s for s in statements if s["Action"] == "states:InvokeHTTPEndpoint"]
    assert invoke["Condition"]["StringEquals"] == {"states:HTTPEndpoint": "http://inventory.example.com/items",
                                                   "states:HTTPMethod": "GET"}


def test_an_editor_buffer_is_linted_in_its_project() -> None:
    """The language server lints unsaved text with the contexts of the machines using the file."""
    from asl_lint.engine.runner import lint_text_in_project

    file = SAM_HTTP / "statemachine" / "inventory.asl.json"
    text = file.read_text(encoding="utf-8").replace('"Method": "GET"', '"Method": "POST"')
    result = lint_text_in_project(text, str(file), Config()).finish()
    assert [(d.code, d.line, d.column) for d in result.diagnostics] == [("ASL502", 9, 24), ("ASL303", 9, 25)]
    assert "(POST http://inventory.example.com/items)" in result.diagnostics[0].message


def test_a_definition_outside_any_project_looks_two_folders_up_and_no_further(tmp_path: Path) -> None:
    """Without a root marker the lookup stops two folders above the definition: a template in a
    temporary or download folder far above is nobody's project (and reading every file up to ``/``
    made one cold run pay for whatever lies there)."""
    from asl_lint.sources.project import infrastructure_for, project_root

    deep = tmp_path / "far" / "app" / "statemachine" / "flows"
    deep.mkdir(parents=True)
    definition = deep / "flow.asl.json"
    definition.write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    template = ("Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
                "    Properties:\n      DefinitionUri: {uri}\n")
    (tmp_path / "far" / "template.yaml").write_text(template.format(uri="app/statemachine/flows/flow.asl.json"))
    assert project_root(str(deep)) == str(tmp_path / "far" / "app")
    assert infrastructure_for(str(definition)) == []
    (tmp_path / "far" / "app" / "template.yaml").write_text(template.format(uri="statemachine/flows/flow.asl.json"))
    def named() -> list[str]:
        return sorted(str(Path(p).resolve()) for p in infrastructure_for(str(definition)))

    assert named() == [str(tmp_path / "far" / "app" / "template.yaml")]
    (tmp_path / "far" / ".git").mkdir()  # a marker: the project is the whole repository
    assert project_root(str(deep)) == str(tmp_path / "far")
    assert named() == sorted(str(tmp_path / "far" / sub / "template.yaml") for sub in ("", "app"))
    assert project_root("/") == "/"


def test_planning_parses_only_files_that_may_name_a_definition_file(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A template with only inline definitions beside a definition file cannot name it, so planning
    the definition file does not parse it; one that spells ``DefinitionUri`` with an escape is still
    read, and it names the file."""
    from asl_lint.sources import project

    (tmp_path / ".git").mkdir()
    definition = tmp_path / "flow.asl.json"
    definition.write_text(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))
    (tmp_path / "inline.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}\n")
    escaped = {"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Flow": {
        "Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionUri": "flow.asl.json"}}}}
    (tmp_path / "escaped.json").write_text(json.dumps(escaped).replace("DefinitionUri", "Definition\\u0055ri"))
    read: list[str] = []
    original = project.read_infrastructure
    monkeypatch.setattr(project, "read_infrastructure", lambda file, *data: read.append(Path(file).name) or original(file, *data))
    project.forget()
    assert [Path(p).name for p in project.infrastructure_for(str(definition))] == ["escaped.json"]
    assert read == ["escaped.json"]


@pytest.mark.parametrize("spelt", ["${Missing}", "\\u0024{Missing}", "\\u0024\\u007bMissing}"])
def test_a_placeholder_spelt_with_escapes_in_a_definition_file_is_one(tmp_path: Path, spelt: str) -> None:
    # JSON writes "$" and "{" with \u escapes only: a file without "${" is searched when it has one.
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      DefinitionUri: flow.asl.json\n      Policies: []\n"
        "      DefinitionSubstitutions:\n        Known: x\n", encoding="utf-8")
    (tmp_path / "flow.asl.json").write_text(
        '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "SPELT", "End": true}}}'.replace("SPELT", spelt),
        encoding="utf-8")
    diags = [d for d in check(tmp_path) if d.code == "ASL006"]
    assert [(Path(d.file).name, d.pointer) for d in diags] == [("flow.asl.json", "/States/P/Result")]
    assert "Missing" in diags[0].message
