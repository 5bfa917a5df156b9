"""Choice rules as SMT formulas (z3): each rule gives (value, error) under a symbolic input.

Every path read is a bundle of variables (present, JSON kind, number, string, boolean, and
"is a timestamp" with its instant). String and timestamp views of one value are tied only by the
facts the rules state, so the encoding over-approximates: an UNSAT answer is certain; a SAT
answer is only a candidate, confirmed by running the concrete evaluator on the model.
A part that cannot be encoded becomes a fresh (value, error) pair: unknown, never a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from asl_lint.symbolic.domain import NOCONST, TYPES, AVal, Bounds, Presence, read

KIND = {name: i for i, name in enumerate(TYPES)}  # null boolean number string array object
Key = tuple[str, tuple[Any, ...]]  # (root: "$" / other path text, steps)


class Unsupported(Exception):
    """This Choice cannot be encoded at all (e.g. strings outside the ranges z3 orders like Java)."""


@dataclass
class PathVars:
    key: Key
    present: Any
    kind: Any
    num: Any
    text: Any
    flag: Any
    is_ts: Any
    ts: Any


@dataclass
class Outcome:
    value: Any  # the rule's result when it evaluates without error
    error: Any  # it fails (States.Runtime / QueryEvaluationError)


class Encoder:
    def __init__(self, abstract: AVal | None, ctx: Any = None) -> None:
        import z3

        self.z3 = z3
        # By default a context of its own: z3's models and unsat cores (so our counterexamples and
        # the rules ASL702 names) then do not depend on what was solved before in this process.
        self.ctx = ctx if ctx is not None else z3.Context()
        self.abstract = abstract
        self.paths: dict[Key, PathVars] = {}
        self.constraints: list[Any] = []
        self.fresh_count = 0
        # (key, reach condition, pointer of the field, path text) of every required read (ASL705).
        self.reads: list[tuple[Key, Any, str, str]] = []
        # JSON kinds each path is compared as (witnesses prefer them: {"n": 3} over {"n": false}).
        self.compared: dict[Key, set[int]] = {}

    def compared_as(self, pv: PathVars, kind: str) -> None:
        self.compared.setdefault(pv.key, set()).add(KIND[kind])

    # --- variables --------------------------------------------------------------------------
    def fresh(self, prefix: str = "u") -> Any:
        self.fresh_count += 1
        return self.z3.Bool(f"{prefix}!{self.fresh_count}", self.ctx)

    def var(self, key: Key) -> PathVars:
        found = self.paths.get(key)
        if found is not None:
            return found
        z3 = self.z3
        name = repr(key)
        ctx = self.ctx
        pv = PathVars(key, z3.Bool(f"p{name}", ctx), z3.Int(f"k{name}", ctx), z3.Real(f"n{name}", ctx),
                      z3.String(f"s{name}", ctx), z3.Bool(f"b{name}", ctx), z3.Bool(f"t{name}", ctx),
                      z3.Real(f"ts{name}", ctx))
        self.paths[key] = pv
        c = self.constraints
        c += [pv.kind >= 0, pv.kind <= 5, z3.Implies(pv.is_ts, pv.kind == KIND["string"])]
        root, steps = key
        if root == "$":
            if not steps:
                c.append(pv.present)
            else:
                parent = self.var((root, steps[:-1]))
                container = KIND["object"] if isinstance(steps[-1], str) else KIND["array"]
                c.append(z3.Implies(pv.present, z3.And(parent.present, parent.kind == container)))
                if isinstance(steps[-1], int) and steps[-1] < 0:
                    raise Unsupported
            self._abstract(pv, steps)
        return pv

    def _abstract(self, pv: PathVars, steps: tuple[Any, ...]) -> None:
        if self.abstract is None:
            return
        z3 = self.z3
        presence, value = read(self.abstract, steps)
        if presence == "no":
            self.constraints.append(z3.Not(pv.present))
            return
        if presence == "yes":
            self.constraints.append(pv.present)
        if presence == "unknown":
            return
        if len(value.types) < len(TYPES):
            self.constraints.append(z3.Implies(pv.present, z3.Or(*[pv.kind == KIND[t] for t in value.types])))
        if value.options is not None:
            self.constraints.append(z3.Implies(pv.present, z3.Or(*[self.equals(pv, v) for v in value.options])))
        if value.bounds is not None:
            self._bound(pv, value.bounds)
        const = value.const
        if const is NOCONST or len(value.types) != 1:
            return
        if isinstance(const, bool):
            self.constraints.append(z3.Implies(pv.present, pv.flag == const))
        elif isinstance(const, int | float):
            self.constraints.append(z3.Implies(pv.present, pv.num == self.number(const)))
        elif isinstance(const, str):
            self.constraints.append(z3.Implies(pv.present, pv.text == self.string(const)))
            self.link_string(pv, const)

    def _bound(self, pv: PathVars, bounds: Bounds) -> None:
        """A number at ``pv`` lies within the schema's minimum/maximum."""
        z3 = self.z3
        number = z3.And(pv.present, pv.kind == KIND["number"])
        if bounds.low is not None:
            low = self.number(bounds.low)
            self.constraints.append(z3.Implies(number, pv.num > low if bounds.low_open else pv.num >= low))
        if bounds.high is not None:
            high = self.number(bounds.high)
            self.constraints.append(z3.Implies(number, pv.num < high if bounds.high_open else pv.num <= high))

    def equals(self, pv: PathVars, value: Any) -> Any:
        """The value at ``pv`` is the scalar ``value``."""
        z3 = self.z3
        if value is None:
            return pv.kind == KIND["null"]
        if isinstance(value, bool):
            return z3.And(pv.kind == KIND["boolean"], pv.flag == value)
        if isinstance(value, int | float):
            return z3.And(pv.kind == KIND["number"], pv.num == self.number(value))
        if isinstance(value, str):
            self.link_string(pv, value)
            return z3.And(pv.kind == KIND["string"], pv.text == self.string(value))
        return z3.BoolVal(True, self.ctx)

    # --- constants --------------------------------------------------------------------------
    def number(self, value: int | float) -> Any:
        fraction = Fraction(value)
        return self.z3.RealVal(f"{fraction.numerator}/{fraction.denominator}", self.ctx)

    def string(self, value: str) -> Any:
        if any(ord(ch) >= 0xD800 for ch in value):
            raise Unsupported  # z3 orders code points, Java UTF-16 units: they differ up there
        return self.z3.StringVal(value, self.ctx)

    def link_string(self, pv: PathVars, const: str) -> None:
        """When the value is the string ``const``, its timestamp view is known too."""
        from asl_lint.eval.timestamps import parse_timestamp

        z3 = self.z3
        instant = parse_timestamp(const)
        same = z3.And(pv.kind == KIND["string"], pv.text == self.string(const))
        if instant is None:
            self.constraints.append(z3.Implies(same, z3.Not(pv.is_ts)))
        else:
            self.constraints.append(z3.Implies(same, z3.And(pv.is_ts, pv.ts == self.instant(instant))))

    def instant(self, value: Fraction) -> Any:
        return self.z3.RealVal(f"{value.numerator}/{value.denominator}", self.ctx)

    def key_of(self, text: Any) -> Key | None:
        from asl_lint.symbolic.paths import input_steps, other_root

        if not isinstance(text, str):
            return None
        steps = input_steps(text)
        if steps is not None:
            return ("$", steps)
        if other_root(text):
            return (text, ())  # $$ / $var: free, never reported
        return None


