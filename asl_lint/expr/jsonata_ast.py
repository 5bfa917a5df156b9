"""The parsed form of a JSONata expression that the checks walk: ``JNode``.

It is exactly jsonata-python's post-processed AST (the tree its evaluator runs), minus the
parser's bookkeeping: a node holds in ``vars()`` only the attributes that differ from the defaults
below, so a walk looks at the few attributes a node has instead of jsonata-python's fifty.
``asl_lint.expr.jsonata_parser`` builds these trees directly for the expressions Step Functions
users write; ``from_library`` converts jsonata-python's tree for everything else, and
``tests/expr/test_jsonata_parser.py`` checks that both give the same tree, attribute for
attribute.
"""

from __future__ import annotations

from typing import Any


class JNode:
    """One node. Class attributes are the defaults (jsonata-python's ``Symbol.__init__``)."""

    type: Any = None
    value: Any = None
    id: Any = None
    position: int = 0
    lbp: int = 0
    bp: int = 0
    level: int = 0
    keep_array = False
    descending = False
    keep_singleton_array = False
    consarray = False
    thunk = False
    expression: Any = None
    seeking_parent: Any = None
    steps: Any = None
    slot: Any = None
    next_function: Any = None
    focus: Any = None
    token: Any = None
    procedure: Any = None
    arguments: Any = None
    body: Any = None
    predicate: Any = None
    stages: Any = None
    input: Any = None
    environment: Any = None
    tuple: Any = None
    expr: Any = None
    group: Any = None
    name: Any = None
    lhs: Any = None
    rhs: Any = None
    lhs_object: Any = None
    rhs_object: Any = None
    rhs_terms: Any = None
    terms: Any = None
    condition: Any = None
    then: Any = None
    _else: Any = None
    expressions: Any = None
    error: Any = None
    signature: Any = None
    pattern: Any = None
    update: Any = None
    delete: Any = None
    label: Any = None
    index: Any = None
    ancestor: Any = None

    def __repr__(self) -> str:
        return f"JNode({vars(self)!r})"


# What a plain leaf (a name, a variable, a literal) has set, and nothing more: no predicate,
# stages, focus, ``[]``…
PLAIN_LEAF = frozenset({"id", "position", "type", "value"})


def set_attributes(node: JNode) -> set[str]:
    """The attributes ``node`` sets to something (not None, False or ``[]``), without the walks'
    private caches: what tells a plain leaf or path from one with predicates, stages or flags."""
    return {k for k, v in vars(node).items() if v is not None and v not in (False, []) and not k.startswith("_")}


# jsonata-python keeps these on every node for its own use: the parser it came from, the
# symbol-table binding powers, recovered errors. They carry nothing about the expression.
_BOOKKEEPING = frozenset({"_outer_instance", "prefix", "errors", "_jsonata_lambda"})


def _is_default(name: str, value: Any) -> bool:
    default = getattr(JNode, name, None)
    return value is default or (type(value) is type(default) and value == default)


def from_library(root: Any) -> JNode:
    """jsonata-python's post-processed AST as ``JNode``s (shared nodes stay shared). Iterative:
    jsonata-python builds trees deeper than Python's recursion limit (thousands of parentheses)."""
    from jsonata.parser import Parser

    symbol = Parser.Symbol
    made: dict[int, JNode] = {}
    order: list[Any] = []  # (keeps every source alive while ``made`` is keyed by id)
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, symbol) and id(item) not in made:
            made[id(item)] = JNode()
            order.append(item)
            stack.extend(value for name, value in vars(item).items() if name not in _BOOKKEEPING)

    def convert(value: Any) -> Any:
        if isinstance(value, symbol):
            return made[id(value)]
        if isinstance(value, list):  # (lists nest two deep at most: an object's pairs)
            return [convert(item) for item in value]
        return value

    for source in order:
        attrs = vars(made[id(source)])
        for name, value in vars(source).items():
            if name not in _BOOKKEEPING and not _is_default(name, value):
                attrs[name] = convert(value)
    return made[id(root)]


def dump(node: Any) -> Any:
    """A plain, comparable form of a tree (tests): every node's attributes, nested."""
    seen: dict[int, int] = {}

    def walk(value: Any) -> Any:
        if isinstance(value, JNode):
            if id(value) in seen:
                return ("<shared>", seen[id(value)])
            seen[id(value)] = len(seen)
            return {name: walk(v) for name, v in sorted(vars(value).items()) if not name.startswith("_asl_")}
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, bool | int | float | str) or value is None:
            return (type(value).__name__, value)
        return ("<object>", type(value).__name__)

    return walk(node)
