"""Rule checks, one module per area. ``MODULES`` is the explicit registration list."""

MODULES = (
    "asl_lint.checks.source",
    "asl_lint.checks.structure",
    "asl_lint.checks.graph",
    "asl_lint.checks.expressions",
    "asl_lint.checks.http",
    "asl_lint.checks.errors",
    "asl_lint.checks.iam",
    "asl_lint.checks.secrets",
    "asl_lint.checks.evaluation",
)
