"""Coverage of workflow tests: which states, Choice branches, retriers and catchers the cases exercised.

Items are JSON pointers from the definition root: ``/States/Check`` (a state),
``/States/Check/Choices/1`` and ``/States/Check/Default`` (Choice branches), ``…/Retry/0`` and
``…/Catch/0``. Coverage is summed over every case run against the same machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from asl_lint.source.pointer import escape
from asl_lint.testing.api import Marks
from asl_lint.testing.machines import LoadedMachine

KINDS = ("states", "choices", "retriers", "catchers")
# The rule each uncovered kind is reported with (rules/ASL802.md … ASL805.md).
CODES = {"states": "ASL802", "choices": "ASL803", "retriers": "ASL804", "catchers": "ASL805"}
FAILED_CASE = "ASL801"
TEST_CODES = (FAILED_CASE, *CODES.values())


@dataclass
class Item:
    pointer: str
    label: str  # as reports show it: "Check", "Check: Choices[1] -> Big", "Charge: Retry[0] [States.ALL]"
    state: str  # the state it belongs to


def items(definition: dict[str, Any]) -> dict[str, list[Item]]:
    """Everything a test run can cover, by kind, in document order."""
    found: dict[str, list[Item]] = {kind: [] for kind in KINDS}
    _walk(definition, "", found)
    return found


def _walk(scope: dict[str, Any], base: str, found: dict[str, list[Item]]) -> None:
    states = scope.get("States")
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        pointer = f"{base}/States/{escape(name)}"
        found["states"].append(Item(pointer, name, name))
        rules = state.get("Choices") if state.get("Type") == "Choice" else None
        for index, rule in enumerate(rules if isinstance(rules, list) else []):
            target = rule.get("Next") if isinstance(rule, dict) else None
            found["choices"].append(Item(f"{pointer}/Choices/{index}", f"{name}: Choices[{index}] -> {target}", name))
        if state.get("Type") == "Choice" and "Default" in state:
            found["choices"].append(Item(f"{pointer}/Default", f"{name}: Default -> {state['Default']}", name))
        for kind, key in (("retriers", "Retry"), ("catchers", "Catch")):
            handlers = state.get(key)
            for index, handler in enumerate(handlers if isinstance(handlers, list) else []):
                errors = handler.get("ErrorEquals") if isinstance(handler, dict) else None
                shown = ", ".join(map(str, errors)) if isinstance(errors, list) else "?"
                found[kind].append(Item(f"{pointer}/{key}/{index}", f"{name}: {key}[{index}] [{shown}]", name))
        branches = state.get("Branches")
        for index, branch in enumerate(branches if isinstance(branches, list) else []):
            if isinstance(branch, dict):
                _walk(branch, f"{pointer}/Branches/{index}", found)
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                _walk(state[key], f"{pointer}/{key}", found)


@dataclass
class MachineCoverage:
    """Coverage of one state machine over every case run against it."""

    machine: LoadedMachine
    items: dict[str, list[Item]] = field(default_factory=dict)
    hit: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})

    def __post_init__(self) -> None:
        if not self.items:
            self.items = items(self.machine.definition)

    def add(self, marks: Marks) -> None:
        self.hit["states"] |= marks.states
        self.hit["choices"] |= marks.branches
        self.hit["retriers"] |= marks.retriers
        self.hit["catchers"] |= marks.catchers

    def missed(self, kind: str) -> list[Item]:
        return [item for item in self.items[kind] if item.pointer not in self.hit[kind]]

    def summary(self, kind: str) -> dict[str, Any]:
        total = len(self.items[kind])
        missed = self.missed(kind)
        return _counts(total - len(missed), total, [item.label for item in missed])


def _counts(covered: int, total: int, missed: list[str]) -> dict[str, Any]:
    percent = 100.0 if total == 0 else round(100.0 * covered / total, 1)
    return {"covered": covered, "total": total, "percent": percent, "missed": missed}


class Coverage:
    """Coverage of every machine a test run exercised, keyed by where the machine is."""

    def __init__(self) -> None:
        self.machines: dict[str, MachineCoverage] = {}

    def of(self, machine: LoadedMachine) -> MachineCoverage:
        key = machine.label
        if key not in self.machines:
            self.machines[key] = MachineCoverage(machine)
        return self.machines[key]

    def summary(self) -> dict[str, Any]:
        """The report's ``coverage``: totals per kind over all machines, then each machine."""
        several = len(self.machines) > 1
        out: dict[str, Any] = {}
        for kind in KINDS:
            covered = total = 0
            missed: list[str] = []
            for key, machine in self.machines.items():
                part = machine.summary(kind)
                covered += part["covered"]
                total += part["total"]
                missed += [f"{key}: {label}" if several else label for label in part["missed"]]
            out[kind] = _counts(covered, total, missed)
        out["machines"] = [
            {"file": m.machine.file, "resource": m.machine.resource, **{kind: m.summary(kind) for kind in KINDS}}
            for m in self.machines.values()
        ]
        return out

    def uncovered(self) -> Iterator[tuple[MachineCoverage, str, Item]]:
        for machine in self.machines.values():
            for kind in KINDS:
                for item in machine.missed(kind):
                    yield machine, kind, item
