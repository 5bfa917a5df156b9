"""The persistent member maps of abstract objects behave exactly like copying the dict and then
changing it: same members, same order, however the changes pile up (and flatten)."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from asl_lint.symbolic.domain import TOP, AVal, Member, _same_keys, changed_members, join, refine, write

KEYS = st.sampled_from([f"k{i}" for i in range(40)])
# A change: a key and a member, or None to remove the key.
CHANGE = st.tuples(KEYS, st.one_of(st.none(), st.just("yes"), st.just("maybe")))


def _member(presence: str | None) -> Member | None:
    return None if presence is None else Member(presence, TOP)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.lists(KEYS, unique=True, max_size=30), st.lists(st.lists(CHANGE, max_size=6), max_size=40))
def test_changes_pile_up_as_dict_copies_would(start: list[str], rounds: list[list[tuple[str, str | None]]]) -> None:
    expected: dict[str, Member] = {key: Member("yes", TOP) for key in start}
    members: Mapping[str, Member] = dict(expected)
    versions = [(members, list(expected.items()))]
    for changes in rounds:
        made = {key: _member(presence) for key, presence in changes}
        expected = dict(expected)
        for key, member in made.items():
            if member is None:
                expected.pop(key, None)
            else:
                expected[key] = member
        members = changed_members(members, made)
        versions.append((members, list(expected.items())))
        assert list(members.items()) == list(expected.items())
        assert len(members) == len(expected)
        for key in ("k0", "k1", "k39", "absent"):
            assert (key in members) == (key in expected)
            assert members.get(key) is expected.get(key)
    # every earlier version is untouched by the later ones
    assert all(list(version.items()) == items for version, items in versions)


def test_a_long_chain_of_writes_keeps_the_order_and_flattens() -> None:
    value = AVal(frozenset({"object"}), members={}, closed=True)
    for i in range(300):
        value = write(value, (f"f{i}",), TOP)  # type: ignore[assignment]
    assert list(value.members) == [f"f{i}" for i in range(300)]
    refined = refine(value, ("f7",), "no")
    assert list(refined.members) == [f"f{i}" for i in range(300)] and refined.members["f7"].presence == "no"
    assert list(value.members) == [f"f{i}" for i in range(300)]  # (the value refined is unchanged)
    assert value.members["f7"].presence == "yes"


def test_joins_of_values_over_one_shared_dict() -> None:
    base = AVal(frozenset({"object"}), members={f"f{i}": Member("yes", TOP) for i in range(100)}, closed=True)
    left = write(base, ("new",), TOP)
    right = refine(base, ("f3",), "no")
    assert left is not None
    joined = join(left, right)
    assert joined is not None
    assert list(joined.members)[:100] == [f"f{i}" for i in range(100)] and list(joined.members)[100:] == ["new"]
    assert joined.members["new"].presence == "maybe" and joined.members["f3"].presence == "maybe"
    assert _same_keys(left.members, joined.members) and not _same_keys(base.members, joined.members)
