"""Evaluating Terraform expressions statically, in one module instance.

What is read: literals, strings and heredocs (templates with ``${}``/``%{ if }``/``%{ for }``),
lists, objects, ``var.*`` (see :mod:`.module` for where values come from), ``local.*``,
``module.<local module>.<output>``, ``path.module``/``path.root``/``path.cwd``, resource attributes
(set in the configuration, or computed: see :mod:`.resources`), ``data.template_file.*.rendered``,
``data.aws_iam_policy_document.*.json``, the region/account/partition data sources, conditionals and
operators on known values, and the functions in ``FUNCTIONS``. Everything else — ``count``/
``for_each`` values, ``for`` and splat expressions, other functions and data sources, remote
modules — is an :class:`Unknown` with a name, never a guess.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from asl_lint.source.text import LineIndex, Span
from asl_lint.sources.base import ResourceRef, Site
from asl_lint.sources.offsets import MappedText
from asl_lint.sources.stamps import Stamp, now, settled, stamp
from asl_lint.sources.terraform import hcl, resources
from asl_lint.sources.terraform.module import Instance, read_tf
from asl_lint.sources.terraform.template import For, If, Interp, Lit, Part, TemplateError, parse_template
from asl_lint.sources.terraform.values import (
    FileOrigin,
    Obj,
    Prim,
    Seq,
    Str,
    Unknown,
    Value,
    json_text,
    text_of,
    to_python,
    unknown,
    unknowns_in,
)

_MAX_DEPTH = 60
# Files read (templates, policies), for positions: path -> (stamp, text, settled; see sources.stamps).
_TEXTS: dict[str, tuple[Stamp, str, bool]] = {}
READ: set[str] = set()  # the files read since the caller last cleared it (what a result depends on)


@dataclass
class Env:
    """Where an expression is evaluated: a module instance (None inside ``templatefile``), the file
    it is written in, and names bound by a template's variables or a ``for`` directive."""

    instance: Instance | None
    file: str
    names: Mapping[str, Value] = field(default_factory=dict)
    depth: int = 0

    def bind(self, names: Mapping[str, Value]) -> Env:
        return Env(self.instance, self.file, {**self.names, **names}, self.depth)


def file_text(path: str) -> str | None:
    """The text of a file this package read (a .tf file or a template), for positions."""
    from asl_lint.sources.terraform.module import cached_text

    if path.endswith(".tf"):
        return cached_text(path)
    cached = _TEXTS.get(os.path.normpath(path))
    return cached[1] if cached is not None else None


_INDEX: dict[str, tuple[str, LineIndex]] = {}


def site(file: str, span: Span) -> Site:
    text = file_text(file)
    if text is None:
        return Site(file, "", span.start, span.end)
    key = os.path.normpath(file)
    cached = _INDEX.get(key)
    if cached is None or cached[0] is not text:
        cached = (text, LineIndex(text))
        _INDEX[key] = cached
    return Site.at(file, cached[1], span)


# --- entry points -------------------------------------------------------------------------------
def evaluate(node: hcl.Node, env: Env) -> Value:
    if env.depth > _MAX_DEPTH:
        return unknown("…", "expression nested too deeply", file=env.file, span=node.span)
    inner = Env(env.instance, env.file, env.names, env.depth + 1)
    try:
        value = _evaluate(node, inner)
    except RecursionError:
        value = unknown("…", "expression nested too deeply")
    if value.file is None:
        value.file, value.span = env.file, node.span
    return value


def attribute(instance: Instance, block: hcl.Block, name: str) -> Value | None:
    """The value of ``name = ...`` in a block of the instance (None when the block does not set it)."""
    attr = block.body.attributes.get(name)
    if attr is None:
        return None
    return evaluate(attr.value, Env(instance, block.file))


