"""The Context object (``$$`` / ``$states.context``): which member chains exist, and where."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asl_lint.expr._jsonpath_ast import Child, Path

# Member chains of the Context object. "*" = any value below (Execution.Input is the user's input).
CONTEXT_FIELDS: dict[str, Any] = {
    "Execution": {
        "Id": None,
        "Input": "*",
        "Name": None,
        "RoleArn": None,
        "StartTime": None,
        "RedriveCount": None,
        "RedriveTime": None,
    },
    "State": {"EnteredTime": None, "Name": None, "RetryCount": None},
    "StateMachine": {"Id": None, "Name": None},
    "Task": {"Token": None},
    "Map": {"Item": {"Index": None, "Value": "*", "Key": None, "Source": None}},
}


def check_context_path(path: Path, *, in_map: bool, in_map_item_selector: bool, callback: bool) -> str | None:
    """A message when a ``$$.`` path names a Context field that does not exist here, else None.

    ``in_map``: inside a Map's ItemProcessor/Iterator; ``in_map_item_selector``: in the Map's
    ItemSelector/Parameters (where ``$$.Map.Item`` lives); ``callback``: a ``.waitForTaskToken`` Task.
    """
    if path.root != "context":
        return None
    chain: list[str | int] = []
    for seg in path.segments:  # only the leading member chain names Context fields
        if not isinstance(seg, Child):
            break
        chain.append(seg.name)
    return check_context_chain(
        tuple(chain), in_map=in_map, in_map_item_selector=in_map_item_selector, callback=callback
    )


def check_context_chain(
    chain: tuple[str | int, ...],
    *,
    in_map: bool,
    in_map_item_selector: bool,
    callback: bool,
    prefix: str = "$$",
) -> str | None:
    """Like ``check_context_path`` for a member chain; ``prefix`` is ``$$`` or ``$states.context``
    (JSONata) and is used in the messages."""
    node: Any = CONTEXT_FIELDS
    walked: list[str] = []
    for part in chain:
        if node == "*":
            break
        if not isinstance(node, Mapping):
            return f"{prefix}.{'.'.join(walked)} has no field {part!r}"
        if not isinstance(part, str) or part not in node:
            wanted = f"{prefix}." + ".".join([*walked, str(part)])
            # Suggest a sibling at the same level (a shared prefix would make every chain look close).
            import difflib

            close = difflib.get_close_matches(str(part), list(node), n=1, cutoff=0.6)
            hint = f"; did you mean {prefix}.{'.'.join([*walked, close[0]])}?" if close else ""
            return f"The Context object has no field {wanted}{hint}"
        walked.append(part)
        node = node[part]
    if walked[:1] == ["Map"] and not (in_map_item_selector or in_map):
        return f"{prefix}.Map is only available in a Map state's ItemSelector"
    if walked[:1] == ["Map"] and not in_map_item_selector:
        return f"{prefix}.Map.Item is only available in the Map state's ItemSelector, not inside its states"
    if walked[:1] == ["Task"] and not callback:
        return f"{prefix}.Task.Token is only available in a Task state using .waitForTaskToken"
    return None
