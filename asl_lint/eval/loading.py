"""Reading a definition given as a dict or as JSON/YAML text."""

from __future__ import annotations

import json
from typing import Any


def load_definition(definition: dict[str, Any] | str) -> dict[str, Any]:
    """A definition dict from a dict or JSON/YAML text; ValueError when it is not an object."""
    if isinstance(definition, dict):
        return definition
    try:
        value = json.loads(definition)
    except ValueError:
        import yaml

        value = yaml.safe_load(definition)
    if not isinstance(value, dict):
        raise ValueError("the definition must be a JSON/YAML object")
    return value
