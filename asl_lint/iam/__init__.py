"""IAM coverage of the execution role: policy model and evaluator, per-task requirements, policy
sources (files, CloudFormation/SAM, Terraform), least-privilege generation and the coverage checks
behind ASL501-ASL507. Only the standard library is imported here.

How the rule layer calls it (plain data in, plain data out)::

    policies = policies_from_files(paths)                      # --policy FILE (repeatable)
    policies = policies_for_state_machine(template, "SM")      # or from the template's role
    arn = state_machine_arn(template, "SM")                    # or --state-machine-arn
    definition = definition_for_state_machine(template, "SM")  # substitutions resolved
    for p in check_state_machine(definition, policies, state_machine_arn=arn):
        ...  # p.code, p.message, p.pointer (from the definition root), p.state_name, p.fix

Unknown values are ``${...}`` placeholders (or ``None`` resources): they never prove a grant or a
denial. ``coverage(..., strict=True)`` also reports what cannot be proven.
"""

from __future__ import annotations

from asl_lint.iam.check import CoverageProblem, check_state_machine, coverage, overbroad
from asl_lint.iam.evaluate import Decision, PolicySet, Request, evaluate
from asl_lint.iam.generate import least_privilege_policy, policy_for_definition
from asl_lint.iam.policy import Policy, PolicyParseError, Statement, parse_cli_output, parse_policy
from asl_lint.iam.requirements import Requirement, machine_requirements, task_requirements
from asl_lint.iam.sources import (
    definition_for_state_machine,
    policies_for_state_machine,
    policies_from_files,
    policies_from_terraform_plan,
    state_machine_arn,
    template_resolver,
)

__all__ = [
    "CoverageProblem",
    "Decision",
    "Policy",
    "PolicyParseError",
    "PolicySet",
    "Request",
    "Requirement",
    "Statement",
    "check_state_machine",
    "coverage",
    "definition_for_state_machine",
    "evaluate",
    "least_privilege_policy",
    "machine_requirements",
    "overbroad",
    "parse_cli_output",
    "parse_policy",
    "policies_for_state_machine",
    "policies_from_files",
    "policies_from_terraform_plan",
    "policy_for_definition",
    "state_machine_arn",
    "task_requirements",
    "template_resolver",
]