# --- JSONPath rules ------------------------------------------------------------------------------
_ORDERING = ("LessThanEquals", "GreaterThanEquals", "LessThan", "GreaterThan", "Equals")


def _op(z3: Any, op: str, a: Any, b: Any) -> Any:
    if op == "Equals":
        return a == b
    if op == "LessThan":
        return a < b
    if op == "GreaterThan":
        return a > b
    if op == "LessThanEquals":
        return a <= b
    return a >= b


def _split(operator: str) -> tuple[str, str]:
    for family in ("String", "Numeric", "Timestamp", "Boolean"):
        if operator.startswith(family):
            rest = operator[len(family):]
            return family, rest
    return "", operator


class JsonPathRules:
    def __init__(self, encoder: Encoder) -> None:
        self.e = encoder
        self.z3 = encoder.z3

    def rule(self, rule: Any, reach: Any, label: str) -> Outcome:
        """``label`` is the pointer of the rule; ``reach`` says when evaluation gets to it."""
        from asl_lint.symbolic.refine import operator_of

        z3 = self.z3
        if not isinstance(rule, dict):
            return Outcome(self.e.fresh(), self.e.fresh())
        for name in ("And", "Or"):
            if name in rule:
                members = rule[name]
                if not isinstance(members, list) or not members:
                    return Outcome(self.e.fresh(), self.e.fresh())
                return self._combine(name, members, reach, f"{label}/{name}")
        if "Not" in rule:
            inner = self.rule(rule["Not"], reach, f"{label}/Not")
            return Outcome(z3.Not(inner.value), inner.error)
        operator = operator_of(rule)
        if operator is None:
            return Outcome(self.e.fresh(), self.e.fresh())
        key = self.e.key_of(rule.get("Variable", "$"))
        if key is None:
            raise Unsupported
        pv = self.e.var(key)
        operand = rule[operator]
        if operator == "IsPresent":
            if not isinstance(operand, bool):
                return Outcome(self.e.fresh(), self.e.fresh())
            return Outcome(pv.present == operand, z3.BoolVal(False, self.e.ctx))
        self.e.reads.append((key, reach, f"{label}/Variable", rule.get("Variable", "$")))
        missing = z3.Not(pv.present)
        if operator.startswith("Is"):
            if not isinstance(operand, bool):
                return Outcome(self.e.fresh(), self.e.fresh())
            test = pv.is_ts if operator == "IsTimestamp" else pv.kind == KIND[
                {"IsNull": "null", "IsNumeric": "number", "IsString": "string", "IsBoolean": "boolean"}[operator]]
            return Outcome(test == operand, missing)
        family = {"String": "string", "Numeric": "number", "Timestamp": "string", "Boolean": "boolean"}.get(
            _split(operator)[0] if operator != "StringMatches" else "String")
        if family:
            self.e.compared_as(pv, family)
        if operator.endswith("Path"):
            other_key = self.e.key_of(operand)
            if other_key is None:
                raise Unsupported
            other = self.e.var(other_key)
            self.e.reads.append((other_key, z3.And(reach, pv.present), f"{label}/{operator}", operand))
            error = z3.Or(missing, z3.Not(other.present))
            return Outcome(self._compare_paths(operator[:-4], pv, other), error)
        return Outcome(self._compare_const(operator, pv, operand), missing)

    def _combine(self, name: str, members: list[Any], reach: Any, label: str) -> Outcome:
        z3 = self.z3
        value = z3.BoolVal(name == "And", self.e.ctx)
        error = z3.BoolVal(False, self.e.ctx)
        going = reach  # evaluation reaches the next member
        carry = z3.BoolVal(True, self.e.ctx)  # no error and not yet decided so far
        for index, member in enumerate(members):
            out = self.rule(member, going, f"{label}/{index}")
            error = z3.Or(error, z3.And(carry, out.error))
            if name == "And":
                value = z3.And(value, out.value)
                carry = z3.And(carry, z3.Not(out.error), out.value)
            else:
                value = z3.Or(value, out.value)
                carry = z3.And(carry, z3.Not(out.error), z3.Not(out.value))
            going = z3.And(reach, carry)
        return Outcome(value, error)

    def _compare_const(self, operator: str, pv: PathVars, operand: Any) -> Any:
        from asl_lint.eval.timestamps import parse_timestamp

        z3 = self.z3
        e = self.e
        if operator == "StringMatches":
            if not isinstance(operand, str):
                return z3.BoolVal(False, self.e.ctx)
            return z3.And(pv.kind == KIND["string"], z3.InRe(pv.text, self._wildcard(operand)))
        family, op = _split(operator)
        if family == "String":
            if not isinstance(operand, str):
                return z3.BoolVal(False, self.e.ctx)
            e.link_string(pv, operand)
            return z3.And(pv.kind == KIND["string"], _op(z3, op, pv.text, e.string(operand)))
        if family == "Numeric":
            if isinstance(operand, bool) or not isinstance(operand, int | float):
                return z3.BoolVal(False, self.e.ctx)
            return z3.And(pv.kind == KIND["number"], _op(z3, op, pv.num, e.number(operand)))
        if family == "Boolean":
            if not isinstance(operand, bool):
                return z3.BoolVal(False, self.e.ctx)
            return z3.And(pv.kind == KIND["boolean"], pv.flag == operand)
        instant = parse_timestamp(operand)
        if instant is None:
            return z3.BoolVal(False, self.e.ctx)
        return z3.And(pv.is_ts, _op(z3, op, pv.ts, e.instant(instant)))

    def _compare_paths(self, operator: str, a: PathVars, b: PathVars) -> Any:
        z3 = self.z3
        family, op = _split(operator)
        if family == "String":
            both = z3.And(a.kind == KIND["string"], b.kind == KIND["string"])
            # z3 orders code points, Java UTF-16 units: only equality is exact between two unknowns.
            return z3.And(both, a.text == b.text if op == "Equals" else self.e.fresh())
        if family == "Numeric":
            return z3.And(a.kind == KIND["number"], b.kind == KIND["number"], _op(z3, op, a.num, b.num))
        if family == "Boolean":
            return z3.And(a.kind == KIND["boolean"], b.kind == KIND["boolean"], a.flag == b.flag)
        return z3.And(a.is_ts, b.is_ts, _op(z3, op, a.ts, b.ts))

    def _wildcard(self, pattern: str) -> Any:
        z3 = self.z3
        parts: list[Any] = []
        literal = ""
        i = 0
        while i < len(pattern):
            ch = pattern[i]
            if ch == "\\" and i + 1 < len(pattern) and pattern[i + 1] in "*\\":
                literal += pattern[i + 1]
                i += 2
                continue
            if ch == "*":
                if literal:
                    parts.append(z3.Re(self.e.string(literal)))
                    literal = ""
                parts.append(z3.Star(z3.AllChar(z3.ReSort(z3.StringSort(self.e.ctx)))))
            else:
                literal += ch
            i += 1
        if literal or not parts:
            parts.append(z3.Re(self.e.string(literal)))
        return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def presence_of(abstract: AVal | None, steps: tuple[Any, ...]) -> Presence:
    return "unknown" if abstract is None else read(abstract, steps)[0]
