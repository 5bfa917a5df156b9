"""A definition file as ``templatefile()``/``data.template_file`` render it for one machine.

The engine lints a definition file a Terraform machine names once per machine, with the
machine's variables applied. :func:`render_definition` does that the way Terraform does: ``${x}``
(spaces allowed), any expression over the variables (``${upper(x)}``, ``${jsonencode(list)}``),
``%{ if }``/``%{ for }`` directives over known values, ``~`` strip markers, and the ``$${``/``%%{``
escapes. List and object variables are what the directives and expressions read
(``%{ for s in steps }``, ``${cfg.url}``, ``${jsonencode(items)}``); their unknown elements stay
unknown. A value not known statically stays a ``${name}`` placeholder (an unknown value, positioned
on its ``${...}``); a partly known one is its known text around its unknown parts' placeholders; a
directive over an unknown value makes the whole text unknown (an error).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from asl_lint.source.text import Span
from asl_lint.sources.base import PLACEHOLDER, MachineContext, Substitution
from asl_lint.sources.offsets import MappedText, opaque
from asl_lint.sources.terraform.evaluate import Env, render_strict
from asl_lint.sources.terraform.template import TemplateError, parse_template
from asl_lint.sources.terraform.values import Obj, Prim, Seq, Str, Unknown, Value

__all__ = ["TemplateError", "render_definition"]


def render_definition(text: str, context: MachineContext, file: str = "") -> MappedText:
    """``text`` rendered with the context's variables, mapped back to ``text``.

    Raises :class:`TemplateError` (with the place in ``text``) when it cannot be rendered
    statically: directives that do not nest, a directive over a value not known statically.
    """
    source = MappedText()
    source.add_exact(text, 0)
    parts = parse_template(source)
    names = {name: _value(sub) for name, sub in context.substitutions.items()}
    value = render_strict(parts, Env(None, file, names), Span(0, len(text)))
    if not isinstance(value, Str):
        raise TemplateError("the template is a single value that is not text", Span(0, len(text)))
    return value.mapped if value.mapped is not None else opaque(value.text, Span(0, len(text)))


def _value(sub: Substitution) -> Value:
    if sub.kind == "literal" and isinstance(sub.value, (list, dict)):
        return _json(sub.value, sub.parts)
    if sub.kind == "literal" and isinstance(sub.value, str):
        return Str(text=sub.value, symbolic=sub.value)
    if sub.kind == "literal" and not isinstance(sub.value, str):
        return Prim(value=sub.value)
    symbolic = sub.symbolic
    if sub.kind == "unknown" and symbolic and PLACEHOLDER.fullmatch(symbolic) is None:
        # Partly known ("https://${var.domain}/hello"): the known text is put in, the rest stays unknown.
        return Str(text=symbolic, symbolic=symbolic, unknowns=(Unknown(name=sub.name, symbolic_text=symbolic),))
    return Unknown(ref=sub.ref, name=sub.name, symbolic_text=symbolic, reason=f"{sub.name} is not known statically")


def _json(value: Any, parts: Mapping[str, Substitution]) -> Value:
    """A list or object variable as the template's expressions see it; its unknown parts (the
    ``${name}`` strings ``parts`` describes) stay unknown, under their own names."""
    if isinstance(value, dict):
        return Obj(items={str(k): _json(v, parts) for k, v in value.items()})
    if isinstance(value, list):
        return Seq(items=[_json(v, parts) for v in value])
    if not isinstance(value, str):
        return Prim(value=value)
    names = [m.group(1) for m in PLACEHOLDER.finditer(value) if m.group(1) in parts] if "${" in value else []
    if not names:
        return Str(text=value, symbolic=value)
    whole = PLACEHOLDER.fullmatch(value)
    if whole is not None:
        return _value(parts[whole.group(1)])
    unknowns = tuple(Unknown(ref=parts[n].ref, name=n, symbolic_text=parts[n].symbolic) for n in names)

    def symbolic(match: re.Match[str]) -> str:
        part = parts.get(match.group(1))
        return part.symbolic if part is not None and part.symbolic is not None else match.group(0)

    return Str(text=value, symbolic=PLACEHOLDER.sub(symbolic, value), unknowns=unknowns)
