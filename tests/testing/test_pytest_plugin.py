"""The pytest plugin (loaded through its pytest11 entry point): suite files collected as tests, one per case."""

from __future__ import annotations

import shutil

import pytest
import yaml

# Loaded before pytester's in-process runs, which drop the modules a run imported: PyYAML imported
# again in a later run would build nodes of other classes than its C parser's.
import asl_lint.testing.runner  # noqa: F401
from tests.testing.helpers import FIXTURES

assert yaml.SafeLoader



def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function", *args)


def test_suites_are_collected_one_test_per_case_with_the_diff_on_failure(pytester: pytest.Pytester) -> None:
    shutil.copytree(FIXTURES / "lambda-sqs", pytester.path / "flows")
    result = _run(pytester, "-v", "--asl-coverage")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "flows/lambda-sqs.sfn-test.yaml::HappyPath PASSED*",
        "flows/lambda-sqs.sfn-test.yaml::RetryPath PASSED*",
        "flows/lambda-sqs.sfn-test.yaml::HybridPath FAILED*",
        "case 'HybridPath' of flows/lambda-sqs.sfn-test.yaml (FAILED):",
        "  Task state 'SQSState' has no mocked response in test case 'HybridPath'.*",
        "*asl-lint workflow coverage*",
        "states    2/2",
        "choices   0/0",
        "retriers  1/1",
    ])


def test_cases_are_selected_with_k(pytester: pytest.Pytester) -> None:
    shutil.copytree(FIXTURES / "orders", pytester.path / "orders")
    result = _run(pytester, "-k", "BigOrder")
    result.assert_outcomes(passed=1, deselected=3)


def test_a_bad_suite_fails_with_its_problems(pytester: pytest.Pytester) -> None:
    pytester.makefile(".sfn-test.yaml", bad="stateMachine: missing.asl.json\ncases: {A: {}}\n")
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "the suite cannot be run:",
        "  bad.sfn-test.yaml:1:15: stateMachine: no such file 'missing.asl.json' (paths are relative to the "
        "suite's folder)",
    ])


def test_collection_can_be_switched_off(pytester: pytest.Pytester) -> None:
    shutil.copytree(FIXTURES / "orders", pytester.path / "orders")
    pytester.makeini("[pytest]\nasl_lint_suites = false\n")
    result = _run(pytester)
    result.assert_outcomes()
