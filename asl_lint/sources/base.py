"""The interface between *layouts* (where projects keep state machines) and the rest of asl-lint.

A layout reads one file of a project — a standalone definition, a CloudFormation/SAM/CDK
template, a ``serverless.yml``, a Terraform file — and returns a :class:`SourceResult`:

- ``definitions``: the definitions written *in this file*, each a :class:`LocatedDefinition` whose
  ``spans`` map pointers relative to the definition root to places in this file, and whose
  ``context`` is the :class:`MachineContext` of the machine that uses it;
- ``external``: the definition files this file names (SAM ``DefinitionUri``, Terraform
  ``file()``/``templatefile()``, Serverless ``${file(...)}``), each an :class:`ExternalDefinition`
  with the context of its machine. The engine lints that file once per machine that uses it,
  with the machine's literal substitutions applied (positions stay in the definition file);
- ``problems``: what is wrong in this file itself (ASL001 in a ``DefinitionString`` or for a
  definition file that does not exist, ASL007 for a definition kept elsewhere, e.g. in S3), each
  at a span of this file.

The engine and the rules never look at layouts: a check sees a located definition and its
context. Everything here is plain data (picklable, no closures) except ``LocatedDefinition``,
which is built where it is linted.

A new layout implements :class:`Layout` and is added to ``asl_lint.sources.registry.LAYOUTS``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from asl_lint._lazy import lazy_compile
from asl_lint.source.nodes import NodeSpan, ParseResult, SourceProblem
from asl_lint.source.text import LineIndex, Span

if TYPE_CHECKING:
    from asl_lint.iam.evaluate import PolicySet

SpanLookup = Callable[[str], NodeSpan | None]
PLACEHOLDER = lazy_compile(r"\$\{([^}]*)\}")

LayoutName = Literal["standalone", "cloudformation", "sam", "cdk", "serverless", "terraform"]
MachineType = Literal["STANDARD", "EXPRESS"]
DocumentFormat = Literal["json", "yaml", "hcl"]


# --- places -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Site:
    """A place in a file: where a machine, its role or a substitution entry is written.

    Findings about the machine as a whole (a policy that is too broad, a role that cannot be
    read) land here, also when the definition itself lives in another file.
    """

    file: str  # as reports name it (the infrastructure file's own path)
    pointer: str = ""  # RFC 6901 pointer from the file root; "" when the format has none (HCL)
    start: int = 0  # code points into the file text
    end: int = 0
    line: int = 1  # 1-based; columns count code points; the end is exclusive
    column: int = 1
    end_line: int = 1
    end_column: int = 1

    @classmethod
    def at(cls, file: str, index: LineIndex, span: Span, pointer: str = "") -> Site:
        line, column = index.position(span.start)
        end_line, end_column = index.position(span.end)
        return cls(file, pointer, span.start, span.end, line, column, end_line, end_column)


# --- what a machine's context holds -------------------------------------------------------------
@dataclass(frozen=True)
class ResourceRef:
    """A resource of the same project that a substitution (or role) names."""

    type: str  # "AWS::Events::Connection", "aws_cloudwatch_event_connection", ...
    name: str  # CloudFormation logical id, Terraform address ("aws_iam_role.sfn")
    attribute: str | None = None  # "Arn", "arn", ...; None for Ref / the resource itself
    site: Site | None = None  # where the resource is declared


@dataclass(frozen=True)
class Substitution:
    """One ``${name}`` the deployment fills in: a literal, a reference to a resource, or unknown.

    ``value`` (kind "literal") is a JSON value: a string, number, boolean or null — all that
    ``DefinitionSubstitutions`` and Serverless give — or, for Terraform's ``templatefile()`` /
    ``data.template_file`` variables, a list or an object (nested as deep as HCL writes it), which
    ``%{ for }``/``%{ if }`` directives and expressions (``${cfg.url}``, ``${jsonencode(items)}``)
    of the template read. Parts of such a value that are not known statically are ``${name}``
    placeholder strings (the convention for unknown values everywhere in asl-lint), and each is
    described in ``parts`` under that name (a reference or an unknown, with its symbolic text), so
    the placeholder a rendered template holds compares with the role's policies like a scalar
    substitution does. Only a scalar becomes text (:attr:`text`): a list or an object cannot be put
    into a string (Terraform rejects it too).

    ``symbolic`` is the text that stands for a non-literal value where ARNs are compared with the
    role's policies: the same resource gives the same text on both sides (for ``!GetAtt Conn.Arn``:
    ``arn:aws:events:${AWS::Region}:${AWS::AccountId}:connection/${Conn.Name}/${Conn.ConnectionId}``),
    and it is never assumed equal to anything else. None: the value is wholly unknown.
    """

    name: str
    kind: Literal["literal", "reference", "unknown"]
    value: Any = None  # the literal (kind "literal"): a JSON value, see above
    ref: ResourceRef | None = None  # what it names (kind "reference")
    symbolic: str | None = None
    site: Site | None = None  # where the entry is written
    # The unknown parts of a list or object ``value``, by the placeholder name they have in it.
    parts: Mapping[str, Substitution] = field(default_factory=dict)

    @property
    def text(self) -> str | None:
        """The text a literal becomes when substituted into a definition; None when it is not a
        literal scalar (a reference, an unknown value, a list or an object)."""
        if self.kind != "literal" or self.value is None or isinstance(self.value, (list, dict)):
            return None
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)


@dataclass(frozen=True)
class MachineContext:
    """What the infrastructure code says about the machine that uses a definition."""

    layout: LayoutName
    origin: str  # the infrastructure file that declares the machine ("" for none)
    id: str  # the machine's id there: logical id, Terraform address, Serverless key
    name: str  # how messages name it: logical id, CDK construct path, Serverless machine name
    machine_type: MachineType | None = None  # None: not said (STANDARD unless configured)
    substitutions: Mapping[str, Substitution] = field(default_factory=dict)
    # True when the deployment substitutes exactly the names in ``substitutions``: any other
    # ``${X}`` reaches AWS as written (ASL006 reports it). False: ``${X}`` stays an unknown value.
    substitutions_complete: bool = False
    # How messages name the mechanism that gives substitution values ("DefinitionSubstitutions").
    substitution_source: str = ""
    # "terraform": ``$${X}`` is an escape and ``${expr}`` may be any expression (templatefile).
    template_syntax: Literal["cloudformation", "terraform"] = "cloudformation"
    # The execution role's policies; None when nothing says what the role is (IAM rules stay
    # silent). Parts that cannot be read go to ``PolicySet.unresolved`` (ASL507), never assumed.
    policies: PolicySet | None = None
    state_machine_arn: str | None = None  # as the project knows it (symbolic parts as ${...})
    site: Site | None = None  # where the machine is declared
    role_site: Site | None = None  # where its role / policies are declared
    named_in_messages: bool = False  # every finding names the machine (CDK: generated files)

    @property
    def key(self) -> str:
        """Unique within a run: the infrastructure file and the machine's id there."""
        return f"{self.origin}#{self.id}"

    def defines(self, name: str) -> bool:
        """Whether the deployment gives ``${name}`` a value: a substitution, or an unknown part of one
        (an element of a Terraform list variable that the template put into the definition)."""
        return name in self.substitutions or any(name in sub.parts for sub in self.substitutions.values())

    def symbolic_values(self) -> dict[str, str]:
        """``{placeholder name: symbolic text}`` for every reference and unknown value the deployment
        fills in (parts of list and object values included): what IAM compares instead of ``${name}``."""
        out: dict[str, str] = {}
        for name, sub in self.substitutions.items():
            for part_name, part in sub.parts.items():
                if part.symbolic is not None:
                    out.setdefault(part_name, part.symbolic)
            if sub.symbolic is not None:
                out[name] = sub.symbolic
        return out


