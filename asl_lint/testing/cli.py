"""``asl-lint test [PATH ...]``: its sub-parser and handler (registered by ``asl_lint.cli``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

FORMATS = ("text", "json", "junit", "sarif", "github")


def add_parser(sub: Any) -> argparse.ArgumentParser:
    test = sub.add_parser(
        "test",
        help="run workflow test suites (*.sfn-test.yaml|json) offline",
        description="Run workflow test suites offline: every Task result comes from a mocked response "
        "(AWS Step Functions Local's mock config format), time is virtual. Exit 0 when all cases pass, "
        "1 when a case fails, 2 when a suite cannot be run.",
    )
    test.add_argument("paths", nargs="*", default=[],
                      help="suite files or folders to search for *.sfn-test.yaml|yml|json (default: .)")
    test.add_argument("--format", default="text", choices=FORMATS,
                      help="report format (default text); sarif and github report failed cases (ASL801) and, "
                      "with --coverage, what no case exercised (ASL802-ASL805) as findings")
    test.add_argument("--output", "-o", help="write the report to this file instead of stdout")
    test.add_argument("--coverage", action="store_true",
                      help="report the states entered, Choice branches taken and retriers/catchers that fired "
                      "over all cases (always in the JSON report)")
    test.add_argument("--update", action="store_true",
                      help="write the observed status, output (or error and cause) and path into the suites as "
                      "the expectations of the cases that failed them or had none")
    test.add_argument("--case", "-k", action="append", default=[], metavar="PATTERN",
                      help="run only cases whose name matches this shell-style pattern (repeatable)")
    test.add_argument("--config", help="config file for selecting the ASL8xx findings "
                      "(default: nearest pyproject.toml or .asl-lint.toml)")
    return test


def handle(args: argparse.Namespace) -> int:
    from asl_lint.cli import UsageError
    from asl_lint.testing.report import render_json, render_junit, render_text
    from asl_lint.testing.runner import run_paths

    paths = args.paths or ["."]
    for path in paths:
        if not Path(path).exists():
            raise UsageError(f"no such file or directory: {path}")
    config = _config(paths, args.config) if args.format in ("sarif", "github") else None
    run = run_paths(paths, cases=args.case or None)
    if args.update:
        from asl_lint.testing.update import update

        update(run)
    if args.format == "json":
        report = render_json(run)
    elif args.format == "junit":
        report = render_junit(run)
    elif args.format in ("sarif", "github"):
        from asl_lint.report import get_reporter
        from asl_lint.testing.report import findings

        assert config is not None
        report = get_reporter(args.format)(findings(run, config, args.coverage))
    else:
        report = render_text(run, coverage=args.coverage)
    if args.format != "text":
        for problem in run.errors:  # a suite that cannot run must never go unnoticed
            print(f"asl-lint: error: {problem}", file=sys.stderr)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
    else:
        sys.stdout.write(report)
    return run.exit_code


def _config(paths: list[str], file: str | None) -> Any:
    from asl_lint.cli import UsageError
    from asl_lint.config import ConfigError, config_for

    try:
        return config_for(paths, file)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
