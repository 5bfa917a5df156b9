"""A run pays only for the analyses it needs: what a one-file ``asl-lint check`` imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Loaded only when needed: the solver (a Choice the fast decisions leave open), the JSON Schema
# library (an input schema), pydantic (a config file), the IAM machinery (a role or --policy),
# hashlib/OpenSSL, and the helpers of rarer messages (suggestions, model timestamps).
NOT_NEEDED = ("z3", "jsonschema", "pydantic", "asl_lint.iam", "hashlib", "difflib", "fractions", "datetime",
              "asl_lint.sources.terraform.module", "hcl2")

RUN = """
import sys
from asl_lint.cli import main
sys.argv = ["asl-lint", "check", {path!r}]
try:
    main()
except SystemExit:
    pass
print("IMPORTED", sorted(n for n in {names!r} if n in sys.modules))
"""


def test_a_one_file_run_imports_only_what_it_needs(tmp_path: Path) -> None:
    definition = tmp_path / "flow.asl.json"
    definition.write_text(json.dumps({
        "StartAt": "Route",
        "States": {
            "Route": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Call"}],
                      "Default": "Done"},
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Next": "Done",
                     "Parameters": {"ApiEndpoint": "https://api.example.com/v1", "Method": "GET",
                                    "Authentication": {"ConnectionArn":
                                                       "arn:aws:events:us-east-1:123456789012:connection/c/1"}}},
            "Done": {"Type": "Succeed"},
        },
    }))
    code = RUN.format(path=str(definition), names=NOT_NEEDED)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "IMPORTED []", out.stdout


def test_expressions_import_hashing_only_to_hash(tmp_path: Path) -> None:
    # JSONata and the intrinsics are loaded by most definitions; hashlib and uuid (~10 ms, OpenSSL)
    # only by the few that call $hash/$uuid or States.Hash/States.UUID.
    definition = tmp_path / "flow.asl.json"
    definition.write_text(json.dumps({
        "StartAt": "Shape",
        "States": {
            "Shape": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength(States.Array(1, 2))"}, "Next": "Out"},
            "Out": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $merge([$states.input, {'n': 1}]) %}",
                    "End": True},
        },
    }))
    code = RUN.format(path=str(definition), names=("jsonata", "asl_lint.expr._intrinsic_impl", "hashlib", "uuid"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "IMPORTED ['asl_lint.expr._intrinsic_impl']", out.stdout


def test_jsonata_is_imported_only_to_evaluate(tmp_path: Path) -> None:
    # Parsing and checking JSONata is asl-lint's own; jsonata-python (≈ 30 ms) only evaluates: a
    # Choice's Conditions on the inputs the analysis tries, or an expression that reads nothing.
    definition = tmp_path / "flow.asl.json"
    states: dict[str, object] = {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Out",
                 "Arguments": {"FunctionName": "{% 'f' %}", "Payload": "{% $merge([$states.input, {'at': $now()}]) %}"}},
        "Out": {"Type": "Pass", "Output": "{% $states.input.items[price > 10].name %}", "End": True},
    }
    definition.write_text(json.dumps({"QueryLanguage": "JSONata", "StartAt": "Call", "States": states}))
    code = RUN.format(path=str(definition), names=("jsonata",))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "IMPORTED []", out.stdout
    states["Out"] = {"Type": "Pass", "Output": "{% $uppercase(1) %}", "End": True}  # always fails: evaluated
    definition.write_text(json.dumps({"QueryLanguage": "JSONata", "StartAt": "Call", "States": states}))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip().splitlines()[-1] == "IMPORTED ['jsonata']", out.stdout
