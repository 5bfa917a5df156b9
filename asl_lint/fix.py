"""``asl-lint check --fix``: apply the mechanical fixes findings carry, in place.

Edits are addressed by JSON pointer. Each one becomes a splice of the original text at the
parser's span of the node it touches: only the touched subtree is re-serialised (in the file's
own indentation, JSON or YAML), so everything else stays byte-for-byte, YAML comments included.
Existing list items that a fix keeps (a reordered Retry, retriers next to a new one) keep their
original text. A file is written only when the result parses and holds exactly the new values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asl_lint.diagnostics import Diagnostic, Edit
from asl_lint.engine.runner import LintResult, detect_format, parse_text
from asl_lint.source.pointer import escape, parent, resolve, split
from asl_lint.source.text import Span
from asl_lint.sources.base import LocatedDefinition

# Rules whose fix never needs a judgement call: the recommended retrier, States.ALL moved last.
FIXABLE = frozenset({"ASL401", "ASL402"})


@dataclass(frozen=True)
class Splice:
    start: int
    end: int
    text: str


def apply_fixes(result: LintResult) -> int:
    """Apply the fixes of FIXABLE findings to their files; the number of findings fixed."""
    by_file: dict[str, list[Diagnostic]] = {}
    for diag in result.diagnostics:
        if diag.fix is not None and diag.code in FIXABLE:
            by_file.setdefault(diag.file, []).append(diag)
    fixed = 0
    for file, diags in by_file.items():
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError:
            continue
        bom = data.startswith(b"\xef\xbb\xbf")
        try:
            current = data[3 if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if current != result.texts.get(file, current):
            continue  # changed since it was linted: the pointers may be stale
        new_text, count = fix_text(current, file, diags)
        if count and new_text != current:
            path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8"))
            fixed += count
    return fixed


def fix_text(text: str, file: str, diags: list[Diagnostic]) -> tuple[str, int]:
    """The text with the diagnostics' fixes applied, and how many were applied."""
    from asl_lint.sources import locate

    fmt = detect_format(file, text)
    parsed = parse_text(text, fmt)
    if parsed.fatal:
        return text, 0
    definitions = locate(parsed, Path(file), text).definitions
    planned: list[tuple[LocatedDefinition, Edit, Splice]] = []
    count = 0
    # ASL402 first: a definition AWS rejects is repaired before retriers are added to it.
    for diag in sorted(diags, key=lambda d: (d.code != "ASL402", d.code, d.start_offset)):
        located = _owner(definitions, diag.pointer)
        if located is None or located.embedded_string or diag.fix is None:
            continue  # inside a DefinitionString: not a mechanical text edit
        splices = [(edit, _plan(text, fmt, located, edit)) for edit in diag.fix.edits]
        if any(s is None for _, s in splices):
            continue
        ready = [(located, e, s) for e, s in splices if s is not None]
        if any(_overlap(s, other) for _, _, s in ready for _, _, other in planned):
            continue  # another fix touches the same node; the next --fix run picks this up
        planned.extend(ready)
        count += 1
    if not count:
        return text, 0
    new_text = text
    for _, _, splice in sorted(planned, key=lambda p: p[2].start, reverse=True):
        new_text = new_text[: splice.start] + splice.text + new_text[splice.end :]
    if not _verify(new_text, file, fmt, planned):
        return text, 0
    return new_text, count


def _owner(definitions: list[LocatedDefinition], pointer: str) -> LocatedDefinition | None:
    best: LocatedDefinition | None = None
    for located in definitions:
        base = located.pointer
        if (pointer == base or pointer.startswith(base + "/") or not base) and (
            best is None or len(base) > len(best.pointer)
        ):
            best = located
    return best


def _overlap(a: Splice, b: Splice) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == b.start


Planned = list[tuple[LocatedDefinition, Edit, Splice]]


def _verify(new_text: str, file: str, fmt: str, planned: Planned) -> bool:
    """The new text parses and every edited pointer now holds the edit's value."""
    from asl_lint.sources import locate

    parsed = parse_text(new_text, fmt)
    if parsed.fatal or any(p.code == "ASL001" for p in parsed.problems):
        return False
    definitions = {d.pointer: d for d in locate(parsed, Path(file), new_text).definitions}
    for located, edit, _ in planned:
        again = definitions.get(located.pointer)
        try:
            if again is None or resolve(again.definition, edit.pointer) != edit.value:
                return False
        except KeyError:
            return False
    return True


# --- planning one edit ----------------------------------------------------------------------------
def _plan(text: str, fmt: str, located: LocatedDefinition, edit: Edit) -> Splice | None:
    try:
        if edit.op == "replace":
            old = resolve(located.definition, edit.pointer)
            node = located.spans(edit.pointer)
            if node is None:
                return None
            return Splice(
                node.value.start,
                node.value.end,
                _render_replacement(text, fmt, located, edit.pointer, node.value, old, edit.value),
            )
        if edit.op == "add":
            holder = resolve(located.definition, parent(edit.pointer))
            key = split(edit.pointer)[-1]
            if not isinstance(holder, dict):
                return None
            if key in holder:
                return _plan(text, fmt, located, Edit("replace", edit.pointer, edit.value))
            return _plan_member(text, fmt, located, parent(edit.pointer), holder, key, edit.value)
    except KeyError:
        return None
    return None  # "remove" is never mechanical here


