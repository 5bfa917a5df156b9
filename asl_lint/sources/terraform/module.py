"""Terraform modules: the ``.tf`` files of one directory, the local modules they call, and the root
modules that call them.

Terraform reads every ``.tf`` file of a directory as one module
(https://developer.hashicorp.com/terraform/language/modules). A module block whose ``source`` is a
local path (``./…`` or ``../…``) makes that directory a child module whose ``variable`` blocks get the
block's arguments. A directory no module block calls is a root module: its variables come from
``terraform.tfvars``, ``terraform.tfvars.json`` and ``*.auto.tfvars(.json)`` (in that order, later
files win, as Terraform loads them), else from the variable's ``default``, else they are unknown.
``-var``/``-var-file`` and ``TF_VAR_`` values given on the command line are not seen.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from asl_lint.sources.stamps import Stamp, now, settled, stamp
from asl_lint.sources.terraform.hcl import Attribute, Block, HclFile, parse_hcl

if TYPE_CHECKING:
    from asl_lint.sources.terraform.values import Value

_SKIP_DIRS = {".git", ".terraform", "node_modules", ".venv", "venv", "__pycache__", ".terragrunt-cache"}
_MAX_DIRS = 2000  # directories walked when looking for the module blocks that call a module
# path -> (stamp, parsed file, settled: the stamp is trusted, see asl_lint.sources.stamps)
_CACHE: dict[str, tuple[Stamp, HclFile, bool]] = {}


def read_tf(path: str, overrides: dict[str, str] | None = None) -> HclFile | None:
    """A parsed ``.tf`` file (parsed once per text); None when it cannot be read.

    ``overrides`` gives the text of files being edited (the LSP) instead of what is on disk.
    """
    key = os.path.normpath(path)
    cached = _CACHE.get(key)
    read_at = now()
    if overrides and key in overrides:
        text = overrides[key]
        found: Stamp = (-1, len(text))
    else:
        found = stamp(path)
        if found is None:
            return None
        if cached is not None and cached[0] == found and cached[2]:
            return cached[1]
        try:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", errors="replace").removeprefix("\ufeff")
        except OSError:
            return None
    calm = found is not None and found[0] >= 0 and settled(found, read_at)
    if cached is not None and cached[1].text == text:
        _CACHE[key] = (found, cached[1], calm)
        return cached[1]
    parsed = parse_hcl(text, path)
    _CACHE[key] = (found, parsed, calm)
    return parsed


def cached_text(path: str) -> str | None:
    """The text of a ``.tf`` file as it was last parsed."""
    cached = _CACHE.get(os.path.normpath(path))
    return cached[1].text if cached is not None else None


@dataclass
class Module:
    """One directory of ``.tf`` files, its blocks indexed by address."""

    dir: str  # as reports name paths ("./infra", "modules/sfn")
    files: list[HclFile] = field(default_factory=list)
    resources: dict[str, Block] = field(default_factory=dict)  # "aws_iam_role.r"
    data: dict[str, Block] = field(default_factory=dict)  # "aws_iam_policy_document.p"
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    local_files: dict[str, str] = field(default_factory=dict)  # local name -> file
    outputs: dict[str, Block] = field(default_factory=dict)
    calls: dict[str, Block] = field(default_factory=dict)  # module "name" {...}


def tf_files(directory: str) -> list[str]:
    try:
        names = sorted(os.listdir(directory or "."))
    except OSError:
        return []
    paths = [os.path.join(directory, n) for n in names if n.endswith(".tf")]
    return [p for p in paths if os.path.isfile(p)]


def load_module(directory: str, overrides: dict[str, str] | None = None) -> Module:
    module = Module(directory)
    for path in tf_files(directory):
        parsed = read_tf(path, overrides)
        if parsed is None:
            continue
        module.files.append(parsed)
        for block in parsed.body.blocks:
            labels = block.labels
            if block.type == "resource" and len(labels) == 2:
                module.resources.setdefault(f"{labels[0]}.{labels[1]}", block)
            elif block.type == "data" and len(labels) == 2:
                module.data.setdefault(f"{labels[0]}.{labels[1]}", block)
            elif block.type == "variable" and len(labels) == 1:
                module.variables.setdefault(labels[0], block)
            elif block.type == "output" and len(labels) == 1:
                module.outputs.setdefault(labels[0], block)
            elif block.type == "module" and len(labels) == 1:
                module.calls.setdefault(labels[0], block)
            elif block.type == "locals":
                for name, attribute in block.body.attributes.items():
                    module.locals.setdefault(name, attribute)
                    module.local_files.setdefault(name, parsed.path)
    return module


def local_source(block: Block) -> str | None:
    """The ``source`` of a module block when it is a local path (``./x``, ``../x``), else None."""
    from asl_lint.sources.terraform.hcl import Template
    from asl_lint.sources.terraform.template import Lit

    attribute = block.body.attributes.get("source")
    if attribute is None or not isinstance(attribute.value, Template):
        return None
    parts = attribute.value.parts
    if not all(isinstance(p, Lit) for p in parts):
        return None
    source = "".join(p.mapped.text for p in parts if isinstance(p, Lit))
    return source if source.startswith(("./", "../")) or source in (".", "..") else None


def child_dir(module_dir: str, source: str) -> str:
    return os.path.normpath(os.path.join(module_dir or ".", source))


# --- instances ----------------------------------------------------------------------------------
@dataclass(eq=False)
class Instance:
    """A module as one root configuration uses it: ``module.a.module.b`` of root ``root``."""

    module: Module
    prefix: str  # address prefix: "" for the root, "module.a." for its child a
    parent: Instance | None = None
    call: Block | None = None  # the module block in ``parent`` that creates this instance
    overrides: dict[str, str] | None = None
    tfvars: dict[str, Value] | None = None  # root only
    children: dict[str, Instance | None] = field(default_factory=dict)
    memo: dict[str, Value] = field(default_factory=dict)
    busy: set[str] = field(default_factory=set)

    @property
    def root(self) -> Instance:
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def child(self, name: str) -> Instance | None:
        if name not in self.children:
            self.children[name] = None
            call = self.module.calls.get(name)
            source = local_source(call) if call is not None else None
            depth = self.prefix.count("module.")
            if call is not None and source is not None and depth < 8:
                directory = child_dir(self.module.dir, source)
                if os.path.isdir(directory) and not self._calls_itself(directory):
                    module = load_module(_keep_dot(self.module.dir, directory), self.overrides)
                    self.children[name] = Instance(module, f"{self.prefix}module.{name}.", self, call, self.overrides)
        return self.children[name]

    def _calls_itself(self, directory: str) -> bool:
        """A module block that reaches a module already on this chain (Terraform rejects the cycle)."""
        target = os.path.abspath(directory)
        node: Instance | None = self
        while node is not None:
            if os.path.abspath(node.module.dir or ".") == target:
                return True
            node = node.parent
        return False

    def walk(self) -> list[Instance]:
        """This instance and every local module instance below it."""
        out = [self]
        for name in sorted(self.module.calls):
            child = self.child(name)
            if child is not None:
                out.extend(child.walk())
        return out


def _keep_dot(parent: str, directory: str) -> str:
    """Name a child directory with the leading ``./`` its parent was named with (reports keep it)."""
    if parent.startswith("./") and not directory.startswith(("/", "..", "./")):
        return "./" + directory
    return directory


# --- roots ----------------------------------------------------------------------------------------
def search_root(directory: str) -> str:
    """Where to look for module blocks that call ``directory``: up to three levels up, while the
    parent is part of the same configuration (has ``.tf`` files, is or holds a ``modules`` folder),
    and never above a folder with ``.git``."""
    current = os.path.abspath(directory or ".")
    for _ in range(3):
        if os.path.exists(os.path.join(current, ".git")):
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        if tf_files(parent) or os.path.basename(parent) == "modules" or os.path.isdir(os.path.join(parent, "modules")):
            current = parent
        else:
            break
    return current


def callers(directory: str, overrides: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(caller directory, module name) of every module block under the search root that calls
    ``directory`` with a local ``source``."""
    target = os.path.abspath(directory or ".")
    root = search_root(directory)
    found: list[tuple[str, str]] = []
    visited = 0
    for current, dirs, files in os.walk(root):
        visited += 1
        if visited > _MAX_DIRS:
            break
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        if os.path.abspath(current) == target or not any(f.endswith(".tf") for f in files):
            continue
        # A source that leads from here to the target names the target's folder, unless the target
        # is this folder's ancestor (``source = "../.."``).
        above = os.path.commonpath([target, os.path.abspath(current)]) == target
        needle = "module" if above else os.path.basename(target)
        for name in sorted(files):
            if not name.endswith(".tf"):
                continue
            path = os.path.join(current, name)
            if not _may_call(path, overrides, needle):
                continue
            parsed = read_tf(path, overrides)
            if parsed is None:
                continue
            for block in parsed.body.blocks_of("module"):
                source = local_source(block)
                if source and len(block.labels) == 1 and os.path.abspath(child_dir(current, source)) == target:
                    found.append((current, block.labels[0]))
    return found


