"""The local stand-ins for AWS that the tests and the benchmark run: Debian's docker-registry and moto's server,
each on a free 127.0.0.1 port for the time of a `with` block; a package index the tests fill themselves; and an
endpoint that answers AWS's way with the failures a test scripts (throttling, server errors), which moto never sends.
No pytest here, so bench/bench.py uses it too."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import http.client
import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit


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


# An answer of AwsProxy: the status and the JSON document sent back.
Answer = tuple[int, dict]


class _AwsProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, answer: Callable[[dict], Answer | None],
                 rewrite: Callable[[dict, Answer], Answer | None]):
        super().__init__(("127.0.0.1", free_port()), _AwsProxyHandler)
        self.upstream, self.answer, self.rewrite = upstream, answer, rewrite
        self.lock = threading.Lock()


class _AwsProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _AwsProxyServer

    def _reply(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = {"method": self.command, "path": self.path, "target": self.headers.get("X-Amz-Target", ""),
                   "body": json.loads(body) if body.strip().startswith(b"{") else {}}
        with self.server.lock:
            injected = self.server.answer(request)
        if injected is None:
            upstream = http.client.HTTPConnection(self.server.upstream, timeout=60)
            try:
                upstream.request(self.command, self.path, body=body or None, headers=dict(self.headers.items()))
                answer = upstream.getresponse()
                status, headers, content = answer.status, answer.getheaders(), answer.read()
            finally:
                upstream.close()
            with self.server.lock:
                injected = self.server.rewrite(request, (status, json.loads(content))) if content.strip().startswith(
                    b"{") else None
            if injected is None:
                self._reply(status, headers, content)
                return
        status, document = injected
        self._reply(status, [("Content-Type", "application/x-amz-json-1.1")], json.dumps(document).encode())

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def aws_proxy(upstream: str, answer: Callable[[dict], Answer | None] = lambda request: None,
              rewrite: Callable[[dict, Answer], Answer | None] = lambda request, answer: None) -> Iterator[str]:
    """An HTTP proxy in front of the moto server (upstream, its URL) that lets a test make AWS behave as moto does
    not: answer(request) may answer a request itself, rewrite(request, (status, document)) may change moto's JSON
    answer; None forwards it as it is. A request is {method, path, target (X-Amz-Target), body (its JSON)}. Both are
    called one request at a time. Yields the proxy's URL, for AWS_ENDPOINT_URL."""
    server = _AwsProxyServer(urlsplit(upstream).netloc, answer, rewrite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# The one distribution of the tests' package index.
PACKAGE = "dockwright-probe"
MODULE = "dockwright_probe"


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def publish(root: Path, version: str) -> None:
    """Build the wheel of PACKAGE at version into the index folder root, and rewrite the index pages."""
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    info = f"{MODULE}-{version}.dist-info"
    members = {
        f"{MODULE}/__init__.py": f"VERSION = {version!r}\n".encode(),
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {PACKAGE}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: dockwright-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in members.items())
    members[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode()
    with zipfile.ZipFile(files / f"{MODULE}-{version}-py3-none-any.whl", "w") as wheel:
        for name, data in members.items():
            wheel.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data)
    links = "".join(
        f'<a href="../../files/{wheel.name}#sha256={hashlib.sha256(wheel.read_bytes()).hexdigest()}">'
        f"{html.escape(wheel.name)}</a>\n" for wheel in sorted(files.iterdir()))
    (root / "simple" / PACKAGE).mkdir(parents=True, exist_ok=True)
    (root / "simple" / PACKAGE / "index.html").write_text(f"<html><body>\n{links}</body></html>\n")
    (root / "simple" / "index.html").write_text(f'<html><body><a href="{PACKAGE}/">{PACKAGE}</a></body></html>\n')


@contextlib.contextmanager
def package_index(root: Path) -> Iterator[str]:
    """A PEP 503 simple index served from the folder root (filled by publish) on 127.0.0.1. Yields its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/simple"
    with serving([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(root)],
                 f"{url}/"):
        yield url


@contextlib.contextmanager
def private_index(root: Path, user: str, token: str) -> Iterator[tuple[http.server.HTTPServer, str]]:
    """The same simple index, but every request needs HTTP Basic authentication as user:token (401 otherwise), as a
    private index (Artifactory, CodeArtifact, devpi) does. The URL has no credentials; the requests it
    refused are counted in the server's attribute refused. Yields (server, URL)."""
    expected = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def _allowed(self) -> bool:
            if self.headers.get("Authorization") == expected:
                return True
            self.server.refused += 1
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="dockwright-private"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False

        def do_GET(self):
            if self._allowed():
                super().do_GET()

        def do_HEAD(self):
            if self._allowed():
                super().do_HEAD()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.refused = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}/simple"
    finally:
        server.shutdown()
        server.server_close()


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


MANIFEST_TYPES = ", ".join([
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
])


def registry_digest(registry: str, repository: str, tag: str) -> str | None:
    """The digest a registry's tag holds (asked of the registry itself, over HTTP), or None when there is no such
    tag."""
    request = urllib.request.Request(f"http://{registry}/v2/{repository}/manifests/{tag}", method="HEAD",
                                     headers={"Accept": MANIFEST_TYPES})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.headers["Docker-Content-Digest"]
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return None
        raise
