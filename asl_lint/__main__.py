"""``python -m asl_lint`` is the same program as the ``asl-lint`` console script."""

from asl_lint.cli import run

run()
