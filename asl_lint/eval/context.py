"""The Context object (``$$`` / ``$states.context``) that executions and TestState make up offline."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"
STATE_MACHINE_NAME = "asl-lint-offline"
DEFAULT_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/asl-lint-execution-role"
# TestState's context names the tested state literally "StateName" (observed).
TEST_STATE_STATE_NAME = "StateName"


def now_iso() -> str:
    """Current time as AWS prints it: millisecond precision, ``Z`` zone."""
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def execution_context(
    execution_input: Any,
    *,
    express: bool = False,
    role_arn: str | None = None,
    name: str | None = None,
    state_machine_name: str = STATE_MACHINE_NAME,
    start_time: str | None = None,
) -> dict[str, Any]:
    """The execution-wide part of the Context object (``Execution`` and ``StateMachine``)."""
    exec_name = name or str(uuid.uuid4())
    prefix = f"arn:aws:states:{REGION}:{ACCOUNT}"
    exec_id = f"{prefix}:execution:{state_machine_name}:{exec_name}"
    if express:
        exec_id = f"{prefix}:express:{state_machine_name}:{exec_name}"
        if name is None:
            # Express execution ARNs carry a second, run-specific part.
            exec_id += f":{uuid.uuid4()}"
    execution: dict[str, Any] = {
        "Id": exec_id,
        "Input": copy.deepcopy(execution_input),
        "Name": exec_name,
        "RoleArn": role_arn,
        "StartTime": start_time or now_iso(),
    }
    if not express:
        execution["RedriveCount"] = 0
    return {
        "Execution": execution,
        "StateMachine": {"Id": f"{prefix}:stateMachine:{state_machine_name}", "Name": state_machine_name},
    }


def state_context(
    base: dict[str, Any],
    state_name: str,
    entered_time: str,
    *,
    retry_count: int | None = None,
) -> dict[str, Any]:
    """Context object for one state visit; ``RetryCount`` only where AWS shows it (Task/Map/Parallel)."""
    ctx = dict(base)
    state: dict[str, Any] = {"Name": state_name, "EnteredTime": entered_time}
    if retry_count is not None:
        state["RetryCount"] = retry_count
    ctx["State"] = state
    return ctx


def task_token() -> str:
    """A made-up callback token for ``.waitForTaskToken`` Tasks (``$$.Task.Token``)."""
    return "AslLintTaskToken-" + uuid.uuid4().hex


def with_map_item(ctx: dict[str, Any], index: int, value: Any, key: str | None = None) -> dict[str, Any]:
    """Context object seen by a Map ``ItemSelector`` (``$$.Map.Item.Index/Value``)."""
    item: dict[str, Any] = {"Index": index, "Value": value}
    if key is not None:
        item["Key"] = key
    out = dict(ctx)
    out["Map"] = {"Item": item}
    return out
