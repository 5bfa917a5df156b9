"""Terraform's template language: what a template renders to, and where each character comes from."""

from __future__ import annotations

import pytest

from asl_lint.source.text import Span
from asl_lint.sources.base import MachineContext, ResourceRef, Substitution
from asl_lint.sources.offsets import MappedText
from asl_lint.sources.terraform.hcl import parse_hcl
from asl_lint.sources.terraform.render import render_definition
from asl_lint.sources.terraform.template import TemplateError, parse_template


def context(**values: object) -> MachineContext:
    subs = {}
    for name, value in values.items():
        if isinstance(value, Substitution):
            subs[name] = value
        else:
            subs[name] = Substitution(name, "literal", value=value)  # type: ignore[arg-type]
    return MachineContext("terraform", "main.tf", "aws_sfn_state_machine.m", "aws_sfn_state_machine.m",
                          substitutions=subs, substitutions_complete=True, template_syntax="terraform")


def rendered(text: str, **values: object) -> str | None:
    try:
        return render_definition(text, context(**values)).text
    except TemplateError:
        return None


def test_interpolation_spaces_escapes_and_unknown_values() -> None:
    ref = Substitution("fn", "reference", ref=ResourceRef("aws_lambda_function", "aws_lambda_function.f", "arn"),
                       symbolic="arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f")
    text = '{"a": "${ name }", "b": "$${name}", "c": %%{x}, "d": "${fn}", "e": ${n}, "f": "100%"}'
    assert rendered(text, name="x", fn=ref, n=3) == '{"a": "x", "b": "${name}", "c": %{x}, "d": "${fn}", "e": 3, "f": "100%"}'
    partly = Substitution("url", "unknown", symbolic="https://${var.domain}/hello")
    assert rendered('{"u": "${url}", "w": "${whole}"}', url=partly,
                    whole=Substitution("whole", "unknown", symbolic="${var.x}")) == (
        '{"u": "https://${var.domain}/hello", "w": "${whole}"}')
    # a name no variable gives stays a placeholder (Terraform itself would refuse to render it)
    assert rendered('"${other}"') == '"${other}"'
    assert rendered('"${true}" ${1.5} ${null}') == '"true" 1.5 '


def test_expressions_over_variables() -> None:
    assert rendered('"${upper(stage)}-${format("%s/%d", a, 2)}"', stage="dev", a="x") == '"DEV-x/2"'
    assert rendered('${jsonencode({k = stage})}', stage="dev") == '{"k":"dev"}'
    assert rendered('"${stage == "prod" ? "big" : "small"}"', stage="dev") == '"small"'


def test_directives() -> None:
    text = '[%{ for i, s in split_me ~}\n  "${s}",\n%{~ endfor }]'
    # a for over a value that is not known: the text cannot be rendered
    assert rendered(text) is None
    text = '{%{ if prod }"big": 1%{ else }"small": 2%{ endif }}'
    assert rendered(text, prod=True) == '{"big": 1}'
    assert rendered(text, prod=False) == '{"small": 2}'
    assert rendered(text) is None
    assert rendered('a %{~ if true ~}   b   %{~ endif ~} c') == "abc"
    assert rendered('[ ${~ x ~} ]', x=1) == "[1]"
    assert rendered('%{ endif }') is None
    with pytest.raises(TemplateError) as raised:
        source = MappedText()
        source.add_exact("[%{ if x }", 0)
        parse_template(source)
    assert (str(raised.value), raised.value.span) == ("%{ if } is never closed", Span(1, 10))
    with pytest.raises(TemplateError) as raised:
        render_definition('{"a": %{ if flag }1%{ endif }}', context())
    assert str(raised.value) == "the condition of %{ if } is not known statically (flag)"
    assert raised.value.span == Span(6, 29)


def test_list_and_map_variables() -> None:
    steps = ["a", "b"]
    cfg = {"url": "https://x", "nested": {"on": True, "n": 2}, "tags": {"zeta": "1", "alpha": "2"}}
    text = ('[%{ for i, s in steps }%{ if i > 0 },%{ endif }"${s}:${i}"%{ endfor }] ${cfg.url} '
            '${cfg.nested.n} %{ if cfg.nested.on }on%{ endif } ${length(steps)} ${jsonencode(steps)}')
    assert rendered(text, steps=steps, cfg=cfg) == '["a:0","b:1"] https://x 2 on 2 ["a","b"]'
    # maps and objects are iterated in the lexical order of their keys, as Terraform does
    assert rendered("%{ for k, v in tags }${k}=${v};%{ endfor }", tags=cfg["tags"]) == "alpha=2;zeta=1;"
    assert rendered("%{ for v in tags }${v}%{ endfor }", tags=cfg["tags"]) == "21"
    assert rendered('%{ if contains(keys(tags), "zeta") }z%{ endif }', tags=cfg["tags"]) == "z"
    assert rendered('"${[for s in steps : s][0]}"', steps=steps) == '"${forexpr[0]}"'  # not evaluated: unknown
    # a list or an object cannot be put into a string: Terraform fails, nothing is linted
    with pytest.raises(TemplateError) as raised:
        render_definition('"${steps}"', context(steps=steps))
    assert (str(raised.value), raised.value.span) == ("a list or an object cannot be put into a string template",
                                                      Span(1, 9))
    assert Substitution("steps", "literal", value=steps).text is None


