"""The server as editors start it: the bundled VS Code client's real command line, and the
transport flags LSP clients pass (``--stdio``, ``--socket=PORT``, ``--pipe=NAME``).

vscode-languageclient (``client/src/node/main.ts``, ``LanguageClient.createMessageTransports``)
starts an ``Executable`` server as ``command ...args`` plus, by ``transport``: ``--stdio`` for
``TransportKind.stdio``; ``--pipe=<name>`` for ``TransportKind.pipe`` after it has opened a named
pipe (a Unix socket on Linux and macOS) that the server connects to; ``--socket=<port>`` for
``{kind: TransportKind.socket, port}`` after it listens on that port; ``TransportKind.ipc`` is
refused for executables by the client itself. These tests play the client's side of each.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import PROJECT_ROOT

EXTENSION = PROJECT_ROOT / "editors" / "vscode" / "extension.js"
TRANSPORT_ARGS: dict[str, Callable[[str], list[str]]] = {
    "stdio": lambda _: ["--stdio"],
    "pipe": lambda name: [f"--pipe={name}"],
    "socket": lambda port: [f"--socket={port}"],
}
SERVER = [sys.executable, "-m", "asl_lint"]  # the same program as the `asl-lint` script


def client_command_line() -> tuple[list[str], str]:
    """The server arguments and transport kind extension.js gives vscode-languageclient."""
    source = EXTENSION.read_text(encoding="utf-8")
    match = re.search(r"args:\s*\[([^\]]*)\],\s*transport:\s*TransportKind\.(\w+)", source)
    assert match, "extension.js no longer declares { command, args, transport }"
    return json.loads(f"[{match.group(1)}]"), match.group(2)


def _send(stream: IO[bytes], message: dict[str, Any]) -> None:
    body = json.dumps(message).encode()
    stream.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    stream.flush()


def _receive(stream: IO[bytes]) -> dict[str, Any]:
    length = 0
    while True:
        line = stream.readline()
        assert line, "the server closed the connection"
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    result: dict[str, Any] = json.loads(stream.read(length))
    return result


def _response(stream: IO[bytes], request_id: int) -> dict[str, Any]:
    while True:  # skip notifications (log messages) the server may send first
        message = _receive(stream)
        if message.get("id") == request_id:
            return message


def handshake(reader: IO[bytes], writer: IO[bytes], root: Path) -> dict[str, Any]:
    """initialize, initialized, shutdown, exit: what every session starts and ends with."""
    _send(writer, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
    initialized = _response(reader, 1)
    _send(writer, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    _send(writer, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    assert _response(reader, 2).get("result", "missing") is None
    _send(writer, {"jsonrpc": "2.0", "method": "exit"})
    return initialized["result"]


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*SERVER, *args], cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen[bytes]) -> None:
    try:
        assert process.wait(timeout=60) == 0, process.stderr.read().decode() if process.stderr else ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _check_initialized(result: dict[str, Any]) -> None:
    assert result["serverInfo"]["name"] == "asl-lint"
    assert result["capabilities"]["textDocumentSync"]


def test_vscode_client_command_line_starts_the_server(tmp_path: Path) -> None:
    args, transport = client_command_line()
    assert transport in TRANSPORT_ARGS, f"TransportKind.{transport} cannot start an executable server"
    assert transport == "stdio"  # what the bundled client uses; the others are tested below
    process = _start([*args, *TRANSPORT_ARGS[transport]("")], tmp_path)
    assert process.stdin is not None and process.stdout is not None
    _check_initialized(handshake(process.stdout, process.stdin, tmp_path))
    _finish(process)


def test_socket_transport_connects_to_the_client(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(60)
        port = listener.getsockname()[1]
        process = _start(["lsp", *TRANSPORT_ARGS["socket"](str(port))], tmp_path)
        connection, _ = listener.accept()
        with connection, connection.makefile("rb") as reader, connection.makefile("wb") as writer:
            _check_initialized(handshake(reader, writer, tmp_path))
    _finish(process)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="named pipes are Unix sockets only on POSIX")
def test_pipe_transport_connects_to_the_client(tmp_path: Path) -> None:
    name = str(tmp_path / "vscode-lsp.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(name)
        listener.listen(1)
        listener.settimeout(60)
        process = _start(["lsp", *TRANSPORT_ARGS["pipe"](name)], tmp_path)
        connection, _ = listener.accept()
        with connection, connection.makefile("rb") as reader, connection.makefile("wb") as writer:
            _check_initialized(handshake(reader, writer, tmp_path))
    _finish(process)


def test_client_process_id_is_accepted(tmp_path: Path) -> None:
    process = _start(["lsp", "--stdio", "--clientProcessId=4242"], tmp_path)
    assert process.stdin is not None and process.stdout is not None
    _check_initialized(handshake(process.stdout, process.stdin, tmp_path))
    _finish(process)


@pytest.mark.parametrize(("args", "message"), [
    (["--node-ipc"], "asl-lint: error: lsp --node-ipc: Node.js IPC is only open to Node.js servers; use --stdio "
                     "(or --socket PORT, --pipe NAME)"),
    (["--socket=1"], "asl-lint: error: lsp: cannot connect to the client at port 1: Connection refused"),
])
def test_transports_that_cannot_serve_end_with_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = subprocess.run([*SERVER, "lsp", *args], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, check=False)
    assert (done.returncode, done.stderr.strip().splitlines()) == (2, [message])
