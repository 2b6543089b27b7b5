"""The local stand-ins for AWS that the tests and the benchmark run: Debian's docker-registry and moto's server,
each on a free 127.0.0.1 port for the time of a `with` block, and an endpoint that answers AWS's way with the
failures a test scripts (throttling, server errors), which moto never sends. No pytest here, so bench/bench.py uses
it too."""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def serving(cmd: list[str], url: str) -> Iterator[None]:
    """Runs the server command until the block ends, once url answers."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_http(url)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def registry_process(binary: str, root: Path, storage: str = "") -> Iterator[str]:
    """docker-registry (the CNCF distribution registry) with its data in root/data and storage (YAML flow text,
    e.g. "delete: {enabled: true}") added to its storage settings. Yields host:port."""
    port = free_port()
    config = root / "config.yml"
    config.write_text(
        "version: 0.1\n"
        "log: {level: warn}\n"
        f"storage: {{filesystem: {{rootdirectory: {root / 'data'}}}{', ' + storage if storage else ''}}}\n"
        f"http: {{addr: 127.0.0.1:{port}}}\n"
    )
    with serving([binary, "serve", str(config)], f"http://127.0.0.1:{port}/v2/"):
        yield f"127.0.0.1:{port}"


@contextlib.contextmanager
def moto_process(binary: str) -> Iterator[str]:
    """moto's server (ECR, Batch, IAM, EC2, STS, Logs, Lambda over HTTP). Yields its endpoint URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serving([binary, "-H", "127.0.0.1", "-p", str(port)], url + "/moto-api/"):
        yield url


class _Scripted(http.server.BaseHTTPRequestHandler):
    """Answers each AWS request by its operation (the X-Amz-Target's last part for JSON protocols such as ECR's, the
    path for REST ones such as Batch's /v1/listjobs): the operation's scripted failures first, one a request, then
    its answers in turn (the last one again once they run out)."""
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        target = self.headers.get("X-Amz-Target", "")
        operation = target.rpartition(".")[2] if target else self.path.rstrip("/").rpartition("/")[2]
        server = self.server
        server.requests.append((operation, body))
        failures = server.failures.get(operation, [])
        failure = failures.pop(0) if failures else None
        if failure == "drop":  # the connection drops with no answer at all
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if failure:
            status, code = failure
            self._answer(status, {"__type": code, "message": f"scripted {code}"}, {"x-amzn-ErrorType": code})
            return
        answers = server.answers.get(operation) or [{}]
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        self._answer(200, answer(body) if callable(answer) else answer)

    def _answer(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in {"Content-Type": "application/x-amz-json-1.1", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def scripted_aws(failures: dict | None = None, answers: dict | None = None) -> Iterator[http.server.HTTPServer]:
    """An AWS endpoint on 127.0.0.1 that fails as scripted: failures maps an operation (GetAuthorizationToken,
    listjobs, submitjob) to what its requests get in turn, before it answers every one: an (HTTP status, error code)
    pair, "drop" (the connection closes without an answer) or None (the next answer); answers maps it to the JSON
    bodies it answers. Yields the server: .url, and .requests, the
    (operation, body) of every request it received."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    server.failures = {key: list(value) for key, value in (failures or {}).items()}
    server.answers = {key: list(value) for key, value in (answers or {}).items()}
    server.requests = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
