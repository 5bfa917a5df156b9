"""Source layer: text with a line index, and parsers that record the span of every node."""
