"""Public entry points: ``test_state`` (offline TestState) and ``run_execution`` (offline execution)."""

from __future__ import annotations

from typing import Any, Literal

from asl_lint.eval.context import DEFAULT_ROLE_ARN, execution_context
from asl_lint.eval.errors import too_deep
from asl_lint.eval.execution import MAX_DURATION, execute
from asl_lint.eval.loading import load_definition
from asl_lint.eval.runtime import Limits, Runtime
from asl_lint.eval.teststate import test_state as _test_state

__all__ = ["run_execution", "test_state"]


def test_state(
    definition: dict[str, Any] | str,
    input: Any = None,
    *,
    state_name: str | None = None,
    inspection_level: Literal["INFO", "DEBUG", "TRACE"] = "INFO",
    variables: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    mock: dict[str, Any] | None = None,
    reveal_secrets: bool = False,
    role_arn: str | None = None,
    state_configuration: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What AWS TestState returns for one state, computed offline: the dict ``asl-lint test-state`` prints.

    Raises ``asl_lint.eval.TestStateRequestError`` for a request AWS would reject. Unless
    ``reveal_secrets=True``, any secret written inline in the definition or the request (API keys,
    tokens, passwords in URLs) is masked in every string of the response, as asl-lint never prints
    a secret in clear.
    """
    response = _test_state(
        definition,
        input,
        state_name=state_name,
        inspection_level=inspection_level,
        variables=variables,
        context=context,
        mock=mock,
        reveal_secrets=reveal_secrets,
        role_arn=role_arn,
        state_configuration=state_configuration,
    )
    if reveal_secrets:
        return response
    secrets = inline_secrets(definition, input, variables, context)
    return redact_value(response, secrets) if secrets else response


test_state.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def inline_secrets(*documents: Any) -> list[str]:
    """Secrets written inline in these documents (longest first), to mask in what is printed."""
    from asl_lint.eval.loading import load_definition
    from asl_lint.secrets import scan_tree

    found: set[str] = set()
    for document in documents:
        if isinstance(document, str):
            try:
                document = load_definition(document)
            except Exception:  # unparsable text holds nothing to mask here
                continue
        for hit in scan_tree(document):
            text = hit.path[-1] if hit.in_key else _at(document, hit.path)
            if isinstance(text, str):
                found.add(text[hit.match.start : hit.match.end])
    return sorted(found, key=len, reverse=True)


def _at(document: Any, path: Any) -> Any:
    for token in path:
        try:
            document = document[token]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def redact_value(value: Any, secrets: list[str]) -> Any:
    """``value`` with every secret masked in each of its strings."""
    from asl_lint.secrets import redact

    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {k: redact_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, secrets) for v in value]
    return value


def run_execution(
    definition: dict[str, Any] | str,
    input: Any = None,
    *,
    mocks: dict[str, Any] | None = None,
    limits: Limits | None = None,
    state_machine_type: Literal["STANDARD", "EXPRESS"] = "STANDARD",
    role_arn: str | None = None,
) -> dict[str, Any]:
    """Run a whole state machine offline (like ``asl-lint run``; for Step Functions Local's mock
    format, histories and coverage, see ``asl_lint.testing.run``).

    Returns ``{"status": "SUCCEEDED", "output": <JSON text>}`` or ``{"status": "FAILED"|"TIMED_OUT", "error",
    "cause"}``. Time is virtual: Wait states and retry backoff cost nothing, and an execution that
    would run past its ``TimeoutSeconds`` (or its type's maximum duration) times out.
    ``mocks`` maps state names to a result value, TestState's ``{"result": <JSON text or value>}``,
    or ``{"errorOutput": {"error": ..., "cause": ...}}``. Every Task needs one; a mocked Map or
    Parallel is not run, the mock is its whole result. Without input AWS starts with ``{}``.
    ``state_machine_type`` ("STANDARD"/"EXPRESS") and ``role_arn`` only shape the Context object.
    """
    try:
        return _run(definition, input, mocks, limits, state_machine_type, role_arn or DEFAULT_ROLE_ARN)
    except RecursionError:
        return too_deep()


def _run(
    definition: dict[str, Any] | str,
    input: Any,
    mocks: dict[str, Any] | None,
    limits: Limits | None,
    state_machine_type: str,
    role_arn: str,
) -> dict[str, Any]:
    machine = load_definition(definition)
    execution_input = {} if input is None else input
    runtime = Runtime(
        base_context=execution_context(
            execution_input, express=state_machine_type == "EXPRESS", role_arn=role_arn
        ),
        mocks=dict(mocks or {}),
        limits=limits or Limits(),
        deadline=MAX_DURATION.get(state_machine_type, MAX_DURATION["STANDARD"]),
        virtual_clock=True,
    )
    return execute(machine, execution_input, runtime)
