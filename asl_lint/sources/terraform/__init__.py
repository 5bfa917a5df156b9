"""Terraform: ``aws_sfn_state_machine`` resources of a configuration, read from its ``.tf`` files.

A ``.tf`` file is read with the module it belongs to (every ``.tf`` file of its directory), the
local modules that module calls and the root modules that call it, so that ``var.*``, ``local.*``,
module inputs and outputs, the role and its policies are followed across files. The file reports
the definitions written in it (``jsonencode``, heredocs) and the definition files its machines
name (``file``, ``templatefile``, ``data.template_file``), each with its machine's context.
See ``docs/terraform.md`` for what is read and what stays unknown.
"""

from __future__ import annotations

import os

from asl_lint.sources.base import Document, DocumentFormat, LayoutName, SourceResult

__all__ = ["TerraformLayout", "read_terraform"]


class TerraformLayout:
    """Terraform configurations (``.tf`` files, HCL)."""

    name: LayoutName = "terraform"
    formats: frozenset[DocumentFormat] = frozenset({"hcl"})
    # Every block has one; which file matters is decided by reading its module.
    markers: tuple[str, ...] = ("{",)
    # The file declaring a machine names its definition file (``file()``/``templatefile()``
    # may sit in another file of the module).
    link_markers: tuple[str, ...] = ("aws_sfn_state_machine",)
    infrastructure: bool = True

    def recognise(self, doc: Document) -> bool:
        return doc.format == "hcl"

    def read(self, doc: Document) -> SourceResult:
        return read_terraform(doc.file, doc.text)


def read_terraform(file: str, text: str) -> SourceResult:
    """What ``file`` (with its current ``text``) contributes to the configuration's state machines.

    Problems of the file itself (HCL that does not parse) are reported when the configuration has
    state machines or the file names ``aws_sfn_state_machine``; other Terraform is not our business.
    """
    from asl_lint.sources.terraform import evaluate
    from asl_lint.sources.terraform.machines import MACHINE, machines, read_machines
    from asl_lint.sources.terraform.module import Instance, has_machines, instances_of, read_tf

    overrides = {os.path.normpath(file): text}
    evaluate.READ.clear()
    result = SourceResult(layout="terraform", is_template=True)
    if not has_machines(os.path.dirname(file), overrides):
        return result  # Terraform without state machines: not read (not even parsed)
    parsed = read_tf(file, overrides)
    roots: list[Instance] = []
    for instance in instances_of(os.path.dirname(file), overrides):
        if all(instance.root is not seen for seen in roots):
            roots.append(instance.root)
    everything = [inst for root in roots for inst in root.walk()]
    read_machines(file, everything, len(roots), result)
    if parsed is not None and (MACHINE in text or machines(everything)):
        result.problems.extend(parsed.problems)
    here = os.path.normpath(file)
    # Every other file the result depends on: the configuration's .tf files, tfvars, policy documents
    # and templates read through file()/templatefile() (cache keys, the language server).
    external = {os.path.normpath(e.path) for e in result.external}
    read = {f.path for inst in everything for f in inst.module.files} | evaluate.READ
    result.depends_on = sorted(p for p in read if os.path.normpath(p) not in external | {here})
    return result
