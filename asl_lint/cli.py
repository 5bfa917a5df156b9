"""The command line: ``asl-lint check|rules|rule|test-state|run|lsp|graph|iam``.

A thin shell over the library. Heavy modules are imported inside the command that needs them,
so a pre-commit run on one small file only pays for what it uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from asl_lint import __version__

COMMANDS = ("check", "rules", "rule", "test-state", "run", "lsp", "graph", "iam")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 on usage errors, as we want
        self.print_usage(sys.stderr)
        raise SystemExit(f"asl-lint: error: {message}") from None


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="asl-lint", description="Lint AWS Step Functions state machine definitions (ASL).")
    parser.add_argument("--version", action="version", version=f"asl-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="lint files and directories")
    check.add_argument("paths", nargs="*", default=[], help="files or directories (default: .)")
    check.add_argument("--format", default="text", choices=("text", "json", "sarif", "github", "junit", "gitlab"))
    check.add_argument("--output", "-o", help="write the report to this file")
    check.add_argument("--select", type=_codes, help="codes, prefixes or names to enable (comma-separated)")
    check.add_argument("--extend-select", type=_codes, help="add to the selected rules")
    check.add_argument("--ignore", type=_codes, help="codes, prefixes or names to disable")
    check.add_argument("--config", help="config file (default: nearest pyproject.toml or .asl-lint.toml)")
    check.add_argument("--policy", action="append", default=[], help="IAM policy document of the execution role")
    check.add_argument("--state-machine-arn", help="the state machine's ARN (IAM resource matching)")
    check.add_argument("--input-schema", help="JSON Schema of the execution input (symbolic analysis)")
    check.add_argument("--machine-type", choices=("STANDARD", "EXPRESS"),
                       help="the type of standalone definitions (Express limits); templates say it themselves")
    check.add_argument("--fail-on", choices=("error", "warning", "info"),
                       help="lowest severity that fails (default warning)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--baseline", help="report only findings not in this earlier JSON or SARIF report")
    check.add_argument("--jobs", "-j", type=int, default=0,
                       help="files linted in parallel (default: every core, for runs of 16 files or more)")
    check.add_argument("--fix", action="store_true", help="apply mechanical fixes in place")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply configured excludes to files named on the command line (pre-commit)")
    check.add_argument("--no-frames", action="store_true", help="text format: no code frames")
    check.add_argument("--only-state-machines", action="store_true",
                       help="skip named files that hold no state machine definition (pre-commit template hook)")
    check.add_argument("--cache", action="store_true",
                       help="cache results on disk keyed by content, config and version")

    rules = sub.add_parser("rules", help="list the rules")
    rules.add_argument("--format", default="text", choices=("text", "json", "markdown"))
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("code", help="rule code or name, e.g. ASL401 or missing-transient-retry")

    ts = sub.add_parser("test-state", help="what AWS TestState does, offline")
    ts.add_argument("file")
    ts.add_argument("--state-name")
    ts.add_argument("--input", help="JSON text or @FILE")
    ts.add_argument("--inspection-level", default="INFO", choices=("INFO", "DEBUG", "TRACE"))
    ts.add_argument("--variables", help="JSON text or @FILE")
    ts.add_argument("--context", help="JSON text or @FILE")
    ts.add_argument("--mock", help="JSON text or @FILE: {\"result\": ...} or {\"errorOutput\": {...}}")
    ts.add_argument("--reveal-secrets", action="store_true")
    ts.add_argument("--role-arn", help="the execution role ARN TestState would be given (needed for unmocked Tasks)")
    ts.add_argument("--state-configuration", help="JSON text or @FILE: TestState's stateConfiguration")

    run = sub.add_parser("run", help="run a whole machine offline")
    run.add_argument("file")
    run.add_argument("--input", help="JSON text or @FILE")
    run.add_argument("--mock", action="append", default=[], help="STATE=JSON (or STATE=@FILE), repeatable")
    run.add_argument("--mocks", help="a JSON/YAML file mapping state names to mocks")
    run.add_argument("--type", dest="machine_type", default="STANDARD", choices=("STANDARD", "EXPRESS"),
                     help="the state machine type (default STANDARD)")

    sub.add_parser("lsp", help="the language server, over stdio")

    graph = sub.add_parser("graph", help="the state graph as Mermaid or DOT")
    graph.add_argument("file")
    graph.add_argument("--format", default="mermaid", choices=("mermaid", "dot"))

    iam = sub.add_parser("iam", help="IAM helpers")
    iam_sub = iam.add_subparsers(dest="iam_command", parser_class=_Parser)
    policy = iam_sub.add_parser("policy", help="the least-privilege policy the workflow needs")
    policy.add_argument("file")
    policy.add_argument("--state-machine-arn")
    return parser


def main(argv: list[str] | None = None) -> int:
    from asl_lint.startup import install

    install()  # compiled dataclass code from earlier runs: a quarter of a one-file run's time
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv.insert(0, "check")  # `asl-lint file.asl.json` means `asl-lint check file.asl.json`
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return EXIT_ERROR
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    handler = {
        "check": _check, "rules": _rules, "rule": _rule, "test-state": _test_state, "run": _run,
        "lsp": _lsp, "graph": _graph, "iam": _iam,
    }[args.command]
    try:
        return handler(args)
    except UsageError as exc:
        print(f"asl-lint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as exc:
        import traceback

        traceback.print_exc()
        print(f"asl-lint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


# --- check ---------------------------------------------------------------------------------------
def _check(args: argparse.Namespace) -> int:
    from asl_lint.config import ConfigError, config_for
    from asl_lint.diagnostics import Severity
    from asl_lint.engine.runner import lint_paths

    paths = args.paths or ["."]
    try:
        config = config_for(paths, args.config)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    overrides: dict[str, Any] = {}
    if args.select:
        _validate_selectors(args.select)
        overrides["select"] = tuple(args.select)
    if args.extend_select:
        _validate_selectors(args.extend_select)
        overrides["extend_select"] = (*config.extend_select, *args.extend_select)
    if args.ignore:
        _validate_selectors(args.ignore)
        overrides["ignore"] = (*config.ignore, *args.ignore)
    if args.fail_on:
        overrides["fail_on"] = Severity.parse(args.fail_on)
    if args.policy or args.state_machine_arn:
        from dataclasses import replace

        overrides["iam"] = replace(
            config.iam,
            policies=(*config.iam.policies, *args.policy),
            state_machine_arn=args.state_machine_arn or config.iam.state_machine_arn,
        )
    if args.input_schema:
        overrides["input_schema"] = args.input_schema
    if args.machine_type:
        overrides["machine_type"] = args.machine_type
    if args.only_state_machines:
        overrides["only_state_machines"] = True
    if overrides:
        config = config.with_overrides(**overrides)
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"no such file or directory: {path}")
    if args.force_exclude:
        paths = [p for p in paths if not (Path(p).is_file() and config.excluded(p))]
    if args.jobs < 0:
        raise UsageError("--jobs must be at least 1 (or 0: as many as there are cores, for many files)")
    if args.cache:
        from asl_lint.cache import lint_paths_cached

        result = lint_paths_cached(paths, config, jobs=args.jobs)
    else:
        result = lint_paths(paths, config, jobs=args.jobs)
    if args.fix:
        from asl_lint.fix import apply_fixes

        fixed = apply_fixes(result)
        if fixed:
            print(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}; re-linting.", file=sys.stderr)
            result = lint_paths(paths, config, jobs=args.jobs)
    if args.baseline:
        from asl_lint.baseline import apply_baseline

        try:
            apply_baseline(result, args.baseline)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read baseline {args.baseline}: {exc}") from None
    report = _render(result, args)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    if result.internal_errors:
        for error in result.internal_errors:
            print(f"asl-lint: internal error: {error}", file=sys.stderr)
    if args.exit_zero:
        return EXIT_CLEAN
    failing = [d for d in result.diagnostics
               if d.severity.rank >= config.fail_on.rank and d.baseline_state != "unchanged"]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _validate_selectors(selectors: list[str]) -> None:
    from asl_lint.engine.suppress import unknown_codes

    bad = unknown_codes(tuple(selectors))
    if bad:
        raise UsageError(f"unknown rule code, prefix or name: {', '.join(bad)} (see `asl-lint rules`)")


def _render(result: Any, args: argparse.Namespace) -> str:
    from asl_lint.report import get_reporter

    if args.format == "text":
        from asl_lint.report.text_report import render

        color = None if not args.output else False
        return render(result, color=color, frames=not args.no_frames)
    return get_reporter(args.format)(result)


# --- rules ---------------------------------------------------------------------------------------
def _rules(args: argparse.Namespace) -> int:
    from asl_lint.engine.metadata import all_rules

    rules = all_rules()
    if args.format == "json":
        data = [
            {"code": m.code, "name": m.name, "severity": m.severity.value, "summary": m.summary, "tags": list(m.tags)}
            for m in rules.values()
        ]
        print(json.dumps(data, indent=2))
    elif args.format == "markdown":
        from asl_lint.docs import rule_table

        print(rule_table())
    else:
        width = max((len(m.name) for m in rules.values()), default=10)
        for meta in rules.values():
            print(f"{meta.code}  {meta.name:<{width}}  {meta.severity.value:<7}  {meta.summary}")
    return EXIT_CLEAN


def _rule(args: argparse.Namespace) -> int:
    from asl_lint.engine.metadata import find_rule

    meta = find_rule(args.code)
    if meta is None:
        raise UsageError(f"no rule {args.code!r} (see `asl-lint rules`)")
    print(f"# {meta.code} {meta.name} ({meta.severity.value})\n")
    print(meta.markdown.split("\n", 1)[1].strip() if meta.markdown.startswith("# ") else meta.markdown)
    return EXIT_CLEAN


# --- evaluator commands ----------------------------------------------------------------------------
def _json_arg(value: str | None, what: str) -> Any:
    if value is None:
        return None
    text = value
    if value.startswith("@"):
        try:
            text = Path(value[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {what} file {value[1:]}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} is not valid JSON: {exc}") from None


def _read_definition(file: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {file}: {exc}") from None


def _test_state(args: argparse.Namespace) -> int:
    from asl_lint.eval.api import test_state
    from asl_lint.eval.errors import TestStateRequestError

    definition = _read_definition(args.file)
    try:
        response = test_state(
            definition,
            _json_arg(args.input, "--input"),
            state_name=args.state_name,
            inspection_level=args.inspection_level,
            variables=_json_arg(args.variables, "--variables"),
            context=_json_arg(args.context, "--context"),
            mock=_json_arg(args.mock, "--mock"),
            reveal_secrets=args.reveal_secrets,
            role_arn=args.role_arn,
            state_configuration=_json_arg(args.state_configuration, "--state-configuration"),
        )
    except TestStateRequestError as exc:
        print(json.dumps({"Error": {"Code": exc.code, "Message": exc.message}}, indent=2))
        return EXIT_ERROR
    print(json.dumps(response, indent=2, ensure_ascii=False))
    return EXIT_CLEAN


def _run(args: argparse.Namespace) -> int:
    from asl_lint.eval.api import run_execution

    mocks: dict[str, Any] = {}
    if args.mocks:
        text = _read_definition(args.mocks)
        import yaml

        loaded = yaml.safe_load(text)
        if not isinstance(loaded, dict):
            raise UsageError("--mocks must be a mapping of state names to mocks")
        mocks.update(loaded)
    for item in args.mock:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--mock expects STATE=JSON, got {item!r}")
        mocks[name] = _json_arg(value, f"--mock {name}")
    response = run_execution(_read_definition(args.file), _json_arg(args.input, "--input"), mocks=mocks,
                             state_machine_type=args.machine_type)
    print(json.dumps(response, indent=2, ensure_ascii=False))
    return EXIT_CLEAN


def _lsp(args: argparse.Namespace) -> int:
    from asl_lint.lsp.server import serve

    serve()
    return EXIT_CLEAN


def _graph(args: argparse.Namespace) -> int:
    from asl_lint.report.graph_export import export_graph

    print(export_graph(args.file, args.format), end="")
    return EXIT_CLEAN


def _iam(args: argparse.Namespace) -> int:
    if args.iam_command != "policy":
        raise UsageError("usage: asl-lint iam policy FILE")
    from asl_lint.iam.cli import policy_for_file

    try:
        document = policy_for_file(args.file, state_machine_arn=args.state_machine_arn)
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps(document, indent=2))
    return EXIT_CLEAN


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
