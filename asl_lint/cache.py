"""``check --cache``: per-file results on disk, so unchanged files are not linted again.

An entry is keyed by the file's content hash, its path (diagnostics name it, per-file ignores
match it), the config (and the content of the files it names: policies, input schema), the
asl-lint version and a fingerprint of the installed code and rule documents. A key that matches
gives exactly what linting would. Not cached: files that could not be read or are over the size
limit, SAM templates with ``DefinitionUri`` (their result depends on another file), runs that hit
an internal error, and anything whose secrets cannot be stored as positions in the file.

Secret values are never written to the cache: messages are stored after redaction, and the
secrets needed to redact other outputs are stored as offsets into the (hashed) file text.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asl_lint import __version__
from asl_lint.diagnostics import Diagnostic, Edit, Fix, Severity

if TYPE_CHECKING:
    from asl_lint.config import Config
    from asl_lint.engine.runner import LintResult

CACHE_DIR = ".asl-lint-cache"
ENTRY_FORMAT = 1
_SKIPPED = "skipped"  # an entry for a discovered file that is not a definition


class _Uncacheable(Exception):
    pass


# --- keys ----------------------------------------------------------------------------------------
@cache
def code_fingerprint() -> str:
    """Changes whenever the package code or a rule document changes (content, not mtimes, so a
    fresh install of the same version in another CI job reuses the cache)."""
    from asl_lint.engine.metadata import _rules_dir

    digest = hashlib.sha256(__version__.encode())
    for base in (Path(__file__).resolve().parent, _rules_dir()):
        for root, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json", ".md", ".yaml", ".toml", ".txt")):
                    path = os.path.join(root, name)
                    digest.update(os.path.relpath(path, base).encode() + b"\0")
                    digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


def _file_digest(path: str | None) -> str:
    if path is None:
        return "-"
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def config_fingerprint(config: Config) -> str:
    referenced = [*config.iam.policies, config.input_schema]
    parts = [repr(config), *(f"{p}={_file_digest(p)}" for p in referenced)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def entry_key(salt: str, file: str, explicit: bool, data: bytes) -> str:
    content = hashlib.sha256(data).hexdigest()
    return hashlib.sha256(f"{salt}\0{file}\0{int(explicit)}\0{content}".encode()).hexdigest()


# --- (de)serialising -------------------------------------------------------------------------------
def _positions(secrets: Iterable[str], text: str) -> list[list[int]]:
    out = []
    for secret in sorted(set(secrets)):
        start = text.find(secret) if secret else -1
        if start < 0:
            raise _Uncacheable("a secret is not spelled verbatim in the file")
        out.append([start, start + len(secret)])
    return out


def _diag_to_json(diag: Diagnostic, text: str) -> dict[str, Any]:
    data = {f.name: getattr(diag, f.name) for f in fields(Diagnostic) if f.name not in ("secrets", "fix")}
    data["severity"] = diag.severity.value
    data["secrets"] = _positions(diag.secrets, text)
    data["fix"] = diag.fix.to_dict() if diag.fix is not None else None
    return data


def _diag_from_json(data: dict[str, Any], text: str) -> Diagnostic:
    values = dict(data)
    values["severity"] = Severity(values["severity"])
    values["secrets"] = tuple(text[a:b] for a, b in values["secrets"])
    fix = values.pop("fix")
    if fix is not None:
        edits = tuple(Edit(e["op"], e["pointer"], e["value"]) for e in fix["edits"])
        values["fix"] = Fix(fix["title"], edits)
    return Diagnostic(**values)


def to_entry(result: LintResult | None, text: str) -> dict[str, Any]:
    if result is None:
        return {"format": ENTRY_FORMAT, _SKIPPED: True}
    if result.internal_errors:
        raise _Uncacheable("internal error")
    return {
        "format": ENTRY_FORMAT,
        "definitions": result.definitions,
        "unparsable": result.unparsable,
        "secrets": _positions(result.secrets, text),
        "diagnostics": [_diag_to_json(d, text) for d in result.diagnostics],
        "suppressed": [_diag_to_json(d, text) for d in result.suppressed],
    }


def from_entry(entry: dict[str, Any], file: str, text: str) -> LintResult | None:
    from asl_lint.engine.runner import LintResult

    if entry.get("format") != ENTRY_FORMAT:
        raise ValueError("old entry format")
    if entry.get(_SKIPPED):
        return None
    return LintResult(
        files=[file],
        diagnostics=[_diag_from_json(d, text) for d in entry["diagnostics"]],
        suppressed=[_diag_from_json(d, text) for d in entry["suppressed"]],
        definitions=entry["definitions"],
        unparsable=entry["unparsable"],
        texts={file: text},
        secrets={text[a:b] for a, b in entry["secrets"]},
    )


# --- the store -------------------------------------------------------------------------------------
def default_cache_dir(config: Config) -> Path:
    return Path(config.root or os.getcwd()) / CACHE_DIR


def _prepare(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    marker = root / ".gitignore"
    if not marker.exists():  # never committed, like other tools' caches
        marker.write_text("# Created by asl-lint automatically.\n*\n", encoding="utf-8")


def _path(root: Path, key: str) -> Path:
    return root / f"v{ENTRY_FORMAT}" / key[:2] / f"{key}.json"


def _load(root: Path, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_path(root, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _store(root: Path, key: str, entry: dict[str, Any]) -> None:
    target = _path(root, key)
    text = json.dumps(entry, ensure_ascii=False)  # TypeError for a value JSON cannot hold
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: parallel pre-commit batches may store the same entry at once.
        fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, target)
    except OSError:
        pass  # a read-only or full disk only costs speed


# --- the run ---------------------------------------------------------------------------------------
def _read(file: str) -> bytes | None:
    """The file's bytes when its result may be cached, else None."""
    from asl_lint.engine.runner import MAX_FILE_BYTES

    try:
        if os.path.getsize(file) > MAX_FILE_BYTES:
            return None
        data = Path(file).read_bytes()
    except OSError:
        return None
    return None if b"DefinitionUri" in data else data


