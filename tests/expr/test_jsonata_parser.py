"""Our JSONata parser gives jsonata-python's tree, node for node, or hands the expression over.

The contract (``asl_lint.expr.jsonata_parser``): whatever it accepts, jsonata-python accepts too,
with an identical post-processed tree (every attribute, positions included); everything else
raises ``Unsupported``. Checked on hand-picked forms, on every ``{% %}`` expression of the
repository's tests and examples and of the shared corpus, and on generated expressions, valid
and not.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from asl_lint.expr.errors import ExprSyntaxError
from asl_lint.expr.jsonata import _compiled, _walk, parse_jsonata
from asl_lint.expr.jsonata_ast import JNode, dump, from_library
from asl_lint.expr.jsonata_parser import Unsupported, parse
from tests.conftest import PROJECT_ROOT, SHARED


def library_tree(text: str) -> Any:
    """jsonata-python's tree of ``text`` as JNodes, or None when it rejects the text."""
    from jsonata import parser

    try:
        return from_library(parser.Parser().parse(text))
    except Exception:
        return None


def assert_same_or_unsupported(text: str) -> bool:
    """True when our parser accepted ``text`` (and then gave exactly the library's tree)."""
    try:
        ours = parse(text)
    except Unsupported:
        return False
    theirs = library_tree(text)
    assert theirs is not None, f"we accept {text!r}, which jsonata-python rejects"
    assert dump(ours) == dump(theirs), text
    return True


ACCEPTED = [
    "$states.input.a.b",
    "$states.input.order.items[0].price * 2",
    "$states.input.x = 'a' and $states.input.y != 3 or $states.input.z in [1, 2]",
    "$count($states.input.items) > 0 ? 'some' : 'none'",
    "$a ? $b",
    '{"id": $states.input.id, "total": $sum($states.input.lines.amount), "tags": []}',
    "($x := 1; $y := $x + 1; $y & 'z')",
    "$states.input.list[price > 10][0].name",
    "$x[1][2]",
    "$f()[0]",
    '"quoted".name',
    "`with space`.b",
    "[1, 2].x",
    "a.[b, c]",
    "-5",
    "-$x",
    "--1",
    "-(1 + 2)",
    "1e3 + 2.5 - 0.5 / 4 % 3",
    'true and false or null = null',
    '"esc\\"aped \\n \\u00e9"',
    "$",
    "$$",
    "$states.input.*",
    "$states.input.**.name = 'x'",
    "a.and.or.in",
    "$map($states.input, function($v, $i) { $i > 0 ? $f($v) : ($g($v); $h($v)) })",
    "$filter($states.result, function($v) { $v != {} })",
    "()",
    "(1; 2;)",
    "{}",
]

