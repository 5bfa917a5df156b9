"""Hostile input: every file gets a clear finding with its position, the other files of the run
are still linted, and the work stays bounded (counted, not timed: speed is measured by
``benchmarks/``; the hang guards below only stop a run that would otherwise never end)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl_lint.config import Config
from asl_lint.engine.runner import MAX_FILE_BYTES, lint_paths, lint_text
from tests.helpers import hang_guard, python_calls

GOOD = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}'


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "StartAt: A\n" + "\n".join(lines) + "\n"


HOSTILE: dict[str, tuple[bytes, str, str]] = {
    # name: (content, expected code, expected message fragment)
    "truncated.asl.json": (b'{"StartAt": "A", "States": {"A": {"Type": "Pa', "ASL001", "Unterminated string"),
    "empty.asl.json": (b"", "ASL001", "The file is empty"),
    "empty.asl.yaml": (b"\n\n", "ASL001", "The file is empty"),
    "bad-utf8.asl.json": (b'{"StartAt": "\xff"}', "ASL001", "not valid UTF-8"),
    "bom.asl.json": (b"\xef\xbb\xbf" + GOOD.encode(), "ASL001", "byte order mark"),
    "deep.asl.json": (b"[" * 100_000 + b"]" * 100_000, "ASL001", "Nesting deeper than"),
    "deep.asl.yaml": (b"[" * 100_000 + b"]" * 100_000, "ASL001", "Invalid YAML"),
    "bomb.asl.yaml": (_bomb().encode(), "ASL005", "aliases expand"),
    "python-tag.asl.yaml": (b"StartAt: !!python/object/apply:os.system ['echo pwned']\nStates: {}\n", "ASL001",
                            "Unsupported YAML tag"),
    "dupes.asl.json": (b'{"StartAt": "A", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', "ASL002",
                       "Duplicate key 'StartAt'"),
    "nan.asl.json": (b'{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": NaN, "End": true}}}', "ASL001",
                     "NaN is not valid JSON"),
    "infinity.asl.json": (b'{"StartAt": "A", "TimeoutSeconds": Infinity}', "ASL001", "Infinity is not valid JSON"),
    "binary.asl.json": (bytes(range(256)) * 4, "ASL001", ""),
}


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    for name, (content, _, _) in HOSTILE.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "good.asl.json").write_text(GOOD)
    return tmp_path


def test_every_hostile_file_gets_a_positioned_finding_and_the_good_one_is_still_linted(hostile_dir: Path) -> None:
    # The bomb is refused before it expands and the nesting before it recurses (the findings below
    # say so); were either to be expanded, the run would not end: the guard (~200 times the usual
    # 1-2 s) turns that into a failure with a traceback.
    with hang_guard(300):
        result = lint_paths([str(hostile_dir)], Config())
    assert result.internal_errors == []
    by_file: dict[str, list[tuple[str, str, int, int]]] = {}
    for d in result.diagnostics:
        by_file.setdefault(Path(d.file).name, []).append((d.code, d.message, d.line, d.column))
    for name, (_, code, fragment) in HOSTILE.items():
        found = [f for f in by_file.get(name, []) if f[0] == code and fragment in f[1]]
        assert found, f"{name}: expected {code} containing {fragment!r}, got {by_file.get(name)}"
        assert all(line >= 1 and column >= 1 for _, _, line, column in found)
    assert [c for c, *_ in by_file["good.asl.json"]] == ["ASL101"]


def test_five_megabyte_file_and_three_megabyte_string(tmp_path: Path) -> None:
    filler = "padding " * 9
    big_state = {f"S{i}": {"Type": "Pass", "Comment": filler, "Next": f"S{i + 1}"} for i in range(40_000)}
    big_state["S40000"] = {"Type": "Succeed"}
    big = tmp_path / "big.asl.json"
    big.write_text(json.dumps({"StartAt": "S0", "States": big_state}))
    assert 5_000_000 < big.stat().st_size < MAX_FILE_BYTES
    long_string = tmp_path / "longstring.asl.json"
    long_string.write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "x" * 3_000_000,
                                                                         "End": True}}}))
    with hang_guard(900):  # ~7 s when the machine is quiet; growth is tested by counting below
        result = lint_paths([str(big), str(long_string)], Config())
    codes = {(Path(d.file).name, d.code) for d in result.diagnostics}
    # Both exceed AWS's 1,048,576-character definition limit.
    assert ("big.asl.json", "ASL005") in codes
    assert ("longstring.asl.json", "ASL005") in codes


def _chain(states: int) -> str:
    chain = {f"S{i}": {"Type": "Pass", "Comment": "padding " * 9, "Next": f"S{i + 1}"} for i in range(states)}
    chain[f"S{states}"] = {"Type": "Succeed"}
    return json.dumps({"StartAt": "S0", "States": chain})


def test_work_grows_linearly_with_the_number_of_states() -> None:
    # What keeps the 40,000-state file above bounded: twice the states, twice the work, counted
    # as Python function calls (the same on every run; a clock is not).
    lint_text(_chain(3), "warm.asl.json", Config()).finish()  # imports, compiled schemas
    small, large = (python_calls(lambda n=n: lint_text(_chain(n), "chain.asl.json", Config()).finish())
                    for n in (1000, 2000))
    assert 1.9 * small < large < 2.05 * small


def test_file_over_the_read_limit_is_not_parsed(tmp_path: Path) -> None:
    huge = tmp_path / "huge.asl.json"
    with huge.open("wb") as handle:
        handle.write(b'{"StartAt": "A", "Comment": "')
        handle.write(b"x" * (MAX_FILE_BYTES + 10))
        handle.write(b'"}')
    result = lint_paths([str(huge)], Config())
    [diag] = result.diagnostics
    assert diag.code == "ASL005"
    assert "does not read files over" in diag.message


def test_template_with_non_json_definition_string(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  SM:\n"
        "    Type: AWS::StepFunctions::StateMachine\n"
        "    Properties:\n"
        "      DefinitionString: |\n"
        "        {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"},}}\n"
    )
    result = lint_paths([str(template)], Config())
    [diag] = [d for d in result.diagnostics if d.code == "ASL001"]
    assert diag.line == 6
    assert "Trailing comma" in diag.message


def test_cyclic_definition_substitutions_do_not_hang(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  SM:\n"
        "    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n"
        "      DefinitionSubstitutions:\n"
        "        A: ${B}\n"
        "        B: ${A}\n"
        "      Definition:\n"
        "        StartAt: S\n"
        "        States:\n"
        "          S:\n"
        "            Type: Pass\n"
        "            Result: ${A}\n"
        "            End: true\n"
    )
    with hang_guard(120):  # substitution must stop at the cycle: a hang, not slowness, is the failure
        result = lint_paths([str(template)], Config())
    assert result.internal_errors == []
    assert [d.code for d in result.diagnostics if d.severity.value == "error"] == []
