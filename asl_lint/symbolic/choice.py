"""Decide a Choice state with z3: rules that never match (ASL701), rules shadowed by earlier ones
(ASL702), inputs that match nothing (ASL703, verified concretely), reads of absent paths (ASL705)
and comparisons of values that are never of the compared type (ASL704)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from asl_lint.model.machine import State
from asl_lint.symbolic.domain import AVal, read

if TYPE_CHECKING:  # the solver's modules load only when a Choice state needs the solver
    from asl_lint.symbolic.smt import Encoder, Outcome

# The solver's limits are counted in z3's resource units ("rlimit": the elementary steps of its
# search, the same count on every machine and under any load), never in seconds: a finding must
# not depend on how busy the machine is. A question that reaches its limit is "unknown", which
# reports nothing. Each Choice state is solved in a z3 context of its own, so the steps a question
# takes (and z3's models and unsat cores) depend only on that Choice state, never on what the
# process solved before it (another file, another worker, the language server's history).
# The corpus needs at most ~10,000 units for a question and ~15,000 for a Choice state; z3 does
# roughly 3 million a second on a quiet core, so these stop the hostile inputs the old time
# budgets stopped (2 s per Choice state, 10 s per definition) after a similar amount of work.
CHECK_LIMIT = 3_000_000  # one question (sat/unsat, or a model for a counterexample)
CHOICE_LIMIT = 8_000_000  # every question about one Choice state, its ASL705 edges included
FILE_LIMIT = 40_000_000  # every Choice state of one definition (``checks/evaluation.py``)


class Budget:
    """Resource units left: for one definition, and within it for one Choice state (``within``)."""

    def __init__(self, units: int, parent: Budget | None = None) -> None:
        self.left = units
        self.parent = parent

    def within(self, units: int) -> Budget:
        return Budget(units, self)

    def available(self) -> int:
        left = self.left
        budget = self.parent
        while budget is not None:
            left = min(left, budget.left)
            budget = budget.parent
        return left

    def spend(self, units: int) -> None:
        budget: Budget | None = self
        while budget is not None:
            budget.left -= units
            budget = budget.parent


@dataclass(frozen=True)
class ChoiceFinding:
    """A finding of the Choice analysis (ASL701-ASL705)."""
    code: str
    pointer: str
    message: str
    target: Literal["value", "key"] = "value"
    error: bool = False  # ASL705: error rather than warning


@dataclass
class _Encoded:
    """A Choice state's rules encoded for z3: the encoder, each rule's outcome, their pointers."""
    encoder: Encoder
    outcomes: list[Outcome]
    pointers: list[str]


def _encode(state: State, rules: list[Any], pointers: list[str], abstract: AVal | None,
            ctx: Any = None) -> _Encoded:
    from asl_lint.symbolic.jsonata_smt import JsonataConditions
    from asl_lint.symbolic.smt import Encoder, JsonPathRules, Unsupported

    encoder = Encoder(abstract, ctx)
    z3 = encoder.z3
    outcomes: list[Outcome] = []
    reach = z3.BoolVal(True, encoder.ctx)
    conditions = JsonataConditions(encoder)
    jsonpath = JsonPathRules(encoder)
    if state.jsonata:
        for rule in rules:
            outcomes.append(conditions.condition(rule.get("Condition")))
    else:
        for rule, pointer in zip(rules, pointers, strict=True):
            out = jsonpath.rule(rule, reach, pointer)
            outcomes.append(out)
            reach = z3.And(reach, z3.Not(out.error), z3.Not(out.value))
    # What upstream Choice branches established about this very data.
    for known in abstract.guards if abstract is not None else ():
        reads = len(encoder.reads)
        try:
            out = conditions.condition(known.rule) if known.jsonata else jsonpath.rule(known.rule, reach, "")
        except Unsupported:
            continue
        finally:
            del encoder.reads[reads:]
        verdict = out.value if known.held else z3.Not(out.value)
        encoder.constraints.append(z3.And(z3.Not(out.error), verdict))
    return _Encoded(encoder, outcomes, pointers)


class _Solver:
    def __init__(self, encoded: _Encoded, budget: Budget) -> None:
        import z3

        self.z3 = z3
        self.ctx = encoded.encoder.ctx
        self.solver = z3.Solver(ctx=self.ctx)
        self.constraints = list(encoded.encoder.constraints)
        self.solver.add(*self.constraints)
        self.budget = budget
        self.counted = 0  # the context's resource count already charged to the budget
        self.calls = 0  # questions asked (the tests count them)
        self.core: list[Any] = []
        # passed_j: rule j was evaluated, false, without an error (assumption literals, so that an
        # unsat core names the earlier rules that take a shadowed rule's inputs).
        self.passed = [z3.Bool(f"passed!{j}", self.ctx) for j in range(len(encoded.outcomes))]
        for literal, out in zip(self.passed, encoded.outcomes, strict=True):
            self.solver.add(literal == z3.And(z3.Not(out.error), z3.Not(out.value)))

    def _limit(self) -> int:
        """The resource units the next question may use (0: the budget is spent)."""
        return min(CHECK_LIMIT, self.budget.available())

    def _charge(self, solver: Any) -> None:
        """Charge what the context counted since the last question (every solver of a context
        shares its count; a context belongs to one Choice state)."""
        count = int(solver.statistics().get_key_value("rlimit count"))
        self.budget.spend(max(0, count - self.counted))
        self.counted = count

    def check(self, *formulas: Any, assumptions: tuple[Any, ...] = ()) -> str:
        """'sat', 'unsat' or 'unknown' (also when the budget is spent); after 'unsat' with
        ``assumptions``, ``self.core`` holds the assumptions that conflict."""
        limit = self._limit()
        if limit <= 0:
            return "unknown"
        self.calls += 1
        self.solver.set("rlimit", limit)  # counted from where the context stands, not from zero
        self.solver.push()
        try:
            self.solver.add(*formulas)
            verdict = str(self.solver.check(*assumptions))
            self.core = list(self.solver.unsat_core()) if verdict == "unsat" and assumptions else []
            return verdict
        finally:
            self.solver.pop()
            self._charge(self.solver)

    def model(self, *formulas: Any) -> Any:
        """A model, from a fresh solver: z3's incremental core is much weaker on strings."""
        limit = self._limit()
        if limit <= 0:
            return None
        self.calls += 1
        fresh = self.z3.Solver(ctx=self.ctx)
        fresh.set("rlimit", limit)
        fresh.add(*self.constraints, *formulas)
        try:
            return fresh.model() if fresh.check() == self.z3.sat else None
        finally:
            self._charge(fresh)


