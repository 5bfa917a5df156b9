"""Projects: which files to lint, and which machines use which definition file.

A run is planned in *units*: files that must be linted together because an infrastructure file
(template, ``serverless.yml``, Terraform) gives a definition file its machines' contexts. A unit
holds the files to lint and the infrastructure files read only for the contexts they give; it is
plain data, so units go to worker processes and into cache keys as they are.

- Walks take ``*.asl.json|yaml|yml``, the JSON/YAML files a layout recognises by their structure,
  and the Terraform files; they skip version control, dependencies, virtual environments, build
  output (``build/``, ``dist/``, ``.aws-sam``, ``.serverless``, CDK's ``cdk.out/asset.*`` folders)
  and configured excludes. A file named explicitly is always linted.
- A definition file that no infrastructure file of the run names is looked up in the
  infrastructure files of its own folder and of each folder above it, up to the *project root*:
  the nearest folder holding ``.git``, ``pyproject.toml``, ``samconfig.toml``, ``samconfig.yaml``,
  ``cdk.json``, ``serverless.yml`` or ``.asl-lint.toml``; without one, the file's folder and the
  two above it, never ``/``, a folder directly in it (``/tmp``) or the home folder, with whatever
  else lies there. Only the files directly in those folders are read, once per folder and run,
  and only when they contain a layout's marker: naming one changed definition file (pre-commit)
  stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from asl_lint.sources.base import DocumentFormat, SourceResult
from asl_lint.sources.stamps import Stamp, now, settled, stamps

if TYPE_CHECKING:
    from asl_lint.config import Config

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache",
             ".ruff_cache", ".pytest_cache", ".venv", "venv", ".aws-sam", ".terraform", ".asl-lint-cache",
             ".serverless", "build", "dist"}
DEFINITION_SUFFIXES = (".asl.json", ".asl.yaml", ".asl.yml")
CANDIDATE_SUFFIXES = (".json", ".yaml", ".yml", ".tf")
ROOT_MARKERS = (".git", ".hg", "pyproject.toml", "samconfig.toml", "samconfig.yaml", "cdk.json", "serverless.yml",
                ".asl-lint.toml")
MAX_FILE_BYTES = 10 * 1024 * 1024
CLIMB_WITHOUT_MARKER = 2  # folders above a definition's own looked at when no root marker is found


@dataclass(frozen=True)
class UnitFile:
    """A file of a unit, as reports name it."""
    file: str  # as reports name it
    explicit: bool  # named on the command line (always linted)
    infrastructure: bool = False  # a template / serverless.yml / Terraform file
    jsonata: bool = False  # its text names JSONata (a batch lints such files first: ``runner._heavy_first``)


@dataclass(frozen=True)
class Unit:
    """Files linted together: ``files`` are linted, ``context_files`` only give contexts, and
    ``depends_on`` are other files the layouts read for them (Terraform's sibling ``.tf`` files)."""

    files: tuple[UnitFile, ...]
    context_files: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()

    @property
    def inputs(self) -> list[str]:
        """Every file whose content the unit's result depends on (for cache keys)."""
        return list(dict.fromkeys([f.file for f in self.files] + list(self.context_files) + list(self.depends_on)))


# --- discovery -----------------------------------------------------------------------------------
def _skip_dir(root: str, name: str, config: Config) -> bool:
    if name in SKIP_DIRS or (name.startswith("asset.") and os.path.basename(root) == "cdk.out"):
        return True
    return (Path(root, name) / "pyvenv.cfg").exists() or config.excluded(os.path.join(root, name))


def discover(paths: Iterable[str], config: Config) -> list[tuple[str, bool]]:
    """(file, named explicitly) for every file a run may lint, in a stable order."""
    found: list[tuple[str, bool]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not _skip_dir(root, d, config))
                for name in sorted(files):
                    if name.lower().endswith(CANDIDATE_SUFFIXES):
                        full = os.path.join(root, name)
                        if not config.excluded(full):
                            found.append((full, False))
        else:
            found.append((given, True))
    return found


# --- reading infrastructure files ----------------------------------------------------------------
def read_bytes(file: str) -> bytes | None:
    try:
        if os.path.getsize(file) > MAX_FILE_BYTES:
            return None
        with open(file, "rb") as handle:
            return handle.read()
    except OSError:
        return None


@dataclass(frozen=True)
class _Read:
    """What an infrastructure file said, and what it was said from."""

    digest: int  # of the file's content (``hash``: in-process only, 64 bits, no hashlib to import)
    depends: tuple[tuple[str, Stamp], ...]  # the stamps of everything else it depends on
    settled: bool  # no stamp is so recent that a later write may have kept it (stamps.settled)
    result: SourceResult | None

    def fresh(self, digest: int) -> bool:
        return self.digest == digest and self.settled and stamps(path for path, _ in self.depends) == self.depends


# (the file as named, the working folder): the result names files relative to both.
_INFRA: dict[tuple[str, str], _Read] = {}


def read_infrastructure(file: str, data: bytes | None = None) -> SourceResult | None:
    """What an infrastructure file says (machines, the definition files they use); None for any
    other file. Read once per process while the file's content and what its result depends on are
    unchanged (:func:`dependencies`): a long-lived process (the language server) sees an edited
    ``terraform.tfvars``, sibling ``.tf`` file, policy document or template. ``data``: the file's
    bytes, when the caller has just read them."""
    if data is None:
        data = read_bytes(file)
    if data is None:
        return None
    digest = hash(data)
    key = (file, os.getcwd())
    cached = _INFRA.get(key)
    if cached is not None and cached.fresh(digest):
        return cached.result
    read_at = now()
    result = _read_infrastructure(file, data)
    depends = stamps(dependencies(file, result))
    if len(_INFRA) > 4096:
        _INFRA.clear()
    _INFRA[key] = _Read(digest, depends, all(settled(found, read_at) for _, found in depends), result)
    return result


def dependencies(file: str, result: SourceResult | None) -> list[str]:
    """What a file's result depends on besides its own content: the files its layout read
    (``SourceResult.depends_on``: Terraform's other ``.tf`` files, tfvars, templates, policy
    documents), and the folders holding them and the file, whose stamps change when a file is
    created or removed there (a new ``*.auto.tfvars``, a new ``.tf`` file of the module)."""
    if result is None:
        return []
    files = list(dict.fromkeys(result.depends_on))
    folders = dict.fromkeys(os.path.dirname(path) or "." for path in [file, *files])
    return files + list(folders)


def _read_infrastructure(file: str, data: bytes) -> SourceResult | None:
    from asl_lint.sources.base import Document
    from asl_lint.sources.detect import decode, detect_format, parse_text
    from asl_lint.sources.registry import LAYOUTS

    text, _problems, unreadable = decode(data)
    if unreadable:
        return None
    fmt: DocumentFormat = detect_format(file, text)
    layouts = [la for la in LAYOUTS if la.infrastructure and fmt in la.formats and any(m in text for m in la.markers)]
    if not layouts:
        return None
    parsed = None if fmt == "hcl" else parse_text(text.lstrip("\ufeff"), fmt)
    if parsed is not None and parsed.fatal:
        return None
    doc = Document(file, text, fmt, parsed)
    for layout in layouts:
        if layout.recognise(doc):
            try:
                return layout.read(doc)
            except Exception:  # a crash here is reported when the file itself is linted
                return None
    return None


def suggest_path(path: str) -> str | None:
    """For a path that is not a file: the file it probably means, when one name along it differs
    only in case or by a letter or two (``statemachine/StateMachine.asl.json`` for
    ``statemachine/stateMachine.asl.json``: macOS finds it, Linux, where CI runs, does not)."""
    import difflib

    parts = os.path.normpath(path).split(os.sep)
    current = "" if not os.path.isabs(path) else os.sep
    for part in parts:
        candidate = os.path.join(current, part) if current else part
        if not os.path.exists(candidate):
            try:
                names = os.listdir(current or ".")
            except OSError:
                return None
            lower = {name.lower(): name for name in names}
            close = difflib.get_close_matches(part, names, n=1, cutoff=0.85)
            match = lower.get(part.lower()) or (close[0] if close else None)
            if match is None:
                return None
            candidate = os.path.join(current, match) if current else match
        current = candidate
    return current if os.path.isfile(current) and current != os.path.normpath(path) else None


# --- finding the infrastructure files of a definition file ---------------------------------------
def project_root(folder: str) -> str:
    """The nearest folder at or above ``folder`` that marks a project root (see the module doc)."""
    current = os.path.abspath(folder)
    climbed = [current]
    while True:
        if any(os.path.exists(os.path.join(current, marker)) for marker in ROOT_MARKERS):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
        climbed.append(current)
    # No marker anywhere: a folder outside any project (a download, a temporary folder).
    home = os.path.expanduser("~")
    root = climbed[0]
    for folder in climbed[1:CLIMB_WITHOUT_MARKER + 1]:
        if os.path.dirname(os.path.dirname(folder)) == os.path.dirname(folder) or folder == home:
            break  # ``/``, a folder directly in it (``/tmp``) or the home folder is nobody's project
        root = folder
    return root


def _display(path: str) -> str:
    """How reports name a file found above or beside the given paths: relative to the working
    folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


# (folder, its candidate files with sizes and modification times) -> (links, the stamps of what the
# infrastructure files among them depend on, settled).
_FOLDERS: dict[tuple[str, tuple[tuple[str, int, int], ...]],
               tuple[list[tuple[str, frozenset[str]]], tuple[tuple[str, Stamp], ...], bool]] = {}


def _folder_links(folder: str) -> list[tuple[str, frozenset[str]]]:
    """(infrastructure file, real paths of the definition files it names) directly in ``folder``.
    Remembered per folder listing (names, sizes, modification times) while what those files depend
    on is unchanged: a long-lived process (the language server) sees edits."""
    read_at = now()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        names = []
    candidates: list[tuple[str, int, int]] = []
    for name in names:
        if name.lower().endswith(CANDIDATE_SUFFIXES):
            try:
                stat = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            candidates.append((name, stat.st_size, stat.st_mtime_ns))
    key = (folder, tuple(candidates))
    cached = _FOLDERS.get(key)
    if cached is not None and cached[2] and stamps(path for path, _ in cached[1]) == cached[1]:
        return cached[0]
    links: list[tuple[str, frozenset[str]]] = []
    depends: list[str] = []
    for name, _size, _mtime in candidates:
        full = os.path.join(folder, name)
        data = read_bytes(full) if os.path.isfile(full) else None
        if data is None or not _may_link(full, data):
            continue
        found = read_infrastructure(full, data)
        depends.extend(dependencies(full, found))
        if found is not None and found.external:
            links.append((_display(full), frozenset(os.path.realpath(e.path) for e in found.external)))
    found_stamps = stamps(dict.fromkeys(depends))
    calm = all(settled((mtime, size), read_at) for _, size, mtime in candidates) and \
        all(settled(found, read_at) for _, found in found_stamps)
    if len(_FOLDERS) > 1024:
        _FOLDERS.clear()
    _FOLDERS[key] = (links, found_stamps, calm)
    return links


def _may_link(file: str, data: bytes) -> bool:
    """Whether ``file`` (its bytes) may name a definition file (``registry.may_name_files``): a SAM
    template with inline definitions beside a definition file is then not parsed to plan it."""
    from asl_lint.sources.detect import decode
    from asl_lint.sources.registry import may_name_files

    text, _problems, unreadable = decode(data)
    return not unreadable and may_name_files(file, text)


@dataclass
class Seen:
    """What one plan learnt about folders: each is listed, stat'ed and climbed once, not once per
    definition file in it."""

    links: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)
    reals: dict[str, str] = field(default_factory=dict)  # folder as written -> its real path

    def real(self, file: str) -> str:
        """``os.path.realpath(file)``, the folder's resolved once: ``realpath`` stats every
        component of every path, a third of planning a corpus of definitions."""
        folder, name = os.path.split(file)
        if not name or name in (".", "..") or os.path.islink(file):
            return os.path.realpath(file)
        base = self.reals.get(folder)
        if base is None:
            base = self.reals[folder] = os.path.realpath(folder or os.curdir)
        return os.path.join(base, name)


def infrastructure_for(file: str, seen: Seen | None = None) -> list[str]:
    """The infrastructure files in the folders from ``file``'s own up to its project root that name it."""
    seen = seen or Seen()
    target = seen.real(file)
    folder = os.path.dirname(os.path.abspath(file))
    root = seen.roots.get(folder)
    if root is None:
        root = seen.roots[folder] = project_root(folder)
    found: list[str] = []
    while True:
        links = seen.links.get(folder)
        if links is None:
            links = seen.links[folder] = _folder_links(folder)
        found.extend(infra for infra, targets in links if target in targets)
        parent = os.path.dirname(folder)
        if folder == root or parent == folder:
            return found
        folder = parent


def forget() -> None:
    """Drop what was read (between runs of a long-lived process: the language server)."""
    _INFRA.clear()
    _FOLDERS.clear()


# --- planning ------------------------------------------------------------------------------------
@dataclass
class _Node:
    """A planned file and the definition files it names (for grouping files into units)."""
    file: UnitFile
    links: set[str] = field(default_factory=set)  # real paths of definition files it names


def plan(paths: Iterable[str], config: Config) -> list[Unit]:
    """The units of a run over ``paths`` (see the module doc)."""
    files = discover(paths, config)
    seen = Seen()
    nodes: dict[str, _Node] = {}  # real path -> node, first naming wins (nothing is linted twice)
    order: list[str] = []
    depends: dict[str, list[str]] = {}
    pending = list(files)
    while pending:
        file, explicit = pending.pop(0)
        real = seen.real(file)
        if real in nodes:
            continue
        data = read_bytes(file)
        found = read_infrastructure(file, data) if data is not None else None
        node = _Node(UnitFile(file, explicit, found is not None, data is not None and b"JSONata" in data))
        if found is not None:
            for external in found.external:
                if not config.excluded(external.path):
                    node.links.add(seen.real(external.path))
                    # A definition file outside the given paths is linted as if named: its machine is.
                    pending.append((external.path, True))
            depends[real] = found.depends_on
        nodes[real] = node
        order.append(real)
    # Union-find over "infrastructure file names definition file".
    parent: dict[str, str] = {real: real for real in order}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    named: set[str] = set()
    for real in order:
        for target in nodes[real].links:
            named.add(target)
            if target in parent:
                parent[find(target)] = find(real)
    groups: dict[str, list[str]] = {}
    for real in order:
        groups.setdefault(find(real), []).append(real)
    units = []
    for members in groups.values():
        unit_files = tuple(nodes[m].file for m in members)
        context: list[str] = []
        for member in members:
            node = nodes[member]
            if not node.file.infrastructure and member not in named and _may_be_definition(node.file):
                context.extend(f for f in infrastructure_for(node.file.file, seen) if seen.real(f) not in nodes)
        extra = [d for m in members for d in depends.get(m, [])]
        for infra in context:
            found = read_infrastructure(infra)
            extra.extend(found.depends_on if found is not None else [])
        units.append(Unit(unit_files, tuple(dict.fromkeys(context)), tuple(dict.fromkeys(extra))))
    return units


def _may_be_definition(unit_file: UnitFile) -> bool:
    lower = unit_file.file.lower()
    return lower.endswith((".json", ".yaml", ".yml")) and not lower.endswith(".tf")
