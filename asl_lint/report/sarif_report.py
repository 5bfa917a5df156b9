"""SARIF 2.1.0 (``--format sarif``) with every field GitHub code scanning reads.

Rules come from ``rules/*.md`` (one descriptor per documented rule, sorted by code, so
``ruleIndex`` is stable); suppressed findings are kept as results with ``suppressions``; internal
errors become tool notifications and ``executionSuccessful: false``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from asl_lint import __version__
from asl_lint.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from asl_lint.engine.metadata import RuleMeta
    from asl_lint.engine.runner import LintResult

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/asl-lint/asl-lint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "aslLint/v1"
MAX_DESCRIPTION = 1024  # GitHub truncates/rejects longer short and full descriptions
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}


def relative_path(file: str, root: str | None = None) -> str | None:
    """``file`` relative to ``root`` (default: the working directory) with ``/``; None if outside."""
    base = Path(root or os.getcwd()).resolve()
    path = Path(file)
    absolute = path if path.is_absolute() else base / path
    try:
        rel = Path(os.path.normpath(absolute)).relative_to(base)
    except ValueError:
        return None
    return PurePosixPath(*rel.parts).as_posix() if rel.parts else "."


def artifact_location(file: str) -> dict[str, Any]:
    rel = relative_path(file)
    if rel is None:  # outside the source root: an absolute file URI, no base id
        return {"uri": Path(os.path.normpath(Path(file).resolve())).as_uri()}
    return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def _plain(markdown: str) -> str:
    """Help text for viewers without Markdown: drop headings' hashes, keep the words and code."""
    lines = [line[line.find(" ") + 1 :] if line.startswith("#") else line for line in markdown.splitlines()]
    return "\n".join(lines).strip()


def rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    full = meta.sections.get("What it finds") or meta.summary
    descriptor: dict[str, Any] = {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": _clip(meta.summary or meta.name)},
        "fullDescription": {"text": _clip(full)},
        "help": {"text": _plain(meta.markdown) or meta.summary, "markdown": meta.markdown or meta.summary},
        "helpUri": meta.help_uri,
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
    }
    tags = list(meta.tags)
    properties: dict[str, Any] = {"problem.severity": _PROBLEM_SEVERITY[meta.severity]}
    if meta.security_severity is not None:
        if "security" not in tags:
            tags.append("security")
        properties["security-severity"] = f"{meta.security_severity:.1f}"
    properties["tags"] = tags
    descriptor["properties"] = properties
    return descriptor


def _fallback_descriptor(diag: Diagnostic) -> dict[str, Any]:
    """A code with no rule document (should not happen): still a valid, minimal descriptor."""
    return {
        "id": diag.code,
        "name": diag.name,
        "shortDescription": {"text": diag.name},
        "fullDescription": {"text": diag.name},
        "help": {"text": diag.name},
        "defaultConfiguration": {"level": LEVELS[diag.severity]},
    }


def _logical_location(diag: Diagnostic) -> dict[str, Any]:
    location: dict[str, Any] = {"fullyQualifiedName": diag.pointer or "/"}
    if diag.state is not None:
        location["name"] = diag.state
    return location


def _region(diag: Diagnostic) -> dict[str, int]:
    start_line, start_col = max(diag.line, 1), max(diag.column, 1)
    end_line, end_col = max(diag.end_line, start_line), max(diag.end_column, 1)
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def _result(diag: Diagnostic, index: dict[str, int], occurrence: int) -> dict[str, Any]:
    fingerprint = diag.fingerprint
    result: dict[str, Any] = {
        "ruleId": diag.code,
        "ruleIndex": index[diag.code],
        "level": LEVELS[diag.severity],
        "message": {"text": diag.message},
        "locations": [{
            "physicalLocation": {"artifactLocation": artifact_location(diag.file), "region": _region(diag)},
            "logicalLocations": [_logical_location(diag)],
        }],
        # The fingerprint is code + file + pointer: it survives reformatting and line moves. GitHub
        # only reads primaryLocationLineHash; the occurrence count keeps equal fingerprints apart.
        "partialFingerprints": {
            FINGERPRINT_KEY: fingerprint,
            "primaryLocationLineHash": f"{fingerprint}:{occurrence}",
        },
    }
    if diag.machine is not None:  # the finding is about one of the machines that use this file
        result["properties"] = {"machine": diag.machine}
    if diag.baseline_state is not None:
        result["baselineState"] = diag.baseline_state
    if diag.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": diag.suppressed}]
    return result


def _notifications(result: LintResult) -> list[dict[str, Any]]:
    from asl_lint.secrets.masking import redact

    secrets = sorted(result.secrets, key=len, reverse=True)
    notes = []
    for error in result.internal_errors:
        text = redact(error, secrets) if secrets else error
        notes.append({"level": "error", "message": {"text": text}, "descriptor": {"id": "ASL901"}})
    return notes


def _directory_uri(path: Path) -> str:
    uri = path.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def build_sarif(result: LintResult, rules: dict[str, RuleMeta] | None = None) -> dict[str, Any]:
    if rules is None:
        from asl_lint.engine.metadata import all_rules

        rules = all_rules()
    descriptors = [rule_descriptor(meta) for meta in sorted(rules.values(), key=lambda m: m.code)]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    findings = sorted(result.diagnostics + result.suppressed, key=Diagnostic.sort_key)
    for diag in findings:
        if diag.code not in index:
            index[diag.code] = len(descriptors)
            descriptors.append(_fallback_descriptor(diag))
    seen: Counter[str] = Counter()
    results = []
    for diag in findings:
        seen[diag.fingerprint] += 1
        results.append(_result(diag, index, seen[diag.fingerprint]))
    notifications = _notifications(result)
    invocation: dict[str, Any] = {"executionSuccessful": not result.internal_errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "asl-lint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": descriptors,
        }},
        "automationDetails": {"id": "asl-lint/"},
        "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(Path(os.getcwd()))}},
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: LintResult) -> str:
    return json.dumps(build_sarif(result), indent=2, ensure_ascii=False) + "\n"
