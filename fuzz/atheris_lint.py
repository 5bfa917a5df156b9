"""Coverage-guided fuzzing of the whole lint pipeline with atheris.

    pip install atheris
    python fuzz/atheris_lint.py -atheris_runs=200000 fuzz/seeds/

Any exception escaping ``lint_bytes`` is a bug (checks are isolated into ASL901 findings, which
this harness also treats as failures).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from asl_lint.config import Config
    from asl_lint.engine.runner import lint_bytes

CONFIG = Config()


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    as_yaml = provider.ConsumeBool()
    body = provider.ConsumeBytes(len(data))
    result = lint_bytes(body, "fuzz.asl.yaml" if as_yaml else "fuzz.asl.json", CONFIG).finish()
    if result.internal_errors or any(d.code == "ASL901" for d in result.diagnostics):
        raise RuntimeError(f"internal error: {result.internal_errors or result.diagnostics}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
