"""``asl-lint lsp``: the language server (pygls 2). It formats and navigates what the engine finds."""
