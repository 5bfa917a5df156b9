"""The language server as an editor sees it: latency from a keystroke to the diagnostics, over stdio.

Starts the real server (``python -m asl_lint lsp``, a subprocess), opens a generated definition
(``lsp_bench.definition``: 500 states, a third of them Choices by default), and then edits it the
way typing does: one incremental ``didChange`` of one character at a time, alternately misspelling
one state's ``Next`` and putting it back. For every edit it records the time from sending the
change to the first ``publishDiagnostics`` of that version (the fast checks) and to the second
(the complete result). The server's debounce is included: it is part of what the user waits for.
It also checks that every misspelt ``Next`` (ASL101) is already in the first publication.

    python benchmarks/lsp_stdio_bench.py [--states 500] [--edits 40] [--no-choices] [--json FILE]
                                         [--source DIR --publications 1]

``--source`` runs the server of another checkout (before/after comparisons); a server from before
the two-step publishing sends one publication per version: give ``--publications 1``, and both
latencies are then that one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lsp_bench import definition  # noqa: E402


class Client:
    """A minimal LSP client: JSON-RPC with Content-Length framing, a reader thread that stamps
    every incoming message with its arrival time."""

    def __init__(self, command: list[str], cwd: str | None = None, source: str | None = None) -> None:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed package: compiled bytecode
        if source:
            env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
        # Not from the repository: ``-m`` puts the working directory first on sys.path.
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=cwd or tempfile.gettempdir(), env=env)
        self.messages: list[tuple[float, dict[str, Any]]] = []
        self.cond = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = stream.read(length)
            stamp = time.perf_counter()
            with self.cond:
                self.messages.append((stamp, json.loads(body)))
                self.cond.notify_all()

    def send(self, payload: dict[str, Any]) -> float:
        data = json.dumps(payload).encode("utf-8")
        stdin = self.proc.stdin
        assert stdin is not None
        stamp = time.perf_counter()
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        stdin.flush()
        return stamp

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        ident = self.next_id
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        found = self.wait(lambda m: m.get("id") == ident and "method" not in m)
        return found[1].get("result")

    def notify(self, method: str, params: Any) -> float:
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, match: Any, start: int = 0, timeout: float = 120) -> tuple[float, dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for stamp, message in self.messages[start:]:
                    if match(message):
                        return stamp, message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no answer from the language server")
                self.cond.wait(left)

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def publications(client: Client, uri: str, version: int, start: int, count: int = 2) -> list[tuple[float, list[Any]]]:
    """The publications of ``version`` (fast, then complete), with their arrival times."""
    found: list[tuple[float, list[Any]]] = []
    index = start
    while len(found) < count:
        def match(m: dict[str, Any]) -> bool:
            params = m.get("params") or {}
            return (m.get("method") == "textDocument/publishDiagnostics" and params.get("uri") == uri
                    and params.get("version") == version)

        stamp, message = client.wait(match, index)
        found.append((stamp, message["params"]["diagnostics"]))
        index = next(i for i, (s, m) in enumerate(client.messages) if m is message) + 1
    return found if count == 2 else found * 2


def position(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1)
    return {"line": line, "character": len(text[offset - column:offset].encode("utf-16-le")) // 2}


def run(states: int, edits: int, choices: bool, command: list[str], source: str | None = None,
        count: int = 2) -> dict[str, Any]:
    text = json.dumps(definition(states, choices), indent=2)
    folder = Path(os.environ.get("TMPDIR", "/tmp"))
    uri = (folder / f"lsp-stdio-bench-{os.getpid()}.asl.json").as_uri()  # never written: unsaved text
    client = Client(command, source=source)
    try:
        client.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
        client.notify("initialized", {})
        start = len(client.messages)
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "json", "version": 1,
                                                                "text": text}})
        publications(client, uri, 1, start, count)
        # The Next of a state in the middle: misspelt on odd edits, restored on even ones.
        target = f'"Next": "Step{states // 2:04d}"'
        at = text.index(target) + len('"Next": "Step')
        first_ms: list[float] = []
        complete_ms: list[float] = []
        misspelt_first = misspelt_total = 0
        version = 1
        for i in range(edits + 4):  # the first four warm the server up
            version += 1
            misspelt = i % 2 == 0
            new = "X" if misspelt else "0"
            start = len(client.messages)
            change = {"range": {"start": position(text, at), "end": position(text, at + 1)}, "text": new}
            sent = client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                            "contentChanges": [change]})
            text = text[:at] + new + text[at + 1:]
            (fast_at, fast), (done_at, _) = publications(client, uri, version, start, count)
            if i < 4:
                continue
            first_ms.append((fast_at - sent) * 1000)
            complete_ms.append((done_at - sent) * 1000)
            if misspelt:
                misspelt_total += 1
                misspelt_first += any(d.get("code") == "ASL101" for d in fast)
        return {
            "states": states, "choices": choices, "characters": len(text), "edits": edits,
            "first_ms": first_ms, "complete_ms": complete_ms,
            "misspelt_next_in_first": misspelt_first, "misspelt_edits": misspelt_total,
        }
    finally:
        client.close()


def _summary(label: str, values: list[float]) -> str:
    return (f"{label}: median {statistics.median(values):.0f} ms (min {min(values):.0f}, "
            f"max {max(values):.0f}, {len(values)} edits)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--states", type=int, default=500)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--no-choices", action="store_true", help="Tasks and Passes only")
    parser.add_argument("--json", help="also write the raw latencies here")
    parser.add_argument("--source", help="run the server from this source tree instead")
    parser.add_argument("--publications", type=int, choices=(1, 2), default=2,
                        help="publications per version (1: a server from before the two-step publishing)")
    args = parser.parse_args()
    command = [sys.executable, "-m", "asl_lint", "lsp"]
    source = str(Path(args.source).resolve()) if args.source else None
    runs = [run(args.states, args.edits, not args.no_choices, command, source, args.publications)]
    for result in runs:
        kinds = "a third of them Choices" if result["choices"] else "no Choice"
        print(f"asl-lint lsp over stdio: {result['states']} states ({kinds}), {result['characters']:,} characters, "
              f"one-character edits, debounce included")
        print("  " + _summary("first diagnostics (fast checks)", result["first_ms"]))
        print("  " + _summary("complete diagnostics", result["complete_ms"]))
        print(f"  misspelt Next (ASL101) in the first publication: {result['misspelt_next_in_first']} of "
              f"{result['misspelt_edits']} edits")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
