"""Resolving CloudFormation intrinsics to the ARNs, names and URLs they stand for, statically.

``template_resolver(template)`` returns a function that rewrites a JSON value, turning ``Ref``,
``Fn::GetAtt``, ``Fn::Sub``, ``Fn::Join``, ``Fn::Select``, ``Fn::Split``, ``Fn::FindInMap`` into
strings. What the template does not say becomes a named ``${...}`` placeholder: the same unknown
gets the same name everywhere, so a policy built with ``!GetAtt Fn.Arn`` matches a definition that
uses ``!GetAtt Fn.Arn`` (symbolic match) while never being assumed equal to anything else.
Facts and sources: docs/sources.md#cloudformation-intrinsics-and-what-refgetatt-return.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from asl_lint.iam.cfn_types import TYPES as _TYPES

Resolver = Callable[[Any], Any]


class _NoValue:
    """``AWS::NoValue``: the property or list element disappears."""


NO_VALUE = _NoValue()
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def _pseudo(name: str, partition: str, region: str | None, account: str | None) -> Any:
    return {
        "AWS::Partition": partition,
        "AWS::Region": region or "${AWS::Region}",
        "AWS::AccountId": account or "${AWS::AccountId}",
        "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
        "AWS::NoValue": NO_VALUE,
    }.get(name, "${" + name + "}")


def template_resolver(
    template: Mapping[str, Any],
    *,
    partition: str = "aws",
    region: str | None = None,
    account: str | None = None,
) -> Resolver:
    """A function that resolves intrinsics in any value taken from ``template`` (see module doc)."""
    resources: Mapping[str, Any] = template.get("Resources") or {}
    parameters: Mapping[str, Any] = template.get("Parameters") or {}
    mappings: Mapping[str, Any] = template.get("Mappings") or {}

    def fmt(pattern: str, logical: str, name: str) -> str:
        return pattern.format(
            P=partition,
            R=region or "${AWS::Region}",
            A=account or "${AWS::AccountId}",
            S=_pseudo("AWS::URLSuffix", partition, region, account),
            name=name,
            L=logical,
        )

    def name_of(logical: str, prop: str) -> str:
        props = (resources.get(logical) or {}).get("Properties") or {}
        value = resolve(props.get(prop)) if prop in props else None
        return value if isinstance(value, str) else "${" + logical + ".Name}"

    def ref(target: str) -> Any:
        if target.startswith("AWS::"):
            return _pseudo(target, partition, region, account)
        if target in parameters:
            default = (parameters[target] or {}).get("Default")
            return str(default) if isinstance(default, (str, int, float)) else "${" + target + "}"
        res = resources.get(target)
        if isinstance(res, Mapping) and res.get("Type") in _TYPES:
            prop, ref_pattern, _ = _TYPES[res["Type"]]
            return fmt(ref_pattern, target, name_of(target, prop))
        return "${" + target + "}"

    def getatt(logical: str, attr: str) -> Any:
        res = resources.get(logical)
        if isinstance(res, Mapping) and res.get("Type") in _TYPES:
            prop, _, attrs = _TYPES[res["Type"]]
            if attr in attrs:
                return fmt(attrs[attr], logical, name_of(logical, prop))
        return "${" + logical + "." + attr + "}"

    def sub(text: str, variables: Mapping[str, Any]) -> str:
        def one(m: re.Match[str]) -> str:
            key = m.group(1).strip()
            if key.startswith("!"):
                return "${" + key[1:] + "}"
            if key in variables:
                value = resolve(variables[key])
            elif "." in key and not key.startswith("AWS::"):
                value = getatt(*key.split(".", 1))
            else:
                value = ref(key)
            return value if isinstance(value, str) else "${" + key + "}"

        return _SUB_VAR.sub(one, text)

    def intrinsic(fn: str, arg: Any) -> Any:
        if fn == "Ref" and isinstance(arg, str):
            return ref(arg)
        if fn == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else list(arg)
            if len(parts) == 2 and all(isinstance(p, str) for p in parts):
                return getatt(parts[0], parts[1])
        if fn == "Fn::Sub":
            if isinstance(arg, str):
                return sub(arg, {})
            if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
                return sub(arg[0], arg[1] if isinstance(arg[1], Mapping) else {})
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            parts = resolve(arg[1])
            if isinstance(parts, list) and all(isinstance(p, str) for p in parts):
                return str(arg[0]).join(parts)
        if fn == "Fn::Select" and isinstance(arg, list) and len(arg) == 2:
            items = resolve(arg[1])
            index = resolve(arg[0])
            if isinstance(items, list) and str(index).isdigit() and int(index) < len(items):
                return items[int(index)]
        if fn == "Fn::Split" and isinstance(arg, list) and len(arg) == 2:
            text = resolve(arg[1])
            if isinstance(text, str) and "${" not in text:
                return text.split(str(arg[0]))
        if fn == "Fn::FindInMap" and isinstance(arg, list) and len(arg) == 3:
            keys = [resolve(k) for k in arg]
            try:
                return resolve(mappings[keys[0]][keys[1]][keys[2]])
            except (KeyError, TypeError):
                pass
        if fn == "Fn::ToJsonString":
            return json.dumps(resolve(arg), separators=(",", ":"))
        if fn == "Fn::ImportValue":
            name = resolve(arg)
            return "${ImportValue:" + (name if isinstance(name, str) else "?") + "}"
        # Same expression, same name: the policy and the definition still compare symbolically.
        import hashlib  # only for the rare unresolvable intrinsic

        digest = hashlib.sha1(json.dumps(arg, sort_keys=True, default=str).encode()).hexdigest()[:8]
        return "${" + fn + "#" + digest + "}"

    def resolve(value: Any) -> Any:
        if isinstance(value, Mapping):
            if len(value) == 1:
                ((key, arg),) = value.items()
                if key == "Ref" or key.startswith("Fn::"):
                    return intrinsic(key, arg)
            out = {k: resolve(v) for k, v in value.items()}
            return {k: v for k, v in out.items() if v is not NO_VALUE}
        if isinstance(value, list):
            return [v for v in (resolve(x) for x in value) if v is not NO_VALUE]
        return value

    return resolve


def apply_substitutions(value: Any, substitutions: Mapping[str, Any]) -> Any:
    """Replace ``${key}`` markers in every string of a definition with (resolved) substitution values."""
    if isinstance(value, str):

        def one(m: re.Match[str]) -> str:
            found = substitutions.get(m.group(1))
            return found if isinstance(found, str) else str(found) if isinstance(found, (int, float)) else m.group(0)

        return _SUB_VAR.sub(one, value)
    if isinstance(value, Mapping):
        return {k: apply_substitutions(v, substitutions) for k, v in value.items()}
    if isinstance(value, list):
        return [apply_substitutions(v, substitutions) for v in value]
    return value
