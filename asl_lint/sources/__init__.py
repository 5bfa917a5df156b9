"""Where state machine definitions come from: one module per project layout behind one interface.

See :mod:`asl_lint.sources.base` for the interface every layout implements.
"""