def _plan_member(
    text: str,
    fmt: str,
    located: LocatedDefinition,
    holder_ptr: str,
    holder: dict[str, Any],
    key: str,
    value: Any,
) -> Splice | None:
    """Insert ``key: value`` after the last member of the object at ``holder_ptr``."""
    if not holder:
        return None
    holder_node = located.spans(holder_ptr)
    last = located.spans(f"{holder_ptr}/{escape(list(holder)[-1])}")
    if holder_node is None or last is None or last.key is None:
        return None
    newline = _newline(text)
    end = last.value.end
    flow = text[holder_node.value.start] == "{"
    if fmt == "json" or flow:
        rendered_key = json.dumps(key, ensure_ascii=False)
        if "\n" in text[holder_node.value.start : holder_node.value.end]:
            indent = _line_indent(text, last.key.start)
            body = _json(value, indent, _indent_unit(text), newline)
            return Splice(end, end, f",{newline}{indent}{rendered_key}: {body}")
        return Splice(end, end, f", {rendered_key}: {json.dumps(value, ensure_ascii=False)}")
    column = last.key.start - _line_start(text, last.key.start)
    block = _yaml_block({key: value}, " " * column, newline)
    if text[end - 1 : end] == "\n":
        at = end - 1
    else:
        found = text.find("\n", end)
        at = len(text) if found < 0 else found
        if found > 0 and text[found - 1] == "\r":
            at = found - 1
    return Splice(at, at, newline + " " * column + block)


def _render_replacement(
    text: str, fmt: str, located: LocatedDefinition, pointer: str, span: Span, old: Any, new: Any
) -> str:
    original = text[span.start : span.end]
    newline = _newline(text)
    block_yaml = fmt == "yaml" and not original.startswith(("[", "{"))
    if isinstance(old, list) and isinstance(new, list) and old:
        spliced = _splice_list(text, fmt, located, pointer, span, old, new, block_yaml)
        if spliced is not None:
            return spliced
    indent = _line_indent(text, span.start)
    if block_yaml:
        column = span.start - _line_start(text, span.start)
        if isinstance(new, list | dict) and new:
            return _yaml_block(new, " " * column, newline)
        return json.dumps(new, ensure_ascii=False)
    if "\n" in original:
        return _json(new, indent, _indent_unit(text), newline)
    return json.dumps(new, ensure_ascii=False)


def _splice_list(
    text: str,
    fmt: str,
    located: LocatedDefinition,
    pointer: str,
    span: Span,
    old: list[Any],
    new: list[Any],
    block_yaml: bool,
) -> str | None:
    """A list's new text that reuses the original text of every item it keeps."""
    items = [located.spans(f"{pointer}/{i}") for i in range(len(old))]
    if any(node is None for node in items):
        return None
    spans = [node.value for node in items if node is not None]
    newline = _newline(text)
    pieces = [_trim_comments(text[s.start : s.end]) if block_yaml else text[s.start : s.end] for s in spans]
    head = text[span.start : spans[0].start]
    tail = text[spans[-1].end : span.end] if not block_yaml else ""
    first_line_indent = _line_indent(text, spans[0].start)
    item_column = spans[0].start - _line_start(text, spans[0].start)
    if len(spans) > 1:
        separator = (
            text[spans[0].end : spans[1].start]
            if not block_yaml
            else (newline + text[_line_start(text, spans[1].start) : spans[1].start])
        )
    elif block_yaml:
        separator = newline + text[_line_start(text, spans[0].start) : spans[0].start]
    elif "\n" in text[span.start : span.end]:
        separator = "," + newline + first_line_indent
    else:
        separator = ", "
    unused = list(range(len(old)))
    out: list[str] = []
    for value in new:
        match = next((i for i in unused if old[i] == value), None)
        if match is not None:
            unused.remove(match)
            out.append(pieces[match])
        elif block_yaml:
            out.append(
                _yaml_block(value, " " * item_column, newline)
                if isinstance(value, list | dict)
                else json.dumps(value, ensure_ascii=False)
            )
        elif "\n" in text[span.start : span.end]:
            out.append(_json(value, first_line_indent, _indent_unit(text), newline))
        else:
            out.append(json.dumps(value, ensure_ascii=False))
    if not out:
        return None
    # In block YAML the list's span starts at the first "- " and its items after their "- ".
    return head + separator.join(out) + tail


# --- text helpers ---------------------------------------------------------------------------------
def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_indent(text: str, offset: int) -> str:
    start = _line_start(text, offset)
    line = text[start:offset]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _indent_unit(text: str) -> str | int:
    """The file's indentation step: a tab, or the smallest indentation of any line (default 2)."""
    widths = [len(m.group(1)) for m in re.finditer(r"\n( +)\S", text)]
    if re.search(r"\n\t+\S", text) and not widths:
        return "\t"
    return min(widths) if widths else 2


def _json(value: Any, indent: str, unit: str | int, newline: str) -> str:
    return json.dumps(value, indent=unit, ensure_ascii=False).replace("\n", newline + indent)


def _trim_comments(piece: str) -> str:
    """A block YAML item's text without the comment lines the parser counts into its span."""
    lines = piece.split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return "\n".join(lines).rstrip("\r")


def _yaml_block(value: Any, indent: str, newline: str) -> str:
    """Block YAML for ``value`` whose first line continues the current line and the rest use ``indent``."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)  # indent sequences under their key

    dumped = yaml.dump(
        value,
        Dumper=Dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        indent=2,
    )
    lines = dumped.rstrip("\n").split("\n")
    return (newline + indent).join(lines)