# --- what a layout returns ---------------------------------------------------------------------
@dataclass(frozen=True)
class Placeholder:
    """A ``${Name}`` left in the definition: an unknown value (see ASL006)."""

    name: str
    pointer: str  # relative to the definition root


@dataclass
class LocatedDefinition:
    """One state machine definition found in a file.

    ``spans`` maps a pointer relative to the definition root to the node's place in the *file*
    text, also when the definition was parsed out of a ``DefinitionString`` (offsets mapped back).
    """

    definition: Any
    pointer: str
    spans: SpanLookup
    kind: Literal["standalone", "cfn", "sam", "serverless", "terraform"] = "standalone"
    resource: str | None = None
    template: Any = None
    substitutions: dict[str, Any] = field(default_factory=dict)
    placeholders: list[Placeholder] = field(default_factory=list)
    size: int = 0  # characters of the definition as AWS receives it (for the 1 MB quota)
    embedded_string: bool = False  # parsed from a string (DefinitionString, heredoc, ...)
    # File span of code points [a, b) of the decoded string at a relative pointer, through escapes
    # and substitutions; None when unknown (then the caller narrows the span itself).
    string_span: Callable[[str, int, int], Span | None] | None = None
    # The machine that uses this definition (None: a definition file with no project around it).
    context: MachineContext | None = None
    # The definition as IAM compares it: references replaced by their symbolic text. None: the
    # engine derives it from ``definition`` and the context's substitutions.
    resolved: Any = None

    def file_pointer(self, relative: str) -> str:
        return self.pointer + relative


