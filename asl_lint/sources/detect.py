"""Reading a file: bytes → text (with the problems of decoding), format detection, parsing.

Below every layout: a layout is chosen by the structure of what this module parses.
"""

from __future__ import annotations

from asl_lint.source.nodes import ParseResult, SourceProblem
from asl_lint.source.text import Span
from asl_lint.sources.base import DocumentFormat

HCL_SUFFIXES = (".tf",)


def decode(data: bytes) -> tuple[str, list[SourceProblem], bool]:
    """Text of a file, the problems decoding it, and whether it is unreadable."""
    problems: list[SourceProblem] = []
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start].decode("utf-8", errors="replace")
        offset = len(prefix)
        byte = body[exc.start]
        problems.append(
            SourceProblem(
                "ASL001",
                f"The file is not valid UTF-8: byte 0x{byte:02x} at byte offset {exc.start + (3 if bom else 0)}",
                Span(offset, offset + 1),
            )
        )
        return prefix, problems, True
    if "\x00" in text:
        offset = text.index("\x00")
        problems.append(
            SourceProblem("ASL001", "The file contains NUL characters: it looks binary, not JSON or YAML",
                          Span(offset, offset + 1))
        )
        return text, problems, True
    if bom:
        problems.append(
            SourceProblem(
                "ASL001",
                "The file starts with a UTF-8 byte order mark; AWS rejects definitions that start with one",
                Span(0, 0),
            )
        )
    return text, problems, False


def detect_format(path: str, text: str) -> DocumentFormat:
    lower = path.lower()
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    if lower.endswith((".json", ".asl", ".template")):
        return "json"
    if lower.endswith(HCL_SUFFIXES):
        return "hcl"
    stripped = text.lstrip()
    return "json" if stripped.startswith(("{", "[")) else "yaml"


def parse_text(text: str, fmt: str) -> ParseResult:
    """JSON or YAML with positions; HCL is the Terraform layout's own business (fatal here, with the
    file's comments)."""
    if fmt == "json":
        from asl_lint.source.json_parser import parse_json

        return parse_json(text)
    if fmt == "hcl":  # only its comments, for suppression directives
        from asl_lint.sources.terraform.hcl import comments

        return ParseResult(fatal=True, comments=comments(text))
    from asl_lint.source.yaml_loader import parse_yaml

    return parse_yaml(text)
