"""Every string (member names and values) of the real-world corpus, scanned: findings must equal the
hand-reviewed list below, so a new false alarm (or a newly caught secret) shows up as a diff."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from asl_lint.secrets import scan, scan_tree
from tests.conftest import shared_path


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation short-form tags (!Ref, !Sub, !GetAtt, …) as plain nodes."""


def _any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


_CfnLoader.add_multi_constructor("!", _any_tag)


def _documents(path: Path) -> list[Any]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".json", ".asl"):
        try:
            return [json.loads(text)]
        except json.JSONDecodeError:
            pass  # a few "JSON" files are really YAML-ish or broken; try YAML below
    try:
        return list(yaml.load_all(text, Loader=_CfnLoader))
    except yaml.YAMLError:
        return []


def _strings(node: Any, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    """(member name, string) pairs; member names are yielded too, with no key."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield None, str(k)
            yield from _strings(v, str(k))
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, key)
    elif isinstance(node, str):
        yield key, node


# Reviewed by hand (2026-11-25). Every high-entropy token in the corpus (CDK physical names such as
# "MapStateCdkStack-ReadfromSQS7A438AF1-rxxSWTi0VGpc", asset hashes, the CDK "Analytics" gzip blob,
# S3 bucket names, ARNs, UUIDs) and every member whose name mentions a password, secret, token, key or
# credential was inspected: keys hold JSONPath/JSONata references, ${…} substitutions, ARNs, S3 object
# keys, or enum values (AuthType IAM_ROLE, ClientToken "clienttoken1"), never a credential. The corpus
# contains no inline secret, so the reviewed list of findings is empty.
EXPECTED_FINDINGS: list[tuple[str, str | None, str, str]] = []


def test_corpus_findings_equal_reviewed_list() -> None:
    root = shared_path("corpus")
    files = sorted(p for p in root.rglob("*") if p.suffix in (".json", ".yaml", ".yml", ".asl"))
    findings: list[tuple[str, str | None, str, str]] = []
    scanned = 0
    for path in files:
        name = str(path.relative_to(root))
        for doc in _documents(path):
            for key, value in _strings(doc):
                scanned += 1
                for m in scan(value, key=key):
                    findings.append((name, key, m.rule, value[m.start : m.start + 6]))
            # the tree walk adds Name/Value and argument-list context; it must agree
            for found in scan_tree(doc):
                findings.append((name, "/".join(map(str, found.path)), found.match.rule, "tree"))
    assert len(files) >= 300
    assert scanned > 50_000  # the walk really reached keys and values of every document
    assert findings == EXPECTED_FINDINGS
