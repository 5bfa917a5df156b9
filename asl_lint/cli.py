"""The command line: ``asl-lint check|rules|rule|test-state|run|lsp|graph|iam``.

A thin shell over the library. Heavy modules are imported inside the command that needs them,
so a pre-commit run on one small file only pays for what it uses. Usage mistakes (a missing
file, a bad option value) end with exit 2 and one ``asl-lint: error: ...`` line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asl_lint import __version__

if TYPE_CHECKING:
    from asl_lint.config import Config
    from asl_lint.engine.runner import LintResult
    from asl_lint.sources import LoadedMachine

COMMANDS = ("check", "rules", "rule", "test-state", "run", "lsp", "graph", "iam", "test")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MACHINE_TYPES = ("STANDARD", "EXPRESS")

# One example per command: `asl-lint --help` lists them, each command's --help shows its own.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "check": ("asl-lint check flows/ template.yaml", "asl-lint check --format sarif -o asl-lint.sarif ."),
    "rules": ("asl-lint rules --format json",),
    "rule": ("asl-lint rule ASL401",),
    "test-state": ("asl-lint test-state machine.asl.json --state-name Charge --input '{\"total\": 3}'"
                   " --mock '{\"result\": \"{\\\"id\\\": 1}\"}'",),
    "run": ("asl-lint run machine.asl.json --input @input.json --mock Charge='{\"id\": 1}'",),
    "lsp": ("asl-lint lsp --stdio",),
    "graph": ("asl-lint graph machine.asl.json --format dot",),
    "iam": ("asl-lint iam policy template.yaml",),
    "test": ("asl-lint test --coverage", "asl-lint test flows/order.sfn-test.yaml --format junit -o tests.xml"),
}


class UsageError(Exception):
    pass


class _Formatter(argparse.HelpFormatter):
    """Wraps prose paragraphs; keeps example blocks (a paragraph ending its first line with ':') as written."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        # argparse makes a formatter for every option it is given, and asks ``shutil`` for the
        # width: importing it (with bz2 and lzma) was 2 % of a one-file check. The same answer:
        # $COLUMNS, else the terminal's width, else 80; less 2, as argparse does.
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text
        return "\n\n".join(p if p.split("\n", 1)[0].endswith(":") else fill(p, width, indent)
                           for p in text.split("\n\n"))


def _terminal_columns() -> int:
    try:
        columns = int(os.environ["COLUMNS"])
        if columns > 0:
            return columns
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:  # argparse exits 2 on usage errors, as we want
        self.print_usage(sys.stderr)
        raise SystemExit(f"{self.prog}: error: {message}") from None


