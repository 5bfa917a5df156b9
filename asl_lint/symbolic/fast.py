"""Choice questions answered without z3, by concrete inputs (the common case, exactly).

For every rule of a Choice state, ASL701 asks "can it match?" and ASL702 "can it be the rule that
is taken?". The solver answers "no" only when it proves it. When a concrete input reaches and
matches rule *i* — earlier rules false without an error, rule *i* true, by the concrete evaluator
that defines the semantics — the z3 encoding (an over-approximation of that semantics, see
``smt``) has a model too, so neither finding can be reported. This module looks for such inputs
among a few values per path, taken from the constants the rules compare with. An input counts only
when it satisfies what the encoding adds about the data reaching the state: at every path the rules
read (and every prefix of it), the presence, types, constant and options the abstract value gives
(``_admitted``, the same facts ``smt.Encoder._abstract`` asserts), and every guard an upstream
Choice established (evaluated concretely, which is stricter than its encoding: still sound).

``decide`` says "nothing to report" when every rule has such an input and nothing else needs the
solver: a Default exists (no ASL703 question) and no path the rules read may be absent (no ASL705
question); or when the encoding itself would give up (``smt.Unsupported``), which also reports
nothing. When some rule has no such input among those tried, or inputs match no rule and z3's
example for them is not known here (``solver_counterexample``), ``partition`` may still prove the
solver's findings (ASL701, ASL702, a cleared ASL703) with one input per class of inputs. Otherwise
``choice.analyse_choice`` asks z3 exactly as before, so every finding is still the solver's; only
the common case no longer needs z3 at all (its import alone is ≈ 60 ms).

JSONata Conditions (with a Default) are searched the same way. The encoding reads only plain
``$states.input.a.b`` paths and leaves everything else unknown: workflow variables, ``**``,
indexes and filters, other functions. Inputs for those are written by guesses (``_realized``) that
need not be right, since each input is evaluated concretely; and a rule the encoding leaves free
altogether (no ``{% %}`` Condition, or one that does not parse) is taken by any input that passes
the rules before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from asl_lint.symbolic.domain import NOCONST, TYPES, AVal, Guard, Presence, read, type_of

MAX_INPUTS = 600  # concrete inputs tried per Choice state before leaving it to the solver
_ABSENT: Any = object()  # the path is not in the input

Key = tuple[str, tuple[Any, ...]]  # ("$" | "$$" | "$name", steps)


class _Unsupported(Exception):
    """Something this search cannot write into an input: leave the state to the solver."""


class Verdict(NamedTuple):
    """One of the solver's findings, decided without it (``decide``)."""
    code: str  # ASL701, ASL702 or ASL703
    rule: int = -1  # the rule's index (ASL701, ASL702)
    takers: tuple[int, ...] = ()  # ASL702: the earlier rules that take its inputs
    witness: Any = None  # ASL703: an input that matches no rule