def _evaluate(node: hcl.Node, env: Env) -> Value:
    if isinstance(node, hcl.Literal):
        if isinstance(node.value, str):
            return Str(env.file, node.span, text=node.value, symbolic=node.value)
        return Prim(env.file, node.span, value=node.value)
    if isinstance(node, hcl.Template):
        return render(node.parts, env, node.span)
    if isinstance(node, hcl.TupleExpr):
        items = [evaluate(item, env) for item in node.items]
        return Seq(env.file, node.span, items=items)
    if isinstance(node, hcl.ObjectExpr):
        return _object(node, env)
    if isinstance(node, (hcl.Variable, hcl.GetAttr, hcl.Index)):
        return _traversal(node, env)
    if isinstance(node, hcl.Call):
        return _call(node, env)
    if isinstance(node, hcl.Conditional):
        condition = evaluate(node.condition, env)
        if isinstance(condition, Prim) and isinstance(condition.value, bool):
            return evaluate(node.then if condition.value else node.otherwise, env)
        return unknown("condition", "a condition not known statically", file=env.file, span=node.span)
    if isinstance(node, hcl.Operation):
        return _operation(node, env)
    kind = type(node).__name__
    reason = node.message if isinstance(node, hcl.Invalid) else f"{kind} expressions are not evaluated statically"
    return unknown(kind.lower(), reason, file=env.file, span=node.span)


def _object(node: hcl.ObjectExpr, env: Env) -> Value:
    out = Obj(env.file, node.span)
    for item in node.items:
        if isinstance(item.key, hcl.Variable):
            key: str | None = item.key.name
        else:
            key_value = evaluate(item.key, env)
            key = key_value.text if isinstance(key_value, Str) else text_of(key_value)
        if key is None:
            return unknown("object", "an object key not known statically", file=env.file, span=node.span)
        out.items[key] = evaluate(item.value, env)
        out.key_spans[key] = item.key.span
        out.value_spans[key] = item.value.span
    return out


# --- templates ----------------------------------------------------------------------------------
def render(parts: list[Part], env: Env, span: Span | None = None) -> Value:
    """A template's value: a single ``${x}`` is x itself; otherwise a string with a character map.
    A directive over a value not known statically makes it unknown."""
    try:
        return render_strict(parts, env, span)
    except TemplateError as exc:
        return unknown("template", str(exc), file=env.file, span=span)


def render_strict(parts: list[Part], env: Env, span: Span | None = None) -> Value:
    """:func:`render`, raising :class:`TemplateError` (with the place) when a directive's condition
    or collection, or a value put into the text, is not known statically."""
    if len(parts) == 1 and isinstance(parts[0], Interp):
        # "${x}" is x itself, unconverted (a list stays a list, file() keeps its origin).
        value = evaluate(parts[0].expr, env)
        if isinstance(value, Prim):
            return _as_string(value, env, parts[0].span)
        return value
    out = _Builder()
    _render_into(parts, env, out)
    return out.result(env.file, span)


def _as_string(value: Value, env: Env, span: Span) -> Value:
    builder = _Builder()
    builder.value(value, span)
    return builder.result(env.file, span, ref=value.ref)


class _Builder:
    def __init__(self) -> None:
        self.text: list[str] = []
        self.symbolic: list[str] = []
        self.mapped = MappedText()
        self.unknowns: list[Unknown] = []

    def literal(self, mapped: MappedText) -> None:
        self.text.append(mapped.text)
        self.symbolic.append(mapped.text)
        self.mapped.extend(mapped)

    def value(self, value: Value, span: Span) -> bool:
        """Put a value into the text (False for a list or an object: not text)."""
        text = text_of(value)
        if text is None:
            return False
        self.text.append(text)
        self.symbolic.append(text_of(value, symbolic=True) or "")
        if text:
            self.mapped.add_opaque(text, span.start, span.end)
        self.unknowns.extend(unknowns_in(value))
        return True

    def result(self, file: str, span: Span | None, ref: ResourceRef | None = None) -> Str:
        return Str(file, span, ref, text="".join(self.text), symbolic="".join(self.symbolic), mapped=self.mapped,
                   unknowns=tuple(self.unknowns))


