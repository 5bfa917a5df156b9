"""asl-lint: a static analyzer and linter for AWS Step Functions (Amazon States Language)."""

from __future__ import annotations

__version__ = "0.1.0"
