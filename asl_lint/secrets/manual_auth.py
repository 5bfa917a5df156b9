"""ASL603: credentials set by hand in an HTTP Task header or query parameter.

Whether the value is literal or computed at run time (`.$` path, intrinsic, JSONata) the credential
bypasses the EventBridge connection, whose job is to inject it from Secrets Manager.
"""

from __future__ import annotations

from asl_lint._lazy import lazy_compile
from asl_lint.secrets.keywords import normalise
from asl_lint.secrets.table import table

_FIX = "configure it in the EventBridge connection (API key, Basic or OAuth authorization) instead"
_QUOTED_SCHEME = lazy_compile(r"['\"]([A-Za-z][\w-]*) ")
_NOT_CREDENTIAL = (
    "tasktoken",
    "nexttoken",
    "continuationtoken",
    "clienttoken",
    "idempotencytoken",
    "paginationtoken",
    "pagetoken",  # Google APIs' pageToken / page_token: pagination, not a credential
)


def _is_dynamic(name: str, value: str) -> bool:
    v = value.strip()
    return (
        name.endswith(".$")
        or v.startswith("$")
        or v.startswith("States.")
        or (v.startswith("{%") and v.endswith("%}"))
    )


def _what_by_name(norm: str) -> str | None:
    t = table()
    if norm in t.auth_exact:
        return t.auth_exact[norm]
    if norm.startswith(_NOT_CREDENTIAL) or norm.endswith(t.not_secret_suffixes):
        return None
    return next((what for word, what in t.auth_contains if word in norm), None)


def _what_by_value(value: str, dynamic: bool) -> str | None:
    """'Bearer x…' literals, or a scheme literal inside an expression ({% 'Bearer ' & $t %})."""
    schemes = table().auth_schemes
    if dynamic:
        m = _QUOTED_SCHEME.search(value)
        return f"'{m.group(1)}' credentials" if m and m.group(1).lower() in schemes else None
    parts = value.strip().split(None, 1)
    if len(parts) == 2 and parts[0].lower() in schemes and len(parts[1]) >= 6 and " " not in parts[1].strip():
        return f"'{parts[0]}' credentials"
    return None


def manual_auth(name: str, value: str | None) -> str | None:
    """A reason when header/parameter `name` (may end in '.$') passes credentials by hand, else None.

    The reason never quotes a literal value, which may be the secret itself.
    """
    if value is not None and not value.strip():
        return None
    what = _what_by_name(normalise(name))
    if what is None and value is not None:
        what = _what_by_value(value, _is_dynamic(name, value))
    if what is None:
        return None
    display = name[:-2] if name.endswith(".$") else name
    if value is None:
        how = ""
    elif _is_dynamic(name, value):
        how = " (value computed at run time)"
    else:
        how = " (literal value)"
    return f"'{display}' passes {what} by hand{how}; {_FIX}"
