"""The rule index kept beside the bytecode: the same rules as parsing the files, and read again
from the files as soon as one is added, removed or changed."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from asl_lint.engine import metadata
from asl_lint.engine.metadata import RuleMeta, parse_rule

RULE = """---
code: {code}
name: {name}
severity: warning
tags: [graph, http]
security-severity: 6.5
---
# {code} {name}

## What it finds
{finds}

## Example
```json
{{"StartAt": "A"}}
```
"""


@pytest.fixture()
def rules_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "ASL901.md").write_text(RULE.format(code="ASL901", name="first", finds="One thing."), encoding="utf-8")
    (folder / "ASL902.md").write_text(RULE.format(code="ASL902", name="second", finds="Another."), encoding="utf-8")
    (folder / "README.md").write_text("not a rule", encoding="utf-8")
    monkeypatch.setattr(metadata, "_rules_dir", lambda: folder)
    monkeypatch.setattr(metadata, "_kept_file", lambda: str(tmp_path / "cache" / "rules.marshal"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    metadata.all_rules.cache_clear()
    yield folder
    metadata.all_rules.cache_clear()


def _fresh() -> dict[str, RuleMeta]:
    metadata.all_rules.cache_clear()
    return metadata.all_rules()


def test_the_kept_index_gives_the_rules_the_files_give(rules_dir: Path) -> None:
    parsed = _fresh()  # reads the files, keeps the index
    assert (rules_dir.parent / "cache" / "rules.marshal").exists()
    kept = _fresh()
    assert list(kept) == ["ASL901", "ASL902"]
    assert kept == parsed
    first = kept["ASL901"]
    assert (first.name, first.severity.value, first.tags, first.security_severity, first.summary) == (
        "first", "warning", ("graph", "http"), 6.5, "One thing.")
    # the documentation is read from the file when asked for
    assert first.sections["What it finds"] == "One thing."
    assert first.examples("Example") == [("json", '{"StartAt": "A"}\n')]
    assert first.markdown == parse_rule((rules_dir / "ASL901.md").read_text(encoding="utf-8")).markdown


def test_a_changed_added_or_removed_file_is_read_again(rules_dir: Path) -> None:
    _fresh()
    changed = rules_dir / "ASL902.md"
    changed.write_text(RULE.format(code="ASL902", name="second-renamed", finds="Changed."), encoding="utf-8")
    stat = changed.stat()
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert _fresh()["ASL902"].name == "second-renamed"
    (rules_dir / "ASL903.md").write_text(RULE.format(code="ASL903", name="third", finds="New."), encoding="utf-8")
    assert list(_fresh()) == ["ASL901", "ASL902", "ASL903"]
    (rules_dir / "ASL901.md").unlink()
    assert list(_fresh()) == ["ASL902", "ASL903"]


def test_an_unreadable_index_is_ignored(rules_dir: Path) -> None:
    _fresh()
    (rules_dir.parent / "cache" / "rules.marshal").write_bytes(b"\x00garbage")
    assert list(_fresh()) == ["ASL901", "ASL902"]


def test_nothing_is_kept_where_python_keeps_no_bytecode(rules_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert list(_fresh()) == ["ASL901", "ASL902"]
    assert not (rules_dir.parent / "cache").exists()