def _render_into(parts: list[Part], env: Env, out: _Builder) -> None:
    for part in parts:
        if isinstance(part, Lit):
            out.literal(part.mapped)
        elif isinstance(part, Interp):
            if not out.value(evaluate(part.expr, env), part.span):
                raise TemplateError("a list or an object cannot be put into a string template", part.span)
        elif isinstance(part, If):
            condition = evaluate(part.condition, env)
            if not (isinstance(condition, Prim) and isinstance(condition.value, bool)):
                raise TemplateError(f"the condition of %{{ if }} is not known statically ({_shown(condition)})",
                                    part.span)
            _render_into(part.then if condition.value else part.otherwise, env, out)
        elif isinstance(part, For):
            collection = evaluate(part.collection, env)
            if isinstance(collection, Seq):
                pairs: list[tuple[Value, Value]] = [(Prim(value=i), v) for i, v in enumerate(collection.items)]
            elif isinstance(collection, Obj):  # maps and objects: by key, in lexical order, as Terraform
                pairs = [(Str(text=k, symbolic=k), collection.items[k]) for k in sorted(collection.items)]
            else:
                raise TemplateError(f"the collection of %{{ for }} is not known statically ({_shown(collection)})",
                                    part.span)
            for key, value in pairs:
                names = {part.value: value} if part.key is None else {part.key: key, part.value: value}
                _render_into(part.body, env.bind(names), out)


def _shown(value: Value) -> str:
    return value.name if isinstance(value, Unknown) else type(value).__name__.lower()


def render_file(path: str, variables: Obj | None, env: Env, origin: FileOrigin) -> Value:
    """``templatefile(path, vars)``: the file rendered with only ``vars`` in scope."""
    text = read_text(path)
    if text is None:
        return _missing(f"templatefile({path})", path, env)
    source = MappedText()
    source.add_exact(text, 0)
    try:
        parts = parse_template(source)
    except TemplateError as exc:
        return unknown(f"templatefile({path})", f"the template {path} is invalid: {exc}", file=env.file)
    names = dict(variables.items) if variables is not None else {}
    value = render(parts, Env(None, path, names, env.depth + 1), Span(0, len(text)))
    if isinstance(value, (Str, Unknown)):  # unknown: a directive over a value not known statically
        value.origin = origin
    return value


def _missing(name: str, path: str, env: Env, span: Span | None = None) -> Unknown:
    value = unknown(name, f"{path} is not a file", file=env.file, span=span)
    value.missing = path
    return value


def read_text(path: str) -> str | None:
    """A file read by ``file()``, ``templatefile()`` or a tfvars file (cached while it is unchanged)."""
    key = os.path.normpath(path)
    read_at = now()
    found = stamp(path)
    if found is None:
        return None
    READ.add(path)
    cached = _TEXTS.get(key)
    if cached is not None and cached[0] == found and cached[2]:
        return cached[1]
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return None
    if cached is not None and cached[1] == text:
        text = cached[1]  # the same str: positions computed for it (``site``) stay valid
    _TEXTS[key] = (found, text, settled(found, read_at))
    return text


# --- references -----------------------------------------------------------------------------------
def _chain(node: hcl.Node) -> tuple[hcl.Node, list[hcl.Node | str]]:
    """``a.b[0].c`` -> (a, ["b", <0>, "c"])."""
    steps: list[hcl.Node | str] = []
    while isinstance(node, (hcl.GetAttr, hcl.Index)):
        steps.append(node.name if isinstance(node, hcl.GetAttr) else node.key)
        node = node.target
    steps.reverse()
    return node, steps


def _address(root: str, steps: list[hcl.Node | str], env: Env) -> str:
    text = root
    for step in steps:
        if isinstance(step, str):
            text += "." + step
        elif isinstance(step, hcl.Literal):
            text += f"[{json.dumps(step.value)}]"
        else:
            text += "[*]"
    return text


