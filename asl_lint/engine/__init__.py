"""The rule engine: rule metadata from rules/*.md, check registration, dispatch, suppressions."""
