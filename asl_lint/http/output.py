"""What an HTTP Task returns (its result, before ResultSelector / `$states.result`), for later rules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultField:
    """A field of the HTTP Task's result (``ResponseBody``, ``StatusCode``, ...)."""
    name: str
    json_type: str  # JSON Schema type name, or "any"
    description: str


# From the TestState example of the Developer Guide's HTTP Task page (docs/sources.md#http-task).
HTTP_RESULT_FIELDS: tuple[ResultField, ...] = (
    ResultField(
        "StatusCode",
        "number",
        "the HTTP status code, e.g. 200 (non-2xx fails with States.Http.StatusCode.<code>)",
    ),
    ResultField("StatusText", "string", "the reason phrase, e.g. 'OK'"),
    ResultField("Headers", "object", "response header name → array of strings"),
    ResultField("ResponseBody", "any", "parsed JSON when the response is JSON, otherwise a string"),
)
HTTP_RESULT_TYPES: dict[str, str] = {f.name: f.json_type for f in HTTP_RESULT_FIELDS}
