"""Configuration: ``[tool.asl-lint]`` in pyproject.toml or ``.asl-lint.toml``.

The runtime :class:`Config` is a plain dataclass so a run without a config file never imports
pydantic; files are validated by the pydantic models in ``config_schema`` (unknown keys are
an error, with the key named).
"""

from __future__ import annotations

import contextlib
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asl_lint.diagnostics import Severity


class ConfigError(Exception):
    """A config file that cannot be read or does not validate (exit code 2)."""


@dataclass(frozen=True)
class HttpConfig:
    """``[http]``: hosts an HTTP Task may call (empty: any)."""
    allowed_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecretsConfig:
    """``[secrets]``: values and patterns that look like secrets but are known not to be."""
    allow_values: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetryConfig:
    """``[retry]``: the transient errors each integration should retry, added to or replacing ours."""
    # Extra transient errors per integration key (e.g. "lambda", "http", "aws-sdk:dynamodb").
    transient_errors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Replace the built-in table for these integration keys instead of extending it.
    replace: tuple[str, ...] = ()


@dataclass(frozen=True)
class IamConfig:
    """``[iam]``: policy documents to check the definition against, and the machine's ARN."""
    policies: tuple[str, ...] = ()
    state_machine_arn: str | None = None


@dataclass(frozen=True)
class Config:
    """Everything a run is configured with (``[tool.asl-lint]``, ``.asl-lint.toml`` or options)."""
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    fail_on: Severity = Severity.WARNING
    http: HttpConfig = field(default_factory=HttpConfig)
    secrets: SecretsConfig = field(default_factory=SecretsConfig)
    retry: RetryConfig = field(default_factory=RetryConfig)
    iam: IamConfig = field(default_factory=IamConfig)
    input_schema: str | None = None
    # STANDARD or EXPRESS for standalone definitions (templates say it themselves); None: unknown.
    machine_type: str | None = None
    # Treat files named on the command line like discovered ones: skip those that hold no state
    # machine (the pre-commit template hook, which sees every file matching a name pattern).
    only_state_machines: bool = False
    source: str | None = None  # the file this came from
    root: str | None = None  # directory that relative globs are resolved against
    # code → chosen by select/extend-select and not ignored: asked for every rule of every file
    # (a code has one name), the answer was worked out again each time, 2 % of a corpus run.
    _chosen: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def with_overrides(self, **changes: Any) -> Config:
        from dataclasses import replace

        return replace(self, **changes)

    # --- rule selection -------------------------------------------------------------------
    def enabled(self, code: str, name: str, file: str | None = None) -> bool:
        chosen = self._chosen.get(code)
        if chosen is None:
            chosen = self._chosen[code] = any(
                _matches(sel, code, name) for sel in (*self.select, *self.extend_select)
            ) and not any(_matches(ign, code, name) for ign in self.ignore)
        if not chosen:
            return False
        if file is not None and self.per_file_ignores:
            for pattern, codes in self.per_file_ignores.items():
                if self._path_matches(file, pattern) and any(_matches(c, code, name) for c in codes):
                    return False
        return True

    def severity_for(self, code: str, name: str, default: Severity) -> Severity:
        for key, value in self.severity.items():
            if _matches(key, code, name) and key != "ALL":
                return value
        return default

    def excluded(self, file: str) -> bool:
        return any(self._path_matches(file, pattern) for pattern in self.exclude)

    def _path_matches(self, file: str, pattern: str) -> bool:
        path = Path(file)
        candidates = {file, path.as_posix(), path.name}
        if self.root:
            with contextlib.suppress(ValueError):
                candidates.add(path.resolve().relative_to(Path(self.root).resolve()).as_posix())
        for candidate in candidates:
            if fnmatch.fnmatch(candidate, pattern) or fnmatch.fnmatch(candidate, pattern.rstrip("/") + "/*"):
                return True
            # A pattern naming a directory excludes everything under it.
            parts = Path(candidate).parts
            for i in range(1, len(parts)):
                if fnmatch.fnmatch(Path(*parts[:i]).as_posix(), pattern.rstrip("/")):
                    return True
        return False


def _matches(selector: str, code: str, name: str) -> bool:
    selector = selector.strip()
    if selector.upper() == "ALL":
        return True
    upper = selector.upper()
    if upper.startswith("ASL"):
        return code.startswith(upper)
    return selector.lower() == name


# --- loading -----------------------------------------------------------------------------------
def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc


def find_config(start: Path) -> Path | None:
    """The nearest ``.asl-lint.toml``, or pyproject.toml with a ``[tool.asl-lint]`` table."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / ".asl-lint.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except OSError:
                continue
            if "[tool.asl-lint" in text:
                return pyproject
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("asl-lint", {})
    from asl_lint.config_schema import validate

    try:
        return validate(data, source=str(path), root=str(path.parent))
    except ConfigError:
        raise
    except Exception as exc:  # pragma: no cover - defensive: report any validation failure as usage error
        raise ConfigError(f"{path}: {exc}") from exc


def config_for(paths: list[str], explicit: str | None) -> Config:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"config file not found: {explicit}")
        return load_config(path)
    start = Path(paths[0]) if paths else Path.cwd()
    if not start.exists():
        start = Path.cwd()
    return load_config(find_config(start))