def analyse_choice(state: State, effective: AVal | None, incoming: list[tuple[str, AVal]],
                   budget: Budget | None = None) -> list[ChoiceFinding]:
    """ASL701-ASL705 of one Choice state; ``budget``: what is left of the definition's
    ``FILE_LIMIT`` (a budget of its own when not given)."""
    raw_rules = state.raw.get("Choices")
    if not isinstance(raw_rules, list) or not raw_rules:
        return []
    indexed = [(i, r) for i, r in enumerate(raw_rules) if isinstance(r, dict)]
    rules = [r for _, r in indexed]
    pointers = [state.ptr("Choices", i) for i, _ in indexed]
    mine = (budget or Budget(FILE_LIMIT)).within(CHOICE_LIMIT)
    found: list[ChoiceFinding] = []
    if effective is not None:
        from asl_lint.symbolic.mismatch import jsonata_type_mismatches, type_mismatches

        found += (jsonata_type_mismatches if state.jsonata else type_mismatches)(rules, pointers, effective)
    from asl_lint.symbolic.fast import decide

    try:
        decided = decide(state.jsonata, "Default" in state.raw, rules, effective)
    except RecursionError:
        decided = None  # hostile nesting: the solver's path says what it always said
    if decided is not None:  # certain without the solver (see symbolic/fast.py, symbolic/partition.py)
        for item in decided:
            if item.code == "ASL701":
                found.append(_never_matches(pointers[item.rule]))
            elif item.code == "ASL702":
                found.append(_never_taken(pointers[item.rule], [pointers[j] for j in item.takers]))
            else:
                found.append(no_match_finding(state, item.witness))
        return found
    from asl_lint.symbolic.smt import Unsupported

    try:
        encoded = _encode(state, rules, pointers, effective)
    except (Unsupported, RecursionError):
        return found
    z3 = encoded.encoder.z3
    solver = _Solver(encoded, mine)
    prefix = z3.BoolVal(True, encoded.encoder.ctx)
    for index, out in enumerate(encoded.outcomes):
        ok = z3.And(z3.Not(out.error), out.value)
        verdict = solver.check(ok)
        if verdict == "unsat":
            found.append(_never_matches(pointers[index]))
        elif verdict == "sat" and solver.check(ok, assumptions=tuple(solver.passed[:index])) == "unsat":
            takers = [pointers[j] for j in range(index) if any(c.eq(solver.passed[j]) for c in solver.core)]
            found.append(_never_taken(pointers[index], takers))
        prefix = z3.And(prefix, z3.Not(out.error), z3.Not(out.value))
    if "Default" not in state.raw:
        found += _no_match(state, rules, encoded, solver, prefix)
    if not state.jsonata:
        found += _absent_reads(state, rules, pointers, encoded, solver, effective, incoming)
    return found