def lint_paths_cached(paths: Iterable[str], config: Config, *, jobs: int = 1,
                      cache_dir: Path | None = None) -> LintResult:
    """What ``engine.runner.lint_paths`` returns, reusing stored per-file results."""
    from asl_lint.engine.runner import LintResult, _lint_one, decode, discover

    root = cache_dir or default_cache_dir(config)
    _prepare(root)
    salt = f"{code_fingerprint()}\0{config_fingerprint(config)}"
    files = discover(paths, config)
    outcomes: list[LintResult | None] = []
    misses: list[int] = []
    pending: dict[int, tuple[str, str]] = {}  # index -> (key, decoded text)
    for index, (file, explicit) in enumerate(files):
        data = _read(file)
        outcomes.append(None)
        if data is None:
            misses.append(index)
            continue
        key = entry_key(salt, file, explicit, data)
        text = decode(data)[0]
        entry = _load(root, key)
        if entry is not None:
            try:
                outcomes[index] = from_entry(entry, file, text)
                continue
            except (KeyError, TypeError, ValueError):
                pass  # a damaged or foreign entry: lint again and overwrite it
        misses.append(index)
        pending[index] = (key, text)
    from asl_lint.engine.parallel import map_in_processes, resolve_jobs

    jobs_args = [(files[i][0], files[i][1], config) for i in misses]
    linted = map_in_processes(_lint_one, jobs_args, resolve_jobs(jobs, len(jobs_args)))
    for index, outcome in zip(misses, linted, strict=True):
        if outcome is not None:
            # Redact per file now, as stored entries are (finish() redacts across files again).
            outcome.finish()
        outcomes[index] = outcome
        if index in pending:
            key, text = pending[index]
            if outcome is not None and outcome.texts.get(files[index][0], text) != text:
                continue  # the file changed while it was linted: that result belongs to no key
            with contextlib.suppress(_Uncacheable, TypeError, ValueError):  # just not cached
                _store(root, key, to_entry(outcome, text))
    total = LintResult()
    for outcome in outcomes:
        if outcome is not None:
            total.extend(outcome)
    return total.finish()
