"""A definition file as ``templatefile()``/``data.template_file`` render it for one machine.

The engine lints a definition file a Terraform machine names once per machine, with the
machine's variables applied. :func:`render_definition` does that the way Terraform does: ``${x}``
(spaces allowed), any expression over the variables (``${upper(x)}``, ``${jsonencode(list)}``),
``%{ if }``/``%{ for }`` directives over known values, ``~`` strip markers, and the ``$${``/``%%{``
escapes. A value not known statically stays a ``${name}`` placeholder (an unknown value, positioned
on its ``${...}``); a directive over an unknown value makes the whole text unknown (None).
"""

from __future__ import annotations

from asl_lint.locate.offsets import MappedText, opaque
from asl_lint.source.text import Span
from asl_lint.sources.base import MachineContext, Substitution
from asl_lint.sources.terraform.evaluate import Env, render
from asl_lint.sources.terraform.template import TemplateError, parse_template
from asl_lint.sources.terraform.values import Prim, Str, Unknown, Value


def render_definition(text: str, context: MachineContext, file: str = "") -> MappedText | None:
    """``text`` rendered with the context's variables, mapped back to ``text``; None when it cannot be
    rendered statically (a directive over an unknown value, directives that do not nest)."""
    source = MappedText()
    source.add_exact(text, 0)
    try:
        parts = parse_template(source)
    except TemplateError:
        return None
    names = {name: _value(sub) for name, sub in context.substitutions.items()}
    value = render(parts, Env(None, file, names), Span(0, len(text)))
    if not isinstance(value, Str):
        return None
    return value.mapped if value.mapped is not None else opaque(value.text, Span(0, len(text)))


def _value(sub: Substitution) -> Value:
    if sub.kind == "literal" and isinstance(sub.value, str):
        return Str(text=sub.value, symbolic=sub.value)
    if sub.kind == "literal" and not isinstance(sub.value, str):
        return Prim(value=sub.value)
    return Unknown(ref=sub.ref, name=sub.name, symbolic_text=sub.symbolic, reason=f"{sub.name} is not known statically")