def _traversal(node: hcl.Node, env: Env) -> Value:
    root, steps = _chain(node)
    if not isinstance(root, hcl.Variable):
        return _apply(evaluate(root, env), steps, env, node)
    name = root.name
    if name in env.names:
        return _apply(env.names[name], steps, env, node)
    shown = _address(name, steps, env)
    instance = env.instance
    if instance is None:
        return unknown(shown, f"{name} is not a variable of the template", file=env.file, span=node.span)
    attrs = [s for s in steps if isinstance(s, str)]
    if name == "var" and steps and isinstance(steps[0], str):
        return _apply(variable(instance, steps[0]), steps[1:], env, node)
    if name == "local" and steps and isinstance(steps[0], str):
        return _apply(local(instance, steps[0]), steps[1:], env, node)
    if name == "path" and steps and isinstance(steps[0], str):
        return _path(instance, steps[0], env, node)
    if name == "module" and len(steps) >= 2 and isinstance(steps[0], str) and isinstance(steps[1], str):
        return _apply(output(instance, steps[0], steps[1]), steps[2:], env, node)
    if name == "data" and len(attrs) >= 3 and all(isinstance(s, str) for s in steps[:2]):
        rest = _after_index(steps[2:])
        if rest and isinstance(rest[0], str):
            value = data_attribute(instance, str(steps[0]), str(steps[1]), rest[0], env, node)
            return _apply(value, rest[1:], env, node)
    if name in ("count", "each", "self", "terraform"):
        return unknown(shown, f"{name}.* is known only when Terraform expands the block", file=env.file,
                       span=node.span)
    if len(steps) >= 2 and isinstance(steps[0], str):
        rest = _after_index(steps[1:])
        if rest and isinstance(rest[0], str):
            value = resource_attribute(instance, name, steps[0], rest[0])
            return _apply(value, rest[1:], env, node)
    return unknown(shown, f"{shown} is not read statically", file=env.file, span=node.span)


def _after_index(steps: list[hcl.Node | str]) -> list[hcl.Node | str]:
    """Skip the instance key of a resource with count/for_each (``aws_x.y[0].arn``)."""
    return steps[1:] if steps and not isinstance(steps[0], str) else steps


def _apply(value: Value, steps: list[hcl.Node | str], env: Env, node: hcl.Node) -> Value:
    for step in steps:
        if isinstance(step, str):
            key: Any = step
        else:
            key = _key(evaluate(step, env))
        item = _item(value, key)
        if item is not None:
            value = item
        elif isinstance(value, Unknown):
            suffix = f".{key}" if isinstance(key, str) else f"[{key}]" if key is not None else "[*]"
            value = unknown(value.name + suffix, value.reason, file=env.file, span=node.span)
        else:
            return unknown(_address("value", steps, env), "an attribute or index not known statically",
                           file=env.file, span=node.span)
    return value


def _item(value: Value, key: Any) -> Value | None:
    if isinstance(value, Obj) and isinstance(key, str):
        return value.items.get(key)
    if isinstance(value, Seq) and type(key) is int and 0 <= key < len(value.items):
        return value.items[key]
    return None


def _key(value: Value) -> Any:
    if isinstance(value, Prim):
        return value.value
    return value.text if isinstance(value, Str) and value.known else None


def _memo(instance: Instance, key: str, compute: Callable[[], Value]) -> Value:
    if key in instance.memo:
        return instance.memo[key]
    if key in instance.busy:
        return unknown(key, f"{key} refers to itself")
    instance.busy.add(key)
    try:
        value = compute()
    finally:
        instance.busy.discard(key)
    instance.memo[key] = value
    return value


def variable(instance: Instance, name: str) -> Value:
    def compute() -> Value:
        block = instance.module.variables.get(name)
        if instance.call is not None and instance.parent is not None:
            given = attribute(instance.parent, instance.call, name)
            if given is not None:
                return given
        elif instance.tfvars is not None and name in instance.tfvars:
            return instance.tfvars[name]
        if block is not None:
            default = attribute(instance, block, "default")
            if default is not None:
                return default
        shown = f"var.{name}"
        return unknown(shown, f"{shown} has no default and is not set in a .tfvars file")

    return _memo(instance, "var." + name, compute)


def local(instance: Instance, name: str) -> Value:
    def compute() -> Value:
        attr = instance.module.locals.get(name)
        if attr is None:
            return unknown(f"local.{name}", f"local.{name} is not declared")
        return evaluate(attr.value, Env(instance, instance.module.local_files[name]))

    return _memo(instance, "local." + name, compute)


