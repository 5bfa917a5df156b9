"""Task results from AWS Step Functions Local's mocked responses (the ``MockConfigFile.json`` format).

A mock config maps, per test case, a Task state's name to a ``MockedResponses`` entry, whose keys
are invocation numbers (``"0"``) or inclusive ranges (``"1-2"``) and whose values are one
``Return`` (the service result) or ``Throw`` (``Error`` and ``Cause``).
https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html

Step Functions Local counts invocations per state over the whole execution: every call of the
state's service, so a retry, a second visit of the state and each Map iteration each take the next
number. A number no entry covers fails the execution ("If you do not specify a mocked response for
a specific retry attempt … the state machine execution will fail"), and so does a Task with no
mocked response at all (Step Functions Local would call the real service; asl-lint never does).
Both are test-setup errors, so no Retry or Catch of the workflow can handle them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from asl_lint.eval.errors import NO_MOCK, StatesError
from asl_lint.eval.exprs import json_copy


@dataclass(frozen=True)
class MockedResponse:
    """One ``Return`` (``result``) or ``Throw`` (``error``, ``cause``)."""

    result: Any = None
    error: str | None = None
    cause: str | None = None
    throws: bool = False

    def apply(self) -> Any:
        """The result a Task receives; raises the mocked error for a ``Throw``."""
        if self.throws:
            raise StatesError(self.error, self.cause)
        return json_copy(self.result)


@dataclass(frozen=True)
class ResponseSequence:
    """A ``MockedResponses`` entry: responses by invocation number.

    ``ranges`` holds inclusive ``(first, last, response)`` triples; ``always`` is the shorthand of
    an inline mock (``{Return: …}`` alone), the same response for every invocation.
    """

    name: str
    ranges: tuple[tuple[int, int, MockedResponse], ...] = ()
    always: MockedResponse | None = None

    def response(self, invocation: int) -> MockedResponse | None:
        if self.always is not None:
            return self.always
        for first, last, response in self.ranges:
            if first <= invocation <= last:
                return response
        return None

    def covered(self) -> str:
        """The invocation numbers that have a response, as the keys are written ("0, 1-2")."""
        if self.always is not None:
            return "every invocation"
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b, _ in sorted(self.ranges, key=lambda r: r[0]))


@dataclass
class MockedResponses:
    """The mocked responses of one test case, with the per-state invocation counters of one execution."""

    by_state: Mapping[str, ResponseSequence]
    case: str | None = None
    invocations: dict[str, int] = field(default_factory=dict)

    def respond(self, state: str) -> Any:
        """The result of the next invocation of Task ``state``; raises its mocked error or NO_MOCK."""
        invocation = self.invocations.get(state, 0)
        self.invocations[state] = invocation + 1
        sequence = self.by_state.get(state)
        case = f" in test case '{self.case}'" if self.case else ""
        if sequence is None:
            raise StatesError(
                NO_MOCK,
                f"Task state '{state}' has no mocked response{case}. Step Functions Local would call the real "
                "service here; asl-lint never does. Map the state to a MockedResponses entry in the test case, "
                "or give it under the case's mocks.",
            )
        response = sequence.response(invocation)
        if response is None:
            raise StatesError(
                NO_MOCK,
                f"Task state '{state}' was invoked {invocation + 1} times{case}, but its mocked response "
                f"'{sequence.name}' covers invocations {sequence.covered()} only: add one for invocation "
                f"{invocation} (invocations are counted over the whole execution, retries and Map iterations "
                "included, from 0).",
            )
        return response.apply()
