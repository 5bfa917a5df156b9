"""Helpers for the conformance suites: loading cases and mask-aware comparison (see conformance/README)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

# Mask tokens the snapshot tool wrote; an expected string made of them matches any text there.
_TOKEN = re.compile(r"<[^<>\s]+>")
_ALWAYS = ("date", "snf_role_arn", "sfn_role_arn", "role-arn")
_JSON_TEXT_FIELDS = (
    "input",
    "afterInputPath",
    "afterParameters",
    "afterArguments",
    "result",
    "afterResultSelector",
    "afterResultPath",
    "afterItemsPath",
    "afterItemSelector",
    "afterItemBatcher",
    "variables",
)


def load_cases(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _pattern(expected: str, tokens: tuple[str, ...]) -> re.Pattern[str] | None:
    found = [t for t in tokens if t in expected] or []
    if not found and not _TOKEN.search(expected):
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(found, key=len, reverse=True))
    splitter = re.compile(f"({alternatives}|{_TOKEN.pattern})" if alternatives else f"({_TOKEN.pattern})")
    parts = splitter.split(expected)
    regex = "".join(".*?" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)


def same(expected: Any, actual: Any, tokens: tuple[str, ...] = _ALWAYS) -> bool:
    """Structural equality; numbers compared numerically; masked strings match as patterns."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            return False
        return all(same(expected[k], actual[k], tokens) for k in expected)
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(same(e, a, tokens) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual or (
            isinstance(expected, str) and _pattern(expected, tokens) is not None and expected in tokens
        )
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return float(expected) == float(actual)
    if isinstance(expected, str):
        if expected == actual:
            return True
        pattern = _pattern(expected, tokens)
        if pattern is None:
            return False
        if not isinstance(actual, str):
            return expected in tokens or bool(_TOKEN.fullmatch(expected))
        return bool(pattern.fullmatch(actual))
    return bool(expected == actual)


def tokens_for(case: dict[str, Any]) -> tuple[str, ...]:
    extra = [t for t in case.get("maskedInExpected", []) if not _TOKEN.fullmatch(t)]
    return tuple(dict.fromkeys([*_ALWAYS, *extra]))


def decode_cause(cause: Any) -> Any:
    if isinstance(cause, str) and cause.startswith("{"):
        try:
            return json.loads(cause)
        except ValueError:
            return cause
    return cause


def decode_response(response: dict[str, Any]) -> dict[str, Any]:
    """A TestState response with its JSON-text fields decoded, as the case files store them."""
    out = dict(response)
    if isinstance(out.get("output"), str):
        out["output"] = json.loads(out["output"])
    if "cause" in out:
        out["cause"] = decode_cause(out["cause"])
    data = out.get("inspectionData")
    if isinstance(data, dict):
        decoded = dict(data)
        for key in _JSON_TEXT_FIELDS:
            if isinstance(decoded.get(key), str):
                decoded[key] = json.loads(decoded[key])
        out["inspectionData"] = decoded
    return out


def area_of(case: dict[str, Any]) -> str:
    return str(case.get("area", "?"))


def summary(results: dict[str, list[bool]], title: str) -> str:
    lines = [title]
    total = Counter[str]()
    for area, outcomes in sorted(results.items()):
        passed = sum(outcomes)
        total["passed"] += passed
        total["all"] += len(outcomes)
        lines.append(f"  {area:<28} {passed:>4}/{len(outcomes):<4} {100.0 * passed / len(outcomes):6.1f}%")
    if total["all"]:
        lines.append(
            f"  {'TOTAL':<28} {total['passed']:>4}/{total['all']:<4} "
            f"{100.0 * total['passed'] / total['all']:6.1f}%"
        )
    return "\n".join(lines)


_ACCOUNT = re.compile(r"(arn:aws[\w-]*:[\w-]*:[\w-]*:)\d{12}")


def normalise_actual(value: Any) -> Any:
    """The snapshot tool's account-id mask, applied to our side (every ARN's account → 111111111111)."""
    if isinstance(value, str):
        return _ACCOUNT.sub(r"\g<1>111111111111", value)
    if isinstance(value, dict):
        return {k: normalise_actual(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_actual(v) for v in value]
    return value