def _never_matches(pointer: str) -> ChoiceFinding:
    return ChoiceFinding("ASL701", pointer, f"{_label(pointer)} can never match: no input satisfies it (given"
                         " what earlier states produce); fix or remove it", target="key")


def _never_taken(pointer: str, takers: list[str]) -> ChoiceFinding:
    """ASL702 of the rule at ``pointer``; ``takers``: the pointers of the earlier rules that take its inputs."""
    by = f" ({', '.join(_label(p) for p in takers)})" if takers else ""
    return ChoiceFinding("ASL702", pointer, (
        f"{_label(pointer)} is never taken: every input it matches is taken by an earlier rule{by} or fails in one;"
        " reorder the rules or remove it"), target="key")


def _label(pointer: str) -> str:
    index = pointer.rsplit("/", 1)[-1]
    return f"Choices[{index}]"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _no_match(state: State, rules: list[Any], encoded: _Encoded, solver: _Solver, prefix: Any) -> list[ChoiceFinding]:
    if solver.check(prefix) != "sat":
        return []
    witness = _verified_witness(state, rules, encoded, solver, [prefix], None)
    if witness is _NONE:
        return []  # no input we could write down and confirm: say nothing
    return [no_match_finding(state, witness)]


def no_match_finding(state: State, witness: Any) -> ChoiceFinding:
    """ASL703 with ``witness``, an input that matches no rule (verified concretely)."""
    where = "input" if state.jsonata or state.raw.get("InputPath", "$") == "$" else "effective input (after InputPath)"
    return ChoiceFinding("ASL703", state.ptr("Choices"), (
        f"Choice state '{state.name}' has no Default and some inputs match no rule, e.g. the {where}"
        f" {_compact(witness)}: the execution then fails with States.NoChoiceMatched; add a Default"
        " (or a rule for that case)"), target="key")


_NONE: Any = object()


