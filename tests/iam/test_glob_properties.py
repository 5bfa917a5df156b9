"""Properties of the three-valued matcher: it agrees with a regex on concrete strings, and its YES /
NO answers hold for every concrete value the placeholders could take."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from asl_lint.iam.glob import Tri, match

PATTERN = st.text(alphabet="ab:*?", max_size=8)
VALUE = st.text(alphabet="ab:", max_size=8)


def regex_like(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)


@settings(max_examples=300, deadline=None)
@given(PATTERN, VALUE)
def test_like_agrees_with_regex(pattern: str, value: str) -> None:
    expected = Tri.YES if regex_like(pattern).fullmatch(value) else Tri.NO
    assert match(pattern, value, "like") is expected


MODES = st.sampled_from(["like", "resource", "arn"])


def check_sound(pattern: str, symbolic: str, concrete: str, mode: str) -> None:
    answer = match(pattern, symbolic, mode)  # type: ignore[arg-type]
    actual = match(pattern, concrete, mode)  # type: ignore[arg-type]
    assert actual is not Tri.UNKNOWN
    if answer is not Tri.UNKNOWN:
        assert answer is actual, (pattern, symbolic, concrete)


@settings(max_examples=500, deadline=None)
@given(
    PATTERN,
    st.lists(st.sampled_from(["a", "b", ":", "${X}", "${AWS::Region}"]), min_size=2, max_size=6),
    st.text(alphabet="ab", max_size=3),
    st.text(alphabet="ab", min_size=1, max_size=3),
    MODES,
)
def test_embedded_placeholders_are_sound(pattern: str, parts: list[str], x: str, region: str, mode: str) -> None:
    # A placeholder inside a larger value stands for colon-free text; one name, one value.
    symbolic = "".join(parts)
    check_sound(pattern, symbolic, symbolic.replace("${X}", x).replace("${AWS::Region}", region), mode)


@settings(max_examples=300, deadline=None)
@given(PATTERN, st.text(alphabet="ab:", max_size=5), MODES)
def test_whole_value_placeholder_is_sound(pattern: str, x: str, mode: str) -> None:
    check_sound(pattern, "${X}", x, mode)


def test_whole_value_placeholder_may_hold_colons() -> None:
    assert match("*:a", "${X}:a", "resource") is Tri.YES  # embedded: colon-free
    assert match("*", "${Arn}", "resource") is Tri.YES
    assert match("arn:*:a", "${Arn}", "resource") is Tri.UNKNOWN
