"""What a whole execution leaves besides its result: the execution history and coverage marks.

Events have the shape of GetExecutionHistory's ``HistoryEvent`` (``timestamp``, ``type``, ``id``,
``previousEventId`` and one ``…EventDetails`` member), with payloads as JSON text like AWS:
https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
Timestamps come from the virtual clock (execution start + simulated seconds), printed the way the
AWS CLI prints them. Coverage marks are JSON pointers from the definition root: states entered,
Choice branches taken (``…/Choices/1``, ``…/Default``), retriers and catchers that fired
(``…/Retry/0``, ``…/Catch/0``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from asl_lint.eval.payload import compact

Details = Callable[[], dict[str, Any]]

# Task resources of the form arn:<partition>:states:::<service>:<action>[.sync|.waitForTaskToken].
_INTEGRATION = ":states:::"


_MAX_ELAPSED = 100 * 365 * 24 * 3600.0  # far past any execution's maximum duration


def moment(start: datetime, elapsed: float) -> datetime:
    return start + timedelta(seconds=min(elapsed, _MAX_ELAPSED))


@lru_cache(maxsize=1024)  # most states of a run start at the same virtual second
def context_time(start: datetime, elapsed: float) -> str:
    """A Context-object time (``$$.State.EnteredTime``): millisecond precision, ``Z`` zone."""
    at = moment(start, elapsed)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


@lru_cache(maxsize=1024)
def event_time(start: datetime, elapsed: float) -> str:
    """A history timestamp as the AWS CLI prints it (``2024-01-01T00:00:00.000000+00:00``)."""
    return moment(start, elapsed).isoformat(timespec="microseconds")


def payload(name: str, value: Any) -> dict[str, Any]:
    """``{name: JSON text, nameDetails: {truncated: false}}``, as history events carry payloads."""
    return {name: compact(value), f"{name}Details": {"truncated": False}}


def task_kind(resource: str) -> tuple[str, dict[str, str]]:
    """The event family of a Task resource and the details every event of it repeats.

    Lambda function ARNs give ``LambdaFunction…`` events, activity ARNs ``Activity…`` events, and
    service integrations ``Task…`` events with ``resourceType`` and ``resource`` (``sqs`` and
    ``sendMessage`` for ``arn:aws:states:::sqs:sendMessage``).
    """
    if _INTEGRATION in resource:
        tail = resource.split(_INTEGRATION, 1)[1]
        if tail.startswith("aws-sdk:"):  # arn:aws:states:::aws-sdk:s3:getObject
            service, _, action = tail[len("aws-sdk:"):].partition(":")
            return "Task", {"resourceType": f"aws-sdk:{service}", "resource": action}
        service, _, action = tail.partition(":")  # lambda:invoke, states:startExecution.sync:2
        return "Task", {"resourceType": service, "resource": action}
    if ":activity:" in resource:
        return "Activity", {}
    if ":lambda:" in resource and ":function:" in resource:
        return "LambdaFunction", {}
    return "Task", {"resourceType": "unknown", "resource": resource}


class Recorder:
    """History events and coverage marks of one execution (``Runtime.recorder``)."""

    def __init__(self, start: datetime, history: bool = True) -> None:
        self.start = start
        self.history = history  # False: coverage marks and path only (events are still numbered)
        self.events: list[dict[str, Any]] = []
        self.path: list[str] = []  # the top-level states entered, in order
        self.states: set[str] = set()  # pointers of every state entered, nested ones included
        self.branches: set[str] = set()
        self.retriers: set[str] = set()
        self.catchers: set[str] = set()
        self.retries = 0
        self.duration: float = 0.0  # simulated seconds from start to end

    def event(self, event_id: int, previous: int, elapsed: float, kind: str, details: Details | None) -> None:
        if not self.history:
            return
        event: dict[str, Any] = {
            "timestamp": event_time(self.start, elapsed),
            "type": kind,
            "id": event_id,
            "previousEventId": previous,
        }
        if details is not None:
            event.update(details())
        self.events.append(event)

    def entered(self, pointer: str, name: str, top_level: bool) -> None:
        self.states.add(pointer)
        if top_level:
            self.path.append(name)

    def retried(self, pointer: str, index: int) -> None:
        self.retriers.add(f"{pointer}/Retry/{index}")
        self.retries += 1

    def caught(self, pointer: str, index: int) -> None:
        self.catchers.add(f"{pointer}/Catch/{index}")

    def branch(self, pointer: str, branch: str) -> None:
        self.branches.add(f"{pointer}/{branch}")
