"""Inline-secret detection (ASL601–ASL603): find, mask and redact secrets written into definitions."""

from asl_lint.secrets.detector import AllowList, SecretMatch, manual_auth, mask, redact, scan
from asl_lint.secrets.tree import TreeMatch, scan_tree

__all__ = ["AllowList", "SecretMatch", "TreeMatch", "manual_auth", "mask", "redact", "scan", "scan_tree"]
