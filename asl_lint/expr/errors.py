"""Errors shared by the expression parsers and evaluators."""

from __future__ import annotations

from dataclasses import dataclass


class ExprSyntaxError(ValueError):
    """A syntax error in a JSONPath, intrinsic or JSONata expression.

    ``offset``/``end`` are 0-based code-point offsets into the expression text (end exclusive)
    and point at the offending token, so callers can map them into the document.
    """

    def __init__(self, message: str, offset: int, end: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.end = end if end is not None and end > offset else offset + 1

    def __str__(self) -> str:
        return f"{self.message} (at {self.offset})"


class EvaluationError(Exception):
    """A run-time failure, named and described as AWS reports it (``error``/``cause``)."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


@dataclass(frozen=True)
class Problem:
    """A static finding in an expression; offsets as in ExprSyntaxError."""

    message: str
    offset: int
    end: int
