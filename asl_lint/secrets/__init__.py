"""Inline-secret detection (ASL601–ASL603): find, mask and redact secrets written into definitions."""

from asl_lint.secrets.detector import AllowList, SecretMatch, manual_auth, mask, redact, scan

__all__ = ["AllowList", "SecretMatch", "manual_auth", "mask", "redact", "scan"]
