"""Locate state machine definitions in a parsed file: standalone, or inside CFN/SAM templates."""

from asl_lint.locate.base import LocatedDefinition, LocateResult, Placeholder, locate

__all__ = ["LocateResult", "LocatedDefinition", "Placeholder", "locate"]
