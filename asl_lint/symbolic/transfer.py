"""What one state does to the abstract data: the JSONPath pipeline (InputPath → Parameters →
result → ResultSelector → ResultPath → OutputPath) and JSONata Output, mirroring ``asl_lint.eval``.

Every path the state reads is recorded with what the abstract input says about its presence; a
constant step that fails (an intrinsic call with constant arguments, a ResultPath into a value
that is never an object) is recorded as a failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asl_lint.model.machine import State
from asl_lint.source.pointer import escape
from asl_lint.sources.base import is_unknown
from asl_lint.symbolic.domain import (
    NOCONST,
    TOP,
    AVal,
    Guard,
    Member,
    Presence,
    concrete,
    join,
    of_value,
    read,
    typed,
    with_guards,
    write,
)
from asl_lint.symbolic.paths import input_steps

HTTP_RESOURCE = "arn:aws:states:::http:invoke"


@dataclass(frozen=True)
class Read:
    """A path a state reads, and whether the data it reads from has it."""
    pointer: str  # the field holding the path
    path: str
    presence: Presence
    field: str  # e.g. "InputPath", "Parameters.x.$"


@dataclass(frozen=True)
class Failure:
    """A way the state is sure to fail with the data it gets."""
    pointer: str
    message: str


@dataclass
class Transfer:
    """What a state does to its abstract input: its output on each edge, its reads and failures."""
    edges: dict[str, AVal | None] = field(default_factory=dict)  # pointer of the naming field → output
    reads: list[Read] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    effective: AVal | None = None  # a Choice's input after InputPath
    child_input: AVal | None = None  # what a Parallel branch / Map iteration starts with
    final: AVal | None = None  # the output when this state ends its scope (End, Succeed)


class _Fails(Exception):
    """This step fails on every input (already recorded)."""


def error_output() -> AVal:
    return AVal(frozenset({"object"}), members={"Error": Member("yes", typed("string"))})


def http_result() -> AVal:
    members = {
        "StatusCode": Member("yes", typed("number")),
        "StatusText": Member("yes", typed("string")),
        "Headers": Member("yes", typed("object")),
        "ResponseBody": Member("yes", TOP),
    }
    return AVal(frozenset({"object"}), members=members)


class StateTransfer:
    def __init__(self, state: State, branch_results: dict[str, AVal | None] | None = None) -> None:
        self.state = state
        self.raw = state.raw
        self.out = Transfer()
        # Parallel state pointer → its result as its branches produce it (else unknown items).
        self.branch_results = branch_results or {}

    def parallel_result(self) -> AVal | None:
        if self.state.pointer in self.branch_results:
            return self.branch_results[self.state.pointer]
        branches = self.raw.get("Branches")
        count = len(branches) if isinstance(branches, list) else 0
        return AVal(frozenset({"array"}), items=tuple(TOP for _ in range(count)))

    # --- paths ------------------------------------------------------------------------------
    def select(self, text: Any, data: AVal, pointer: str, label: str) -> AVal:
        """Read a path (InputPath, OutputPath, ItemsPath, a ``.$`` value…)."""
        if not isinstance(text, str):
            return TOP
        steps = input_steps(text)
        if steps is None:
            return TOP
        presence, value = read(data, steps)
        self.out.reads.append(Read(pointer, text, presence, label))
        if presence == "no":
            raise _Fails
        return value if presence in ("yes", "maybe") else TOP

    def path_field(self, name: str, data: AVal) -> AVal:
        """InputPath / OutputPath: default ``$``, ``null`` gives ``{}``."""
        if name not in self.raw:
            return data
        if self.raw[name] is None:
            return of_value({})
        return self.select(self.raw[name], data, self.state.ptr(name), name)

    # --- payload templates -----------------------------------------------------------------
    def template(self, template: Any, data: AVal, pointer: str, label: str) -> AVal:
        if isinstance(template, dict):
            members: dict[str, Member] = {}
            closed = True
            for key, value in template.items():
                member = f"{pointer}/{escape(key)}"
                if is_unknown(key):
                    closed = False  # a placeholder names this member: which one is unknown
                    continue
                if key.endswith(".$") and isinstance(value, str):
                    members[key[:-2]] = Member("yes", self.dollar(value, data, member, f"{label}.{key}"))
                else:
                    members[key] = Member("yes", self.template(value, data, member, f"{label}.{key}"))
            return AVal(frozenset({"object"}), members=members, closed=closed)
        if isinstance(template, list):
            return AVal(frozenset({"array"}), items=tuple(
                self.template(v, data, f"{pointer}/{i}", label) for i, v in enumerate(template)))
        return of_value(template)

    def dollar(self, text: str, data: AVal, pointer: str, label: str) -> AVal:
        from asl_lint.expr.intrinsics import looks_like_intrinsic

        if not text.startswith("$") and looks_like_intrinsic(text):
            return self.intrinsic(text, data, pointer, label)
        return self.select(text, data, pointer, label)

    def intrinsic(self, text: str, data: AVal, pointer: str, label: str) -> AVal:
        from asl_lint.expr.errors import EvaluationError, ExprSyntaxError
        from asl_lint.expr.intrinsics import evaluate_call, iter_paths, parse_intrinsic
        from asl_lint.sources.base import is_unknown

        if is_unknown(text):
            return TOP
        try:
            call = parse_intrinsic(text)
        except (ExprSyntaxError, RecursionError):
            return TOP
        paths = list(iter_paths(call))
        texts = [arg.path.text for arg in paths]
        for arg_text in texts:
            if input_steps(arg_text) is not None:
                self.select(arg_text, data, pointer, label)
        known = concrete(data) if paths else None
        if paths and (known is NOCONST or any(input_steps(t) is None for t in texts)):
            return TOP
        if call.name in ("States.UUID", "States.MathRandom"):
            return typed("string") if call.name == "States.UUID" else typed("number")
        try:
            value = evaluate_call(call, known, context=None, variables=None)
        except EvaluationError as exc:
            self.out.failures.append(Failure(pointer, f"{label} always fails with {exc.error}: {exc.cause}"))
            raise _Fails from exc
        except Exception:
            return TOP
        return of_value(value)

    def result_path(self, holder: dict[str, Any], pointer: str, raw: AVal, result: AVal) -> AVal:
        if "ResultPath" in holder and holder["ResultPath"] is None:
            return raw
        text = holder.get("ResultPath", "$")
        if not isinstance(text, str):
            return TOP
        steps = input_steps(text)
        if steps is None:
            return TOP
        merged = write(raw, steps, result)
        if merged is None:
            where, value = "the state input", raw
            for depth in range(1, len(steps)):  # the deepest existing value on the way is the culprit
                presence, inner = read(raw, steps[:depth])
                if presence != "yes":
                    break
                where, value = f"'{_path_text(steps[:depth])}'", inner
            kinds = " or ".join(sorted(value.types))
            when = "the state fails with" if holder is self.raw else "an error this catcher handles ends in"
            self.out.failures.append(Failure(pointer, f"ResultPath '{text}' cannot be applied: {where} is"
                                             f" always {_article(kinds)} here, so {when}"
                                             " States.ResultPathMatchFailure; write into an object"))
            raise _Fails
        return merged

    # --- states ---------------------------------------------------------------------------
    def run(self, raw: AVal) -> Transfer:
        kind = self.state.type
        try:
            if self.state.jsonata:
                self._jsonata(raw)
            elif kind == "Pass":
                self._pass(raw)
            elif kind in ("Task", "Parallel", "Map"):
                self._task_like(raw)
            elif kind == "Choice":
                self._choice(raw)
            elif kind == "Wait":
                effective = self.path_field("InputPath", raw)
                for name in ("SecondsPath", "TimestampPath"):
                    if name in self.raw:
                        self.select(self.raw[name], effective, self.state.ptr(name), name)
                self._assign(effective)
                self._next(self.path_field("OutputPath", effective))
            elif kind == "Succeed":
                self.out.final = self.path_field("OutputPath", self.path_field("InputPath", raw))
            elif kind == "Fail":
                for name in ("ErrorPath", "CausePath"):
                    if isinstance(self.raw.get(name), str):
                        self.dollar(self.raw[name], raw, self.state.ptr(name), name)
        except _Fails:
            pass
        return self.out

    def _next(self, value: AVal | None) -> None:
        if isinstance(self.raw.get("Next"), str):
            self.out.edges[self.state.ptr("Next")] = value
        elif self.raw.get("End") is True:
            self.out.final = value

    def _assign(self, data: AVal, holder: dict[str, Any] | None = None, pointer: str | None = None) -> None:
        holder = self.raw if holder is None else holder
        if isinstance(holder.get("Assign"), dict):
            self.template(holder["Assign"], data, pointer or self.state.ptr("Assign"), "Assign")

    def _pass(self, raw: AVal) -> None:
        if "Result" in self.raw:
            result = of_value(self.raw["Result"])
        else:
            effective = self.path_field("InputPath", raw)
            result = effective
            if "Parameters" in self.raw:
                result = self.template(self.raw["Parameters"], effective, self.state.ptr("Parameters"), "Parameters")
        self._assign(result)
        merged = self.result_path(self.raw, self.state.ptr("ResultPath"), raw, result)
        self._next(self.path_field("OutputPath", merged))

    def _catchers(self, raw: AVal) -> None:
        for index, catcher in self.state.catchers:
            if not isinstance(catcher.get("Next"), str):
                continue
            try:
                out = self.result_path(catcher, self.state.ptr("Catch", index, "ResultPath"), raw, error_output())
            except _Fails:
                out = None
            self.out.edges[self.state.ptr("Catch", index, "Next")] = out

    def _task_like(self, raw: AVal) -> None:
        self._catchers(raw)
        kind = self.state.type
        effective = self.path_field("InputPath", raw)
        if isinstance(self.raw.get("Credentials"), dict):
            self.template(self.raw["Credentials"], effective, self.state.ptr("Credentials"), "Credentials")
        if kind == "Map":
            for name in ("MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath"):
                if name in self.raw:
                    self.select(self.raw[name], effective, self.state.ptr(name), name)
            items = effective
            if "ItemsPath" in self.raw:
                items = self.select(self.raw["ItemsPath"], effective, self.state.ptr("ItemsPath"), "ItemsPath")
            selector = "ItemSelector" if "ItemSelector" in self.raw else "Parameters"
            # Items read by an ItemReader, or batched, are not the state input's array.
            batched = "ItemReader" in self.raw or "ItemBatcher" in self.raw
            item = TOP if batched else _each_item(items)
            if isinstance(self.raw.get(selector), dict):
                item = self.template(self.raw[selector], effective, self.state.ptr(selector), selector)
            self.out.child_input = item
            result = typed("array")
        else:
            payload = effective
            if "Parameters" in self.raw:
                payload = self.template(self.raw["Parameters"], effective, self.state.ptr("Parameters"), "Parameters")
            for name in ("TimeoutSecondsPath", "HeartbeatSecondsPath"):
                if name in self.raw:
                    self.select(self.raw[name], effective, self.state.ptr(name), name)
            if kind == "Parallel":
                self.out.child_input = payload
                known = self.parallel_result()
                if known is None:
                    raise _Fails  # some branch never completes
                result = known
            else:
                result = http_result() if self.state.resource == HTTP_RESOURCE else TOP
        selected = result
        if isinstance(self.raw.get("ResultSelector"), dict):
            selected = self.template(self.raw["ResultSelector"], result, self.state.ptr("ResultSelector"),
                                     "ResultSelector")
        merged = self.result_path(self.raw, self.state.ptr("ResultPath"), raw, selected)
        self._next(self.path_field("OutputPath", merged))

    def _choice(self, raw: AVal) -> None:
        from asl_lint.symbolic.refine import branch_values

        effective = self.path_field("InputPath", raw)
        self.out.effective = effective
        simple = self.raw.get("InputPath", "$") == "$" and self.raw.get("OutputPath", "$") == "$"
        output = self.path_field("OutputPath", effective)
        for pointer, value in branch_values(self.state, effective if simple else None):
            self.out.edges[pointer] = value if simple else output

    # --- JSONata --------------------------------------------------------------------------
    def _jsonata(self, raw: AVal) -> None:
        from asl_lint.symbolic.jsonata_values import certainly_undefined, output_value

        for name in ("Arguments", "Output"):
            if name in self.raw:
                for pointer, expression in certainly_undefined(self.raw[name], raw, self.state.ptr(name)):
                    self.out.failures.append(Failure(pointer, (
                        f"{name}: '{expression}' selects a field no input here has (the states upstream never set"
                        " it), so it returns nothing and the state fails with States.QueryEvaluationError")))
        kind = self.state.type
        result: AVal = raw
        if kind in ("Task", "Parallel", "Map"):
            self._catchers_jsonata(raw)
            if kind == "Parallel":
                self.out.child_input = output_value(self.raw["Arguments"], raw, None) if "Arguments" in self.raw \
                    else raw
                known = self.parallel_result()
                if known is None:
                    return  # some branch never completes
                result = known
            elif kind == "Map":
                result = typed("array")
                self.out.child_input = TOP
            else:
                result = http_result() if self.state.resource == HTTP_RESOURCE else TOP
        if kind == "Choice":
            from asl_lint.symbolic.jsonata_smt import condition_guard

            choices = self.raw.get("Choices")
            passed: tuple[Guard, ...] = ()
            for index, rule in enumerate(choices if isinstance(choices, list) else []):
                if not isinstance(rule, dict):
                    continue
                if isinstance(rule.get("Next"), str):
                    value = output_value(rule["Output"], raw, None) if "Output" in rule else \
                        with_guards(raw, passed + condition_guard(rule.get("Condition"), True))
                    self.out.edges[self.state.ptr("Choices", index, "Next")] = value
                passed += condition_guard(rule.get("Condition"), False)
            if isinstance(self.raw.get("Default"), str):
                value = output_value(self.raw["Output"], raw, None) if "Output" in self.raw else \
                    with_guards(raw, passed)
                self.out.edges[self.state.ptr("Default")] = value
            self.out.effective = raw
            return
        if kind == "Fail":
            return
        if kind == "Succeed":
            self.out.final = output_value(self.raw["Output"], raw, None) if "Output" in self.raw else raw
            return
        output = output_value(self.raw["Output"], raw, result) if "Output" in self.raw else result
        self._next(output)

    def _catchers_jsonata(self, raw: AVal) -> None:
        from asl_lint.symbolic.jsonata_values import output_value

        for index, catcher in self.state.catchers:
            if isinstance(catcher.get("Next"), str):
                out = output_value(catcher["Output"], raw, None) if "Output" in catcher else error_output()
                self.out.edges[self.state.ptr("Catch", index, "Next")] = out


def _each_item(items: AVal) -> AVal:
    """What one Map iteration receives (without ItemSelector): any of the known items."""
    if not items.only("array") or not items.items:
        return TOP
    value: AVal | None = None
    for item in items.items:
        value = join(value, item)
    return value or TOP


def _path_text(steps: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)


def _article(kinds: str) -> str:
    return ("an " if kinds[:1] in "aeiou" else "a ") + kinds


def transfer(state: State, raw: AVal, branch_results: dict[str, AVal | None] | None = None) -> Transfer:
    try:
        return StateTransfer(state, branch_results).run(raw)
    except RecursionError:
        # Hostile nesting: every edge carries unknown data and nothing is claimed.
        from asl_lint.graph.build import transitions_of

        return Transfer(edges={pointer: TOP for _, _, pointer in transitions_of(state)}, child_input=TOP,
                        effective=TOP)


__all__ = ["Failure", "Read", "Transfer", "join", "transfer"]
