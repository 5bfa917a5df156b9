"""Validation of config files with pydantic (imported only when a config file exists)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from asl_lint.config import (
    Config,
    ConfigError,
    HttpConfig,
    IamConfig,
    RetryConfig,
    SecretsConfig,
)
from asl_lint.diagnostics import Severity


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class _Http(_Strict):
    allowed_hosts: list[str] = Field(default_factory=list, alias="allowed-hosts")


class _Secrets(_Strict):
    allow_values: list[str] = Field(default_factory=list, alias="allow-values")
    allow_patterns: list[str] = Field(default_factory=list, alias="allow-patterns")

    @field_validator("allow_patterns")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        import re

        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
        return value


class _Retry(_Strict):
    transient_errors: dict[str, list[str]] = Field(default_factory=dict, alias="transient-errors")
    replace: list[str] = Field(default_factory=list)


class _Iam(_Strict):
    policies: list[str] = Field(default_factory=list)
    state_machine_arn: str | None = Field(default=None, alias="state-machine-arn")


class _Root(_Strict):
    select: list[str] = Field(default_factory=lambda: ["ALL"])
    ignore: list[str] = Field(default_factory=list)
    extend_select: list[str] = Field(default_factory=list, alias="extend-select")
    severity: dict[str, str] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict, alias="per-file-ignores")
    exclude: list[str] = Field(default_factory=list)
    fail_on: str = Field(default="warning", alias="fail-on")
    input_schema: str | None = Field(default=None, alias="input-schema")
    machine_type: Literal["STANDARD", "EXPRESS"] | None = Field(default=None, alias="machine-type")
    http: _Http = Field(default_factory=_Http)
    secrets: _Secrets = Field(default_factory=_Secrets)
    retry: _Retry = Field(default_factory=_Retry)
    iam: _Iam = Field(default_factory=_Iam)

    @field_validator("severity")
    @classmethod
    def _severities(cls, value: dict[str, str]) -> dict[str, str]:
        for key, level in value.items():
            Severity.parse(level)
            _known_selector(key)
        return value

    @field_validator("select", "ignore", "extend_select")
    @classmethod
    def _selectors(cls, value: list[str]) -> list[str]:
        for item in value:
            _known_selector(item)
        return value

    @field_validator("machine_type", mode="before")
    @classmethod
    def _machine_type(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value  # "express" as the CLI accepts it

    @field_validator("fail_on")
    @classmethod
    def _fail_on(cls, value: str) -> str:
        Severity.parse(value)
        return value


def _known_selector(selector: str) -> None:
    from asl_lint.engine.metadata import all_rules

    if selector.upper() == "ALL":
        return
    rules = all_rules()
    upper = selector.upper()
    if upper.startswith("ASL") and any(code.startswith(upper) for code in rules):
        return
    if any(meta.name == selector.lower() for meta in rules.values()):
        return
    raise ValueError(f"{selector!r} is not a rule code, code prefix or rule name")


def _relative_to(root: str, path: str) -> str:
    """A file named in a config file is relative to that file's folder (as ``exclude`` globs are),
    wherever asl-lint is run from."""
    import os

    return os.path.normpath(os.path.join(root, os.path.expanduser(path)))


def validate(data: dict[str, Any], *, source: str, root: str) -> Config:
    try:
        model = _Root.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "(top level)"
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            problems.append(f"{where}: {message}")
        raise ConfigError(f"{source}: invalid asl-lint configuration: " + "; ".join(problems)) from None
    return Config(
        select=tuple(model.select),
        ignore=tuple(model.ignore),
        extend_select=tuple(model.extend_select),
        severity={k: Severity.parse(v) for k, v in model.severity.items()},
        per_file_ignores={k: tuple(v) for k, v in model.per_file_ignores.items()},
        exclude=tuple(model.exclude),
        fail_on=Severity.parse(model.fail_on),
        http=HttpConfig(tuple(h.lower() for h in model.http.allowed_hosts)),
        secrets=SecretsConfig(tuple(model.secrets.allow_values), tuple(model.secrets.allow_patterns)),
        retry=RetryConfig(
            {k: tuple(v) for k, v in model.retry.transient_errors.items()}, tuple(model.retry.replace)
        ),
        iam=IamConfig(tuple(_relative_to(root, p) for p in model.iam.policies), model.iam.state_machine_arn),
        input_schema=None if model.input_schema is None else _relative_to(root, model.input_schema),
        machine_type=model.machine_type,
        source=source,
        root=root,
    )
