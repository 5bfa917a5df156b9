"""Error handling knowledge: which integration a Task calls, how AWS matches ErrorEquals,
which transient errors each integration raises, and whether a state's retriers cover them."""

from asl_lint.errors.coverage import Taker, first_taker, uncovered_transients
from asl_lint.errors.integration import Integration, classify
from asl_lint.errors.matching import KNOWN_STATES_ERRORS, matches, subsumed
from asl_lint.errors.table import TransientSpec, load_table, transient_spec

__all__ = [
    "KNOWN_STATES_ERRORS",
    "Integration",
    "Taker",
    "TransientSpec",
    "classify",
    "first_taker",
    "load_table",
    "matches",
    "subsumed",
    "transient_spec",
    "uncovered_transients",
]
