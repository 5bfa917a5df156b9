"""The HTTP and secret rules on the real definitions in ../shared/corpus: every finding reviewed."""

from __future__ import annotations

import pytest

from asl_lint.config import Config
from asl_lint.engine.runner import lint_paths
from tests.conftest import shared_path

DDSA = "standalone/aws-samples__step-functions-workflows-collection/distributed-data-stream-aggregator__statemachine__"
CONNECTION = (
    "ConnectionArn 'ConnectionArn' is not an ARN; it must be an EventBridge connection ARN "
    "(arn:aws:events:<region>:<account>:connection/<name>/<id>)"
)
ENDPOINT = "ApiEndpoint starts with 'api_endpoint', so it is not an absolute URL: it must start with 'https://'"


@pytest.mark.slow
def test_corpus_findings_are_exactly_the_reviewed_ones() -> None:
    corpus = shared_path("corpus")
    result = lint_paths([str(corpus)], Config(select=("ASL3", "ASL6")))
    got = [(d.file[len(str(corpus)) + 1 :], d.line, d.code, d.message) for d in result.diagnostics]
    # The sample ships unreplaced stand-ins: a JSONata constant 'ConnectionArn' and an endpoint built from
    # the literal 'api_endpoint'; both fail at run time as written. No secret anywhere in the corpus.
    assert got == [
        (DDSA + "data-processing-child.asl.json", 20, "ASL303", ENDPOINT),
        (DDSA + "data-processing-child.asl.json", 23, "ASL306", CONNECTION),
        (DDSA + "statemachine.asl.json", 41, "ASL303", ENDPOINT),
        (DDSA + "statemachine.asl.json", 44, "ASL306", CONNECTION),
    ]
