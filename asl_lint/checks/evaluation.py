"""ASL701–ASL706: symbolic evaluation of Pass and Choice states."""