# --- JSON values ---------------------------------------------------------------------------------
def _same_value(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value, booleans never equal to numbers."""
    kind = type_of(a)
    if kind != type_of(b):
        return False
    if kind == "object":
        return bool(a.keys() == b.keys()) and all(_same_value(a[k], b[k]) for k in a)
    if kind == "array":
        return len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _lookup(data: Any, steps: tuple[Any, ...]) -> Any:
    for step in steps:
        member = isinstance(step, str) and isinstance(data, dict) and step in data
        if not member and not (isinstance(step, int) and isinstance(data, list) and 0 <= step < len(data)):
            return _ABSENT
        data = data[step]
    return data


# --- what the rules read ---------------------------------------------------------------------------
def _key(text: Any) -> Key | None:
    """Like ``smt.Encoder.key_of`` (None exactly when it gives None), with the steps of ``$$`` and
    ``$var`` paths too (the encoding leaves those free; an input still needs them written)."""
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.jsonpath import Child, Index, parse_path
    from asl_lint.symbolic.paths import input_steps, other_root

    if not isinstance(text, str):
        return None
    steps = input_steps(text)
    if steps is not None:
        return ("$", steps)
    if not other_root(text):
        return None
    try:
        path = parse_path(text)
    except (ExprSyntaxError, RecursionError):
        raise _Unsupported from None
    found: list[Any] = []
    for segment in path.segments:
        if isinstance(segment, Child):
            found.append(segment.name)
        elif isinstance(segment, Index) and segment.index >= 0:
            found.append(segment.index)
        else:
            raise _Unsupported
    return ("$$" if path.root == "context" else f"${path.variable}", tuple(found))


def _comparisons(rule: Any) -> Iterator[tuple[str, Any, Any]]:
    """(operator, Variable, operand) of every comparison the encoding visits, in its order
    (``smt.JsonPathRules.rule``: And, then Or, then Not; empty or malformed groups are skipped)."""
    from asl_lint.symbolic.refine import operator_of

    if not isinstance(rule, dict):
        return
    for name in ("And", "Or"):
        if name in rule:
            members = rule[name]
            if isinstance(members, list):
                for member in members:
                    yield from _comparisons(member)
            return
    if "Not" in rule:
        yield from _comparisons(rule["Not"])
        return
    operator = operator_of(rule)
    if operator is not None:
        yield operator, rule.get("Variable", "$"), rule[operator]


def _encoding_gives_up(rules: list[Any]) -> bool:
    """The JSONPath encoding raises ``Unsupported`` on these rules whatever else they hold: a
    compared ``Variable`` (or ``*Path`` operand) that is no path it can name, or a negative index."""
    for operator, variable, operand in (c for rule in rules for c in _comparisons(rule)):
        texts = [variable]
        if operator.endswith("Path") and operator != "IsPresent" and not operator.startswith("Is"):
            texts.append(operand)
        for text in texts:
            try:
                key = _key(text)
            except _Unsupported:
                key = ("?", ())
            if key is None:
                return True
            if key[0] == "$" and any(isinstance(s, int) and s < 0 for s in key[1]):
                return True
    return False


# --- values to try -------------------------------------------------------------------------------
def _numbers(operand: Any) -> list[Any]:
    if isinstance(operand, bool) or not isinstance(operand, int | float):
        return []
    step = 0.5 if isinstance(operand, int) else abs(operand) / 1000 or 0.001
    try:
        return [operand, operand + 1, operand - 1, operand + step, operand - step]
    except OverflowError:  # an integer beyond any float (JSON has no limit): the whole neighbours only
        return [operand, operand + 1, operand - 1]


def _strings(operand: Any) -> list[Any]:
    if not isinstance(operand, str):
        return []
    out = [operand, operand + "~", "\u0001" + operand]
    if operand:
        out.append(operand[:-1])
    return out


def _matching(pattern: Any) -> list[Any]:
    """Strings a StringMatches pattern matches ('*' as '' and as 'x') and one it may not."""
    if not isinstance(pattern, str):
        return []
    texts = ["", ""]
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "*\\":
            texts = [t + pattern[i + 1] for t in texts]
            i += 2
            continue
        texts = [texts[0] + ("" if ch == "*" else ch), texts[1] + ("x" if ch == "*" else ch)]
        i += 1
    return [*texts, "~no match~"]


def _timestamps(operand: Any) -> list[Any]:
    from datetime import datetime, timedelta

    from asl_lint.eval.timestamps import parse_timestamp

    if not isinstance(operand, str) or parse_timestamp(operand) is None:
        return ["2016-03-14T01:59:00Z", "x"]
    out = [operand]
    try:
        moment = datetime.fromisoformat(operand.replace("Z", "+00:00"))
        for delta in (timedelta(seconds=1), timedelta(seconds=-1)):
            out.append((moment + delta).isoformat().replace("+00:00", "Z"))
    except (ValueError, OverflowError):
        pass
    return [*out, "x"]


_PAIRS: dict[str, list[Any]] = {"String": ["", "a"], "Numeric": [0, 1], "Boolean": [False, True],
          "Timestamp": ["2016-03-14T01:59:00Z", "2016-03-14T01:59:01Z"]}
_GENERIC = [None, "", 0, True, False, {}, [], _ABSENT]


_CANDIDATES: dict[str, dict[Key, list[Any]]] = {}


def _candidates(rules: list[Any]) -> dict[Key, list[Any]]:
    """Per path the rules read: values to try, the telling ones first (do not change them)."""
    text = repr(rules)
    found = _CANDIDATES.get(text)
    if found is None:
        found = _candidates_of(rules)
        if len(_CANDIDATES) >= 4096:
            _CANDIDATES.clear()
        _CANDIDATES[text] = found
    return found


def _candidates_of(rules: list[Any]) -> dict[Key, list[Any]]:
    values: dict[Key, list[list[Any]]] = {}  # per path, the values of each comparison with it

    def add(text: Any, found: list[Any]) -> None:
        key = _key(text)
        if key is None:
            raise _Unsupported
        values.setdefault(key, []).append(found)

    for rule in rules:
        for operator, variable, operand in _comparisons(rule):
            if operator.endswith("Path"):
                found = next((v for k, v in _PAIRS.items() if operator.startswith(k)), [])
                add(variable, found)
                add(operand, found)
            elif operator == "IsPresent":
                add(variable, [])
            elif operator == "IsTimestamp":
                add(variable, ["2016-03-14T01:59:00Z", "x"])
            elif operator.startswith("Is"):
                add(variable, [])
            elif operator == "StringMatches":
                add(variable, _matching(operand))
            elif operator.startswith("String"):
                add(variable, _strings(operand))
            elif operator.startswith("Numeric"):
                add(variable, _numbers(operand))
            elif operator.startswith("Boolean"):
                add(variable, [True, False])
            elif operator.startswith("Timestamp"):
                add(variable, _timestamps(operand))
    out: dict[Key, list[Any]] = {}
    for key, lists in values.items():
        # Each comparison's own constant first, then the values around them: a path compared
        # with several constants has each of them among its first values (the search tries the
        # inputs that move few paths far first).
        found = [group[i] for i in range(max(map(len, lists), default=0)) for group in lists if i < len(group)]
        unique: list[Any] = []
        seen: set[tuple[type, str]] = set()
        for value in [*found, *_GENERIC]:
            mark = (type(value), "" if value is _ABSENT else repr(value))
            if mark not in seen:
                seen.add(mark)
                unique.append(value)
        out[key] = unique
    return out


def _by_rank(choices: list[list[Any]]) -> Iterator[tuple[Any, ...]]:
    """Every combination, those that move fewer paths away from their first values first."""
    sizes = [len(c) for c in choices]
    for total in range(sum(sizes) - len(sizes) + 1):
        for ranks in _compositions(total, sizes):
            yield tuple(c[r] for c, r in zip(choices, ranks, strict=True))


def _compositions(total: int, sizes: list[int]) -> Iterator[tuple[int, ...]]:
    if not sizes:
        if total == 0:
            yield ()
        return
    for first in range(min(total, sizes[0] - 1) + 1):
        for rest in _compositions(total - first, sizes[1:]):
            yield (first, *rest)


# --- building and judging an input ---------------------------------------------------------------
def _place(data: Any, steps: tuple[Any, ...], value: Any) -> Any:
    """``data`` (changed in place: each input is built afresh) with ``value`` at ``steps``
    (``_ABSENT``: removed), containers made or replaced on the way; the root, which may be new.
    Any result will do: it is judged and evaluated as it is."""
    if isinstance(value, dict | list):
        from asl_lint.eval.exprs import json_copy

        value = json_copy(value)  # the candidate lists are shared between inputs
    if not steps:
        return value
    root = data
    if value is _ABSENT:
        parent = _lookup(root, steps[:-1])
        last = steps[-1]
        if isinstance(parent, dict) and isinstance(last, str):
            parent.pop(last, None)
        elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
            del parent[last:]
        return root
    if not isinstance(root, dict if isinstance(steps[0], str) else list):
        root = {} if isinstance(steps[0], str) else []
    current: Any = root
    for i, step in enumerate(steps):
        if isinstance(step, int):
            while len(current) <= step:
                current.append(None)
        if i == len(steps) - 1:
            current[step] = value
            break
        shape = dict if isinstance(steps[i + 1], str) else list
        nxt = current.get(step) if isinstance(step, str) else current[step]
        if not isinstance(nxt, shape):
            nxt = shape()
            current[step] = nxt
        current = nxt
    return root


def _facts(effective: AVal, keys: list[Key]) -> list[tuple[tuple[Any, ...], Presence, AVal]]:
    """What the encoding asserts about the input (``Encoder._abstract`` at each path var)."""
    prefixes: dict[tuple[Any, ...], None] = {}
    for root, steps in keys:
        if root == "$":
            for n in range(len(steps) + 1):
                prefixes.setdefault(steps[:n])
    out: list[tuple[tuple[Any, ...], Presence, AVal]] = []
    for steps in prefixes:
        presence, value = read(effective, steps)
        if presence != "unknown":
            out.append((steps, presence, value))
    return out


def _admitted(data: Any, facts: list[tuple[tuple[Any, ...], Presence, AVal]]) -> bool:
    for steps, presence, value in facts:
        found = _lookup(data, steps)
        if found is _ABSENT:
            if presence == "yes" or not steps:
                return False
            continue
        if presence == "no":
            return False
        if type_of(found) not in value.types:
            return False
        if value.options is not None and not any(
                isinstance(o, dict | list) or _same_value(o, found) for o in value.options):
            return False
        if value.const is not NOCONST and len(value.types) == 1 and not isinstance(value.const, dict | list) \
                and not _same_value(value.const, found):
            return False
        if not _within(getattr(value, "bounds", None), found):
            return False
    return True


def _within(bounds: Any, found: Any) -> bool:
    """A number within the input schema's minimum/maximum (``AVal.bounds``, when the domain has them)."""
    if bounds is None or isinstance(found, bool) or not isinstance(found, int | float):
        return True
    if bounds.low is not None and (found <= bounds.low if bounds.low_open else found < bounds.low):
        return False
    return bounds.high is None or not (found >= bounds.high if bounds.high_open else found > bounds.high)


def _outcome(rules: list[Any], roots: dict[str, Any]) -> int | str | None:
    """``witness.jsonpath_outcome`` of the input ``roots["$"]``, ``$$`` and ``$var`` read from ``roots``."""
    from asl_lint.symbolic.witness import jsonpath_outcome

    variables = {name[1:]: value for name, value in roots.items() if name not in ("$", "$$")}
    return jsonpath_outcome(rules, roots.get("$"), roots.get("$$"), variables)


def _guards_hold(guards: tuple[Guard, ...], roots: dict[str, Any]) -> bool:
    from asl_lint.symbolic.witness import jsonata_outcome

    for guard in guards:
        if guard.jsonata:
            outcome = jsonata_outcome([{"Condition": guard.rule}], roots.get("$"))
        else:
            outcome = _outcome([guard.rule], roots) if isinstance(guard.rule, dict) else "error"
        if isinstance(outcome, str) or (outcome == 0) != guard.held:
            return False
    return True


def _prepare(candidates: dict[Key, list[Any]], effective: AVal | None, unread: frozenset[Key] = frozenset()
             ) -> tuple[list[Key], list[tuple[tuple[Any, ...], Presence, AVal]]] | None:
    """The paths to fill (parents first) and the facts an input must satisfy; None when a path
    the rules read may be absent (an ASL705 question: the solver's). ``unread``: paths filled
    that the encoding does not read (their facts still hold an input back)."""
    keys = sorted(candidates, key=lambda k: (k[0], len(k[1])))
    if effective is not None and any(root == "$" and (root, steps) not in unread
                                     and read(effective, steps)[0] in ("no", "maybe") for root, steps in keys):
        return None
    return keys, (_facts(effective, keys) if effective is not None else [])


def taken_rules(rules: list[Any], effective: AVal | None, limit: int = MAX_INPUTS) -> set[int] | None:
    """Indices of the (JSONPath) rules that some admitted input takes; None when the rules read
    something the search cannot write, or a path that may be absent (the solver's ASL705)."""
    guards = effective.guards if effective is not None else ()
    guard_rules = [g.rule for g in guards if not g.jsonata]
    try:
        candidates = _candidates(rules + guard_rules)
    except _Unsupported:
        return None
    prepared = _prepare(candidates, effective)
    if prepared is None:
        return None
    keys, facts = prepared
    taken: set[int] = set()
    for tried, combination in enumerate(_by_rank([candidates[k] for k in keys])):
        if tried >= limit:
            break
        roots: dict[str, Any] = {"$": {}}
        for (root, steps), value in zip(keys, combination, strict=True):
            if value is _ABSENT and (root not in roots or not steps):
                continue
            roots[root] = _place(roots.get(root, {}), steps, value)
        if facts and not _admitted(roots["$"], facts):
            continue
        if guards and not _guards_hold(guards, roots):
            continue
        outcome = _outcome(rules, roots)
        if isinstance(outcome, int):
            taken.add(outcome)
            if len(taken) == len(rules):
                break
    return taken


# --- ASL703: the solver's counterexample, where its choice is known ---------------------------
def _after(operator: str, operand: Any) -> Any:
    """The value z3's model gives a number that must fail one comparison with ``operand``
    (its arithmetic lands on the bound, or one past it when the bound is excluded), written as
    the witness writes a model's rational: an int when whole, else a float."""
    if isinstance(operand, bool) or not isinstance(operand, int | float):
        raise _Unsupported
    if isinstance(operand, float) and operand.is_integer():
        operand = int(operand)  # (exactly, as the rational of a whole float)
    step = {"NumericEquals": 1, "NumericGreaterThan": 0, "NumericLessThan": 0,
            "NumericGreaterThanEquals": -1, "NumericLessThanEquals": 1}[operator]
    # A float that is not whole stays so when a whole number is added, and IEEE addition rounds
    # the exact sum as float(Fraction(operand) + step) does.
    return operand + step


def _literal(pattern: Any) -> bool:
    """A StringMatches pattern without wildcards or escapes: plain string equality."""
    return isinstance(pattern, str) and "*" not in pattern and "\\" not in pattern


def _atoms(rules: list[Any]) -> dict[tuple[Any, ...], list[tuple[str, Any]]] | None:
    """Per compared input path, its (operator, operand)s, when every rule is a plain comparison or
    an Or of string equalities on one path; None otherwise."""
    atoms: dict[tuple[Any, ...], list[tuple[str, Any]]] = {}
    for rule in rules:
        members = rule.get("Or") if "Or" in rule else [rule]
        if not isinstance(members, list) or not members or any(
                not isinstance(m, dict) or any(k in m for k in ("And", "Or", "Not")) for m in members):
            return None
        found = [c for m in members for c in _comparisons(m)]
        if len(found) != len(members):
            return None
        if "Or" in rule and not all(op == "StringEquals" or (op == "StringMatches" and _literal(arg))
                                    for op, _, arg in found):
            return None
        for operator, variable, operand in found:
            key = _key(variable)
            if key is None or key[0] != "$" or not key[1] or any(isinstance(s, int) and s < 0 for s in key[1]):
                return None
            if operator == "StringMatches" and _literal(operand):
                operator = "StringEquals"
            atoms.setdefault(key[1], []).append((operator, operand))
    return atoms


def _as_built(rules: list[Any], leaves: dict[tuple[Any, ...], Any]) -> Any:
    """The input as ``witness.build_input`` writes a model down: paths in the order the encoder
    made their variables (each path after its prefixes, rule by rule), shorter paths first, so
    that the members of every object come in the same order."""
    order: dict[tuple[Any, ...], None] = {}
    for rule in rules:
        for operator, variable, operand in _comparisons(rule):
            texts = [variable, operand] if operator.endswith("Path") else [variable]
            for text in texts:
                key = _key(text)
                if key is not None and key[0] == "$":
                    for n in range(len(key[1]) + 1):
                        order.setdefault(key[1][:n])
    holders: dict[tuple[Any, ...], Any] = {}
    for steps in sorted(order, key=len):
        if steps in leaves:
            value = leaves[steps]
        else:
            nxt = next(s[len(steps)] for s in order if len(s) > len(steps) and s[: len(steps)] == steps)
            value = {} if isinstance(nxt, str) else []
        if steps:
            parent, step = holders[steps[:-1]], steps[-1]
            if isinstance(step, int):
                while len(parent) <= step:
                    parent.append(None)
            parent[step] = value
        holders[steps] = value
    return holders[()]


def solver_counterexample(rules: list[Any], effective: AVal | None) -> Any:
    """The input z3 gives as ASL703's example, for Choice states where its model is known;
    ``_ABSENT`` otherwise. Qualify: comparisons of distinct, unrelated input paths (or an Or of
    string equalities on one path), each path compared by one family — string equality with
    non-empty strings (z3 gives ""), one BooleanEquals (the other boolean), both BooleanEquals
    (no boolean fails both: z3's next model, free of the "plain leaves" preference, makes every
    path null), or one Numeric operator (``_after``). Nothing else may be known about those paths.
    ``tests/symbolic/test_fast.py`` compares this with z3 on generated Choice states."""
    if effective is not None and effective.guards:
        return _ABSENT
    atoms = _atoms(rules)
    if atoms is None:
        return _ABSENT
    paths = sorted(atoms, key=len)
    if any(a != b and b[: len(a)] == a for a in paths for b in paths):
        return _ABSENT  # one compared path inside another
    values: dict[tuple[Any, ...], Any] = {}
    cascade = False
    for steps, found in atoms.items():
        operators = {op for op, _ in found}
        operands = [arg for _, arg in found]
        if operators == {"StringEquals"} and all(isinstance(c, str) and c for c in operands):
            values[steps] = ""
        elif operators == {"BooleanEquals"} and all(isinstance(c, bool) for c in operands):
            if len(set(operands)) == 1:
                values[steps] = not operands[0]
            else:
                cascade = True
        elif len(found) == 1 and found[0][0] in ("NumericEquals", "NumericGreaterThan", "NumericLessThan",
                                                 "NumericGreaterThanEquals", "NumericLessThanEquals"):
            values[steps] = _after(*found[0])
        else:
            return _ABSENT
    if cascade:
        values = dict.fromkeys(atoms)
    try:
        data = _as_built(rules, values)
    except (TypeError, KeyError, StopIteration):
        return _ABSENT  # one path needs an object where another needs an array
    if effective is not None:
        # Facts about these paths could change what z3 chooses: only "present, any value" ones.
        facts = _facts(effective, [("$", steps) for steps in paths])
        for steps, presence, value in facts:
            if value.const is not NOCONST or value.options is not None or getattr(value, "bounds", None) is not None:
                return _ABSENT
            if steps in atoms and (presence != "yes" or len(value.types) != len(TYPES)):
                return _ABSENT
        if not _admitted(data, facts):
            return _ABSENT
    return data if _outcome(rules, {"$": data}) is None else _ABSENT


# Answers by what they depend on: the rules, and of the incoming data only the facts the search
# reads (``_facts`` at the paths the rules read) and the guards. A re-lint after an edit (the
# language server's) finds most Choice states here; a whole-data key was tried once and reverted:
# building it cost more than the analysis it saved.
_DECIDED: dict[tuple[Any, ...], list[Verdict] | None] = {}
_DECIDED_SIZE = 4096


def _what_it_reads(has_default: bool, rules: list[Any], effective: AVal | None, jsonata: bool) -> tuple[Any, ...]:
    guards = effective.guards if effective is not None else ()
    keys: dict[Key, Any] | None
    if jsonata:
        conditions = _condition_candidates(rules)
        if conditions is None:
            raise _Unsupported
        keys = conditions.candidates
    else:
        keys = _candidates(rules + [g.rule for g in guards if not g.jsonata])
    facts = () if effective is None else tuple(
        (steps, presence, tuple(sorted(value.types)), repr(value.const), repr(value.options),
         repr(getattr(value, "bounds", None)))
        for steps, presence, value in _facts(effective, list(keys)))
    return (jsonata, has_default, repr(rules), facts, tuple((g.jsonata, g.held, repr(g.rule)) for g in guards),
            tuple(sorted(repr(k) for k in keys)))


def decide(jsonata: bool, has_default: bool, rules: list[Any], effective: AVal | None) -> list[Verdict] | None:
    """The solver's ASL701-ASL703 findings for this Choice state when they are certain without it,
    in its order; None when only the solver can tell (see the module docstring and ``partition``)."""
    if not rules:
        return None
    try:
        key: tuple[Any, ...] | None = _what_it_reads(has_default, rules, effective, jsonata)
    except _Unsupported:
        key = None
    if key is not None and key in _DECIDED:
        return _DECIDED[key]
    answer = _decide(has_default, rules, effective, jsonata)
    if key is not None:
        if len(_DECIDED) >= _DECIDED_SIZE:
            _DECIDED.clear()
        _DECIDED[key] = answer
    return answer


# --- JSONata Conditions ----------------------------------------------------------------------------
MAX_JSONATA_INPUTS = 150  # (each try evaluates JSONata, ~0.1 ms a rule)


class _Conditions(NamedTuple):
    candidates: dict[Key, list[Any]]  # per path: values to try
    realized: frozenset[Key]  # input paths that only make a ``**``/index/filter path yield something
    free: frozenset[int]  # rules the encoding leaves free (no ``{% %}`` Condition, or one that fails to parse)


def _plain_step(step: Any, name: str) -> bool:
    from asl_lint.symbolic.jsonata_smt import _PLAIN_STEP, _attrs

    return getattr(step, "type", None) == "name" and getattr(step, "value", None) == name and \
        _attrs(step) <= _PLAIN_STEP


def _realized(steps: list[Any]) -> list[tuple[Any, ...]] | None:
    """Input paths that give the path ``steps`` (the steps after its root) a value: each name a
    member; ``**`` the node itself (JSONata's descendants include it); ``[0]`` or ``[-1]`` the
    only item of an array; a filter the only item, holding what the filter's own plain relative
    paths read (the last of the returned paths is the path itself unless a filter's paths stand
    for it). None when a step is anything else. These are only guesses: every input built from
    them is evaluated concretely."""
    from asl_lint.expr.jsonata import _symbol_type, _walk
    from asl_lint.symbolic.jsonata_smt import _PLAIN_STEP, _attrs

    out: list[Any] = []
    found: list[tuple[Any, ...]] = []
    covered = False
    for step in steps:
        kind = getattr(step, "type", None)
        extra = _attrs(step)
        if kind == "descendant" and extra <= _PLAIN_STEP:
            continue
        if kind != "name" or not isinstance(step.value, str) or not extra <= _PLAIN_STEP | {"stages", "predicate"}:
            return None
        out.append(step.value)
        covered = False
        for stage in [*(getattr(step, "stages", None) or []), *(getattr(step, "predicate", None) or [])]:
            expr = getattr(stage, "expr", None)
            if getattr(stage, "type", None) != "filter" or expr is None:
                return None
            if getattr(expr, "type", None) == "number" and expr.value in (0, -1) and not isinstance(expr.value, bool):
                out.append(0)
                continue
            out.append(0)
            for node in _walk(expr, _symbol_type()):
                inner = getattr(node, "steps", None) if getattr(node, "type", None) == "path" else None
                if inner and all(getattr(s, "type", None) == "name" and isinstance(s.value, str)
                                 and not getattr(s, "stages", None) and not getattr(s, "predicate", None)
                                 for s in inner):
                    found.append((*out, *(s.value for s in inner)))
                    covered = True
    if not covered:
        found.append(tuple(out))
    return found


def _condition_candidates(rules: list[Any]) -> _Conditions | None:
    """Per path the Conditions read (``$states.input`` paths and workflow variables, with their
    members): the literals they hold, then plain values; None when a Condition reads
    ``$states`` in some way ``_realized`` cannot write."""
    from asl_lint.expr.jsonata import _symbol_type, _walk
    from asl_lint.symbolic.jsonata_smt import parsed_condition, states_input_steps

    paths: dict[Key, None] = {}
    realized: set[Key] = set()
    plain: set[Key] = set()
    free: set[int] = set()
    literals: list[Any] = []
    for index, rule in enumerate(rules):
        ast = parsed_condition(rule.get("Condition") if isinstance(rule, dict) else None)
        if ast is None:  # the encoding leaves this rule free: any input, the solver may give it any outcome
            free.add(index)
            continue
        inside: set[int] = set()
        headed: set[int] = set()  # variables read through members: their path stands for them
        nodes = list(_walk(ast, _symbol_type()))
        procedures = {id(n.procedure) for n in nodes if getattr(n, "type", None) in ("function", "partial")}
        for node in nodes:
            kind = getattr(node, "type", None)
            if kind == "variable" and id(node) not in procedures and node.value not in ("states", "") \
                    and id(node) not in headed:
                # A workflow variable: the encoding leaves it free, so any value will do.
                paths.setdefault((f"${node.value}", ()))
            elif kind == "path":
                steps = states_input_steps(node)
                first = node.steps[0] if getattr(node, "steps", None) else None
                head = (getattr(first, "type", None), getattr(first, "value", None))
                if steps is not None:
                    paths.setdefault(("$", steps))
                    plain.add(("$", steps))
                    inside.update(id(step) for step in node.steps)
                elif head == ("variable", "states"):
                    second = node.steps[1] if len(node.steps) > 1 else None
                    written = _realized(node.steps[2:]) if _plain_step(second, "input") else None
                    if written is None:
                        return None
                    for found in written:
                        paths.setdefault(("$", found))
                        realized.add(("$", found))
                elif head[0] == "variable" and head[1] not in ("states", "") and len(node.steps) > 1:
                    written = _realized(node.steps[1:])
                    if written is not None:
                        headed.add(id(first))
                        for found in written:
                            paths.setdefault((f"${head[1]}", found))
            elif kind in ("string", "number", "value") and id(node) not in inside:
                literals.append(node.value)
    values: list[Any] = []
    seen: set[tuple[type, str]] = set()
    for value in [*literals, *_GENERIC, ["x"], *_MORE]:
        mark = (type(value), "" if value is _ABSENT else repr(value))
        if mark not in seen and (value is _ABSENT or isinstance(value, str | int | float | bool | list | dict)
                                 or value is None):
            seen.add(mark)
            values.append(value)
    return _Conditions({key: values for key in paths}, frozenset(realized - plain), frozenset(free))


# Last (so that the inputs tried before are tried as before): a second number, for comparisons of
# two values the Conditions read, and a string ``$number`` reads.
_MORE = [1, "0"]


def _taken_by(rules: list[Any], free: frozenset[int], data: Any, variables: dict[str, Any]) -> set[int]:
    """The rules an input can make the one taken: the first rule that is true without an error
    before any fails, and every free rule on the way (the solver may pass it or take it)."""
    from asl_lint.symbolic.witness import jsonata_outcome

    taken: set[int] = set()
    for index, rule in enumerate(rules):
        if index in free:
            taken.add(index)
            continue
        outcome = jsonata_outcome([rule], data, variables)
        if outcome == 0:
            taken.add(index)
        if outcome is not None:
            break
    return taken


def taken_conditions(rules: list[Any], effective: AVal | None, limit: int = MAX_JSONATA_INPUTS) -> set[int] | None:
    """Like ``taken_rules`` for JSONata Choice states (``Condition`` rules)."""
    conditions = _condition_candidates(rules)
    if conditions is None:
        return None
    candidates = conditions.candidates
    prepared = _prepare(candidates, effective, conditions.realized)
    if prepared is None:
        return None
    keys, facts = prepared
    guards = effective.guards if effective is not None else ()
    taken: set[int] = set()
    for tried, combination in enumerate(_by_rank([candidates[k] for k in keys])):
        if tried >= limit:
            break
        data: Any = {}
        variables: dict[str, Any] = {}
        for (root, steps), value in zip(keys, combination, strict=True):
            if root != "$":
                if value is not _ABSENT or steps:
                    variables[root[1:]] = _place(variables.get(root[1:], {}), steps, value)
            elif value is not _ABSENT or steps:
                data = _place(data, steps, value)
        if facts and not _admitted(data, facts):
            continue
        if guards and not _guards_hold(guards, {"$": data}):
            continue
        taken |= _taken_by(rules, conditions.free, data, variables)
        if len(taken) == len(rules):
            break
    return taken


def _decide(has_default: bool, rules: list[Any], effective: AVal | None, jsonata: bool = False
            ) -> list[Verdict] | None:
    if jsonata:
        taken = taken_conditions(rules, effective) if has_default else None
        return [] if taken is not None and len(taken) == len(rules) else None
    if _encoding_gives_up(rules):
        return []
    taken = taken_rules(rules, effective)
    if taken is None:
        return None
    if len(taken) == len(rules):
        if has_default:
            return []
        witness = solver_counterexample(rules, effective)
        if witness is not _ABSENT:
            return [Verdict("ASL703", witness=witness)]
    # Some rule no input tried takes, or inputs that match no rule without z3's example: a proof.
    from asl_lint.symbolic.partition import decide as prove

    return prove(rules, effective, has_default)
