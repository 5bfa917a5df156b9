"""``check --cache``: per-file results on disk, so unchanged files are not linted again.

An entry holds the result of one *unit* (``asl_lint.sources.project``: a file, or the files of a
project linted together, e.g. a SAM template and the definition files it names, each linted with
its machine's context). It is keyed by the paths and content hashes of every file the result
depends on (the linted files and the infrastructure files that give them contexts), the config
(and the content of the files it names: policies, input schema), the asl-lint version and a
fingerprint of the installed code and rule documents. A key that matches gives exactly what
linting would. Not cached: units with a file that could not be read or is over the size limit,
runs that hit an internal error, and anything whose secrets cannot be stored as positions in the
file that holds them.

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
    from asl_lint.sources.project import Unit

CACHE_DIR = ".asl-lint-cache"
ENTRY_FORMAT = 2
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


def entry_key(salt: str, unit: Unit, contents: dict[str, bytes]) -> str:
    digest = hashlib.sha256(salt.encode())
    for member in unit.files:
        digest.update(f"\0{member.file}\0{int(member.explicit)}\0{int(member.infrastructure)}".encode())
    for path in unit.inputs:
        digest.update(f"\0{path}\0{hashlib.sha256(contents[path]).hexdigest()}".encode())
    return digest.hexdigest()


# --- (de)serialising -------------------------------------------------------------------------------
def _positions(secrets: Iterable[str], texts: dict[str, str], files: Iterable[str]) -> list[list[Any]]:
    """Each secret as (file, start, end) in the first file that spells it verbatim."""
    out: list[list[Any]] = []
    for secret in sorted(set(secrets)):
        for file in files:
            text = texts.get(file, "")
            start = text.find(secret) if secret else -1
            if start >= 0:
                out.append([file, start, start + len(secret)])
                break
        else:
            raise _Uncacheable("a secret is not spelled verbatim in the files")
    return out


def _secrets(positions: list[list[Any]], texts: dict[str, str]) -> set[str]:
    return {texts[file][a:b] for file, a, b in positions}


def _diag_to_json(diag: Diagnostic, texts: dict[str, str]) -> dict[str, Any]:
    data = {f.name: getattr(diag, f.name) for f in fields(Diagnostic) if f.name not in ("secrets", "fix")}
    data["severity"] = diag.severity.value
    data["secrets"] = _positions(diag.secrets, texts, [diag.file, *texts])
    data["fix"] = diag.fix.to_dict() if diag.fix is not None else None
    return data


def _diag_from_json(data: dict[str, Any], texts: dict[str, str]) -> Diagnostic:
    values = dict(data)
    values["severity"] = Severity(values["severity"])
    values["secrets"] = tuple(sorted(_secrets(values["secrets"], texts)))
    fix = values.pop("fix")
    if fix is not None:
        edits = tuple(Edit(e["op"], e["pointer"], e["value"]) for e in fix["edits"])
        values["fix"] = Fix(fix["title"], edits)
    return Diagnostic(**values)


def to_entry(result: LintResult | None, texts: dict[str, str]) -> dict[str, Any]:
    if result is None:
        return {"format": ENTRY_FORMAT, _SKIPPED: True}
    if result.internal_errors:
        raise _Uncacheable("internal error")
    if set(result.texts) - set(texts):
        raise _Uncacheable("a file outside the unit")
    return {
        "format": ENTRY_FORMAT,
        "files": result.files,
        "definitions": result.definitions,
        "unparsable": result.unparsable,
        "secrets": _positions(result.secrets, texts, list(texts)),
        "diagnostics": [_diag_to_json(d, texts) for d in result.diagnostics],
        "suppressed": [_diag_to_json(d, texts) for d in result.suppressed],
    }


def from_entry(entry: dict[str, Any], texts: dict[str, str]) -> LintResult | None:
    from asl_lint.engine.runner import LintResult

    if entry.get("format") != ENTRY_FORMAT:
        raise ValueError("old entry format")
    if entry.get(_SKIPPED):
        return None
    files = list(entry["files"])
    return LintResult(
        files=files,
        diagnostics=[_diag_from_json(d, texts) for d in entry["diagnostics"]],
        suppressed=[_diag_from_json(d, texts) for d in entry["suppressed"]],
        definitions=entry["definitions"],
        unparsable=entry["unparsable"],
        texts={file: texts[file] for file in files},
        secrets=_secrets(entry["secrets"], texts),
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
def _read(unit: Unit) -> dict[str, bytes] | None:
    """The content of every input of the unit when its result may be cached, else None."""
    from asl_lint.engine.runner import MAX_FILE_BYTES

    contents: dict[str, bytes] = {}
    for path in unit.inputs:
        try:
            if os.path.getsize(path) > MAX_FILE_BYTES:
                return None
            contents[path] = Path(path).read_bytes()
        except OSError:
            return None
    return contents


def lint_paths_cached(paths: Iterable[str], config: Config, *, jobs: int = 1,
                      cache_dir: Path | None = None) -> LintResult:
    """What ``engine.runner.lint_paths`` returns, reusing stored per-unit results."""
    from asl_lint.engine.runner import LintResult, _lint_one, decode
    from asl_lint.sources.project import plan

    root = cache_dir or default_cache_dir(config)
    _prepare(root)
    salt = f"{code_fingerprint()}\0{config_fingerprint(config)}"
    units = plan(paths, config)
    outcomes: list[LintResult | None] = []
    misses: list[int] = []
    pending: dict[int, tuple[str, dict[str, str]]] = {}  # index -> (key, decoded texts)
    for index, unit in enumerate(units):
        contents = _read(unit)
        outcomes.append(None)
        if contents is None:
            misses.append(index)
            continue
        key = entry_key(salt, unit, contents)
        texts = {path: decode(data)[0] for path, data in contents.items()}
        entry = _load(root, key)
        if entry is not None:
            try:
                outcomes[index] = from_entry(entry, texts)
                continue
            except (KeyError, TypeError, ValueError, IndexError):
                pass  # a damaged or foreign entry: lint again and overwrite it
        misses.append(index)
        pending[index] = (key, texts)
    from asl_lint.engine.parallel import map_in_processes, resolve_jobs

    jobs_args = [(units[i], config) for i in misses]
    linted = map_in_processes(_lint_one, jobs_args, resolve_jobs(jobs, len(jobs_args)))
    for index, outcome in zip(misses, linted, strict=True):
        if outcome is not None:
            # Redact per unit now, as stored entries are (finish() redacts across units again).
            outcome.finish()
        outcomes[index] = outcome
        if index in pending:
            key, texts = pending[index]
            if outcome is not None and any(texts.get(f, t) != t for f, t in outcome.texts.items()):
                continue  # a file changed while it was linted: that result belongs to no key
            with contextlib.suppress(_Uncacheable, TypeError, ValueError):  # just not cached
                _store(root, key, to_entry(outcome, texts))
    total = LintResult()
    for outcome in outcomes:
        if outcome is not None:
            total.extend(outcome)
    return total.finish()
