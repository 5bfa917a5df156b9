"""Payload templates: JSONPath ``.$`` keys (paths / intrinsics) and JSONata ``{% %}`` values."""

from __future__ import annotations

import json
from typing import Any

from asl_lint.eval import exprs
from asl_lint.eval.errors import INTRINSIC_FAILURE, QUERY_EVALUATION, RUNTIME, StatesError
from asl_lint.eval.runtime import Frame

# One encoder for every call: json.dumps with options builds a new one each time (a history
# serialises every state's input and output).
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def compact(value: Any) -> str:
    """JSON text the way AWS re-serialises payloads (no spaces)."""
    return _COMPACT.encode(value)


def jsonpath_value(frame: Frame, text: str, data: Any, field: str) -> Any:
    """Value of a ``.$`` field: an intrinsic call or a path (``$``, ``$$``, ``$var``)."""
    variables = frame.variables.visible()
    if not text.startswith("$") and exprs.looks_like_intrinsic(text):
        try:
            return exprs.call_intrinsic(text, data, context=frame.context, variables=variables)
        except StatesError:
            raise
        except Exception as exc:  # EvaluationError from the expression layer
            error = getattr(exc, "error", INTRINSIC_FAILURE)
            cause = getattr(exc, "cause", str(exc))
            raise frame.error(error, cause) from exc
    try:
        return exprs.read_path(text, data, context=frame.context, variables=variables)
    except exprs.PathMissing as exc:
        raise frame.error(
            RUNTIME,
            f"The JSONPath '{text}' specified for the field '{field}' could not be found "
            f"in the input '{compact(data)}'",
        ) from exc


def resolve_template(frame: Frame, template: Any, data: Any) -> Any:
    """Apply a JSONPath payload template (Parameters, ItemSelector, ResultSelector, Assign…)."""
    if isinstance(template, dict):
        out: dict[str, Any] = {}
        for key, value in template.items():
            if key.endswith(".$") and isinstance(value, str):
                out[key[:-2]] = jsonpath_value(frame, value, data, key)
            else:
                out[key] = resolve_template(frame, value, data)
        return out
    if isinstance(template, list):
        return [resolve_template(frame, item, data) for item in template]
    return template


def states_binding(
    frame: Frame,
    state_input: Any,
    *,
    result: Any = None,
    has_result: bool = False,
    error_output: Any = None,
) -> dict[str, Any]:
    """The ``$states`` variable of a JSONata state."""
    states: dict[str, Any] = {"input": state_input, "context": frame.context}
    if has_result:
        states["result"] = result
    if error_output is not None:
        states["errorOutput"] = error_output
    return states


def _virtual_now(frame: Frame) -> int | None:
    """The virtual clock's time for $now()/$millis() (milliseconds since the epoch): when the
    state (attempt) was entered; None outside whole executions (the real clock)."""
    if not frame.runtime.virtual_clock:
        return None
    from asl_lint.eval.timestamps import parse_timestamp

    entered = parse_timestamp(frame.context.get("State", {}).get("EnteredTime"))
    return None if entered is None else round(entered * 1000)


def jsonata_expression(frame: Frame, body: str, states: dict[str, Any], field: str) -> Any:
    """Evaluate one ``{% body %}``; undefined or failing evaluation is States.QueryEvaluationError."""
    bindings = frame.variables.visible()
    bindings["states"] = states
    # AWS quotes the expression without the blanks that separate it from {% and %}.
    prefix = f"The JSONata expression '{body.strip()}' specified for the field '{field}'"
    try:
        value = exprs.eval_jsonata(body, bindings, now_millis=_virtual_now(frame))
    except StatesError:
        raise
    except Exception as exc:
        cause = getattr(exc, "cause", None) or str(exc)
        if "unsupported result type" in cause:  # a function value, not JSON
            raise frame.error(QUERY_EVALUATION, f"{prefix} returned an unsupported result type.") from exc
        raise frame.error(QUERY_EVALUATION, f"{prefix} threw an error during evaluation. {cause}") from exc
    if value is exprs.undefined():
        raise frame.error(QUERY_EVALUATION, f"{prefix} returned nothing (undefined).")
    if callable(value):
        raise frame.error(QUERY_EVALUATION, f"{prefix} returned an unsupported result type.")
    return value


def jsonata_template(frame: Frame, template: Any, states: dict[str, Any], field: str) -> Any:
    """Evaluate every ``{% %}`` string inside a JSONata-state field (Arguments, Output, Assign…)."""
    body = exprs.jsonata_body(template)
    if body is not None:
        return jsonata_expression(frame, body, states, field)
    if isinstance(template, dict):
        return {
            key: jsonata_template(frame, value, states, f"{field}/{key}") for key, value in template.items()
        }
    if isinstance(template, list):
        return [jsonata_template(frame, item, states, f"{field}[{i}]") for i, item in enumerate(template)]
    return template
