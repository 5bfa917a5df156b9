"""``data "aws_iam_policy_document"``: the policy JSON the AWS provider builds from ``statement`` blocks.

Provider documentation: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document.
``source_policy_documents`` come first; a statement of the block replaces a source statement with
the same ``sid``; ``override_policy_documents`` then replace statements by ``sid`` (or are appended).
``principals`` are left out: they do not matter to an identity policy. A document some part of
which is not known statically (a source document computed elsewhere) is unknown as a whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from asl_lint.sources.terraform.values import Obj, Seq, Str, Unknown, Value, json_text, unknown, unknowns_in

if TYPE_CHECKING:
    from asl_lint.sources.terraform.hcl import Block
    from asl_lint.sources.terraform.module import Instance

_LISTS = (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
          ("not_resources", "NotResource"))


def policy_document(instance: Instance, block: Block) -> Value:
    from asl_lint.sources.terraform.evaluate import attribute

    address = f"{instance.prefix}data.aws_iam_policy_document.{block.labels[1]}"
    statements: list[Value] = []
    for key in ("source_policy_documents", "source_json"):
        for document in _documents(attribute(instance, block, key)):
            if isinstance(document, Unknown):
                return unknown(f"{address}.json", f"{address} merges a document not known statically")
            statements.extend(document)
    if any(dynamic.labels[:1] == ["statement"] for dynamic in block.body.blocks_of("dynamic")):
        return unknown(f"{address}.json", f"{address} has statements made by a dynamic block")
    for statement in block.body.blocks_of("statement"):
        value = _statement(instance, statement)
        _put(statements, value)
    for key in ("override_policy_documents", "override_json"):
        for document in _documents(attribute(instance, block, key)):
            if isinstance(document, Unknown):
                return unknown(f"{address}.json", f"{address} merges a document not known statically")
            for value in document:
                _put(statements, value)
    version = attribute(instance, block, "version")
    policy = Obj(block.file, block.span)
    policy.items["Version"] = version if version is not None else Str(text="2012-10-17", symbolic="2012-10-17")
    policy.items["Statement"] = Seq(block.file, block.span, items=statements)
    return Str(block.file, block.span, text=json_text(policy), symbolic=json_text(policy, symbolic=True),
               unknowns=tuple(unknowns_in(policy)), encoded=policy)


def _documents(value: Value | None) -> list[list[Value] | Unknown]:
    """The statements of each document of a list of JSON documents (or one, for the old *_json)."""
    if value is None:
        return []
    items = value.items if isinstance(value, Seq) else [value]
    out: list[list[Value] | Unknown] = []
    for item in items:
        document = _decoded(item)
        statements = document.items.get("Statement") if isinstance(document, Obj) else None
        if isinstance(statements, Seq):
            out.append(list(statements.items))
        elif isinstance(statements, Obj):
            out.append([statements])
        else:
            out.append(unknown("policy", "a policy document not known statically"))
    return out


def _decoded(value: Value) -> Value | None:
    import json

    from asl_lint.sources.terraform.evaluate import from_python

    if isinstance(value, Str) and value.encoded is not None:
        return value.encoded
    if isinstance(value, Str) and value.known:
        try:
            return from_python(json.loads(value.text))
        except (json.JSONDecodeError, RecursionError):
            return None
    return None


def _sid(statement: Value) -> str | None:
    sid = statement.items.get("Sid") if isinstance(statement, Obj) else None
    return sid.text if isinstance(sid, Str) and sid.known and sid.text else None


def _put(statements: list[Value], value: Value) -> None:
    sid = _sid(value)
    for index, existing in enumerate(statements):
        if sid is not None and _sid(existing) == sid:
            statements[index] = value
            return
    statements.append(value)


def _statement(instance: Instance, block: Block) -> Value:
    from asl_lint.sources.terraform.evaluate import attribute

    out = Obj(block.file, block.span)
    sid = attribute(instance, block, "sid")
    if sid is not None:
        out.items["Sid"] = sid
    effect = attribute(instance, block, "effect")
    out.items["Effect"] = effect if effect is not None else Str(text="Allow", symbolic="Allow")
    for key, name in _LISTS:
        value = attribute(instance, block, key)
        if value is not None:
            out.items[name] = value
    conditions = Obj(block.file, block.span)
    for condition in block.body.blocks_of("condition"):
        test, variable, values = (attribute(instance, condition, k) for k in ("test", "variable", "values"))
        if not (isinstance(test, Str) and test.known and isinstance(variable, Str) and variable.known):
            return unknown("statement", "a policy condition not known statically")
        group = conditions.items.setdefault(test.text, Obj(block.file, block.span))
        if isinstance(group, Obj) and values is not None:
            group.items[variable.text] = values
    if conditions.items:
        out.items["Condition"] = conditions
    return out
