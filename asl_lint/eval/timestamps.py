"""RFC 3339 timestamps as Step Functions accepts them (Choice Timestamp* rules, Wait)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from fractions import Fraction

# Uppercase T and Z only; a zone designator is mandatory; any fraction precision.
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$")


def parse_timestamp(text: object) -> Fraction | None:
    """Seconds since the epoch (exact, fraction kept) or None when ``text`` is not a valid timestamp."""
    if not isinstance(text, str):
        return None
    m = _RFC3339.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction, zone = m.group(7), m.group(8)
    try:
        if zone == "Z":
            tz = UTC
        else:
            sign = 1 if zone[0] == "+" else -1
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours > 23 or minutes > 59:
                return None
            tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
        moment = datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
    base = Fraction(int((moment - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()))
    if fraction:
        base += Fraction(int(fraction), 10 ** len(fraction))
    return base


def is_timestamp(value: object) -> bool:
    return parse_timestamp(value) is not None