@dataclass(frozen=True)
class ExternalDefinition:
    """A definition file an infrastructure file names, and the machine that uses it."""

    path: str  # the file, as reports name it (see :func:`external_path`)
    context: MachineContext
    site: Site  # where the infrastructure file names it (the DefinitionUri value, the file() call)


@dataclass
class SourceResult:
    """What a layout read from one file."""

    definitions: list[LocatedDefinition] = field(default_factory=list)
    external: list[ExternalDefinition] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    layout: LayoutName | None = None  # the layout that read the file; None: no layout claimed it
    is_template: bool = False  # infrastructure code (not a definition file)
    # Other files whose content this result depends on (Terraform: the module's other .tf files).
    depends_on: list[str] = field(default_factory=list)


@dataclass
class Document:
    """One file as a layout sees it. ``parsed`` is given for JSON and YAML (positions included)."""

    file: str  # as reports name it; also the path to read siblings relative to
    text: str
    format: DocumentFormat
    parsed: ParseResult | None = None


class Layout(Protocol):
    """One way projects keep state machines."""

    name: LayoutName
    # Formats of the files this layout reads.
    formats: frozenset[DocumentFormat]
    # Substrings a file this layout reads always contains: a cheap filter before parsing, never
    # a reason to claim a file (that is :meth:`recognise`, by structure).
    markers: tuple[str, ...]
    # Substrings a file always contains when this layout finds a definition *file* named in it
    # (``SourceResult.external``), escapes aside: planning reads no other file when it only looks
    # for the files that name a definition file.
    link_markers: tuple[str, ...]
    # True for infrastructure code (templates, Terraform, serverless.yml), which can give a
    # definition file its context; False for definition files.
    infrastructure: bool

    def recognise(self, doc: Document) -> bool:
        """True when the document is of this layout, judged by its structure."""

    def read(self, doc: Document) -> SourceResult:
        """The definitions, external definition files and problems of a recognised document."""


def external_path(infra_file: str, relative: str) -> str:
    """How reports name a file an infrastructure file names by a path relative to its own folder."""
    if os.path.isabs(relative):
        return os.path.normpath(relative)
    joined = os.path.normpath(os.path.join(os.path.dirname(infra_file), relative))
    # Keep a leading "./" when the infrastructure file was named with one (walks from ".").
    if infra_file.startswith("./") and not joined.startswith(("../", "/")) and joined != "..":
        return "./" + joined
    return joined


def is_definition(value: Any) -> bool:
    """A state machine definition by structure: an object with ``StartAt`` and ``States``."""
    return isinstance(value, dict) and "StartAt" in value and "States" in value


def is_unknown(value: Any) -> bool:
    """True for values a placeholder stands for (never a reason for an error)."""
    return isinstance(value, str) and "${" in value and PLACEHOLDER.search(value) is not None
