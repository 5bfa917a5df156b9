"""Rule checks, one module per area. ``MODULES`` is the explicit registration list."""

MODULES = (
    "asl_lint.checks.source",
    "asl_lint.checks.graph",
)