def output(instance: Instance, module_name: str, name: str) -> Value:
    shown = f"module.{module_name}.{name}"
    child = instance.child(module_name)
    if child is None:
        return unknown(shown, f"module.{module_name} is not a local module of this configuration")
    block = child.module.outputs.get(name)
    if block is None:
        return unknown(shown, f"module.{module_name} has no output {name}")
    return _memo(child, "output." + name, lambda: attribute(child, block, "value") or unknown(shown))


def _path(instance: Instance, which: str, env: Env, node: hcl.Node) -> Value:
    root_dir = instance.root.module.dir or "."
    here = instance.module.dir or "."
    if which == "module":
        text = os.path.relpath(here, root_dir) if not os.path.isabs(here) or os.path.isabs(root_dir) else here
    elif which in ("root", "cwd"):
        text = "."
    else:
        return unknown(f"path.{which}", file=env.file, span=node.span)
    return Str(env.file, node.span, text=text, symbolic=text)


def resolve_path(instance: Instance | None, path: str, env: Env) -> str:
    """A path as Terraform reads it (relative to the root module's directory), named for reports."""
    if os.path.isabs(path):
        return os.path.normpath(path)
    base = instance.root.module.dir if instance is not None else os.path.dirname(env.file)
    joined = os.path.normpath(os.path.join(base or ".", path))
    if (base or "").startswith("./") and not joined.startswith(("..", "/")):
        return "./" + joined
    return joined


def block_site(block: hcl.Block) -> Site:
    return site(block.file, block.head)


def resource_attribute(instance: Instance, rtype: str, name: str, attr: str) -> Value:
    local_address = f"{rtype}.{name}"
    address = instance.prefix + local_address
    block = instance.module.resources.get(local_address)
    if block is None:
        return unknown(f"{address}.{attr}", f"{address} is not declared in this configuration")
    ref = ResourceRef(rtype, address, attr, block_site(block))
    configured = block.body.attributes.get(attr)
    if configured is not None and attr not in ("arn", "id"):
        value = _memo(instance, f"{address}.{attr}", lambda: evaluate(configured.value, Env(instance, block.file)))
        return replace(value, ref=ref)
    name_arg = resources.name_argument(rtype)
    name_text = f"${{{address}.{name_arg or 'name'}}}"
    if name_arg is not None and name_arg in block.body.attributes:
        name_value = _memo(instance, f"{address}.{name_arg}",
                           lambda: evaluate(block.body.attributes[name_arg].value, Env(instance, block.file)))
        symbolic = text_of(name_value, symbolic=True)
        if symbolic is not None:
            name_text = symbolic
    pattern = resources.attribute_pattern(rtype, attr, name_text, address)
    if pattern is not None and "${" not in pattern:
        return Str(text=pattern, symbolic=pattern, ref=ref)
    return unknown(f"{address}.{attr}", f"{address}.{attr} is known only after apply", ref=ref, symbolic=pattern)


def data_attribute(instance: Instance, dtype: str, name: str, attr: str, env: Env, node: hcl.Node) -> Value:
    address = f"{instance.prefix}data.{dtype}.{name}"
    shown = f"{address}.{attr}"
    if (dtype, attr) in resources.PSEUDO:
        pseudo = resources.PSEUDO[(dtype, attr)]
        return unknown(pseudo, f"{shown} is the {pseudo} the configuration is applied in", symbolic="${" + pseudo + "}")
    if (dtype, attr) in resources.KNOWN:
        text = resources.KNOWN[(dtype, attr)]
        return Str(text=text, symbolic=text)
    block = instance.module.data.get(f"{dtype}.{name}")
    ref = ResourceRef(f"data.{dtype}", address, attr, block_site(block) if block is not None else None)
    configured = block.body.attributes.get(attr) if block is not None else None
    if block is not None and configured is not None:  # an argument of the data source: known as written
        value = _memo(instance, shown, lambda: evaluate(configured.value, Env(instance, block.file)))
        return replace(value, ref=ref)
    if block is not None and dtype == "template_file" and attr == "rendered":
        return _memo(instance, shown, lambda: _template_file(instance, block, address))
    if block is not None and dtype == "aws_iam_policy_document" and attr in ("json", "minified_json"):
        from asl_lint.sources.terraform.policy_document import policy_document

        return _memo(instance, shown, lambda: policy_document(instance, block))
    return unknown(shown, f"{shown} is read from AWS when Terraform runs", ref=ref)