def test_unknown_parts_of_a_list_keep_their_name_and_symbolic_text() -> None:
    arn = "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f"
    fn = Substitution("aws_lambda_function.f.arn", "reference",
                      ref=ResourceRef("aws_lambda_function", "aws_lambda_function.f", "arn"), symbolic=arn)
    domain = Substitution("var.domain", "unknown", symbolic="${var.domain}")
    items = Substitution("items", "literal", value=[{"fn": "${aws_lambda_function.f.arn}",
                                                     "url": "https://${var.domain}/x", "raw": "${literal}"}],
                         parts={"aws_lambda_function.f.arn": fn, "var.domain": domain})
    ctx = context(items=items)
    text = '%{ for it in items }"${it.fn}" "${it.url}" "${it.raw}"%{ endfor }'
    assert render_definition(text, ctx).text == ('"${aws_lambda_function.f.arn}" "https://${var.domain}/x" '
                                                 '"${literal}"')
    assert ctx.symbolic_values() == {"aws_lambda_function.f.arn": arn, "var.domain": "${var.domain}"}
    assert ctx.defines("aws_lambda_function.f.arn") and ctx.defines("items") and not ctx.defines("literal")


def test_substituted_values_map_to_their_placeholder() -> None:
    text = '{"Resource": "${fn}", "Comment": "ok ${x} ok"}'
    mapped = render_definition(text, context(fn="arn:aws:lambda:us-east-1:1:function:f", x="middle"))
    start = mapped.text.index("arn:")
    span = mapped.map_span(Span(start + 4, start + 7))
    assert text[span.start : span.end] == "${fn}"  # inside a substituted value: the whole placeholder
    ok = mapped.text.index("ok", start)
    span = mapped.map_span(Span(ok, ok + 2))
    assert (span.start, span.end) == (text.index("ok"), text.index("ok") + 2)  # literal text: exact


def test_heredoc_flush_indentation_and_quoted_string_escapes() -> None:
    text = 'a = <<-EOT\n    one\n      two ${x}\n\n    three\n  EOT\nb = "q\\"\\u00e9\\n$${y}"\n'
    parsed = parse_hcl(text, "t.tf")
    assert not parsed.problems
    heredoc = parsed.body.attributes["a"].value
    quoted = parsed.body.attributes["b"].value
    from asl_lint.sources.terraform.evaluate import Env, evaluate
    from asl_lint.sources.terraform.values import Str

    env = Env(None, "t.tf", {})
    a, b = evaluate(heredoc, env), evaluate(quoted, env)
    assert isinstance(a, Str) and a.text == "one\n  two ${x}\n\nthree\n"
    assert isinstance(b, Str) and b.text == 'q"é\n${y}'
    assert a.mapped is not None and b.mapped is not None
    two = a.text.index("two")
    span = a.mapped.map_span(Span(two, two + 3))
    assert text[span.start : span.end] == "two"
    e_acute = b.text.index("é")
    span = b.mapped.map_span(Span(e_acute, e_acute + 1))
    assert text[span.start : span.end] == "\\u00e9"


def test_strip_markers_in_a_quoted_interpolation_are_valid_hcl() -> None:
    from asl_lint.sources.terraform.evaluate import Env, evaluate
    from asl_lint.sources.terraform.values import Str

    parsed = parse_hcl('a = "x ${~ 1 ~} y"\nb = <<EOT\n  p  ${~ 2 ~}  q\nEOT\n', "t.tf")
    assert parsed.problems == []
    a = evaluate(parsed.body.attributes["a"].value, Env(None, "t.tf"))
    b = evaluate(parsed.body.attributes["b"].value, Env(None, "t.tf"))
    assert isinstance(a, Str) and a.text == "x 1 y"  # python-hcl2 cannot parse them there: read as spaces
    assert isinstance(b, Str) and b.text == "  p2q\n"


def test_comments_for_suppressions_skip_strings_and_heredocs() -> None:
    from asl_lint.sources.terraform.hcl import comments

    text = ('# top\na = "x # not" # yes\nb = <<EOF\n# in the heredoc\nEOF\nc = "\\" // q" // slash\n'
            "/* block\n# inside */ d = 2 # after\n")
    assert comments(text) == [(1, "# top"), (2, "# yes"), (6, "// slash"), (8, "# after")]


def test_invalid_hcl_problem_positions() -> None:
    parsed = parse_hcl('resource "x" "y" {\n  a = = 1\n}\n', "t.tf")
    (problem,) = parsed.problems
    assert problem.code == "ASL001"
    assert problem.message == "The Terraform file is not valid HCL: unexpected '='"
    assert (problem.span.start, problem.span.end) == (25, 26)
    assert parsed.body.blocks == []
    parsed = parse_hcl('a = "x\n', "t.tf")
    (problem,) = parsed.problems
    assert problem.message == "The Terraform file is not valid HCL: the file ends before the block or expression is closed"
    assert (problem.span.start, problem.span.end) == (7, 7)