_MENTIONS: dict[str, tuple[Stamp, bool, bool]] = {}  # path -> (stamp, names a machine, settled)
_LOCAL_SOURCE = re.compile(r'\bsource\s*=\s*"(\.\.?/[^"$]*)"')


def has_machines(directory: str, overrides: dict[str, str] | None = None) -> bool:
    """True when a ``.tf`` file of the configuration around ``directory`` (under its search root)
    names ``aws_sfn_state_machine``: a cheap test before parsing anything (a Terraform tree without
    state machines is not read at all)."""
    if overrides and any("aws_sfn_state_machine" in text for text in overrides.values()):
        return True
    # The area around the directory, and the local modules its own files call (a root module in
    # envs/prod calling ../../modules/flow, which holds the machine).
    areas = {search_root(directory)}
    for path in tf_files(directory):
        text = overrides.get(os.path.normpath(path)) if overrides else None
        if text is None:
            try:
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8", errors="replace")
            except OSError:
                continue
        for source in _LOCAL_SOURCE.findall(text):
            areas.add(search_root(child_dir(directory, source)))
    visited = 0
    for area in sorted(areas):
        for current, dirs, files in os.walk(area):
            visited += 1
            if visited > _MAX_DIRS:
                return True  # too large to tell cheaply: read it
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
            for name in files:
                if name.endswith(".tf") and _names_machine(os.path.join(current, name)):
                    return True
    return False