def _template_file(instance: Instance, block: hcl.Block, address: str) -> Value:
    """``data "template_file"``: ``template`` rendered with ``vars`` (the template provider's syntax
    is Terraform's template syntax)."""
    template = attribute(instance, block, "template")
    variables = attribute(instance, block, "vars")
    shown = f"{address}.rendered"
    if variables is not None and not isinstance(variables, Obj):
        return unknown(shown, f"the vars of {address} are not known statically")
    attr = block.body.attributes.get("template")
    label = f"{address} vars"
    if isinstance(template, Str) and template.origin is not None and attr is not None:
        origin = FileOrigin(template.origin.path, "data.template_file", site(block.file, attr.value.span),
                            variables, label)
        return render_file(template.origin.path, variables, Env(instance, block.file), origin)
    if isinstance(template, Str) and template.mapped is not None and template.known:
        try:
            parts = parse_template(template.mapped)
        except TemplateError:
            return unknown(shown, f"the template of {address} is invalid")
        names = dict(variables.items) if variables is not None else {}
        return render(parts, Env(None, block.file, names), template.span)
    return unknown(shown, f"the template of {address} is not known statically")


# --- operators ---------------------------------------------------------------------------------------
def _operation(node: hcl.Operation, env: Env) -> Value:
    left = evaluate(node.left, env)
    right = evaluate(node.right, env) if node.right is not None else None
    op = node.operator

    def plain(value: Value | None) -> Any:
        if isinstance(value, Prim):
            return value.value
        if isinstance(value, Str) and value.known:
            return value.text
        return _UNSET

    a, b = plain(left), plain(right)
    result: Any = _UNSET
    try:
        if right is None:
            if op == "!" and isinstance(a, bool):
                result = not a
            elif op == "-" and isinstance(a, (int, float)) and not isinstance(a, bool):
                result = -a
        elif op in ("==", "!=") and a is not _UNSET and b is not _UNSET:
            result = (a == b) == (op == "==")
        elif op in ("&&", "||") and isinstance(a, bool) and isinstance(b, bool):
            result = (a and b) if op == "&&" else (a or b)
        elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
                and not isinstance(b, bool):
            result = _ARITHMETIC[op](a, b) if op in _ARITHMETIC else _UNSET
    except (ZeroDivisionError, ArithmeticError):
        result = _UNSET
    if result is _UNSET:
        return unknown("expression", "an operation on values not known statically", file=env.file, span=node.span)
    return Prim(env.file, node.span, value=result)


_UNSET = object()
_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
    "%": lambda a, b: a % b, "<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


# --- functions --------------------------------------------------------------------------------------
def _call(node: hcl.Call, env: Env) -> Value:
    handler = FUNCTIONS.get(node.name)
    if handler is None:
        return unknown(f"{node.name}(…)", f"{node.name}() is not evaluated statically", file=env.file, span=node.span)
    args = [evaluate(arg, env) for arg in node.args]
    if node.expand and args:
        last = args.pop()
        if not isinstance(last, Seq):
            return unknown(f"{node.name}(…)", "arguments expanded from a list not known statically")
        args.extend(last.items)
    try:
        value = handler(args, env, node)
    except (TypeError, ValueError, IndexError, KeyError, StopIteration):
        value = None
    if value is None:
        return unknown(f"{node.name}(…)", f"{node.name}() of values not known statically", file=env.file,
                       span=node.span)
    return value


def _known_text(value: Value) -> str | None:
    if isinstance(value, Str):
        return value.text if value.known else None
    if isinstance(value, Prim) and value.value is not None:
        return text_of(value)
    return None


