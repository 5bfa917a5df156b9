"""``asl-lint test --update``: write what the executions did into the suites as their expectations.

Only cases that failed their expectations, or have none, are rewritten, and only their ``expect``
changes: every other line of a YAML suite stays byte for byte as it was. The new entries are
emitted by ruamel.yaml (quoting, escapes, the suite's indentation) and spliced into the text at
the positions the suite was parsed with; an ``expect`` key the run does not decide (say a
comment-laden ``retries``) keeps its line. JSON suites are rewritten with their indentation.
A case stopped by a missing mock is never updated: no expectation can fix it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from asl_lint.eval.errors import NO_MOCK
from asl_lint.source.pointer import join
from asl_lint.testing.document import Document
from asl_lint.testing.expect import check
from asl_lint.testing.runner import CaseResult, SuiteResult, TestRun, record
from asl_lint.testing.suite import MISSING, Expectation

_LINE_WIDTH = 100  # an entry whose flow form fits stays on one line: output: {id: 1}


def needs_update(result: CaseResult) -> bool:
    return result.execution.error != NO_MOCK and (not result.passed or result.case.expect is None)


def update(run: TestRun) -> int:
    """Rewrite the expectations of every case that needs it; the number of cases updated."""
    count = 0
    for suite in run.suites:
        stale = [case for case in suite.cases if needs_update(case)]
        if not stale:
            continue
        _write(suite, stale)
        for case in stale:
            _refresh(case)
        count += len(stale)
    return count


def observed(result: CaseResult) -> dict[str, Any]:
    """The new ``expect`` of a case: status, then output (or error and cause), then path."""
    execution = result.execution
    expect: dict[str, Any] = {"status": execution.status}
    if execution.status == "SUCCEEDED":
        expect["output"] = execution.output
    else:
        if execution.error is not None:
            expect["error"] = execution.error
        if execution.cause is not None:
            expect["cause"] = execution.cause
    expect["path"] = list(execution.path)
    old = result.case.expect
    if old is not None and old.retries is not None:
        expect["retries"] = execution.retries
    if old is not None and old.duration is not None:
        expect["duration"] = int(execution.duration) if execution.duration.is_integer() else execution.duration
    return expect


# Fields an update decides; the others (none today) would be left as written.
_DECIDED = ("status", "output", "outputContains", "error", "cause", "path", "retries", "duration")


def _refresh(result: CaseResult) -> None:
    from asl_lint.eval.api import inline_secrets

    new = observed(result)
    result.case.expect = Expectation(
        status=new["status"],
        output=new.get("output", MISSING),
        error=new.get("error", MISSING),
        cause=new.get("cause", MISSING),
        path=new["path"],
        retries=new.get("retries"),
        duration=new.get("duration"),
    )
    result.failures = check(result.case.expect, result.execution)
    result.updated = True
    result.record = record(result, inline_secrets(result.suite.machine.definition))


def _write(suite: SuiteResult, cases: list[CaseResult]) -> None:
    document = suite.suite.document
    if document.text.lstrip().startswith("{"):
        text = _update_json(document.text, cases)
    else:
        text = _YamlSplicer(document).apply(cases)
    document.path.write_text(text, encoding="utf-8")


def _update_json(text: str, cases: list[CaseResult]) -> str:
    data = json.loads(text)
    for case in cases:
        body = data.setdefault("cases", {}).get(case.case.name)
        if not isinstance(body, dict):
            body = data["cases"][case.case.name] = {}
        expect = body.get("expect") if isinstance(body.get("expect"), dict) else {}
        new = observed(case)
        kept = {k: v for k, v in expect.items() if k not in _DECIDED}
        body["expect"] = {**new, **kept}
    indent = next((len(line) - len(line.lstrip(" ")) for line in text.splitlines()[1:] if line.startswith(" ")), 2)
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


# --- YAML: splice freshly emitted entries into the original text ---------------------------------
@dataclass
class _Edit:
    first: int  # 0-based line range [first, last) replaced by ``lines``
    last: int
    lines: list[str]


class _YamlSplicer:
    def __init__(self, document: Document) -> None:
        from ruamel.yaml.util import load_yaml_guess_indent

        self.document = document
        self.text = document.text
        self.lines = self.text.splitlines(keepends=True)
        _, indent, offset = load_yaml_guess_indent(self.text)
        self.step = indent or 2
        self.offset = offset or 0
        self.edits: list[_Edit] = []

    def apply(self, cases: list[CaseResult]) -> str:
        missing = []
        for case in cases:
            pointer = join("/cases", case.case.name)
            if pointer in self.document.spans:
                self._case(pointer, case)
            else:
                missing.append(case)
        if missing:
            self._append_cases(missing)
        lines = list(self.lines)
        for edit in sorted(self.edits, key=lambda e: e.first, reverse=True):
            lines[edit.first : edit.last] = edit.lines
        text = "".join(lines)
        return text if text.endswith("\n") else text + "\n"

    # positions
    def _line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset)

    def _column(self, offset: int) -> int:
        return offset - (self.text.rfind("\n", 0, offset) + 1)

    def _is_block(self, pointer: str) -> bool:
        node = self.document.spans[pointer]
        start = self.text[node.value.start : node.value.start + 1]
        return isinstance(self._value(pointer), dict | list) and start not in ("{", "[")

    def _value(self, pointer: str) -> Any:
        from asl_lint.source.pointer import resolve

        return resolve(self.document.value, pointer)

    def _end(self, pointer: str) -> int:
        """Offset just past the last character of the node's own text (block containers end early)."""
        if self._is_block(pointer):
            depth = pointer.count("/") + 1
            children = [p for p in self.document.spans if p.startswith(pointer + "/") and p.count("/") == depth]
            if children:
                return max(self._end(child) for child in children)
        return self.document.spans[pointer].value.end

    def _entry(self, pointer: str) -> tuple[int, int, str]:
        """Lines [first, last) of a mapping entry, its key's column, and a trailing comment to keep."""
        node = self.document.spans[pointer]
        key = node.key or node.value
        end = self._end(pointer)
        last = self._line(max(end - 1, key.start))
        tail = self.lines[last][self._column(end):].rstrip("\n") if self._line(end) == last else ""
        comment = tail if tail.strip().startswith("#") else ""
        return self._line(key.start), last + 1, comment

    # edits
    def _case(self, pointer: str, case: CaseResult) -> None:
        body = self._value(pointer)
        new = observed(case)
        if not isinstance(body, dict) or not self._is_block(pointer) or not body:
            first, last, comment = self._entry(pointer)
            column = self._column((self.document.spans[pointer].key or self.document.spans[pointer].value).start)
            merged = dict(body) if isinstance(body, dict) else {}
            merged["expect"] = new
            self.edits.append(_Edit(first, last, self._render(case.case.name, merged, column, comment, block=2)))
            return
        expect = join(pointer, "expect")
        if expect not in self.document.spans or not self._is_block(expect) or not body.get("expect"):
            column = self._column(self.document.spans[join(pointer, next(iter(body)))].key.start)  # type: ignore[union-attr]
            old = body.get("expect")
            kept = {k: v for k, v in old.items() if k not in _DECIDED} if isinstance(old, dict) else {}
            value = {**new, **kept}
            if expect in self.document.spans:
                first, last, comment = self._entry(expect)
                self.edits.append(_Edit(first, last, self._render("expect", value, column, comment, block=1)))
            else:
                last_line = max(self._entry(join(pointer, k))[1] for k in body)
                self.edits.append(_Edit(last_line, last_line, self._render("expect", value, column, "", block=1)))
            return
        self._keys(expect, body["expect"], new)

    def _keys(self, expect: str, current: dict[str, Any], new: dict[str, Any]) -> None:
        """Replace, drop and add single entries of a block ``expect`` mapping."""
        column = self._column(self.document.spans[join(expect, next(iter(current)))].key.start)  # type: ignore[union-attr]
        after = max(self._entry(join(expect, k))[1] for k in current)
        for key in current:
            if key in _DECIDED and key not in new:
                first, last, _ = self._entry(join(expect, key))
                self.edits.append(_Edit(first, last, []))
        added: list[str] = []
        for key, value in new.items():
            if key in current:
                first, last, comment = self._entry(join(expect, key))
                self.edits.append(_Edit(first, last, self._render(key, value, column, comment)))
            else:
                added += self._render(key, value, column, "")
        if added:
            self.edits.append(_Edit(after, after, added))

    def _append_cases(self, cases: list[CaseResult]) -> None:
        """Cases run from the mock config alone: add them (and ``cases:`` if needed) at the end."""
        end = len(self.lines)
        if "/cases" in self.document.spans and self._is_block("/cases"):
            end = max(self._entry(join("/cases", k))[1] for k in self._value("/cases"))
            column = self._column(self.document.spans[join("/cases", next(iter(self._value("/cases"))))].key.start)  # type: ignore[union-attr]
            lines = []
        else:
            column = self.step
            lines = ["cases:\n"]
            if self.lines and not self.lines[-1].endswith("\n"):
                lines.insert(0, "\n")
        for case in cases:
            lines += self._render(case.case.name, {"expect": observed(case)}, column, "", block=2)
        self.edits.append(_Edit(end, end, lines))

    def _render(self, key: str, value: Any, column: int, comment: str, block: int = 0) -> list[str]:
        """``key: value`` emitted by ruamel.yaml at ``column``; values that fit on a line in flow style,
        except the ``block`` outer levels (a case, an ``expect``: one entry per line)."""
        text = "" if block else self._dump(key, _styled(value, flow=True))
        if block or "\n" in text.rstrip("\n") or column + len(text) > _LINE_WIDTH:
            text = self._dump(key, _styled(value, flow=False, room=_LINE_WIDTH - column - self.step, block=block))
        lines = [" " * column + line + "\n" for line in text.splitlines()]
        if comment and lines:
            lines[-1] = lines[-1].rstrip("\n") + comment + "\n"
        return lines

    def _dump(self, key: str, value: Any) -> str:
        import io

        from ruamel.yaml import YAML

        yaml = YAML()
        yaml.width = 4096  # never fold long strings (causes) onto several lines
        yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{sku: a}], not [sku: a]
        yaml.indent(mapping=self.step, sequence=self.step + self.offset, offset=self.offset)
        out = io.StringIO()
        yaml.dump({key: value}, out)
        return out.getvalue()


def _styled(value: Any, *, flow: bool, room: int = 0, block: int = 0) -> Any:
    """ruamel containers: all in flow style, or block style with the parts that fit in ``room`` in flow
    (never the ``block`` outer levels)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(value, dict | list) or not value:
        return value
    if not flow and block <= 0 and len(json.dumps(value, ensure_ascii=False)) <= room:
        flow = True
    room -= 2
    if isinstance(value, dict):
        styled: Any = CommentedMap((k, _styled(v, flow=flow, room=room, block=block - 1)) for k, v in value.items())
    else:
        styled = CommentedSeq(_styled(v, flow=flow, room=room, block=block - 1) for v in value)
    if flow:
        styled.fa.set_flow_style()
    else:
        styled.fa.set_block_style()
    return styled
