"""The transient-error table (``asl_lint/data/transient_errors.json``) merged with the user's config."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from asl_lint.config import RetryConfig


@dataclass(frozen=True)
class TransientSpec:
    """What ASL401 demands of one integration."""

    key: str
    label: str
    required: tuple[str, ...]  # a retrier with attempts must take each of these
    retrier: dict[str, Any]  # the recommended retrier (the fix adds it)
    by_aws: bool = False  # the retrier is the one AWS documents or its tooling generates


@cache
def load_table() -> dict[str, Any]:
    # A plain path, not importlib.resources (≈ 10 ms of imports); the file ships as package data.
    text = (Path(__file__).parents[1] / "data" / "transient_errors.json").read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


def error_prefix(kind: str, service: str) -> str | None:
    """The error-name prefix of an integration (``DynamoDB`` optimized, ``DynamoDb`` via aws-sdk)."""
    prefixes: dict[str, dict[str, str]] = load_table()["error_prefixes"]
    return prefixes.get("aws-sdk" if kind == "aws-sdk" else "optimized", {}).get(service)


def _default_retrier(errors: tuple[str, ...]) -> dict[str, Any]:
    return {
        "ErrorEquals": list(errors),
        "IntervalSeconds": 1,
        "MaxAttempts": 3,
        "BackoffRate": 2,
        "JitterStrategy": "FULL",
    }


def transient_spec(key: str, config: RetryConfig) -> TransientSpec | None:
    """The errors ASL401 checks for ``key``, or None when the key is not checked.

    A built-in key is checked when the table says so or when the user lists it under
    ``transient-errors`` (their errors extend the built-in list, or replace it for keys in
    ``replace``). An empty resulting list means "not checked".
    """
    row: dict[str, Any] | None = load_table()["integrations"].get(key)
    extra = tuple(config.transient_errors.get(key, ()))
    configured = key in config.transient_errors
    if key in config.replace:
        builtin: tuple[str, ...] = ()
    elif row is not None and (row["check"] or configured):
        builtin = tuple(entry["error"] for entry in row["required"])
    else:
        builtin = ()
    required = tuple(dict.fromkeys(builtin + extra))
    if not required:
        return None
    label = row["label"] if row else key
    if row is not None and "retrier" in row and set(required) <= set(row["retrier"]["ErrorEquals"]):
        return TransientSpec(key, label, required, copy.deepcopy(row["retrier"]), by_aws=True)
    also = tuple(e["error"] for e in row["also"]) if row and key not in config.replace else ()
    return TransientSpec(key, label, required, _default_retrier(tuple(dict.fromkeys(required + also))))