def _names_machine(path: str) -> bool:
    read_at = now()
    found = stamp(path)
    if found is None:
        return False
    cached = _MENTIONS.get(path)
    if cached is not None and cached[0] == found and cached[2]:
        return cached[1]
    try:
        with open(path, "rb") as handle:
            names = b"aws_sfn_state_machine" in handle.read()
    except OSError:
        names = False
    _MENTIONS[path] = (found, names, settled(found, read_at))
    return names


def _may_call(path: str, overrides: dict[str, str] | None, name: str) -> bool:
    """Whether a ``.tf`` file may hold a module block calling the module in folder ``name`` (a
    cheap test on the text before parsing: a calling file mentions ``module`` and that name)."""
    key = os.path.normpath(path)
    if overrides and key in overrides:
        text = overrides[key]
        return "module" in text and name in text
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return b"module" in data and name.encode() in data


def instances_of(directory: str, overrides: dict[str, str] | None = None) -> list[Instance]:
    """The instances of the module in ``directory``: one per way a root module reaches it
    (the directory itself when nothing calls it)."""
    return _instances(directory, overrides, frozenset())


def _instances(directory: str, overrides: dict[str, str] | None, seen: frozenset[str]) -> list[Instance]:
    key = os.path.abspath(directory or ".")
    if key in seen or len(seen) > 8:
        return []
    out: list[Instance] = []
    for caller_dir, name in callers(directory, overrides):
        for parent in _instances(_relative_like(directory, caller_dir), overrides, seen | {key}):
            child = parent.child(name)
            if child is not None:
                out.append(child)
    if not out:
        from asl_lint.sources.terraform.evaluate import load_tfvars

        module = load_module(directory, overrides)
        out.append(Instance(module, "", overrides=overrides, tfvars=load_tfvars(directory)))
    return out


def _relative_like(reference: str, absolute: str) -> str:
    """``absolute`` named the way ``reference`` is (relative to the working directory when it is)."""
    if os.path.isabs(reference):
        return absolute
    relative = os.path.relpath(absolute)
    if reference.startswith("./") and not relative.startswith(("..", "/")):
        return "./" + relative if relative != "." else "."
    return relative
