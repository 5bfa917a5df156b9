"""Documentation generated from rules/*.md (the README's rule table)."""

from __future__ import annotations

import re
from pathlib import Path

from asl_lint.engine.metadata import all_rules

START, END = "<!-- rules:start -->", "<!-- rules:end -->"
_AREAS = {
    "0": "Input and structure",
    "1": "State graph",
    "2": "Paths, expressions, variables",
    "3": "HTTP Task",
    "4": "Error handling",
    "5": "IAM coverage",
    "6": "Secrets",
    "7": "Evaluation of Pass and Choice",
    "9": "The tool itself",
}


def rule_table() -> str:
    lines = ["| code | name | severity | finds |", "|---|---|---|---|"]
    for meta in all_rules().values():
        summary = meta.summary.replace("|", "\\|")
        lines.append(f"| [{meta.code}](rules/{meta.code}.md) | `{meta.name}` | {meta.severity.value} | {summary} |")
    return "\n".join(lines)


def update_readme(path: Path) -> bool:
    """Rewrite the generated block of the README; True when it changed."""
    text = path.read_text(encoding="utf-8")
    block = f"{START}\n{rule_table()}\n{END}"
    new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    if new != text:
        path.write_text(new, encoding="utf-8")
        return True
    return False


if __name__ == "__main__":  # pragma: no cover - `python -m asl_lint.docs` refreshes README.md
    changed = update_readme(Path(__file__).resolve().parents[1] / "README.md")
    print("README.md updated" if changed else "README.md already current")
