"""Property tests: random valid paths and intrinsic calls parse, and printing the AST parses back equal."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from asl_lint.expr.intrinsics import FUNCTIONS, Literal, PathArg, parse_intrinsic
from asl_lint.expr.jsonpath import Child, Descendant, Function, Index, Slice, Union, Wildcard, parse_path

# --- JSONPath text generators (varied spelling: dot/bracket, both quote styles, spaces) -----------

_DOT_NAME = st.text(
    alphabet=st.characters(blacklist_characters=".[]()'\", \t\r\n*<>=~!", blacklist_categories=("Cs", "Cc", "Zs")),
    min_size=1,
    max_size=8,
)
_ANY_NAME = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=8)
_INT = st.integers(min_value=-20, max_value=20)


def _quoted(name: str, quote: str) -> str:
    return quote + name + quote


def _quotable(name: str, quote: str) -> bool:
    # Jayway keeps bracket names verbatim: a name cannot contain its quote or end in a backslash.
    return quote not in name and not name.endswith("\\")


@st.composite
def _child(draw: st.DrawFn) -> tuple[str, Any]:
    if draw(st.booleans()):
        name = draw(_DOT_NAME)
        return "." + name, Child(name)
    quote = draw(st.sampled_from(["'", '"']))
    name = draw(_ANY_NAME.filter(lambda n: _quotable(n, quote)))
    return f"[{_quoted(name, quote)}]", Child(name)


@st.composite
def _segment(draw: st.DrawFn) -> tuple[str, Any]:
    kind = draw(st.sampled_from(["child", "child", "index", "wild", "slice", "union", "desc", "filter"]))
    if kind == "child":
        return draw(_child())
    if kind == "index":
        i = draw(_INT)
        return f"[{i}]", Index(i)
    if kind == "wild":
        return draw(st.sampled_from([".*", "[*]", "[ * ]"])), Wildcard()
    if kind == "slice":
        a, b = draw(st.none() | _INT), draw(st.none() | _INT)
        if a is None and b is None:  # Jayway rejects [:]
            a = 0
        step = draw(st.none() | st.integers(1, 5) | st.integers(-5, -1))
        text = f"[{'' if a is None else a}:{'' if b is None else b}" + ("" if step is None else f":{step}") + "]"
        return text, Slice(a, b, step)
    if kind == "union":
        if draw(st.booleans()):
            items: list[Any] = draw(st.lists(_INT, min_size=2, max_size=4))
            return "[" + ", ".join(map(str, items)) + "]", Union(tuple(items))
        names = draw(st.lists(_ANY_NAME.filter(lambda n: _quotable(n, "'")), min_size=2, max_size=3))
        return "[" + ",".join(_quoted(n, "'") for n in names) + "]", Union(tuple(names))
    if kind == "desc":
        name = draw(_DOT_NAME)
        return ".." + name, Descendant(Child(name))
    op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
    value = draw(st.integers(-5, 5) | st.sampled_from(["'a'", "'b c'", "true", "null", "1.5"]))
    # inside filters a dot name ends at operator characters, so use identifier-like names there
    field = "." + draw(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,5}", fullmatch=True))
    if draw(st.booleans()):
        field = f"[{_quoted(draw(_ANY_NAME.filter(lambda n: _quotable(n, chr(39)))), chr(39))}]"
    return f"[?(@{field} {op} {value})]", None  # filters are compared through the round trip only


@st.composite
def path_texts(draw: st.DrawFn) -> str:
    root = draw(st.sampled_from(["$", "$$", "$var", "$ünï_1"]))
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        parts.append(draw(_segment())[0])
    if draw(st.integers(0, 6)) == 0:
        parts.append(".length()")
    return root + "".join(parts)


@settings(max_examples=300, deadline=None)
@given(path_texts())
def test_paths_parse_and_round_trip(text: str) -> None:
    path = parse_path(text)
    again = parse_path(path.to_text())
    assert again == path
    assert again.to_text() == path.to_text()


@settings(max_examples=200, deadline=None)
@given(st.lists(_child(), min_size=0, max_size=6))
def test_member_chain_paths(parts: list[tuple[str, Any]]) -> None:
    path = parse_path("$" + "".join(t for t, _ in parts))
    assert path.segments == tuple(ast for _, ast in parts)
    assert path.is_reference
    assert path.member_names() == tuple(ast.name for _, ast in parts)


def test_function_segment_round_trip() -> None:
    path = parse_path("$.a.length()")
    assert path.segments[-1] == Function("length") and parse_path(path.to_text()) == path


# --- intrinsic calls -----------------------------------------------------------------------------

_STRING = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10)
_NUMBER = st.integers(-(10**12), 10**12) | st.floats(allow_nan=False, allow_infinity=False, width=64)


def _escape(value: str) -> str:
    out = []
    for ch in value:
        out.append("\\" + ch if ch in "'{}\\" else ch)
    return "'" + "".join(out) + "'"


@st.composite
def _argument(draw: st.DrawFn, depth: int) -> tuple[str, Any]:
    kind = draw(st.sampled_from(["string", "number", "const", "path"] + (["call"] if depth < 4 else [])))
    if kind == "string":
        value = draw(_STRING)
        return _escape(value), value
    if kind == "number":
        value = draw(_NUMBER)
        return repr(value), value
    if kind == "const":
        text = draw(st.sampled_from(["true", "false", "null"]))
        return text, {"true": True, "false": False, "null": None}[text]
    if kind == "path":
        text = draw(path_texts())
        return text, parse_path(text)
    return draw(_call(depth + 1))


@st.composite
def _call(draw: st.DrawFn, depth: int = 0) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(FUNCTIONS)))
    args = draw(st.lists(_argument(depth), max_size=4))
    sep = draw(st.sampled_from([",", ", ", " , "]))
    return f"{name}(" + sep.join(t for t, _ in args) + ")", (name, [v for _, v in args])


def _matches(arg: Any, expected: Any) -> bool:
    if isinstance(arg, Literal):
        return type(arg.value) is type(expected) and (arg.value == expected or arg.value != arg.value)
    if isinstance(arg, PathArg):
        return arg.path == expected
    name, args = expected
    return arg.name == name and len(arg.args) == len(args) and all(map(_matches, arg.args, args))


@settings(max_examples=300, deadline=None)
@given(_call())
def test_intrinsics_parse_and_round_trip(generated: tuple[str, Any]) -> None:
    text, expected = generated
    call = parse_intrinsic(text)
    assert _matches(call, expected)
    again = parse_intrinsic(call.to_text())
    assert again == call


# --- evaluation property: a generated member chain reads exactly the value that was put there ------

_LEAF = st.none() | st.booleans() | st.integers() | st.text(max_size=5)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=6) | st.integers(0, 3), max_size=5), _LEAF)
def test_member_chain_reads_and_writes(chain: list[str | int], leaf: Any) -> None:
    from asl_lint.expr.jsonpath import get_value, set_value

    document: Any = leaf
    for step in reversed(chain):  # build the document around the chain
        document = [None] * step + [document] if isinstance(step, int) else {step: document}
    parts = [f"[{s}]" if isinstance(s, int) else f"['{s}']" for s in chain]
    text = "$" + "".join(p for p in parts)
    if any("'" in s or s.endswith("\\") for s in chain if isinstance(s, str)):
        return  # not expressible as a single-quoted bracket name
    path = parse_path(text)
    assert get_value(path, document) == leaf
    if chain and isinstance(chain[0], str) and all(isinstance(s, str) for s in chain):
        assert get_value(path, set_value(path, {}, "new")) == "new"
