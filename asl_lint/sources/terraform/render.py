"""A definition file as ``templatefile()``/``data.template_file`` render it for one machine.

The engine lints a definition file a Terraform machine names once per machine, with the
machine's variables applied. :func:`render_definition` does that the way Terraform does: ``${x}``
(spaces allowed), any expression over the variables (``${upper(x)}``, ``${jsonencode(list)}``),
``%{ if }``/``%{ for }`` directives over known values, ``~`` strip markers, and the ``$${``/``%%{``
escapes. A value not known statically stays a ``${name}`` placeholder (an unknown value, positioned
on its ``${...}``); a partly known one is its known text around its unknown parts' placeholders; a
directive over an unknown value makes the whole text unknown (an error).
"""

from __future__ import annotations

from asl_lint.source.text import Span
from asl_lint.sources.base import PLACEHOLDER, MachineContext, Substitution
from asl_lint.sources.offsets import MappedText, opaque
from asl_lint.sources.terraform.evaluate import Env, render_strict
from asl_lint.sources.terraform.template import TemplateError, parse_template

__all__ = ["TemplateError", "render_definition"]
from asl_lint.sources.terraform.values import Prim, Str, Unknown, Value


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
    if sub.kind == "literal" and isinstance(sub.value, str):
        return Str(text=sub.value, symbolic=sub.value)
    if sub.kind == "literal" and not isinstance(sub.value, str):
        return Prim(value=sub.value)
    symbolic = sub.symbolic
    if sub.kind == "unknown" and symbolic and PLACEHOLDER.fullmatch(symbolic) is None:
        # Partly known ("https://${var.domain}/hello"): the known text is put in, the rest stays unknown.
        return Str(text=symbolic, symbolic=symbolic, unknowns=(Unknown(name=sub.name, symbolic_text=symbolic),))
    return Unknown(ref=sub.ref, name=sub.name, symbolic_text=symbolic, reason=f"{sub.name} is not known statically")
