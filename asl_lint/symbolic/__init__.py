"""Symbolic evaluation: an abstract state of the data flowing through a definition (``flow``),
and Choice rules decided with an SMT solver (``choice``). Used by ``asl_lint.checks.evaluation``.

Everything here is sound in one direction only: what it reports is certain (or, for warnings,
certain on some path of the graph); whatever it cannot decide is "unknown" and reported as nothing.
"""
