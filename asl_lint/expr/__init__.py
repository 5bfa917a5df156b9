"""Expression layer: ASL JSONPath, intrinsic functions and JSONata (parsing and evaluation)."""