def _codes(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _machine_type(value: str) -> str:
    upper = value.strip().upper()
    if upper not in MACHINE_TYPES:
        raise argparse.ArgumentTypeError(f"invalid machine type {value!r} (choose STANDARD or EXPRESS)")
    return upper


def _upper(value: str) -> str:
    return value.strip().upper()


def _examples(command: str) -> str:
    lines = EXAMPLES.get(command, ())
    if not lines:
        return ""
    return ("examples:\n" if len(lines) > 1 else "example:\n") + "\n".join(f"  {line}" for line in lines)


def _command(sub: Any, name: str, help: str, description: str | None = None) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help, description=description or help[:1].upper()
                                                     + help[1:] + ".", epilog=_examples(name))
    return parser


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (``only``) the top level with just that command: a run of one
    command has no use for the options of the eight others, and building them all was a
    twentieth of a one-file ``check``. The top-level usage names no command, so nothing shows."""
    epilog = "examples:\n" + "\n".join(f"  {line}" for lines in EXAMPLES.values() for line in lines[:1])
    epilog += "\n\nRun `asl-lint COMMAND --help` for a command's options; `asl-lint FILE` means `asl-lint check FILE`."
    parser = _Parser(prog="asl-lint", description="Lint AWS Step Functions state machine definitions (ASL).",
                     epilog=epilog)
    parser.add_argument("--version", action="version", version=f"asl-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    adders = {"check": _add_check, "rules": _add_rules, "rule": _add_rule, "test-state": _add_test_state,
              "run": _add_run, "lsp": _add_lsp, "graph": _add_graph, "iam": _add_iam, "test": _add_test}
    for command, add in adders.items():
        if only is None or command == only:
            add(sub)
    return parser


def _add_check(sub: Any) -> None:
    check = _command(sub, "check", "lint files and directories",
                     "Lint state machine definitions: standalone files and CloudFormation/SAM templates. "
                     "Exit 0: no finding at or above --fail-on; 1: findings; 2: usage error or internal failure.")
    check.add_argument("paths", nargs="*", default=[], metavar="PATH",
                       help="files or directories to lint (default: .); a directory is searched recursively")
    check.add_argument("--format", default="text", choices=("text", "json", "sarif", "github", "junit", "gitlab"),
                       help="output format (default: text)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--select", type=_codes, metavar="CODES",
                       help="only these rules: comma-separated codes, prefixes (ASL4) or names")
    check.add_argument("--extend-select", type=_codes, metavar="CODES", help="add these rules to the selection")
    check.add_argument("--ignore", type=_codes, metavar="CODES", help="disable these codes, prefixes or names")
    check.add_argument("--config", metavar="FILE",
                       help="config file (default: [tool.asl-lint] in the nearest pyproject.toml, or .asl-lint.toml)")
    check.add_argument("--policy", action="append", default=[], metavar="FILE",
                       help="an IAM policy document of the execution role (repeatable)")
    check.add_argument("--state-machine-arn", metavar="ARN", help="the state machine's ARN (IAM resource matching)")
    check.add_argument("--input-schema", metavar="FILE",
                       help="a JSON Schema of the execution input (types, required members, enum, const and "
                            "numeric bounds feed the Choice analysis)")
    check.add_argument("--machine-type", type=_machine_type, metavar="STANDARD|EXPRESS",
                       help="the type of standalone definitions (Express limits); templates say it themselves")
    check.add_argument("--fail-on", type=_upper, choices=("ERROR", "WARNING", "INFO"), metavar="error|warning|info",
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")
    check.add_argument("--baseline", metavar="FILE",
                       help="report only findings that are not in this earlier JSON or SARIF report")
    check.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="worker processes linting files in parallel (default 0: every core, for runs of "
                            "16 files or more; one process otherwise)")
    check.add_argument("--fix", action="store_true",
                       help="apply mechanical fixes in place (recommended retrier, States.ALL last)")
    check.add_argument("--force-exclude", action="store_true",
                       help="apply configured excludes to files named on the command line (pre-commit)")
    check.add_argument("--no-frames", action="store_true", help="text format: no code frames under findings")
    check.add_argument("--only-state-machines", action="store_true",
                       help="skip named files that hold no state machine definition (pre-commit template hook)")
    check.add_argument("--cache", action="store_true",
                       help="cache results on disk, keyed by content, config and version (.asl-lint-cache/)")


def _add_rules(sub: Any) -> None:
    rules = _command(sub, "rules", "list the rules")
    rules.add_argument("--format", default="text", choices=("text", "json", "markdown"),
                       help="output format (default: text)")


def _add_rule(sub: Any) -> None:
    rule = _command(sub, "rule", "show one rule's documentation")
    rule.add_argument("code", metavar="CODE", help="rule code or name, e.g. ASL401 or missing-transient-retry")


def _add_state_machine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state-machine", metavar="NAME",
                        help="the state machine's logical ID when FILE is a template with several")


def _add_test_state(sub: Any) -> None:
    ts = _command(sub, "test-state", "what AWS TestState does, offline",
                  "Run one state as AWS TestState does, offline, and print TestState's response as JSON. "
                  "Exit 0: a response was produced (whatever its status); 2: AWS would reject the request "
                  "(printed as {\"Error\": {\"Code\", \"Message\"}}) or a usage error.")
    ts.add_argument("file", metavar="FILE",
                    help="a JSON/YAML file holding one state, a whole state machine (then name the state with "
                         "--state-name), or a CloudFormation/SAM template")
    ts.add_argument("--state-name", metavar="NAME", help="the state to test when FILE holds a whole machine")
    _add_state_machine(ts)
    ts.add_argument("--input", metavar="JSON|@FILE", help="the state's input: JSON text, or @FILE to read it")
    ts.add_argument("--inspection-level", default="INFO", type=_upper, choices=("INFO", "DEBUG", "TRACE"),
                    metavar="INFO|DEBUG|TRACE",
                    help="how much inspectionData to return (default: INFO)")
    ts.add_argument("--variables", metavar="JSON|@FILE", help="workflow variables in scope: a JSON object")
    ts.add_argument("--context", metavar="JSON|@FILE", help="the Context object ($$) to use: a JSON object")
    ts.add_argument("--mock", metavar="JSON|@FILE",
                    help="a Task, Map or Parallel state's result: {\"result\": JSON text} or "
                         "{\"errorOutput\": {\"error\": ..., \"cause\": ...}}")
    ts.add_argument("--reveal-secrets", action="store_true",
                    help="show secrets written inline in clear (masked by default)")
    ts.add_argument("--role-arn", metavar="ARN",
                    help="the execution role ARN TestState would be given (only shapes the Context object offline)")
    ts.add_argument("--state-configuration", metavar="JSON|@FILE",
                    help="TestState's stateConfiguration: retrierRetryCount, mapIterationFailureCount, ...")


def _add_run(sub: Any) -> None:
    run = _command(sub, "run", "run a whole machine offline",
                   "Run a whole state machine offline, Task results from mocks, and print "
                   "{\"status\", \"output\", \"error\", \"cause\"}. Exit 0: SUCCEEDED; 1: the execution did not "
                   "succeed; 2: usage error.")
    run.add_argument("file", metavar="FILE",
                     help="a state machine definition (JSON/YAML) or a CloudFormation/SAM template holding one")
    _add_state_machine(run)
    run.add_argument("--input", metavar="JSON|@FILE", help="the execution input: JSON text, or @FILE (default: {})")
    run.add_argument("--mock", action="append", default=[], metavar="STATE=JSON",
                     help="a Task, Map or Parallel state's result: STATE=JSON or STATE=@FILE (repeatable); "
                          "{\"errorOutput\": {\"error\": ..., \"cause\": ...}} makes it fail")
    run.add_argument("--mocks", metavar="FILE", help="a JSON/YAML file mapping state names to mocks")
    run.add_argument("--machine-type", type=_machine_type, default="STANDARD", metavar="STANDARD|EXPRESS",
                     help="the state machine type (default: STANDARD)")
    # 0.1.0 called it --type; `check` and the config file say machine-type.
    run.add_argument("--type", dest="machine_type", type=_machine_type, default=argparse.SUPPRESS,
                     help=argparse.SUPPRESS)


def _add_lsp(sub: Any) -> None:
    lsp = _command(sub, "lsp", "the language server, over stdio",
                   "The language server. It talks over stdio unless the client opened a socket or a pipe and "
                   "names it (the transport flags editors' LSP clients pass).")
    how = lsp.add_mutually_exclusive_group()
    how.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default)")
    how.add_argument("--socket", "--port", dest="socket", type=int, metavar="PORT",
                     help="connect to the client's TCP socket on localhost:PORT")
    how.add_argument("--pipe", metavar="NAME", help="connect to the client's named pipe or Unix socket NAME")
    how.add_argument("--node-ipc", action="store_true",
                     help="Node.js IPC: not supported (only Node.js servers can use it); use --stdio")
    lsp.add_argument("--clientProcessId", "--client-process-id", dest="client_process_id", type=int, metavar="PID",
                     help="the editor's process id (accepted; the server ends when the client says exit)")


def _add_graph(sub: Any) -> None:
    graph = _command(sub, "graph", "the state graph as Mermaid or DOT")
    graph.add_argument("file", metavar="FILE", help="a state machine definition or a template holding one")
    graph.add_argument("--format", default="mermaid", choices=("mermaid", "dot"),
                       help="Mermaid flowchart or Graphviz DOT (default: mermaid)")


def _add_iam(sub: Any) -> None:
    iam = _command(sub, "iam", "IAM helpers")
    iam_sub = iam.add_subparsers(dest="iam_command", parser_class=_Parser, metavar="SUBCOMMAND")
    policy = iam_sub.add_parser("policy", help="the least-privilege policy the workflow needs",
                                description="Print the least-privilege IAM policy each state machine needs.",
                                epilog=_examples("iam"))
    policy.add_argument("file", metavar="FILE",
                        help="a definition, CloudFormation/SAM template, Terraform file or folder, "
                             "serverless.yml or cdk.out template")
    policy.add_argument("--state-machine-arn", metavar="ARN", help="the state machine's ARN, when known")
    policy.add_argument("--format", default="json", choices=("json", "cloudformation", "terraform"),
                        help="an IAM document (default), or one that names the resources as the machine's "
                             "CloudFormation template or Terraform module does")


def main(argv: list[str] | None = None) -> int:
    from asl_lint.engine.parallel import relaxed_gc
    from asl_lint.startup import defer_dataclasses, install

    install()  # compiled dataclass code from earlier runs: a quarter of a one-file run's time
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv.insert(0, "check")  # `asl-lint file.asl.json` means `asl-lint check file.asl.json`
    if argv[:1] == ["lsp"]:  # a long-lived server keeps Python's usual collection pace
        return _main(argv)
    defer_dataclasses()  # a short command makes only the dataclasses it uses
    # A command is one burst of allocation, most of it acyclic: the modules it imports, then the
    # documents it reads. Collecting cycles less often saved a tenth of a one-file run.
    with relaxed_gc():
        return _main(argv)


def run() -> None:
    """The ``asl-lint`` console script and ``python -m asl_lint``: :func:`main`, then out of the
    process without tearing the interpreter down. Python's shutdown clears every module and runs a
    full garbage collection over everything a run built, ≈ 10 ms of a one-file run (more after a
    batch) that nobody waits for: the exit handlers run and the output is flushed first, exactly
    what a normal exit does that anyone can observe. The language server exits the usual way."""
    code = main()
    if sys.argv[1:2] == ["lsp"]:
        sys.exit(code)
    import atexit

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # (not CPython)
        sys.exit(code)
    run_exit_handlers()
    import contextlib

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`asl-lint check | head`)
            stream.flush()
    os._exit(code)


def _main(argv: list[str]) -> int:
    parser = build_parser(argv[0] if argv and argv[0] in COMMANDS else None)
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
        "lsp": _lsp, "graph": _graph, "iam": _iam, "test": _test,
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
        overrides["fail_on"] = Severity.parse(args.fail_on.lower())
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
    if args.jobs < 0:
        raise UsageError("--jobs must be at least 1 (or 0: as many as there are cores, for many files)")
    # Every file the run needs is checked before linting: a mistake is one clear line, never a
    # crash per linted file.
    _check_policies(config, set(args.policy))
    schema_origin = "--input-schema" if args.input_schema else f"input-schema in {config.source}"
    _check_input_schema(config.input_schema, schema_origin)
    _check_output(args.output)
    baseline = _load_baseline(args.baseline) if args.baseline else None
    if args.force_exclude:
        paths = [p for p in paths if not (Path(p).is_file() and config.excluded(p))]
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
    if baseline is not None:
        from asl_lint.baseline import apply_baseline

        apply_baseline(result, baseline)
    report = _render(result, args, config)
    if args.output:
        try:
            Path(args.output).write_text(report, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write the report to {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(report)
    _notes(result, args, paths)
    if args.exit_zero:
        return EXIT_CLEAN
    failing = [d for d in result.diagnostics if d.severity.rank >= config.fail_on.rank]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _notes(result: LintResult, args: argparse.Namespace, paths: list[str]) -> None:
    """What stderr says besides the report: internal errors, nothing found, findings hidden."""
    for error in result.internal_errors:
        print(f"asl-lint: internal error: {error}", file=sys.stderr)
    if not result.definitions and not result.unparsable and not result.diagnostics:
        where = ", ".join(paths)
        print(f"asl-lint: warning: no state machine definitions found under {where}", file=sys.stderr)
    if result.baselined and args.format != "text":  # the text summary line says it itself
        count = len(result.baselined)
        print(f"asl-lint: {count} known finding{'s' if count != 1 else ''} hidden by the baseline "
              f"({args.baseline})", file=sys.stderr)


def _validate_selectors(selectors: list[str]) -> None:
    from asl_lint.engine.suppress import unknown_codes

    bad = unknown_codes(tuple(selectors))
    if bad:
        raise UsageError(f"unknown rule code, prefix or name: {', '.join(bad)} (see `asl-lint rules`)")


def _check_policies(config: Config, from_command_line: set[str]) -> None:
    if not config.iam.policies:
        return  # nothing to read: the IAM machinery is not even imported
    from asl_lint.iam.policy import PolicyParseError
    from asl_lint.iam.sources import policies_from_files

    for policy in config.iam.policies:
        origin = "--policy" if policy in from_command_line else f"iam.policies in {config.source}"
        try:
            policies_from_files([policy])
        except OSError as exc:
            raise UsageError(f"{origin} {policy}: cannot read it: {exc.strerror or exc}") from None
        except (PolicyParseError, ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{origin} {policy}: not an IAM policy document: {exc}") from None


def _check_input_schema(schema_file: str | None, origin: str) -> None:
    if not schema_file:
        return
    try:
        schema = json.loads(Path(schema_file).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"{origin} {schema_file}: cannot read it: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{origin} {schema_file}: not JSON: {exc}") from None
    if not isinstance(schema, dict | bool):
        raise UsageError(f"{origin} {schema_file}: a JSON Schema is an object")
    from jsonschema import SchemaError
    from jsonschema.validators import validator_for

    try:
        validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path)
        raise UsageError(f"{origin} {schema_file}: not a valid JSON Schema: {exc.message}"
                         + (f" (at /{where})" if where else "")) from None


def _check_output(output: str | None) -> None:
    if not output:
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"--output {output} is a directory; name a file")
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"--output {output}: the directory {folder} does not exist")


def _load_baseline(path: str) -> Any:
    from asl_lint.baseline import load_baseline

    try:
        return load_baseline(path)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read baseline {path}: {reason}") from None


def _render(result: LintResult, args: argparse.Namespace, config: Config) -> str:
    from asl_lint.report import get_reporter

    if args.format == "text":
        from asl_lint.report.text_report import render

        color = None if not args.output else False
        return render(result, color=color, frames=not args.no_frames)
    if args.format == "junit":
        from asl_lint.report.junit_report import render as junit

        return junit(result, fail_on=config.fail_on)
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
            text = Path(value[1:]).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise UsageError(f"cannot read {what} file {value[1:]}: {exc.strerror or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} is not valid JSON: {exc}") from None


def _read_text(file: str) -> str:
    try:
        return Path(file).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read {file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _load_machines(file: str) -> list[LoadedMachine]:
    """Every state machine FILE holds, read as ``check`` reads it; a usage error when there is none.

    The one loader of the commands that run or draw a machine (``run``, ``test-state``, ``graph``):
    ``asl_lint.sources.load_machines`` reads every layout (definition files with the context of
    the machines that use them, CloudFormation/SAM/CDK templates inline or through
    ``DefinitionUri``, ``serverless.yml``, Terraform), with literal substitutions applied;
    ``!GetAtt``/``!Ref`` and other unknown values stay ``${...}`` placeholders.
    """
    from asl_lint.sources import load_machines
    from asl_lint.sources.base import is_definition
    from asl_lint.sources.machines import LoadError

    if not Path(file).exists():
        raise UsageError(f"cannot read {file}: No such file or directory")
    problems: list[str] = []
    try:
        machines = [m for m in load_machines(file, problems) if is_definition(m.definition)]
    except LoadError as exc:
        raise UsageError(str(exc)) from None
    if not machines:
        why = f": {problems[0]}" if problems else ""
        raise UsageError(f"{file} holds no state machine definition (a JSON/YAML object with StartAt and States, "
                         f"or a template or project file with one){why}")
    return machines


def _pick_machine(file: str, machines: list[LoadedMachine], name: str | None) -> dict[str, Any]:
    if name is not None:
        chosen = [m for m in machines if name in (m.name, m.context.id if m.context else None)]
        if not chosen:
            raise UsageError(f"{file} has no state machine {name!r}; its state machines: "
                             f"{_listing([m.name for m in machines])}")
        machines = chosen
    if len(machines) > 1:
        names = ", ".join(m.name for m in machines)
        raise UsageError(f"{file} holds {len(machines)} state machines ({names}); choose one with --state-machine")
    definition: dict[str, Any] = machines[0].definition
    return definition


def _load_machine(file: str, name: str | None = None) -> dict[str, Any]:
    """The one state machine definition FILE holds (``name`` picks one of several)."""
    return _pick_machine(file, _load_machines(file), name)


def _read_document(file: str) -> Any:
    """FILE parsed as JSON or YAML (a single state for ``test-state``)."""
    from asl_lint.sources.detect import detect_format, parse_text

    text = _read_text(file)
    parsed = parse_text(text, detect_format(file, text))
    if parsed.fatal:
        problem = next((p for p in parsed.problems if p.code == "ASL001"), None)
        raise UsageError(f"{file} is not valid JSON or YAML: {problem.message if problem else 'cannot parse it'}")
    return parsed.value


def _state_names(definition: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, Type) of every state, nested ones included, in document order."""
    from asl_lint.eval.request import walk_states

    states = definition.get("States")
    if not isinstance(states, dict):
        return []
    return [(name, str(state.get("Type", ""))) for name, _, state in walk_states(states, "")]


