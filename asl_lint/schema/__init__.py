"""asl-lint's own ASL JSON Schema (``asl.schema.json``) and the structural checks built on it.

- :func:`validate_definition`: ASL003 (and ASL005 for field maxima) problems of a whole definition;
- :func:`language_problems`: ASL004 query-language mismatches;
- :func:`limit_problems` / :func:`definition_size`: ASL005 quotas.
"""

from asl_lint.schema.language import language_problems
from asl_lint.schema.limits import definition_size, limit_problems
from asl_lint.schema.messages import SchemaProblem
from asl_lint.schema.validator import validate_definition

__all__ = [
    "SchemaProblem",
    "definition_size",
    "language_problems",
    "limit_problems",
    "validate_definition",
]