def _verified_witness(state: State, rules: list[Any], encoded: _Encoded, solver: _Solver, formulas: list[Any],
                      expected: str | None) -> Any:
    """A concrete input from a model of ``formulas`` whose concrete outcome is ``expected``
    (None: no rule matches; an error name), trying a few model shapes; else _NONE."""
    from asl_lint.symbolic.witness import NoWitness, build_input, jsonata_outcome, jsonpath_outcome, timestamp_shape

    plain = _plain_leaves(encoded)
    shaped = timestamp_shape(encoded.encoder)
    for extra, prefer_text in ((plain + shaped, True), (shaped, True), (plain, False), ([], False)):
        model = solver.model(*formulas, *extra)
        if model is None:
            continue
        try:
            witness = build_input(model, encoded.encoder, prefer_text)
        except (NoWitness, ValueError, OverflowError):
            continue
        outcome = jsonata_outcome(rules, witness) if state.jsonata else jsonpath_outcome(rules, witness)
        if outcome == expected:
            return witness
    return _NONE


def _plain_leaves(encoded: _Encoded) -> list[Any]:
    """Prefer witnesses whose leaves are strings, numbers or booleans (readable messages)."""
    from asl_lint.symbolic.smt import KIND

    z3 = encoded.encoder.z3
    keys = [k for k in encoded.encoder.paths if k[0] == "$"]
    leaves = [k for k in keys if not any(o[1][: len(k[1])] == k[1] and len(o[1]) > len(k[1]) for o in keys)]
    out = []
    for key in leaves:
        pv = encoded.encoder.paths[key]
        kinds = encoded.encoder.compared.get(key) or {KIND["string"], KIND["number"], KIND["boolean"]}
        out.append(z3.Or(*[pv.kind == k for k in sorted(kinds)]))
    return out


def _absent_reads(state: State, rules: list[Any], pointers: list[str], encoded: _Encoded, solver: _Solver,
                  effective: AVal | None, incoming: list[tuple[str, AVal]]) -> list[ChoiceFinding]:
    z3 = encoded.encoder.z3
    found: list[ChoiceFinding] = []
    seen: set[str] = set()
    for key, reach, pointer, text in encoded.encoder.reads:
        if key[0] != "$" or pointer in seen or effective is None:
            continue
        presence, _ = read(effective, key[1])
        if presence == "no" and solver.check(z3.Not(reach)) == "unsat":
            seen.add(pointer)
            found.append(ChoiceFinding("ASL705", pointer, (
                f"'{text}' is never present here (no state upstream sets it), so this Choice always fails"
                " with States.Runtime; read a field that exists or test it with IsPresent first"), error=True))
            continue
        if presence not in ("no", "maybe"):
            continue
        for source, value in incoming:
            if source == "the start of the state machine":
                why = "makes it optional" if read(value, key[1])[0] == "maybe" else "has no such field"
                source = f"the start (the input schema {why})"
            hit = _absent_from(state, rules, pointers, value, key, pointer, text, solver.budget)
            if hit is not None:
                seen.add(pointer)
                found.append(ChoiceFinding("ASL705", pointer, (
                    f"'{text}' can be absent when this state is entered from {source}, e.g. with the input"
                    f" {_compact(hit)}, and this Choice then fails with States.Runtime; test it with IsPresent"
                    " first or set it on every path")))
                break
    return found


def _absent_from(state: State, rules: list[Any], pointers: list[str], raw: AVal, key: Any, pointer: str,
                 text: str, budget: Budget) -> Any:
    """A verified input, arriving on one edge, for which the read at ``pointer`` finds nothing."""
    from asl_lint.symbolic.smt import Unsupported

    if state.raw.get("InputPath", "$") != "$" or read(raw, key[1])[0] not in ("no", "maybe"):
        return None
    try:
        encoded = _encode(state, rules, pointers, raw)
    except (Unsupported, RecursionError):
        return None
    z3 = encoded.encoder.z3
    solver = _Solver(encoded, budget)
    match = [(r, p) for k, r, p, _ in encoded.encoder.reads if p == pointer and k == key]
    if not match:
        return None
    pv = encoded.encoder.var(key)
    witness = _verified_witness(state, rules, encoded, solver, [match[0][0], z3.Not(pv.present)],
                                f"States.Runtime:{text}")
    return None if witness is _NONE else witness