UNSUPPORTED = [
    "$states.input ~> $string()",  # function application
    "$states.input.a[]",  # keep the singleton array
    "$states.input^(>price)",  # order-by
    "$states.input@$x",  # focus binding
    "$states.input#$i",  # index binding
    "$states.input.%.a",  # parent
    "$states.input{$.k: $.v}",  # group-by
    "$ ~> |a|{'b': 1}|",  # transform
    "[1..3]",  # range
    "$match($x, /ab+/i)",  # regex
    "/* comment */ 1",  # comment
    "$f(?, 1)",  # partial application
    "function($v)<n:n>{ $v }",  # signature
    "$a ?: $b",  # elvis
    "$a ?? $b",  # coalescing
    "1.a",  # a number as a step (S0213)
    "(",  # syntax errors: jsonata-python says which
    "$x :=",
    "'unterminated",
    "'bad \\q escape'",
    "a b",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepts_the_forms_users_write_with_the_librarys_tree(text: str) -> None:
    assert assert_same_or_unsupported(text), f"{text!r} should be parsed here, not handed over"


@pytest.mark.parametrize("text", UNSUPPORTED)
def test_hands_rarer_forms_and_errors_to_the_library(text: str) -> None:
    with pytest.raises(Unsupported):
        parse(text)


def test_a_handed_over_expression_gets_the_librarys_tree() -> None:
    tree = parse_jsonata("$states.input ~> $string()")
    assert isinstance(tree, JNode)
    assert tree.type == "apply" and tree.lhs.type == "path" and tree.rhs.type == "function"
    assert dump(tree) == dump(library_tree("$states.input ~> $string()"))


def test_syntax_errors_keep_the_librarys_code_and_position() -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        parse_jsonata("$states.input.a = ")
    expected = None
    try:
        _compiled("$states.input.a = ")
    except ExprSyntaxError as exc:
        expected = exc
    assert expected is not None
    assert (caught.value.message, caught.value.offset, caught.value.end) == \
        (expected.message, expected.offset, expected.end)
    assert caught.value.message.startswith("S0207")


def test_shared_nodes_stay_shared_when_converted() -> None:
    tree = parse_jsonata("$a ?: $b")  # jsonata-python's elvis: the condition is the 'then' node
    assert tree.type == "condition" and tree.condition is tree.then
    assert len({id(node) for node in _walk(tree, JNode)}) == len(list(_walk(tree, JNode)))


def test_deep_library_trees_convert_without_recursion() -> None:
    """jsonata-python raises the recursion limit to 10,000 and parses thousands of nested
    parentheses; the conversion must not need the stack for them (it used to crash the checks)."""
    import sys

    from jsonata import parser

    text = "(" * 3000 + "$x" + ")" * 3000
    library = parser.Parser().parse(text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        tree = from_library(library)
    finally:
        sys.setrecursionlimit(limit)
    depth = 0
    while tree.type == "block":
        tree = tree.expressions[0]
        depth += 1
    assert (depth, tree.type, tree.value) == (3000, "variable", "x")


def test_positions_are_the_end_of_each_token() -> None:
    tree = parse("$states.input.ab = 'x'")
    head, member, name = tree.lhs.steps
    assert (head.value, head.position) == ("states", 7)
    assert (member.value, member.position) == ("input", 13)
    assert (name.value, name.position) == ("ab", 16)
    assert (tree.value, tree.position, tree.rhs.position) == ("=", 18, 22)


def _expressions_in(value: Any, found: set[str]) -> None:
    if isinstance(value, str):
        if len(value) >= 4 and value.startswith("{%") and value.endswith("%}"):
            found.add(value[2:-2])
    elif isinstance(value, dict):
        for key, item in value.items():
            _expressions_in(key, found)
            _expressions_in(item, found)
    elif isinstance(value, list):
        for item in value:
            _expressions_in(item, found)


def _collect(root: Path) -> set[str]:
    import yaml

    found: set[str] = set()
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".json", ".yaml", ".yml", ".py") or ".venv" in path.parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "{%" not in text:
            continue
        try:
            if path.suffix == ".json":
                _expressions_in(json.loads(text), found)
            elif path.suffix == ".py":
                found.update(m.group(1) for m in re.finditer(r"\{%(.*?)%\}", text, re.S))
            else:
                for document in yaml.load_all(text, Loader=yaml.BaseLoader):
                    _expressions_in(document, found)
        except (ValueError, yaml.YAMLError):
            continue
    return found


def test_every_expression_of_the_repository() -> None:
    texts = _collect(PROJECT_ROOT / "tests") | _collect(PROJECT_ROOT / "examples")
    accepted = sum(assert_same_or_unsupported(text) for text in sorted(texts))
    # (the tests hold deliberate syntax errors, lambdas with signatures, regexes...)
    assert len(texts) > 100 and accepted >= 0.8 * len(texts), (accepted, len(texts))


def test_every_expression_of_the_shared_corpus() -> None:
    if not SHARED.exists():
        pytest.skip("shared material not available")
    texts = _collect(SHARED / "corpus") | _collect(SHARED / "conformance")
    accepted = sum(assert_same_or_unsupported(text) for text in sorted(texts))
    # Every expression of the corpus's definitions is in the supported grammar.
    assert len(texts) > 300 and accepted >= 0.95 * len(texts), (accepted, len(texts))


_TOKENS = ["$states", ".", "input", "a", "`x y`", "$x", "$", "$$", '"s"', "'t'", '"a\\"b"', '"\\u0041"', "1",
           "0", "2.5", "1e3", "-", "+", "*", "**", "/", "%", "=", "!=", "<", "<=", ">", ">=", "&", "and", "or",
           "in", "(", ")", "[", "]", "{", "}", ",", ";", ":", "?", ":=", "true", "false", "null", "$f",
           "function", "|", "@", "#", "^", "~>", "..", "?:", "??", "/*c*/", "/re/", "!", "~", " ", "\n"]
_PARTS = ["$states.input.a", "$x", '"s"', "1", "-2", "true", "null", "$count($states.input.a)", "[1, 2]",
          '{"k": $x}', "($x := 1; $x + 1)", "$states.input.a[0]", "$x[1][2]", "a.b.c", "$f()",
          "function($v){$v + 1}", "function($v){$f($v)}", "$states.input.*", "$states.input.**.n", "a.in",
          '"a".b', "[1].a", "a.[1]", "$a ? 1 : 2", "$a ? $b", "- $x", "-(1)", "$x.$y", "a[b=1].c[0]", "{}", "[]",
          "()", "(1;2;)"]
_JOINS = [" = ", " and ", " or ", " + ", ".", " & ", " in ", " < ", " * ", " - "]


def _token_soup(rng: random.Random) -> str:
    return "".join(rng.choice(_TOKENS) + rng.choice(["", " "]) for _ in range(rng.randint(1, 12)))


def _composed(rng: random.Random) -> str:
    text = rng.choice(_PARTS)
    for _ in range(rng.randint(0, 3)):
        other, join = rng.choice(_PARTS), rng.choice(_JOINS)
        text = rng.choice([text + join + other, f"({text}){join}{other}", other + join + text,
                           f"$f({text}, {other})", f"[{text}]", f'{{"k": {text}}}', f"{text}[{other}]",
                           f"{text} ? {other} : {text}", f"function($v){{ {text} }}"])
    return text


@pytest.mark.parametrize("seed", range(4))
def test_generated_expressions(seed: int) -> None:
    rng = random.Random(seed)
    accepted = 0
    for index in range(1500):
        text = _token_soup(rng) if index % 2 else _composed(rng)
        accepted += assert_same_or_unsupported(text)
    assert accepted > 500  # the composed half is mostly valid
