"""ASL301–ASL308: HTTP Task checks."""