def _listing(names: list[str]) -> str:
    return ", ".join(names) if names else "(none)"


def _unknown_state(what: str, name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{what} names no state of the machine: {name!r}{hint} Its states: {_listing(known)}"


def _test_state(args: argparse.Namespace) -> int:
    from asl_lint.eval.api import test_state
    from asl_lint.eval.errors import NO_MOCK, TestStateRequestError
    from asl_lint.sources.base import is_definition
    from asl_lint.sources.cloudformation import is_template

    try:
        value = _read_document(args.file)
    except UsageError:
        value = None  # not JSON or YAML (a Terraform file, say): the machine loader says what it is
    whole = not isinstance(value, dict) or "Type" not in value or is_definition(value) or is_template(value)
    kind: str | None = None
    if whole:  # a machine, or a file holding some (a template, a project file)
        definition: Any = _load_machine(args.file, args.state_machine)
        states = _state_names(definition)
        names = [name for name, _ in states]
        # AWS answers these with a bare "State not found in definition" (printed below, as the
        # contract wants): stderr names the state and lists the machine's states.
        if args.state_name is None:
            print(f"asl-lint: {args.file} holds a whole state machine: name the state to test with --state-name; "
                  f"its states: {_listing(names)}", file=sys.stderr)
        elif args.state_name not in names:
            print(f"asl-lint: {_unknown_state('--state-name', args.state_name, names)}", file=sys.stderr)
        else:
            kind = dict(states)[args.state_name]
    else:  # one state
        definition, kind = value, str(value.get("Type", ""))
    mock = _json_arg(args.mock, "--mock")
    if kind == "Task" and mock is None:
        # Offline, a Task's result can only come from a mock: ask for it before AWS's role question.
        name = args.state_name or "the state"
        print(json.dumps({"Error": {"Code": NO_MOCK, "Message": (
            f"Task state {name!r} cannot call AWS offline: give its result with --mock "
            "'{\"result\": \"<JSON text>\"}' or its failure with --mock "
            "'{\"errorOutput\": {\"error\": \"...\", \"cause\": \"...\"}}'")}}, indent=2))
        return EXIT_ERROR
    try:
        response = test_state(
            definition,
            _json_arg(args.input, "--input"),
            state_name=args.state_name,
            inspection_level=args.inspection_level,
            variables=_json_arg(args.variables, "--variables"),
            context=_json_arg(args.context, "--context"),
            mock=mock,
            reveal_secrets=args.reveal_secrets,
            role_arn=args.role_arn,
            state_configuration=_json_arg(args.state_configuration, "--state-configuration"),
        )
    except TestStateRequestError as exc:
        print(json.dumps({"Error": {"Code": exc.code, "Message": exc.message}}, indent=2))
        return EXIT_ERROR
    print(json.dumps(response, indent=2, ensure_ascii=False))
    return EXIT_CLEAN


def _read_mocks(args: argparse.Namespace) -> dict[str, Any]:
    mocks: dict[str, Any] = {}
    if args.mocks:
        import yaml

        try:
            loaded = yaml.safe_load(_read_text(args.mocks))
        except yaml.YAMLError as exc:
            raise UsageError(f"--mocks {args.mocks} is not valid JSON or YAML: {exc}") from None
        if not isinstance(loaded, dict):
            raise UsageError("--mocks must be a mapping of state names to mocks")
        mocks.update(loaded)
    for item in args.mock:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--mock expects STATE=JSON, got {item!r}")
        mocks[name] = _json_arg(value, f"--mock {name}")
    return mocks


def _run(args: argparse.Namespace) -> int:
    from asl_lint.eval.api import run_execution

    definition = _load_machine(args.file, args.state_machine)
    mocks = _read_mocks(args)
    states = dict(_state_names(definition))
    for name in mocks:
        if name not in states:
            raise UsageError(_unknown_state("--mock", name, list(states)))
        if states[name] not in ("Task", "Map", "Parallel"):
            raise UsageError(f"--mock {name}: a {states[name]} state runs itself; only Task, Map and Parallel "
                             "states take a mock")
    response = run_execution(definition, _json_arg(args.input, "--input"), mocks=mocks,
                             state_machine_type=args.machine_type)
    print(json.dumps(response, indent=2, ensure_ascii=False))
    return EXIT_CLEAN if response.get("status") == "SUCCEEDED" else EXIT_FINDINGS


# --- language server -------------------------------------------------------------------------------
def _lsp(args: argparse.Namespace) -> int:
    from asl_lint.lsp.server import serve

    if args.node_ipc:
        raise UsageError("lsp --node-ipc: Node.js IPC is only open to Node.js servers; use --stdio "
                         "(or --socket PORT, --pipe NAME)")
    if args.socket is None and args.pipe is None:
        serve()
        return EXIT_CLEAN
    import socket

    # The client listens and the server connects (vscode-languageclient's socket and pipe transports).
    try:
        if args.socket is not None:
            connection = socket.create_connection(("127.0.0.1", args.socket))
        elif hasattr(socket, "AF_UNIX") and not args.pipe.startswith("\\\\.\\pipe\\"):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.connect(args.pipe)
        else:  # a Windows named pipe opens like a file
            with open(args.pipe, "r+b", buffering=0) as pipe:
                serve(pipe, pipe)
            return EXIT_CLEAN
    except OSError as exc:
        where = f"port {args.socket}" if args.socket is not None else args.pipe
        raise UsageError(f"lsp: cannot connect to the client at {where}: {exc.strerror or exc}") from None
    with connection, connection.makefile("rb") as reader, connection.makefile("wb") as writer:
        serve(reader, writer)
    return EXIT_CLEAN


def _graph(args: argparse.Namespace) -> int:
    from asl_lint.report.graph_export import export_graph

    _load_machines(args.file)  # a file with no state machine is a usage error, not an empty graph
    print(export_graph(args.file, args.format), end="")
    return EXIT_CLEAN


def _iam(args: argparse.Namespace) -> int:
    if args.iam_command != "policy":
        raise UsageError("usage: asl-lint iam policy FILE")
    from asl_lint.iam.cli import policy_for_file, render

    try:
        document = policy_for_file(args.file, state_machine_arn=args.state_machine_arn, fmt=args.format)
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    print(render(document, args.format))
    return EXIT_CLEAN


def _add_test(sub: Any) -> None:
    from asl_lint.testing.cli import add_parser

    add_parser(sub).epilog = _examples("test")


def _test(args: argparse.Namespace) -> int:
    from asl_lint.testing.cli import handle

    return handle(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
