"""ASL401–ASL407: retries on transient errors, Retry/Catch mistakes, timeouts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from asl_lint.diagnostics import Edit, Finding, Fix, Severity
from asl_lint.engine.context import CheckContext
from asl_lint.engine.registry import check
from asl_lint.errors import classify, first_taker, subsumed, transient_spec, uncovered_transients
from asl_lint.errors.coverage import error_names, retries
from asl_lint.errors.matching import ALL, KNOWN_STATES_ERRORS, RUNTIME, is_known_states_error
from asl_lint.errors.table import TransientSpec, error_prefix
from asl_lint.model.machine import State

_HANDLING = ("Task", "Parallel", "Map")
_KIND = {"Retry": "retrier", "Catch": "catcher"}


def _entries(state: State, field: str) -> list[tuple[int, dict[str, Any]]]:
    return state.retriers if field == "Retry" else state.catchers


def _names_with_index(entry: dict[str, Any]) -> list[tuple[int, str]]:
    names = entry.get("ErrorEquals")
    if not isinstance(names, list):
        return []
    return [(j, n) for j, n in enumerate(names) if isinstance(n, str)]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _listing(names: list[str]) -> str:
    return ", ".join(names)


# --- ASL401 ----------------------------------------------------------------------------------------
@check("ASL401")
def missing_transient_retry(ctx: CheckContext) -> Iterator[Finding]:
    specs: dict[str, TransientSpec | None] = {}  # by integration: many Tasks call the same one
    for state in ctx.model.iter_states("Task"):
        integration = classify(state.raw.get("Resource"))
        if integration is None:
            continue
        if integration.key not in specs:
            specs[integration.key] = transient_spec(integration.key, ctx.config.retry)
        spec = specs[integration.key]
        if spec is None or ("Retry" in state.raw and not isinstance(state.raw["Retry"], list)):
            continue
        missing = uncovered_transients(state, spec.required)
        if not missing:
            continue
        existing = state.retriers
        # The new retrier takes only errors no existing retrier handles, so it changes nothing else.
        wanted = [e for e in spec.retrier["ErrorEquals"] if e in missing or first_taker(existing, e) is None]
        wanted += [e for e in missing if e not in wanted]
        retrier = {**spec.retrier, "ErrorEquals": wanted}
        plural = "errors" if len(missing) > 1 else "error"
        what = f"{spec.label} {plural} {_listing(missing)}"
        if "Retry" in state.raw:
            message = (
                f"No retrier of Task {state.name!r} retries the transient {what}; add a retrier with"
                f" MaxAttempts above 0 for them before the others"
            )
            fix = Fix(
                "Add the recommended retrier",
                (Edit("replace", state.ptr("Retry"), [retrier, *state.raw["Retry"]]),),
            )
            yield Finding(state.ptr("Retry"), message, target="key", fix=fix)
        else:
            message = (
                f"Task {state.name!r} ({integration.describe()}) has no Retry for the transient"
                f" {what}; add {'the retrier AWS recommends' if spec.by_aws else 'a retrier'} (ErrorEquals"
                f" {_listing(wanted)}, MaxAttempts {retrier.get('MaxAttempts', 3)}, BackoffRate"
                f" {retrier.get('BackoffRate', 2)})"
            )
            fix = Fix("Add the recommended retrier", (Edit("add", state.ptr("Retry"), [retrier]),))
            yield Finding(state.ptr("Resource"), message, fix=fix)


# --- ASL402 ----------------------------------------------------------------------------------------
@check("ASL402")
def error_all_not_last(ctx: CheckContext) -> Iterator[Finding]:
    for state in ctx.model.iter_states(*_HANDLING):
        for field in ("Retry", "Catch"):
            raw = state.raw.get(field)
            if not isinstance(raw, list):
                continue
            kind = _KIND[field]
            holders = [i for i, entry in _entries(state, field) if ALL in error_names(entry)]
            for i in holders:
                entry = raw[i]
                named = _names_with_index(entry)
                others = [n for _, n in named if n != ALL]
                if others:
                    yield Finding(
                        state.ptr(field, i, "ErrorEquals"),
                        f"States.ALL must be alone in its ErrorEquals, but {kind} {i} of {state.name!r}"
                        f" also lists {_listing(others)}; States.ALL already matches"
                        f" {'them' if len(others) > 1 else 'it'}, so keep only States.ALL (AWS rejects the"
                        " definition otherwise)",
                        fix=Fix(
                            "Keep only States.ALL",
                            (Edit("replace", state.ptr(field, i, "ErrorEquals"), [ALL]),),
                        ),
                    )
                if i != len(raw) - 1:
                    position = next(j for j, n in named if n == ALL)
                    fix = None
                    if len(holders) == 1:
                        reordered = [e for k, e in enumerate(raw) if k != i] + [entry]
                        edit = Edit("replace", state.ptr(field), reordered)
                        fix = Fix(f"Move the States.ALL {kind} last", (edit,))
                    after = len(raw) - 1 - i
                    yield Finding(
                        state.ptr(field, i, "ErrorEquals", position),
                        f"The States.ALL {kind} of {state.name!r} must be the last in {field}, but {after}"
                        f" more {'follow' if after > 1 else 'follows'} it; move it to the end (AWS rejects"
                        " the definition otherwise)",
                        fix=fix,
                    )


# --- ASL403 ----------------------------------------------------------------------------------------
@check("ASL403")
def unreachable_handler(ctx: CheckContext) -> Iterator[Finding]:
    for state in ctx.model.iter_states(*_HANDLING):
        for field in ("Retry", "Catch"):
            kind = _KIND[field]
            earlier: list[tuple[int, str]] = []  # (entry index, name)
            for i, entry in _entries(state, field):
                named = [(j, n) for j, n in _names_with_index(entry) if n != RUNTIME]
                seen = [n for _, n in earlier]
                if ALL in seen:
                    break  # States.ALL before the end is ASL402's finding
                taken = [(j, n) for j, n in named if subsumed(n, seen)]
                if named and len(taken) == len(named):
                    by = _taker_label(field, earlier, [n for _, n in named])
                    first = by.split(" ", 1)[0]
                    yield Finding(
                        state.ptr(field, i, "ErrorEquals"),
                        f"{kind.capitalize()} {i} of {state.name!r} can never run: {by} already"
                        f" {'take' if ' and ' in by else 'takes'} {_listing([n for _, n in named])};"
                        f" move it before {first} or remove it",
                        target="key",
                    )
                else:
                    for j, name in taken:
                        by = _taker_label(field, earlier, [name])
                        yield Finding(
                            state.ptr(field, i, "ErrorEquals", j),
                            f"{name} never reaches {kind} {i} of {state.name!r}: {by} already takes it;"
                            f" remove it here or move this {kind} first",
                        )
                earlier.extend((i, n) for _, n in named)


def _taker_label(field: str, earlier: list[tuple[int, str]], names: list[str]) -> str:
    """Which earlier entries take ``names``: "Retry[0] (States.TaskFailed)"."""
    labels: list[str] = []
    for name in names:
        for index, pattern in earlier:
            if subsumed(name, [pattern]):
                label = f"{field}[{index}] ({pattern})"
                if label not in labels:
                    labels.append(label)
                break
    return " and ".join(labels)


# --- ASL404 ----------------------------------------------------------------------------------------
_MAX_INT = 99_999_999
_MAX_DELAY = 31_622_400
_DELAY_FIELDS = ("IntervalSeconds", "BackoffRate", "MaxDelaySeconds", "JitterStrategy")


@check("ASL404")
def invalid_retry_settings(ctx: CheckContext) -> Iterator[Finding]:
    for state in ctx.model.iter_states(*_HANDLING):
        for i, retrier in state.retriers:
            yield from _retrier_settings(state, i, retrier)


def _retrier_settings(state: State, i: int, retrier: dict[str, Any]) -> Iterator[Finding]:
    where = f"retrier {i} of {state.name!r}"
    attempts = _number(retrier.get("MaxAttempts"))
    interval = _number(retrier.get("IntervalSeconds"))
    backoff = _number(retrier.get("BackoffRate"))
    max_delay = _number(retrier.get("MaxDelaySeconds"))
    bad: set[str] = set()
    limits = (
        ("MaxAttempts", attempts, 0, _MAX_INT, "an integer from 0 to 99,999,999 (0 = never retry)"),
        ("IntervalSeconds", interval, 1, _MAX_INT, "an integer from 1 to 99,999,999"),
        ("MaxDelaySeconds", max_delay, 1, _MAX_DELAY, "an integer from 1 to 31,622,400"),
    )
    for name, value, low, high, rule in limits:
        if value is not None and (value < low or value > high or value != int(value)):
            bad.add(name)
            yield Finding(
                state.ptr("Retry", i, name),
                f"{name} of {where} is {retrier[name]!r}; it must be {rule}",
                severity=Severity.ERROR,
            )
    if backoff is not None and backoff < 1:
        bad.add("BackoffRate")
        yield Finding(
            state.ptr("Retry", i, "BackoffRate"),
            f"BackoffRate of {where} is {retrier['BackoffRate']!r}; it must be 1.0 or more"
            " (1.0 = the same wait every time)",
            severity=Severity.ERROR,
        )
    jitter = retrier.get("JitterStrategy")
    if isinstance(jitter, str) and jitter not in ("FULL", "NONE"):
        bad.add("JitterStrategy")
        yield Finding(
            state.ptr("Retry", i, "JitterStrategy"),
            f"JitterStrategy of {where} is {jitter!r}; it must be FULL or NONE",
            severity=Severity.ERROR,
        )
    if attempts == 0:
        pointless = [k for k in _DELAY_FIELDS if k in retrier]
        if pointless:
            yield Finding(
                state.ptr("Retry", i, "MaxAttempts"),
                f"MaxAttempts 0 means {where} never retries, so {_listing(pointless)} "
                f"{'have' if len(pointless) > 1 else 'has'} no effect; remove "
                f"{'them' if len(pointless) > 1 else 'it'} or set MaxAttempts above 0",
                severity=Severity.WARNING,
            )
        return
    if bad & {"IntervalSeconds", "MaxDelaySeconds", "BackoffRate"} or max_delay is None:
        return
    first = interval if interval is not None else 1.0
    rate = backoff if backoff is not None else 2.0
    if max_delay < first:
        yield Finding(
            state.ptr("Retry", i, "MaxDelaySeconds"),
            f"MaxDelaySeconds ({retrier['MaxDelaySeconds']}) of {where} is below IntervalSeconds"
            f" ({_fmt(first)}): every retry waits {retrier['MaxDelaySeconds']} s and"
            " IntervalSeconds and BackoffRate have no effect; make MaxDelaySeconds larger than"
            " IntervalSeconds",
            severity=Severity.WARNING,
        )
    elif max_delay == first and rate > 1:
        yield Finding(
            state.ptr("Retry", i, "MaxDelaySeconds"),
            f"MaxDelaySeconds ({retrier['MaxDelaySeconds']}) of {where} equals IntervalSeconds, so"
            f" every wait is capped at {_fmt(first)} s and BackoffRate {_fmt(rate)} has no effect;"
            " raise MaxDelaySeconds or set BackoffRate to 1",
            severity=Severity.WARNING,
        )
    elif rate == 1 and "BackoffRate" in retrier:
        yield Finding(
            state.ptr("Retry", i, "MaxDelaySeconds"),
            f"MaxDelaySeconds of {where} has no effect: with BackoffRate 1 every wait is"
            f" IntervalSeconds ({_fmt(first)} s); remove it or raise BackoffRate",
            severity=Severity.WARNING,
        )


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


# --- ASL405 ----------------------------------------------------------------------------------------
# Errors only a Choice, Parallel or Map state raises: a Task never does.
_NOT_FROM_TASK = (
    "States.NoChoiceMatched",
    "States.BranchFailed",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
)
# The other spelling of the same service's error prefix (optimized vs aws-sdk).
_SDK_SERVICE = {"states": "sfn"}


class _Raised:
    """The error names Fail states raise: a Fail state may (against the spec) use a States. name."""

    def __init__(self, ctx: CheckContext) -> None:
        self.names: set[str] = set()
        self.anything = False  # a Fail state whose Error is computed could raise any name
        for state in ctx.model.iter_states("Fail"):
            error = state.raw.get("Error")
            computed = isinstance(error, str) and ("{%" in error or ctx.is_unknown(error))
            if "ErrorPath" in state.raw or computed:
                self.anything = True
            elif isinstance(error, str):
                self.names.add(error)

    def __contains__(self, name: str) -> bool:
        return self.anything or name in self.names


@check("ASL405")
def non_retriable_error(ctx: CheckContext) -> Iterator[Finding]:
    raised = _Raised(ctx)
    for state in ctx.model.iter_states(*_HANDLING):
        for field in ("Retry", "Catch"):
            verb = "retried" if field == "Retry" else "caught"
            for i, entry in _entries(state, field):
                for j, name in _names_with_index(entry):
                    message = _never_matches(state, field, entry, name, verb, raised)
                    if message:
                        yield Finding(state.ptr(field, i, "ErrorEquals", j), message)


def _never_matches(
    state: State, field: str, entry: dict[str, Any], name: str, verb: str, raised: _Raised
) -> str | None:
    if CheckContext.is_unknown(name):
        return None
    if name == RUNTIME:
        return (
            f"States.Runtime is never {verb}, not even when named: Step Functions fails the execution at"
            f" once (a bad path, a null input…); remove it from this {_KIND[field]}"
        )
    if name.startswith("States.") and not is_known_states_error(name) and name not in raised:
        import difflib

        close = difflib.get_close_matches(name, sorted(KNOWN_STATES_ERRORS), n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else "; names starting with States. are reserved"
        return f"{name} is not an error Step Functions raises, so it is never {verb}{hint}"
    if field == "Retry" and name == "States.DataLimitExceeded" and retries(entry):
        return (
            "States.DataLimitExceeded is never retried: AWS documents it as a terminal error, and a retry"
            " would only send the same oversized payload again; catch it instead"
        )
    if state.type != "Task":
        return None
    if name in _NOT_FROM_TASK:
        return f"A Task never raises {name} (only Choice, Parallel or Map states do), so it is never {verb}"
    integration = classify(state.raw.get("Resource"))
    if integration is None:
        return None
    if name.startswith("States.Http.") and integration.kind != "http":
        return (
            f"{name} comes only from HTTP Tasks; Task {state.name!r} calls {integration.describe()},"
            f" so it is never {verb}"
        )
    prefix, dot, rest = name.partition(".")
    if not dot or integration.kind not in ("optimized", "aws-sdk", "lambda-function"):
        return None
    expected = error_prefix("aws-sdk" if integration.kind == "aws-sdk" else "optimized", integration.service)
    if integration.kind == "lambda-function":
        return _case_typo(name, verb, integration.describe(), expected)
    if integration.kind == "optimized":
        other = error_prefix("aws-sdk", _SDK_SERVICE.get(integration.service, integration.service))
    else:
        services = {v: k for k, v in _SDK_SERVICE.items()}
        other = error_prefix("optimized", services.get(integration.service, integration.service))
    if expected and other and prefix == other and prefix != expected:
        style = "AWS SDK" if integration.kind == "aws-sdk" else "optimized"
        use = f", so use {expected}.{rest}" if rest.endswith("Exception") else ""
        return (
            f"{name} is never {verb}: the {style} integration {integration.describe()} names its errors"
            f" {expected}.… ({other}.… is the other integration style's spelling){use}"
        )
    typo = _case_typo(name, verb, integration.describe(), expected)
    if typo:
        return typo
    own_prefix = prefix.lower() == integration.service
    if integration.kind == "aws-sdk" and own_prefix and not rest.endswith("Exception"):
        return (
            f"{name} is never {verb}: AWS SDK integrations always end error names with Exception,"
            f" so use {name}Exception"
        )
    return None


def _case_typo(name: str, verb: str, calls: str, expected: str | None) -> str | None:
    prefix, _, rest = name.partition(".")
    if expected and prefix != expected and prefix.lower() == expected.lower():
        return (
            f"{name} is never {verb}: error names are case-sensitive and {calls} names its errors"
            f" {expected}.…, so use {expected}.{rest}"
        )
    return None


# --- ASL406 ----------------------------------------------------------------------------------------
# .sync jobs the service itself stops: Athena's DML query timeout, Glue's job Timeout (48 h default),
# SageMaker training's required StoppingCondition.
_BOUNDED = {("athena", "startQueryExecution"), ("glue", "startJobRun"), ("sagemaker", "createTrainingJob")}


@check("ASL406")
def missing_timeout(ctx: CheckContext) -> Iterator[Finding]:
    root = ctx.definition if isinstance(ctx.definition, dict) else {}
    if "TimeoutSeconds" in root:
        return  # the execution's own timeout bounds every wait
    for state in ctx.model.iter_states("Task"):
        resource = state.raw.get("Resource")
        integration = classify(resource)
        if integration is None or not isinstance(resource, str):
            continue
        if "TimeoutSeconds" in state.raw or "TimeoutSecondsPath" in state.raw:
            continue
        heartbeat = "HeartbeatSeconds" in state.raw or "HeartbeatSecondsPath" in state.raw
        span = None
        silent = "if no answer comes"
        if integration.kind == "activity":
            waits = "for an activity worker"
        elif integration.pattern == "waitForTaskToken":
            waits = "for a task token (.waitForTaskToken)"
            span = (len(resource) - len(".waitForTaskToken"), len(resource))
        elif (
            integration.pattern in ("sync", "sync:2")
            and (integration.service, integration.action) not in _BOUNDED
        ):
            waits = f"for the job to finish (.{integration.pattern})"
            silent = "if the job hangs"
            span = (len(resource) - len(integration.pattern) - 1, len(resource))
            heartbeat = False  # Step Functions polls .sync jobs: a heartbeat does not bound them
        else:
            continue
        if heartbeat:
            continue
        advice = (
            "set TimeoutSeconds"
            if integration.pattern.startswith("sync")
            else "set TimeoutSeconds (and HeartbeatSeconds if the worker can send heartbeats)"
        )
        yield Finding(
            state.ptr("Resource"),
            f"Task {state.name!r} waits {waits} with no TimeoutSeconds: {silent}, it waits until"
            f" the execution itself times out (up to a year for a Standard workflow); {advice}",
            span=span,
        )


# --- ASL407 ----------------------------------------------------------------------------------------
@check("ASL407")
def catch_discards_input(ctx: CheckContext) -> Iterator[Finding]:
    for state in ctx.model.iter_states(*_HANDLING):
        if state.jsonata:
            continue  # JSONata catchers use Output, and without it pass the error output on purpose
        for i, catcher in state.catchers:
            if "ResultPath" in catcher or "Output" in catcher:
                continue  # Output is JSONata's field: a misplaced QueryLanguage, which ASL004 reports
            target = catcher.get("Next")
            handler = state.scope.states.get(target) if isinstance(target, str) else None
            if handler is not None and handler.type == "Fail":
                continue  # a Fail state ignores its input
            pointer = state.ptr("Catch", i, "ErrorEquals" if "ErrorEquals" in catcher else "Next")
            goes = f" and {target!r} receives only the error" if isinstance(target, str) else ""
            yield Finding(
                pointer,
                f"Catcher {i} of {state.name!r} has no ResultPath, so the error output replaces the state"
                f" input{goes};"
                ' add "ResultPath": "$.error" to keep the input and add the error to it',
                target="key",
                fix=Fix(
                    'Keep the input: add "ResultPath": "$.error"',
                    (Edit("add", state.ptr("Catch", i, "ResultPath"), "$.error"),),
                ),
            )
