"""JSONPath text → the member/index steps the abstract domain understands."""

from __future__ import annotations

from functools import lru_cache

from asl_lint.symbolic.domain import Step


@lru_cache(maxsize=4096)
def input_steps(text: str) -> tuple[Step, ...] | None:
    """Steps of a definite ``$``-rooted path made of members and indices; None for anything else."""
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.jsonpath import Child, Index, parse_path
    from asl_lint.sources.base import is_unknown

    if not isinstance(text, str) or not text.startswith("$") or text.startswith("$$") or is_unknown(text):
        return None  # a ${...} placeholder could name any member
    try:
        path = parse_path(text)
    except (ExprSyntaxError, RecursionError):
        return None
    if path.root != "input":
        return None
    steps: list[Step] = []
    for segment in path.segments:
        if isinstance(segment, Child):
            steps.append(segment.name)
        elif isinstance(segment, Index):
            steps.append(segment.index)
        else:
            return None
    return tuple(steps)


def other_root(text: str) -> bool:
    """A parsable path rooted at the Context object or a variable (always unknown here)."""
    from asl_lint.expr.errors import ExprSyntaxError
    from asl_lint.expr.jsonpath import parse_path

    try:
        return parse_path(text).root != "input"
    except (ExprSyntaxError, RecursionError):
        return False
