"""ASL003–ASL006: structure against asl-lint's own ASL JSON Schema, query-language mismatches, quotas, placeholders."""
