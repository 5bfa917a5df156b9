"""Turn jsonschema errors into messages that name the field and what is allowed (the errors
``schema.errors`` finds have the same fields: keyword, its value, instance, schema, path).

Never "is not valid under any of the given schemas": every keyword the schema uses has its own
sentence, and ``x-allowed`` in the schema says in words what a field accepts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from asl_lint.source.pointer import escape

Target = Literal["value", "key"]
# Keywords whose failure is a quota, not a shape: reported as ASL005 limit-exceeded.
LIMIT_KEYWORDS = ("maximum", "maxLength")
TOP_LEVEL_FIELDS = ("QueryLanguage", "Comment", "TimeoutSeconds", "Version", "StartAt")
VALUE_KEYWORDS = (
    "pattern",
    "type",
    "enum",
    "const",
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
)


@dataclass(frozen=True)
class SchemaProblem:
    """One structural problem: where (pointer relative to the definition root) and what."""

    pointer: str
    message: str
    target: Target = "value"
    code: str = "ASL003"


@dataclass(frozen=True)
class Subject:
    """The object being validated: its pointer, how to name it, and the dotted prefix of its fields."""

    pointer: str
    name: str  # "Task state 'X'", "the state machine", "Choices[0] of Choice state 'C'"
    kind: str  # "state", "root" or "part": decides the wording of unknown-field messages
    state_type: str | None = None
    prefix: str = ""  # "Choices[0]" for fields of a Choice rule


def render(value: Any) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return "'" + text + "'"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def dotted(prefix: str, tokens: Sequence[str | int]) -> str:
    out = prefix
    for token in tokens:
        out = f"{out}[{token}]" if isinstance(token, int) else (f"{out}.{token}" if out else str(token))
    return out


def pointer_of(base: str, tokens: Sequence[str | int]) -> str:
    out = base
    for token in tokens:
        out = f"{out}/{escape(token)}"
    return out


def suggest(word: str, candidates: Sequence[str]) -> str | None:
    folded = {c.lower(): c for c in candidates}
    if word.lower() in folded:
        return folded[word.lower()]
    import difflib

    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
    return close[0] if close else None


def quote_list(names: Sequence[str], last: str = "or") -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + f" {last} " + quoted[-1]


def _where(subject: Subject, tokens: Sequence[str | int]) -> str:
    """'Retry[0] of Task state X' or just the subject's name for its own fields."""
    inner = dotted(subject.prefix, tokens)
    return f"{inner} of {subject.name}" if inner else subject.name


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _unknown_field(
    subject: Subject,
    tokens: Sequence[str | int],
    key: str,
    allowed: Sequence[str],
    elsewhere: dict[str, list[str]],
) -> str:
    if not tokens and subject.kind == "state":
        message = f"Field '{key}' is not allowed on a {subject.state_type} state"
    elif not tokens and subject.kind == "root":
        message = f"Field '{key}' is not allowed at the top level of a state machine"
    else:
        message = f"Field '{key}' is not allowed in {_where(subject, tokens)}"
    guess = suggest(key, allowed)
    if guess is not None:
        return f"{message}; did you mean '{guess}'?"
    owners = elsewhere.get(key) if not tokens and subject.kind == "state" else None
    if owners:
        return f"{message}; only {', '.join(owners)} states have it"
    if len(allowed) <= 8:
        return f"{message}; allowed: {', '.join(allowed)}"
    return message


def translate(error: Any, subject: Subject, elsewhere: dict[str, list[str]]) -> Iterator[SchemaProblem]:
    """The problems one jsonschema error stands for (several for several unknown/missing fields)."""
    tokens: list[str | int] = list(error.absolute_path)
    keyword = error.validator
    instance = error.instance
    here = pointer_of(subject.pointer, tokens)
    if keyword == "additionalProperties" and isinstance(instance, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in instance:
            if key not in allowed:
                yield SchemaProblem(
                    pointer_of(here, [key]), _unknown_field(subject, tokens, key, allowed, elsewhere), "key"
                )
        return
    if keyword == "required" and isinstance(instance, dict):
        for name in error.validator_value:
            if name not in instance:
                yield SchemaProblem(
                    here, f"{_capital(_where(subject, tokens))} is missing the required field '{name}'", "key"
                )
        return
    if keyword == "x-exclusive":
        names = list(error.validator_value)
        yield SchemaProblem(
            pointer_of(here, [names[-1]]),
            f"{quote_list(names, 'and')} cannot both be set in {_where(subject, tokens)}; keep only one of them",
            "key",
        )
        return
    if keyword == "x-one-required" and _is_path_variant(error.validator_value):
        first, variant = error.validator_value
        yield SchemaProblem(
            here,
            f"{_capital(_where(subject, tokens))} is missing the required field '{first}' (or '{variant}' with a path)",
            "key",
        )
        return
    if keyword == "x-one-required":
        yield SchemaProblem(
            here,
            f"{_capital(_where(subject, tokens))} needs exactly one of the fields {quote_list(error.validator_value)}",
            "key",
        )
        return
    if keyword == "x-any-required":
        yield SchemaProblem(
            here,
            f"{_capital(_where(subject, tokens))} needs at least one of the fields {quote_list(error.validator_value)}",
            "key",
        )
        return
    label = _label(subject, tokens)
    if keyword in LIMIT_KEYWORDS:
        limit = error.validator_value
        if keyword == "maxLength":
            message = f"{label} is {len(instance):,} characters long; AWS accepts at most {limit:,}"
        else:
            message = f"{label} is {render(instance)}; the most AWS accepts is {limit:,}"
        yield SchemaProblem(here, message, code="ASL005")
        return
    allowed_text = error.schema.get("x-allowed") if isinstance(error.schema, dict) else None
    if keyword in VALUE_KEYWORDS or allowed_text:
        allowed_text = allowed_text or _describe(keyword, error.validator_value)
        message = f"{label} must be {allowed_text}, got {render(instance)}"
        if len(tokens) >= 2 and tokens[-2] == "States" and tokens[-1] in TOP_LEVEL_FIELDS:
            message += f"; '{tokens[-1]}' belongs at the top level of the definition, next to StartAt, not in States"
        if keyword == "enum" and isinstance(instance, str):
            guess = suggest(instance, [v for v in error.validator_value if isinstance(v, str)])
            if guess is not None:
                message += f"; did you mean '{guess}'?"
        yield SchemaProblem(here, message)
        return
    yield SchemaProblem(here, f"{label}: {error.message}")


def _is_path_variant(group: Sequence[str]) -> bool:
    """A group like ('RoleArn', 'RoleArn.$'): one field and its JSONPath twin."""
    return len(group) == 2 and group[1] == group[0] + ".$"


def _label(subject: Subject, tokens: Sequence[str | int]) -> str:
    if len(tokens) >= 2 and tokens[-2] == "States" and isinstance(tokens[-1], str):
        return f"State '{tokens[-1]}'"
    inner = dotted(subject.prefix, tokens)
    if not inner:
        return _capital(subject.name)
    return f"'{inner}'" + (f" of {subject.name}" if subject.kind == "part" else "")


def _describe(keyword: str, value: Any) -> str:
    if keyword == "enum":
        return "one of " + ", ".join(str(v) for v in value)
    if keyword == "type":
        kinds = value if isinstance(value, list) else [value]
        return " or ".join(f"a{'n' if k[0] in 'aeiou' else ''} {k}" for k in kinds)
    if keyword in ("minimum", "exclusiveMinimum"):
        return f"at least {value}"
    return f"valid ({keyword} {value})"