def _fn_file(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    path = _known_text(args[0])
    if path is None or len(args) != 1:
        return None
    full = resolve_path(env.instance, path, env)
    text = read_text(full)
    if text is None:
        return _missing(f"file({path})", full, env, node.span)
    mapped = MappedText()
    mapped.add_exact(text, 0)
    origin = FileOrigin(full, "file", site(env.file, node.span))
    return Str(full, Span(0, len(text)), text=text, symbolic=text, mapped=mapped, origin=origin)


def _fn_templatefile(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    if len(args) != 2:
        return None
    path = _known_text(args[0])
    variables = args[1]
    if path is None:
        return None
    if not isinstance(variables, Obj):
        return unknown(f"templatefile({path})", "the template variables are not known statically",
                       file=env.file, span=node.span)
    full = resolve_path(env.instance, path, env)
    origin = FileOrigin(full, "templatefile", site(env.file, node.span), variables, "templatefile() variables")
    value = render_file(full, variables, env, origin)
    if isinstance(value, Unknown) and value.missing is not None:
        value.span = node.span
    return value


def _fn_jsonencode(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    if len(args) != 1:
        return None
    value = args[0]
    return Str(env.file, node.span, text=json_text(value), symbolic=json_text(value, symbolic=True),
               unknowns=tuple(unknowns_in(value)), encoded=value)


def _fn_jsondecode(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    text = _known_text(args[0])
    if text is None:
        return args[0].encoded if isinstance(args[0], Str) and args[0].encoded is not None else None
    return from_python(json.loads(text), env.file, node.span)


def from_python(value: Any, file: str | None = None, span: Span | None = None, depth: int = 0) -> Value:
    if depth > _MAX_DEPTH and isinstance(value, (dict, list)):
        return unknown("…", "value nested too deeply", file=file, span=span)
    if isinstance(value, dict):
        obj = Obj(file, span)
        for key, item in value.items():
            obj.items[str(key)] = from_python(item, file, span, depth + 1)
        return obj
    if isinstance(value, list):
        return Seq(file, span, items=[from_python(v, file, span, depth + 1) for v in value])
    if isinstance(value, str):
        return Str(file, span, text=value, symbolic=value)
    return Prim(file, span, value=value)


def _strings(fn: Callable[..., str | None]) -> Callable[[list[Value], Env, hcl.Call], Value | None]:
    def call(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
        texts = [_known_text(a) for a in args]
        if any(t is None for t in texts):
            return None
        text = fn(*texts)
        if text is None:
            return None
        return Str(env.file, node.span, text=text, symbolic=text)

    return call


def _fn_format(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    spec = _known_text(args[0])
    if spec is None:
        return None
    builder = _Builder()
    rest = iter(args[1:])
    pos = 0
    while pos < len(spec):
        char = spec[pos]
        if char != "%":
            builder.literal(_plain(char))
            pos += 1
            continue
        verb = spec[pos + 1 : pos + 2]
        pos += 2
        if verb == "%":
            builder.literal(_plain("%"))
        elif verb in ("s", "v", "d") and builder.value(next(rest), node.span):
            continue
        else:
            return None
    return builder.result(env.file, node.span)


def _plain(text: str) -> MappedText:
    mapped = MappedText()
    mapped.add_opaque(text, 0, 0)
    return mapped


def _fn_join(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    separator = _known_text(args[0])
    if separator is None:
        return None
    builder = _Builder()
    first = True
    for seq in args[1:]:
        if not isinstance(seq, Seq):
            return None
        for item in seq.items:
            if not first and separator:
                builder.literal(_plain(separator))
            first = False
            if not builder.value(item, node.span):
                return None
    return builder.result(env.file, node.span)


def _fn_concat(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    if not all(isinstance(a, Seq) for a in args):
        return None
    return Seq(env.file, node.span, items=[item for a in args if isinstance(a, Seq) for item in a.items])


def _fn_merge(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    out = Obj(env.file, node.span)
    for arg in args:
        if isinstance(arg, Prim) and arg.value is None:
            continue
        if not isinstance(arg, Obj):
            return None
        out.items.update(arg.items)
    return out


def _fn_first(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    """``try(a, b)`` / ``coalesce(a, b)``: statically, the first argument that is known and not null."""
    for arg in args:
        if isinstance(arg, Unknown):
            return None
        if not (isinstance(arg, Prim) and arg.value is None) and not (isinstance(arg, Str) and not arg.text):
            return arg
    return None


def _fn_same(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    return args[0] if len(args) == 1 else None


def _fn_lookup(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    key = _known_text(args[1]) if len(args) >= 2 else None
    if not isinstance(args[0], Obj) or key is None:
        return None
    if key in args[0].items:
        return args[0].items[key]
    return args[2] if len(args) == 3 else None


def _fn_element(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    seq, index = args
    if isinstance(seq, Seq) and isinstance(index, Prim) and isinstance(index.value, int) and seq.items:
        return seq.items[index.value % len(seq.items)]
    return None


def _fn_length(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    (value,) = args
    if isinstance(value, (Seq, Obj)):
        return Prim(env.file, node.span, value=len(value.items))
    text = _known_text(value) if isinstance(value, Str) else None
    return None if text is None else Prim(env.file, node.span, value=len(text))


def _fn_keys(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    """``keys(map)``: the keys in lexical order (https://developer.hashicorp.com/terraform/language/functions/keys)."""
    (value,) = args
    if not isinstance(value, Obj):
        return None
    return Seq(env.file, node.span, items=[Str(env.file, node.span, text=k, symbolic=k) for k in sorted(value.items)])


def _fn_values(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    """``values(map)``: the values in the lexical order of their keys."""
    (value,) = args
    if not isinstance(value, Obj):
        return None
    return Seq(env.file, node.span, items=[value.items[k] for k in sorted(value.items)])


def _fn_contains(args: list[Value], env: Env, node: hcl.Call) -> Value | None:
    seq, wanted = args
    key = _key(wanted)
    if not isinstance(seq, Seq) or key is None:
        return None
    items = [_key(item) for item in seq.items]
    if key in items:
        return Prim(env.file, node.span, value=True)
    return None if None in items else Prim(env.file, node.span, value=False)


FUNCTIONS: dict[str, Callable[[list[Value], Env, hcl.Call], Value | None]] = {
    "file": _fn_file,
    "templatefile": _fn_templatefile,
    "jsonencode": _fn_jsonencode,
    "jsondecode": _fn_jsondecode,
    "format": _fn_format,
    "join": _fn_join,
    "concat": _fn_concat,
    "merge": _fn_merge,
    "try": _fn_first,
    "coalesce": _fn_first,
    "tostring": _fn_same,
    "tolist": _fn_same,
    "toset": _fn_same,
    "lookup": _fn_lookup,
    "element": _fn_element,
    "length": _fn_length,
    "keys": _fn_keys,
    "values": _fn_values,
    "contains": _fn_contains,
    "lower": _strings(str.lower),
    "upper": _strings(str.upper),
    "trimspace": _strings(str.strip),
    "chomp": _strings(lambda s: s.rstrip("\r\n")),
    "replace": _strings(lambda s, a, b: s.replace(a, b) if not (a.startswith("/") and a.endswith("/")) else None),
    "basename": _strings(os.path.basename),
    "dirname": _strings(os.path.dirname),
}


# --- tfvars ------------------------------------------------------------------------------------------
def load_tfvars(directory: str) -> dict[str, Value]:
    """Variable values of a root module, as Terraform loads them automatically (see module docs)."""
    base = directory or "."
    try:
        names = sorted(os.listdir(base))
    except OSError:
        return {}
    ordered: list[str] = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    ordered += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    values: dict[str, Value] = {}
    for name in ordered:
        path = os.path.join(directory, name) if directory else name
        if name.endswith(".json"):
            text = read_text(path)
            try:
                data = json.loads(text or "")
            except (json.JSONDecodeError, RecursionError):
                continue
            if isinstance(data, dict):
                values.update({str(k): from_python(v, path) for k, v in data.items()})
            continue
        parsed = read_tf(path)
        if parsed is None:
            continue
        READ.add(path)
        env = Env(None, path)
        for key, attr in parsed.body.attributes.items():
            values[key] = evaluate(attr.value, env)
    return values


def python_value(value: Value) -> Any:
    """A JSON-like Python value with unknowns as their symbolic text (policies, comparisons)."""
    return to_python(value, symbolic=True)
