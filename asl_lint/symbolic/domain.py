"""The abstract JSON value: possible types, a known constant, known object members and array items.

An object member is *listed* with a presence (``yes`` certainly present, ``maybe`` absent on some
path of the graph, ``no`` certainly absent); an unlisted member of a ``closed`` object is absent
and of an open object *unknown* (the execution input, a Task result): unknown is never reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from math import isqrt
from typing import Any, Literal

from asl_lint.expr.intrinsics import json_type as type_of  # one definition of JSON type names

TYPES = ("null", "boolean", "number", "string", "array", "object")
ALL: frozenset[str] = frozenset(TYPES)
Presence = Literal["yes", "maybe", "no", "unknown"]
MAX_DEPTH = 8  # deeper structure is forgotten (keeps loops and hostile nesting finite)
MAX_OPTIONS = 32  # joins of more scalar constants keep only their types


class _NoConst:
    def __repr__(self) -> str:
        return "NOCONST"


NOCONST: Any = _NoConst()


@dataclass(frozen=True, eq=False)
class Member:
    """A field of an abstract object: whether it is there, and what it holds."""
    presence: Presence  # yes / maybe / no (never unknown: unknown members are not listed)
    value: AVal


class Members(Mapping[str, Member]):
    """An object's members, persistent: a dict that is never changed (shared) and the few members
    changed over it. A new value of the object costs its changes, not its size: a chain of 2,000
    states that each add a field to the data copied the whole member dict at every state
    (quadratic). Iterates like a copy of the dict that was then changed: the shared dict's keys in
    place, new ones after them in the order they came. Build with :func:`changed_members`."""

    __slots__ = ("_base", "_size", "_top")

    def __init__(self, base: Mapping[str, Member], top: dict[str, Member | None], size: int) -> None:
        self._base = base  # a plain dict, never changed
        self._top = top  # key -> member, or None: removed from the base
        self._size = size

    def __getitem__(self, key: str) -> Member:
        top = self._top
        if key in top:
            member = top[key]
            if member is None:
                raise KeyError(key)
            return member
        return self._base[key]

    def get(self, key: str, default: Any = None) -> Any:
        top = self._top
        if key in top:
            member = top[key]
            return default if member is None else member
        return self._base.get(key, default)

    def __contains__(self, key: object) -> bool:
        top = self._top
        if key in top:
            return top[key] is not None
        return key in self._base

    def __iter__(self) -> Iterator[str]:
        top, base = self._top, self._base
        if not top:
            yield from base
            return
        for key in base:
            if top.get(key, _UNCHANGED) is not None:
                yield key
        for key, member in top.items():
            if member is not None and key not in base:
                yield key

    def __len__(self) -> int:
        return self._size


_UNCHANGED: Any = object()
_FLATTEN_AT = 16  # changes kept over a shared dict before a plain one is made (at least)


def changed_members(members: Mapping[str, Member], changes: dict[str, Member | None]) -> Mapping[str, Member]:
    """``members`` with ``changes`` (a member, or None to remove it) made, as ``dict(members)``
    followed by those assignments and deletions would have it, order included."""
    if isinstance(members, Members):
        base, top, size = members._base, dict(members._top), members._size
    else:
        base, top, size = members, {}, len(members)
    for key, member in changes.items():
        before = top[key] if key in top else base.get(key)
        if member is None:
            if before is None:
                continue  # nothing to remove
            if key in base:
                top[key] = None
            else:
                del top[key]  # (a new key: back later, it goes last, as in a dict)
            size -= 1
        elif before is None and key in base:
            # removed, now back: a dict puts it last, where the shared dict cannot: a plain one
            return _plain(Members(base, top, size), changes)
        else:
            top[key] = member
            size += before is None
    if len(top) > max(_FLATTEN_AT, isqrt(len(base))):
        # (the base copied in C; its changes land where iterating the Members puts them)
        return _applied(dict(base), top)
    return Members(base, top, size)


def _plain(members: Mapping[str, Member], changes: dict[str, Member | None]) -> dict[str, Member]:
    return _applied(dict(members.items()), changes)


def _applied(out: dict[str, Member], changes: dict[str, Member | None]) -> dict[str, Member]:
    for key, member in changes.items():
        if member is None:
            out.pop(key, None)
        else:
            out[key] = member
    return out


def _shared_base(a: Mapping[str, Member], b: Mapping[str, Member]) -> frozenset[str] | None:
    """When ``a`` and ``b`` are changes over one shared dict: the keys where they may differ."""
    base_a, top_a = (a._base, a._top) if isinstance(a, Members) else (a, {})
    base_b, top_b = (b._base, b._top) if isinstance(b, Members) else (b, {})
    if base_a is not base_b:
        return None
    return frozenset(top_a.keys() | top_b.keys())


@dataclass(frozen=True)
class Guard:
    """A Choice condition this data is known to satisfy (``held``) or to have failed without an
    error: the downstream Choice analysis conjoins it. Equal guards come from the same rule."""

    rule_id: int  # id() of the rule dict / Condition string in the definition
    held: bool
    rule: Any = field(compare=False)
    jsonata: bool = field(default=False, compare=False)
    paths: tuple[tuple[Any, ...], ...] = field(default=(), compare=False)  # member paths it reads


@dataclass(frozen=True)
class Bounds:
    """Numeric bounds the input schema gives (minimum/maximum, exclusive or not); None: unbounded."""

    low: float | None = None
    low_open: bool = False
    high: float | None = None
    high_open: bool = False


@dataclass(frozen=True, eq=False)
class AVal:
    """An abstract JSON value: what the data reaching a state may be."""
    types: frozenset[str] = ALL
    const: Any = NOCONST  # the exact scalar value when known
    members: Mapping[str, Member] = field(default_factory=dict)  # when the value is an object
    closed: bool = False  # an object with no members besides ``members``
    items: tuple[AVal, ...] | None = None  # an array of known length
    options: tuple[Any, ...] | None = None  # a few scalar values, one of which it is (from joins)
    guards: tuple[Guard, ...] = ()  # Choice conditions known of this very value (see Guard)
    bounds: Bounds | None = None  # when a number: its range (from the input schema; joins drop it)
    # (members M, keys K): ``members`` is M but for the keys in K (this value was made from one
    # with the members M). Two values made from one another differ at most there: join and same()
    # then look at those keys only instead of every member (see ``_differing``).
    origin: tuple[Mapping[str, Member], frozenset[str]] | None = field(default=None, repr=False)

    @property
    def is_top(self) -> bool:
        return self.types == ALL and not self.members and self.items is None

    def only(self, kind: str) -> bool:
        return self.types == frozenset({kind})

    def same(self, other: AVal) -> bool:
        return _same(self, other)


TOP = AVal()


def _same(a: AVal, b: AVal) -> bool:
    if a is b:
        return True
    if a.types != b.types or a.closed != b.closed or not _same_keys(a.members, b.members):
        return False
    if (a.const is NOCONST) != (b.const is NOCONST) or (a.const is not NOCONST and not _eq(a.const, b.const)):
        return False
    # (before the members: cheaper, and a join of two branches differs here)
    if a.guards != b.guards or a.bounds != b.bounds:
        return False
    if (a.options is None) != (b.options is None) or (
            a.options is not None and b.options is not None and len(a.options) != len(b.options)):
        return False
    # Members shared by identity (one value derived from the other) are equal: compare the rest.
    for key in _differing(a, b):
        member, other = a.members[key], b.members[key]
        if member.presence != other.presence or not _same(member.value, other.value):
            return False
    if (a.items is None) != (b.items is None):
        return False
    if a.items is not None and b.items is not None:
        return len(a.items) == len(b.items) and all(_same(x, y) for x, y in zip(a.items, b.items, strict=True))
    return True


_GONE: Any = object()


def _same_keys(am: Mapping[str, Member], bm: Mapping[str, Member]) -> bool:
    if am is bm:
        return True
    if len(am) != len(bm):
        return False
    candidates = _shared_base(am, bm)
    if candidates is not None:
        return all((key in am) == (key in bm) for key in candidates)
    return am.keys() == bm.keys()


def _differing(a: AVal, b: AVal) -> set[str]:
    """Keys whose member is not the very same object on both sides (or is on one side only)."""
    am, bm = a.members, b.members
    if am is bm:
        return set()
    shared = _shared_base(am, bm)
    if shared is not None:  # changes over one dict: only the changed keys can differ
        return {key for key in shared if am.get(key, _GONE) is not bm.get(key, _GONE)}
    oa, ob = a.origin, b.origin
    if oa is not None and ob is not None and oa[0] is ob[0]:
        candidates: frozenset[str] = oa[1] | ob[1]  # both made from the same members
    elif oa is not None and oa[0] is bm:
        candidates = oa[1]  # a made from b
    elif ob is not None and ob[0] is am:
        candidates = ob[1]  # b made from a
    else:
        return {key for key, _ in am.items() ^ bm.items()}  # (no Python loop over shared members)
    return {key for key in candidates if am.get(key, _GONE) is not bm.get(key, _GONE)}


def _origin(base: AVal, changed: set[str] | frozenset[str]) -> tuple[Mapping[str, Member], frozenset[str]]:
    """The origin of a copy of ``base.members`` changed at ``changed``: traced back to base's own
    origin while the set of changed keys stays small (else a long chain of states would make it
    as large as the members)."""
    if base.origin is not None and len(base.origin[1]) + len(changed) <= 8:
        return base.origin[0], base.origin[1] | frozenset(changed)
    return base.members, frozenset(changed)


def _eq(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)


def of_value(value: Any, depth: int = 0) -> AVal:
    """The exact abstraction of a concrete JSON value; a ``${...}`` placeholder is unknown."""
    from asl_lint.sources.base import is_unknown

    if is_unknown(value):
        return TOP
    kind = type_of(value)
    if depth > MAX_DEPTH:
        return AVal(frozenset({kind}))
    if kind == "object":
        known = {k: v for k, v in value.items() if not is_unknown(k)}
        return AVal(frozenset({kind}), members={k: Member("yes", of_value(v, depth + 1)) for k, v in known.items()},
                    closed=len(known) == len(value))
    if kind == "array":
        return AVal(frozenset({kind}), items=tuple(of_value(v, depth + 1) for v in value))
    return AVal(frozenset({kind}), const=value)


def typed(*kinds: str) -> AVal:
    return AVal(frozenset(kinds))


def concrete(value: AVal) -> Any:
    """The one concrete value ``value`` stands for, or NOCONST."""
    if len(value.types) != 1:
        return NOCONST
    if value.const is not NOCONST:
        return value.const
    if value.only("object") and value.closed:
        out: dict[str, Any] = {}
        for key, member in value.members.items():
            if member.presence == "maybe":
                return NOCONST
            if member.presence == "yes":
                inner = concrete(member.value)
                if inner is NOCONST:
                    return NOCONST
                out[key] = inner
        return out
    if value.only("array") and value.items is not None:
        items = [concrete(item) for item in value.items]
        return NOCONST if any(item is NOCONST for item in items) else items
    return NOCONST


# --- join ----------------------------------------------------------------------------------------
def join(a: AVal | None, b: AVal | None, depth: int = 0) -> AVal | None:
    """Least upper bound; None is "unreachable"."""
    if a is None:
        return b
    if b is None:
        return a
    if a is b:
        return a
    types = a.types | b.types
    if depth > MAX_DEPTH:
        return AVal(types)
    const = a.const if a.const is not NOCONST and b.const is not NOCONST and _eq(a.const, b.const) else NOCONST
    options = None
    left, right = _options(a), _options(b)
    if const is NOCONST and left is not None and right is not None:
        values = list(left) + [v for v in right if not any(_eq(v, w) for w in left)]
        options = tuple(values) if len(values) <= MAX_OPTIONS else None
    members: Mapping[str, Member] = {}
    closed = False
    origin: tuple[Mapping[str, Member], frozenset[str]] | None = None
    a_obj, b_obj = "object" in a.types, "object" in b.types
    if a_obj and b_obj:
        closed = a.closed and b.closed
        # Every key of either side (what _member(a, key) / _member(b, key) give); a member both
        # sides share (one value derived from the other) is kept as it is, without a walk: the
        # copy keeps a's order, and only the members that differ are joined in place.
        a_members, b_members = a.members, b.members
        changes: dict[str, Member | None] = {}
        differing = _differing(a, b)
        for key in differing:
            if key not in a_members:
                continue  # b's own: below
            right_member = b_members.get(key)
            if right_member is None and key not in b_members:
                right_member = _member(b, key)
            changes[key] = _join_member(a_members[key], right_member, depth)
        # (b's own keys are among the differing ones: the set below is built only if there are any)
        b_own = any(key not in a_members for key in differing)  # (issubset would copy a's keys)
        for key in b_members.keys() - a.members.keys() if b_own else ():
            merged = _join_member(_member(a, key), b_members[key], depth)
            if merged is not None:
                changes[key] = merged
        members = changed_members(a_members, changes) if changes else a_members
        origin = _origin(a, set(changes))
    elif a_obj or b_obj:
        # The other side is no object at all: keep this side's members (reads only trust
        # members when the value is certainly an object).
        side = a if a_obj else b
        members, closed = side.members, side.closed
        origin = _origin(side, frozenset())
    items = None
    if a.items is not None and b.items is not None and len(a.items) == len(b.items):
        items = tuple(join(x, y, depth + 1) or TOP for x, y in zip(a.items, b.items, strict=True))
    elif "array" not in a.types or "array" not in b.types:
        items = a.items if "array" in a.types else b.items
    guards = tuple(g for g in a.guards if g in b.guards)
    return AVal(types, const, members, closed, items, options, guards, origin=origin)


def _options(value: AVal) -> tuple[Any, ...] | None:
    if value.const is not NOCONST:
        return (value.const,)
    return value.options


def _member(value: AVal, key: str) -> Member | None:
    """The member as listed, absent (closed object) or None (unknown)."""
    if key in value.members:
        return value.members[key]
    return Member("no", TOP) if value.closed else None


def _join_member(a: Member | None, b: Member | None, depth: int) -> Member | None:
    if a is b:
        return a  # shared by both sides (values derived from one another): nothing to join
    if a is None or b is None:
        known = a or b
        # Absent on a path of the graph stays reportable; present-or-unknown is just unknown.
        if known is not None and known.presence in ("no", "maybe"):
            return Member("maybe", known.value)
        return None
    if a.presence == b.presence == "no":
        return a
    if a.presence == "no":
        return Member("maybe", b.value)
    if b.presence == "no":
        return Member("maybe", a.value)
    presence: Presence = "yes" if a.presence == b.presence == "yes" else "maybe"
    return Member(presence, join(a.value, b.value, depth + 1) or TOP)


# --- reading and writing definite paths ----------------------------------------------------------
Step = str | int  # object member name or array index


def read(value: AVal, steps: tuple[Step, ...]) -> tuple[Presence, AVal]:
    """What reading ``steps`` from ``value`` finds (Jayway: a step into a non-object finds nothing)."""
    presence: Presence = "yes"
    current = value
    for step in steps:
        if isinstance(step, str):
            if current.types and "object" not in current.types:
                return "no", TOP
            if not current.only("object"):
                return "unknown", TOP
            member = _member(current, step)
            if member is None:
                return "unknown", TOP
            if member.presence == "no":
                return ("no" if presence == "yes" else "maybe"), TOP
            if member.presence == "maybe":
                presence = "maybe"
            current = member.value
        else:
            if current.types and "array" not in current.types:
                return "no", TOP
            if not current.only("array") or current.items is None:
                return "unknown", TOP
            index = step + len(current.items) if step < 0 else step
            if not 0 <= index < len(current.items):
                return ("no" if presence == "yes" else "maybe"), TOP
            current = current.items[index]
    return presence, current


def write(target: AVal, steps: tuple[Step, ...], value: AVal, depth: int = 0) -> AVal | None:
    """ResultPath: ``value`` written into ``target``; None when the write fails on every input."""
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if isinstance(step, str):
        if "object" not in target.types and "null" not in target.types and target.types:
            return None
        base = target if target.only("object") else (AVal(frozenset({"object"}), closed=True)
                                                     if target.only("null") else AVal(frozenset({"object"})))
        inner_target = TOP
        old = _member(base, step)
        if old is not None and old.presence == "yes":
            inner_target = old.value
        elif old is not None and old.presence == "no" and base.closed:
            inner_target = of_value(None)  # a missing member is written like a null one
        inner = write(inner_target, rest, value, depth + 1) if rest else value
        if inner is None:
            return None
        members = changed_members(base.members, {step: Member("yes", inner)})
        return AVal(frozenset({"object"}), members=members, closed=base.closed, guards=untouched(base.guards, steps),
                    origin=_origin(base, {step}))
    if "array" not in target.types:
        return None
    if target.only("array") and target.items is not None:
        index = step + len(target.items) if step < 0 else step
        if not 0 <= index < len(target.items):
            return None
        inner = write(target.items[index], rest, value, depth + 1) if rest else value
        if inner is None:
            return None
        items = list(target.items)
        items[index] = inner
        return AVal(frozenset({"array"}), items=tuple(items), guards=untouched(target.guards, (index, *rest)))
    return typed("array")


def untouched(guards: tuple[Guard, ...], steps: tuple[Step, ...]) -> tuple[Guard, ...]:
    """The guards that read nothing at, above or below ``steps`` (a write there keeps them true)."""
    def overlaps(path: tuple[Any, ...]) -> bool:
        n = min(len(path), len(steps))
        return tuple(path[:n]) == tuple(steps[:n])

    return tuple(g for g in guards if not any(overlaps(p) for p in g.paths))


def with_guards(value: AVal, extra: tuple[Guard, ...]) -> AVal:
    from dataclasses import replace

    added = tuple(g for g in extra if g not in value.guards)
    return replace(value, guards=value.guards + added) if added else value


def refine(value: AVal, steps: tuple[Step, ...], presence: Presence, types: frozenset[str] | None = None,
           options: tuple[Any, ...] | None = None) -> AVal:
    """``value`` knowing that the member at ``steps`` (object members only) is present/absent,
    of one of ``types``, and (``options``) one of a few scalar values."""
    if not steps or not all(isinstance(s, str) for s in steps):
        return value
    if presence == "yes" and not (value.only("object") or value.is_top):
        return value
    if presence == "no" and not value.only("object"):
        return value
    step = str(steps[0])
    base = value if value.only("object") else AVal(frozenset({"object"}))
    old = _member(base, step)
    if len(steps) == 1:
        if presence == "no":
            member = Member("no", TOP)
        else:
            inner = old.value if old is not None and old.presence != "no" else TOP
            if types is not None:
                inner = narrow(inner, types)
            if options:
                inner = of_value(options[0]) if len(options) == 1 else AVal(
                    frozenset(type_of(o) for o in options), options=options)
            member = Member("yes", inner)
    else:
        if old is None or old.presence == "no":
            if presence == "no":
                return base
            old = Member("yes", TOP)
        if presence == "yes" or old.presence == "yes":
            member = Member("yes", refine(old.value, steps[1:], presence, types, options))
        else:
            return base
    return AVal(frozenset({"object"}), members=changed_members(base.members, {step: member}), closed=base.closed,
                guards=value.guards, origin=_origin(base, {step}))


def narrow(value: AVal, types: frozenset[str]) -> AVal:
    kept = value.types & types
    if not kept or kept == value.types:
        return value
    return AVal(kept, value.const, value.members if "object" in kept else {}, value.closed,
                value.items if "array" in kept else None, value.options, value.guards)
