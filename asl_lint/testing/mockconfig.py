"""AWS Step Functions Local's mock config (``MockConfigFile.json``), read and checked with positions.

The format (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html)::

    {"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<Task state>": "<response name>"}}}},
     "MockedResponses": {"<response name>": {"0": {"Return": ...}, "1-2": {"Throw": {"Error": ..., "Cause": ...}}}}}

Keys of a mocked response are invocation numbers or inclusive ranges; each value holds exactly
one of ``Return`` (the service's result) or ``Throw`` (``Error`` and ``Cause`` strings).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asl_lint.eval.mocks import MockedResponse, ResponseSequence
from asl_lint.source.pointer import join
from asl_lint.testing.document import Document, Problems, describe, did_you_mean

_ATTEMPTS = re.compile(r"^(\d+)(?:-(\d+))?$")


@dataclass
class MockConfig:
    """A mock config: test cases per state machine, and the mocked responses they name."""

    machines: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    responses: dict[str, ResponseSequence] = field(default_factory=dict)
    document: Document | None = None

    def case_pointer(self, machine: str, case: str, state: str | None = None) -> str:
        base = join("/StateMachines", machine, "TestCases", case)
        return base if state is None else join(base, state)


def load_mock_config(path: Path, display: str) -> MockConfig:
    """Read a mock config file; SuiteError listing every problem with its position."""
    return parse_mock_config(Document.load(path, display))


def parse_mock_config(document: Document) -> MockConfig:
    problems = Problems(document)
    config = MockConfig(document=document)
    root = document.value
    if not isinstance(root, dict):
        problems.add("", f"A mock config is a JSON object with StateMachines and MockedResponses, not {describe(root)}")
        problems.raise_if_any()
    for key in root:
        if key not in ("StateMachines", "MockedResponses"):
            problems.add(join("", key), f"Unknown key '{key}' in the mock config{did_you_mean(key, _TOP)} "
                         "(it has StateMachines and MockedResponses)", key=True)
    responses = root.get("MockedResponses", {})
    if not isinstance(responses, dict):
        problems.add("/MockedResponses", f"MockedResponses must be an object, not {describe(responses)}")
        responses = {}
    for name, value in responses.items():
        sequence = parse_response_sequence(name, value, join("/MockedResponses", name), problems, keyed_only=True)
        if sequence is not None:
            config.responses[name] = sequence
    machines = root.get("StateMachines", {})
    if not isinstance(machines, dict):
        problems.add("/StateMachines", f"StateMachines must be an object, not {describe(machines)}")
        machines = {}
    for machine, body in machines.items():
        pointer = join("/StateMachines", machine)
        if not isinstance(body, dict) or not isinstance(body.get("TestCases"), dict):
            problems.add(pointer, f"State machine '{machine}' must be an object with a TestCases object")
            continue
        for extra in body:
            if extra != "TestCases":
                problems.add(join(pointer, extra), f"Unknown key '{extra}'; a state machine entry has TestCases only",
                             key=True)
        config.machines[machine] = _test_cases(body["TestCases"], join(pointer, "TestCases"), responses, problems)
    problems.raise_if_any()
    return config


_TOP = ("StateMachines", "MockedResponses")


def _test_cases(
    cases: dict[str, Any], pointer: str, responses: Mapping[str, Any], problems: Problems
) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for case, mapping in cases.items():
        case_pointer = join(pointer, case)
        if not isinstance(mapping, dict):
            problems.add(case_pointer, f"Test case '{case}' must map Task state names to mocked response names, "
                         f"not be {describe(mapping)}")
            continue
        out[case] = {}
        for state, response in mapping.items():
            at = join(case_pointer, state)
            if not isinstance(response, str):
                problems.add(at, f"'{state}' must name a MockedResponses entry (a string), not {describe(response)}")
            elif response not in responses:
                problems.add(at, f"No mocked response '{response}' under MockedResponses"
                             f"{did_you_mean(response, list(responses))}")
            else:
                out[case][state] = response
    return out


def parse_response_sequence(
    name: str, value: Any, pointer: str, problems: Problems, *, keyed_only: bool = False
) -> ResponseSequence | None:
    """A mocked response: invocation keys (``"0"``, ``"1-2"``) to Return/Throw.

    Unless ``keyed_only`` (the mock config itself), a bare ``{Return: …}`` or ``{Throw: …}`` is
    accepted too and stands for every invocation (the inline shorthand of suites).
    """
    if not isinstance(value, dict) or not value:
        problems.add(pointer, f"Mocked response '{name}' must be an object of invocation numbers "
                     f"(\"0\", \"1-2\") to Return/Throw, not {describe(value) if value != {} else 'empty'}")
        return None
    if not keyed_only and set(value) & {"Return", "Throw"}:
        single = _response(value, pointer, problems)
        return ResponseSequence(name, always=single) if single is not None else None
    ranges: list[tuple[int, int, MockedResponse]] = []
    for key, body in value.items():
        at = join(pointer, key)
        match = _ATTEMPTS.match(str(key))
        if match is None:
            hint = " (or a single Return/Throw for every invocation)" if not keyed_only else ""
            problems.add(at, f"'{key}' is not an invocation number or range like \"0\" or \"1-2\"{hint}", key=True)
            continue
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        if last < first:
            problems.add(at, f"The range '{key}' ends before it starts", key=True)
            continue
        overlap = next((f"{a}-{b}" if a != b else str(a) for a, b, _ in ranges if a <= last and first <= b), None)
        if overlap is not None:
            problems.add(at, f"Invocations '{key}' overlap '{overlap}' of the same mocked response", key=True)
            continue
        response = _response(body, at, problems)
        if response is not None:
            ranges.append((first, last, response))
    return ResponseSequence(name, tuple(ranges))


def _response(body: Any, pointer: str, problems: Problems) -> MockedResponse | None:
    if not isinstance(body, dict) or len(set(body) & {"Return", "Throw"}) != 1:
        problems.add(pointer, "A mocked response holds exactly one of Return (the service result) or Throw "
                     "(Error and Cause)")
        return None
    extra = [k for k in body if k not in ("Return", "Throw")]
    if extra:
        beside = "Return" if "Return" in body else "Throw"
        problems.add(join(pointer, extra[0]), f"Unknown key '{extra[0]}' next to {beside}", key=True)
        return None
    if "Return" in body:
        return MockedResponse(result=body["Return"])
    throw = body["Throw"]
    at = join(pointer, "Throw")
    if not isinstance(throw, dict) or not isinstance(throw.get("Error"), str):
        problems.add(at, "Throw must be an object with an Error string (and a Cause string)")
        return None
    unknown = [k for k in throw if k not in ("Error", "Cause")]
    if unknown:
        problems.add(join(at, unknown[0]), f"Unknown key '{unknown[0]}' in Throw (it has Error and Cause)", key=True)
        return None
    cause = throw.get("Cause")
    if cause is not None and not isinstance(cause, str):
        problems.add(join(at, "Cause"), f"Cause must be a string, not {describe(cause)}")
        return None
    return MockedResponse(error=throw["Error"], cause=cause, throws=True)


def parse_inline_mocks(value: Any, pointer: str, problems: Problems) -> dict[str, ResponseSequence | str]:
    """The ``mocks`` of a suite case or of the Python API: state name to a mocked response.

    A value is ``{Return: …}`` / ``{Throw: …}`` (every invocation), invocation keys like the mock
    config's, or the name of a MockedResponses entry (a string, resolved by the caller).
    """
    out: dict[str, ResponseSequence | str] = {}
    if not isinstance(value, dict):
        problems.add(pointer, f"mocks must map Task state names to mocked responses, not be {describe(value)}")
        return out
    for state, spec in value.items():
        if isinstance(spec, str):
            out[state] = spec
            continue
        sequence = parse_response_sequence(f"mocks.{state}", spec, join(pointer, state), problems)
        if sequence is not None:
            out[state] = sequence
    return out


def mocks_from_python(mocks: Mapping[str, Any], config: MockConfig | None = None) -> dict[str, ResponseSequence]:
    """``mocks=`` of ``asl_lint.testing.run``, checked; ValueError naming what is malformed."""
    from asl_lint.source.pointer import split

    document = Document(Path("<mocks>"), "mocks", "", dict(mocks), {})
    problems = Problems(document)
    resolved: dict[str, ResponseSequence] = {}
    for state, sequence in parse_inline_mocks(dict(mocks), "", problems).items():
        if isinstance(sequence, str):
            if config is None or sequence not in config.responses:
                problems.add(join("", state), f"names no MockedResponses entry '{sequence}'")
                continue
            sequence = config.responses[sequence]
        resolved[state] = sequence
    if problems.found:
        raise ValueError("\n".join(
            "mocks" + "".join(f"[{token!r}]" for token in split(p.pointer)) + f": {p.message}" for p in problems.found
        ))
    return resolved
