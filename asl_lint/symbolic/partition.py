"""Choice questions proved without z3, by one input for every class of inputs the rules tell apart.

``fast`` finds inputs; it cannot prove that none exists, which is what ASL701 ("no input matches
this rule"), ASL702 ("every input it matches is taken earlier") and a cleared ASL703 ("every input
matches some rule") say. For the rules most Choice states are made of, a finite set of inputs is
a proof. Take JSONPath rules that compare input paths with constants only: string equality,
numeric comparisons, boolean equality, the type tests and IsPresent, combined with And, Or and
Not. Whether each comparison holds, fails or errs then depends only on which *class* the value at
its path falls into, and these values meet every class:
- absent, null, true, false, an object, an array;
- each string constant the rules or the facts name, and one other string;
- each numeric constant, one number strictly between each two consecutive ones, one below them
  all and one above (the constants of the rules and of the facts: const, options, the input
  schema's bounds).
Values that every comparison at the path treats alike (evaluated concretely) are one class: the
first of them stands for it. A path the rules only read through (a prefix of a compared path) has
the container the next step needs, and one value that is not it (absent, when the facts allow).

One input per combination of classes (paths below one that holds no container are absent),
evaluated by the concrete evaluator that defines the semantics, covers every input there is; the
facts about the data reaching the state (``fast._admitted``: what ``smt.Encoder._abstract``
asserts) and the guards upstream Choice states established (each guard rule's outcome, as the
encoding asserts it) drop the combinations that cannot arrive. Over this fragment the z3 encoding
is exact, so the answers are the solver's: ``tests/symbolic/test_partition.py`` compares them on
generated Choice states.

What it cannot prove is left to the solver (``decide`` returns None): other operators (in the
rules or the guards), JSONata guards, two items of one array (the encoding lets ``[1]`` be there
without ``[0]``), more evaluations than ``MAX_EVALUATIONS``, two constants
with no float strictly between them (z3's reals have numbers there), an ASL702 whose earlier rules
z3's unsat core might name differently (its core is certain only when every earlier rule is
needed), and ASL703's example input when ``fast`` cannot tell z3's. A proof spends none of the
definition's solver budget (``choice.FILE_LIMIT``): on a definition whose other Choice states
spend it all, a state proved here still has its findings, where the solver would have given up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import pairwise
from math import isfinite
from typing import Any

from asl_lint.symbolic.domain import NOCONST, AVal, Presence
from asl_lint.symbolic.fast import _ABSENT, Verdict, _admitted, _facts, _key, _place, solver_counterexample

MAX_EVALUATIONS = 6000  # rules evaluated on inputs in one proof (a few ms); beyond, the solver's

_COMPARISONS = frozenset({
    "StringEquals", "StringMatches", "NumericEquals", "NumericLessThan", "NumericGreaterThan",
    "NumericLessThanEquals", "NumericGreaterThanEquals", "BooleanEquals", "IsPresent", "IsNull",
    "IsString", "IsNumeric", "IsBoolean"})
_GROUPS = ("And", "Or", "Not")


class _Outside(Exception):
    """The rules or facts leave the fragment this module proves things about."""


# --- the fragment ----------------------------------------------------------------------------------
def _atoms(rule: Any, found: dict[tuple[Any, ...], list[tuple[str, Any]]]) -> None:
    """Collect the (operator, constant) comparisons per input path of a rule in the fragment."""
    from asl_lint.eval.choice import COMPARATORS

    if not isinstance(rule, dict):
        raise _Outside
    kinds = [name for name in _GROUPS if name in rule] + [k for k in rule if k in COMPARATORS]
    if len(kinds) != 1:
        raise _Outside  # (which one counts would be the evaluator's and the encoding's choice)
    kind = kinds[0]
    if kind == "Not":
        _atoms(rule["Not"], found)
        return
    if kind in ("And", "Or"):
        members = rule[kind]
        if not isinstance(members, list) or not members:
            raise _Outside
        for member in members:
            _atoms(member, found)
        return
    operand = rule[kind]
    if kind not in _COMPARISONS or not _typed(kind, operand):
        raise _Outside
    key = _key(rule.get("Variable", "$"))
    if key is None or key[0] != "$" or any(isinstance(s, int) and s < 0 for s in key[1]):
        raise _Outside
    found.setdefault(key[1], []).append((kind, operand))


def _typed(operator: str, operand: Any) -> bool:
    if operator.startswith(("Is", "Boolean")):
        return isinstance(operand, bool)
    if operator == "StringMatches":
        return isinstance(operand, str) and "*" not in operand and "\\" not in operand  # (equality)
    if operator.startswith("String"):
        return isinstance(operand, str)
    if isinstance(operand, bool):
        return False
    return isinstance(operand, int) or (isinstance(operand, float) and isfinite(operand))  # (YAML has .inf and .nan)


# --- the classes of each path ----------------------------------------------------------------------
Fact = tuple[tuple[Any, ...], Presence, AVal]


def _constants(atoms: list[tuple[str, Any]], fact: Fact | None) -> tuple[list[str], list[int | float]]:
    strings: list[Any] = [c for op, c in atoms if op.startswith("String")]
    numbers: list[Any] = [c for op, c in atoms if op.startswith("Numeric")]
    if fact is not None:
        value = fact[2]
        known = [] if value.options is None else list(value.options)
        if value.const is not NOCONST:
            known.append(value.const)
        for item in known:
            if isinstance(item, dict | list):
                raise _Outside  # (an option that is a container admits anything: keep it simple)
            if isinstance(item, str):
                strings.append(item)
            elif isinstance(item, int | float) and not isinstance(item, bool):
                numbers.append(item)
        bounds = getattr(value, "bounds", None)
        if bounds is not None:
            numbers += [b for b in (bounds.low, bounds.high) if b is not None]
    if any(ord(ch) >= 0xD800 for text in strings for ch in text):
        raise _Outside  # (the encoding gives up on these: it reports nothing)
    return strings, numbers


def _other_string(strings: list[str]) -> str:
    taken = set(strings)
    other = ""
    while other in taken:
        other += "~"
    return other


def _number_classes(numbers: list[int | float]) -> list[int | float]:
    """One number per class: each constant, one strictly between each two, one below, one above."""
    points = sorted(set(numbers))
    if not points:
        return [0]
    out: list[int | float] = [points[0] - 1]
    for low, high in pairwise(points):
        try:
            middle = (low + high) / 2
        except OverflowError:
            raise _Outside from None  # (integers beyond any float: the solver's)
        if not low < middle < high:
            raise _Outside  # (z3's reals have numbers there; the concrete floats do not)
        out += [low, middle]
    out += [points[-1], points[-1] + 1]
    if not (out[0] < points[0] and out[-1] > points[-1]):
        raise _Outside  # (too large for ±1 to move it)
    return out


def _classes(steps: tuple[Any, ...], atoms: list[tuple[str, Any]] | None, below: set[type],
             fact: Fact | None, admits: Callable[[Any, Fact | None], bool]) -> list[Any]:
    """One value per class of the value at ``steps`` (``fast._ABSENT``: absent), those its own
    fact rules out dropped. ``atoms``: its comparisons (None: only read through); ``below``: the
    containers deeper paths need."""
    absent = [_ABSENT] if steps else []  # (the input itself is always there)
    if atoms is None:
        # Not compared: only "the container the next step needs" or not matters to the rules.
        containers: list[Any] = [{} if kind is dict else [] for kind in (dict, list) if kind in below]
        scalars: tuple[Any, ...] = (None, "", 0, True, {}, [])
        others = [v for v in scalars if type(v) not in below]
        kept = [v for v in [*containers, *absent, *others] if admits(v, fact)]
        # Absent and any other value read the same below: one of them is enough.
        return [v for v in kept if type(v) in below] + [v for v in kept if type(v) not in below][:1]
    strings, numbers = _constants(atoms, fact)
    values = [*absent, None, True, False, *dict.fromkeys(strings), _other_string(strings),
              *_number_classes(numbers), {}, []]
    # Values every comparison here treats alike are one class (the containers deeper paths need
    # stay apart): keep the first of each that the fact admits.
    from asl_lint.symbolic.witness import rule_verdicts

    alone = [{"Variable": "$", operator: operand} for operator, operand in atoms]
    out: list[Any] = []
    seen: set[Any] = set()
    for value in values:
        if not admits(value, fact):
            continue
        mark = "absent" if value is _ABSENT else (
            type(value) if type(value) in below else None, tuple(rule_verdicts(alone, value)))
        if mark not in seen:
            seen.add(mark)
            out.append(value)
    return out


class _Inputs:
    """The combinations of classes, one value per path (parents first), where a path below one
    that holds no container of its kind is absent (its classes are not multiplied in)."""

    def __init__(self, keys: list[tuple[Any, ...]], classes: list[list[Any]]) -> None:
        self.keys = keys
        self.classes = classes
        index = {steps: i for i, steps in enumerate(keys)}
        self.parent = [index[steps[:-1]] if steps else -1 for steps in keys]
        self.children: list[list[int]] = [[] for _ in keys]
        for i, p in enumerate(self.parent):
            if p >= 0:
                self.children[p].append(i)

    def _holds(self, child: int, value: Any) -> bool:
        """``value`` at the parent of ``child`` is the container its step needs."""
        return isinstance(value, dict if isinstance(self.keys[child][-1], str) else list)

    def count(self, i: int = 0) -> int:
        return sum(self._product(i, value) for value in self.classes[i])

    def _product(self, i: int, value: Any) -> int:
        total = 1
        for child in self.children[i]:
            total *= self.count(child) if self._holds(child, value) else 1
        return total

    def __iter__(self) -> Iterator[list[Any]]:
        chosen: list[Any] = [_ABSENT] * len(self.keys)

        def fill(i: int) -> Iterator[list[Any]]:
            if i == len(self.keys):
                yield chosen
                return
            parent = self.parent[i]
            if parent >= 0 and (chosen[parent] is _ABSENT or not self._holds(i, chosen[parent])):
                chosen[i] = _ABSENT  # (nothing can be there)
                yield from fill(i + 1)
                return
            for value in self.classes[i]:
                chosen[i] = value
                yield from fill(i + 1)

        return fill(0)


# --- the proof -----------------------------------------------------------------------------------
def decide(rules: list[Any], effective: AVal | None, has_default: bool) -> list[Verdict] | None:
    """The solver's ASL701/ASL702/ASL703 verdicts on these JSONPath rules, in its order; None when
    this module cannot prove them (see the module docstring)."""
    guards = effective.guards if effective is not None else ()
    if any(guard.jsonata for guard in guards):
        return None
    # What upstream Choice states established: the encoding asserts each guard rule's outcome
    # (exactly, for rules in the fragment) and the facts at its paths.
    judged = rules + [guard.rule for guard in guards]  # every rule an input is evaluated on
    found: dict[tuple[Any, ...], list[tuple[str, Any]]] = {}
    try:
        for rule in judged:
            _atoms(rule, found)
        paths: dict[tuple[Any, ...], set[type]] = {}
        for steps in found:
            for n in range(len(steps) + 1):
                below = paths.setdefault(steps[:n], set())
                if n < len(steps):
                    below.add(dict if isinstance(steps[n], str) else list)
        keys = sorted(paths, key=len)
        # Two items of one array: the encoding lets the second be there without the first, which no
        # JSON array does (it would find inputs the classes cannot write down).
        items = {(steps[:-1], steps[-1]) for steps in keys if steps and isinstance(steps[-1], int)}
        if len({parent for parent, _ in items}) != len(items):
            raise _Outside
        facts = _facts(effective, [("$", steps) for steps in keys]) if effective is not None else []
        fact_at: dict[tuple[Any, ...], Fact] = {f[0]: f for f in facts}

        def admits(value: Any, fact: Fact | None) -> bool:
            return fact is None or _admitted_at(value, fact)

        classes = [_classes(steps, found.get(steps), paths[steps], fact_at.get(steps), admits) for steps in keys]
    except _Outside:
        return None
    inputs = _Inputs(keys, classes)
    if inputs.count() * len(judged) > MAX_EVALUATIONS:
        return None
    from asl_lint.symbolic.witness import rule_verdicts

    matched = [False] * len(rules)
    taken = [False] * len(rules)
    alone: list[set[int]] = [set() for _ in rules]  # earlier rules that alone catch an input of rule i
    no_match = False
    for combination in inputs:
        data: Any = {}
        for steps, value in zip(keys, combination, strict=True):
            if value is not _ABSENT:
                data = _place(data, steps, value)
        if facts and not _admitted(data, facts):
            continue
        verdicts = rule_verdicts(judged, data)  # True: matches, False: passes, None: fails
        if any(verdicts[len(rules) + k] is not guard.held for k, guard in enumerate(guards)):
            continue
        del verdicts[len(rules):]
        for i, verdict in enumerate(verdicts):
            if verdict is not True:
                continue
            matched[i] = True
            catchers = [j for j in range(i) if verdicts[j] is not False]
            if not catchers:
                taken[i] = True
            elif len(catchers) == 1:
                alone[i].add(catchers[0])
        no_match = no_match or all(v is False for v in verdicts)
    out: list[Verdict] = []
    for i in range(len(rules)):
        if not matched[i]:
            out.append(Verdict("ASL701", i))
        elif not taken[i]:
            if alone[i] != set(range(i)):
                return None  # some earlier rule is not needed: which ones z3's core names is z3's
            out.append(Verdict("ASL702", i, tuple(range(i))))
    if no_match and not has_default:
        witness = solver_counterexample(rules, effective)
        if witness is _ABSENT:
            return None
        out.append(Verdict("ASL703", witness=witness))
    return out


def _admitted_at(value: Any, fact: Fact) -> bool:
    """``fast._admitted`` of one path's fact, for the value placed there (a container's type is
    all a fact can tell of it here: ``_constants`` leaves out container options)."""
    steps, presence, aval = fact
    if value is _ABSENT:
        return presence != "yes" and bool(steps)
    return _admitted(value, [((), presence, aval)])
