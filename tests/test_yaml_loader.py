"""YAML loading: safe, positioned, CloudFormation tags kept, aliases bounded."""

from __future__ import annotations

from asl_lint.source.text import LineIndex
from asl_lint.source.yaml_loader import MAX_ALIAS_EXPANSION, parse_yaml


def test_cloudformation_short_tags_become_long_form() -> None:
    text = "a: !Ref X\nb: !GetAtt Role.Arn\nc: !Sub 'arn:${AWS::Partition}:x'\nd: !Join ['', [a, !Ref B]]\n"
    result = parse_yaml(text)
    assert not result.problems
    assert result.value == {
        "a": {"Ref": "X"},
        "b": {"Fn::GetAtt": ["Role", "Arn"]},
        "c": {"Fn::Sub": "arn:${AWS::Partition}:x"},
        "d": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
    }


def test_python_tags_never_run() -> None:
    text = "a: !!python/object/apply:os.system ['touch /tmp/asl-lint-pwned']\n"
    result = parse_yaml(text)
    assert result.value == {"a": ["touch /tmp/asl-lint-pwned"]}
    [problem] = result.problems
    assert problem.code == "ASL001"
    assert "Unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'" in problem.message


def test_spans_and_duplicate_keys() -> None:
    text = "States:\n  A:\n    Type: Pass\n  A:\n    Type: Succeed\n"
    result = parse_yaml(text)
    index = LineIndex(text)
    type_span = result.spans["/States/A/Type"]
    assert text[type_span.value.start : type_span.value.end] == "Succeed"
    assert index.position(type_span.key.start) == (5, 5)  # type: ignore[union-attr]
    [problem] = result.problems
    assert problem.code == "ASL002"
    assert problem.message == "Duplicate key 'A': already defined on line 2; only the last value would be kept"
    assert index.position(problem.span.start) == (4, 3)


def test_timestamps_stay_strings_and_scalars_resolve() -> None:
    result = parse_yaml("v: 2012-10-17\nn: 3\nf: 1.5\nb: true\nz: null\nq: '5'\n")
    assert result.value == {"v": "2012-10-17", "n": 3, "f": 1.5, "b": True, "z": None, "q": "5"}


def test_alias_bomb_is_bounded() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    result = parse_yaml("\n".join(lines) + "\n")
    assert result.fatal
    assert result.problems[-1].code == "ASL005"
    assert f"more than {MAX_ALIAS_EXPANSION:,} extra nodes" in result.problems[-1].message


def test_syntax_error_position() -> None:
    text = "a: 1\nb: [1, 2\nc: 3\n"
    result = parse_yaml(text)
    assert result.fatal
    [problem] = result.problems
    assert problem.code == "ASL001"
    assert problem.message.startswith("Invalid YAML:")
    assert LineIndex(text).position(problem.span.start)[0] == 3


def test_empty_document() -> None:
    result = parse_yaml("# only a comment\n")
    assert result.fatal
    assert result.problems[0].message == "The file is empty: expected a YAML mapping"


def test_bom_is_allowed_and_offsets_index_the_original_text() -> None:
    text = "\ufeffStartAt: A\n"
    result = parse_yaml(text)
    assert result.value == {"StartAt": "A"}
    span = result.spans["/StartAt"].value
    assert text[span.start : span.end] == "A"


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    result = parse_yaml("[" * 100_000 + "]" * 100_000)
    assert result.fatal
    assert result.problems[0].code == "ASL001"


def test_suppression_comments_are_collected() -> None:
    result = parse_yaml("a: 1  # asl-lint: ignore[ASL101] reason\n# plain\nb: 2\n")
    assert result.comments == [(1, "asl-lint: ignore[ASL101] reason")]


def test_yaml_1_1_boolean_words_stay_strings() -> None:
    # Real definitions name states "Yes" and "No" (Next: Yes); YAML 1.2 tools keep them strings.
    result = parse_yaml("Next: Yes\nOther: off\nFlag: True\n")
    assert result.value == {"Next": "Yes", "Other": "off", "Flag": True}
