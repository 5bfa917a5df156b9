"""The layouts, and choosing the one that reads a file (by its structure, never by a substring)."""

from __future__ import annotations

from pathlib import Path

from asl_lint.source.nodes import ParseResult
from asl_lint.sources.base import Document, Layout, SourceResult
from asl_lint.sources.cloudformation import CloudFormationLayout
from asl_lint.sources.serverless import ServerlessLayout
from asl_lint.sources.standalone import StandaloneLayout, read_definition
from asl_lint.sources.terraform import TerraformLayout

# In order: the first layout that recognises a document reads it. A new layout goes here.
LAYOUTS: list[Layout] = [StandaloneLayout(), CloudFormationLayout(), ServerlessLayout(), TerraformLayout()]


def layout_for(doc: Document) -> Layout | None:
    """The layout that recognises the document by its structure, if any."""
    for layout in LAYOUTS:
        if doc.format in layout.formats and layout.recognise(doc):
            return layout
    return None


def may_be_read(file: str, text: str) -> bool:
    """A cheap necessary condition (before parsing) for some layout to recognise the file."""
    return _marked(file, text, "markers")


def may_name_files(file: str, text: str) -> bool:
    """A cheap necessary condition (before parsing) for the file to name a definition file: some
    layout's link marker is in it, or a backslash, which could spell one in an escape
    (``Definition\\u0055ri``)."""
    return "\\" in text or _marked(file, text, "link_markers")


def _marked(file: str, text: str, markers: str) -> bool:
    from asl_lint.sources.detect import detect_format

    fmt = detect_format(file, text)
    return any(fmt in layout.formats and any(m in text for m in getattr(layout, markers)) for layout in LAYOUTS)


def read_document(doc: Document, *, explicit: bool = True) -> SourceResult:
    """What the file holds. A JSON/YAML file no layout recognises is read as a definition when it
    was named explicitly (and then mostly gives ASL003), and is nothing otherwise."""
    layout = layout_for(doc)
    if layout is not None:
        return layout.read(doc)
    if explicit and doc.parsed is not None and not doc.parsed.fatal:
        return read_definition(doc.parsed, doc.text, doc.format == "json")
    return SourceResult()


def locate(parsed: ParseResult, path: Path, text: str) -> SourceResult:
    """The definitions of an already parsed JSON/YAML file (as if named explicitly)."""
    from asl_lint.sources.detect import detect_format

    file = str(path)
    fmt = detect_format(file, text)
    return read_document(Document(file, text, "json" if fmt == "json" else "yaml", parsed))
