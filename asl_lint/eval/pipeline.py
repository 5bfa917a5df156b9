"""The data-processing steps of a state, one function per step.

JSONPath: InputPath → Parameters/ItemSelector → [result] → ResultSelector → ResultPath → OutputPath.
JSONata: Arguments → [result] → Output; Assign (both languages) is evaluated with the variables as
they were on state entry and committed by the caller after the output is computed.
"""

from __future__ import annotations

from typing import Any

from asl_lint.eval import exprs
from asl_lint.eval.choice import no_results
from asl_lint.eval.errors import RUNTIME
from asl_lint.eval.payload import jsonata_template, resolve_template
from asl_lint.eval.runtime import Frame


def _select(frame: Frame, path: str, data: Any) -> Any:
    try:
        return exprs.read_path(path, data, context=frame.context, variables=frame.variables.visible())
    except exprs.PathMissing as exc:
        raise frame.error(RUNTIME, no_results(path)) from exc


def input_path(frame: Frame, raw: Any) -> Any:
    """InputPath: default ``$``; ``null`` gives ``{}``."""
    state = frame.state
    if "InputPath" in state and state["InputPath"] is None:
        return {}
    return _select(frame, state.get("InputPath", "$"), raw)


def output_path(frame: Frame, value: Any) -> Any:
    """OutputPath: default ``$``; ``null`` gives ``{}``."""
    state = frame.state
    if "OutputPath" in state and state["OutputPath"] is None:
        return {}
    return _select(frame, state.get("OutputPath", "$"), value)


def parameters(frame: Frame, effective: Any, field: str = "Parameters") -> Any:
    """Parameters (or ItemSelector): the template applied to the effective input, if present."""
    if field not in frame.state:
        return effective
    return resolve_template(frame, frame.state[field], effective)


def result_selector(frame: Frame, result: Any) -> Any:
    if "ResultSelector" not in frame.state:
        return result
    return resolve_template(frame, frame.state["ResultSelector"], result)


def result_path(frame: Frame, raw: Any, result: Any, spec: dict[str, Any] | None = None) -> Any:
    """ResultPath (of the state, or of a Catcher when ``spec`` is given): merge into the raw input."""
    holder = frame.state if spec is None else spec
    if "ResultPath" in holder and holder["ResultPath"] is None:
        return raw
    from asl_lint.expr.errors import EvaluationError

    try:
        return exprs.write_path(holder.get("ResultPath", "$"), raw, result)
    except EvaluationError as exc:
        raise frame.error(exc.error, exc.cause) from exc


def jsonpath_assign(frame: Frame, data: Any, spec: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Values of a JSONPath ``Assign`` (``$`` = ``data``), or None when there is none."""
    holder = frame.state if spec is None else spec
    if "Assign" not in holder:
        return None
    if not isinstance(holder["Assign"], dict):
        raise TypeError("Assign must be a JSON object")
    return resolve_template(frame, holder["Assign"], data)


def jsonata_assign(
    frame: Frame, states: dict[str, Any], spec: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Values of a JSONata ``Assign`` (``$states`` = ``states``), or None when there is none."""
    holder = frame.state if spec is None else spec
    if "Assign" not in holder:
        return None
    assign = holder["Assign"]
    if isinstance(assign, dict):
        return {k: jsonata_template(frame, v, states, f"Assign/{k}") for k, v in assign.items()}
    value = jsonata_template(frame, assign, states, "Assign")
    return value if isinstance(value, dict) else {}


def jsonata_output(
    frame: Frame, states: dict[str, Any], default: Any, spec: dict[str, Any] | None = None
) -> Any:
    """``Output`` of a JSONata state (or Catcher); ``default`` when absent."""
    holder = frame.state if spec is None else spec
    if "Output" not in holder:
        return default
    return jsonata_template(frame, holder["Output"], states, "Output")


def commit(frame: Frame, assigned: dict[str, Any] | None) -> None:
    if assigned:
        frame.variables.assign(assigned)
        frame.assigned = assigned
