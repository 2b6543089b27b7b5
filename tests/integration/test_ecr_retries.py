"""The ecr role's push retries, through playbooks/push_image.yml with a fault-injecting proxy between the engine and
the local registry process: a failure that passes is retried until the push goes through, one that does not stops
after exactly 1 + ecr_retries attempts with the role's message.

The engine retries a layer upload that gets a 5xx itself (5 attempts, 5 to 20 s apart) before a failure reaches the
role, but passes throttling (429 toomanyrequests) and a failed manifest upload straight on: those are what the proxy
injects, so each of the role's attempts is one failed request at the proxy, and the tests stay fast."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import subprocess
import threading
import time
import uuid

import pytest
from conftest import DUMMY_SECRET
from servers import free_port, registry_digest

pytestmark = pytest.mark.ecr

PUSH = "playbooks/push_image.yml"
# Starting, sending or finishing a layer upload (a cross-repository mount is a POST there too).
UPLOAD = re.compile(r"^(POST|PATCH|PUT) /v2/.+/blobs/uploads/")
# The last request of a push: the manifest, once every layer is in.
MANIFEST = re.compile(r"^PUT /v2/.+/manifests/")
RETRY_LINE = "FAILED - RETRYING: [localhost]: Push the image ("
# Left out when forwarding: the proxy reads and sends whole bodies.
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length"}


class FaultyProxy(http.server.ThreadingHTTPServer):
    """Forwards every request to the registry (host:port), except those matching `match` ("METHOD /path"), which
    get `status` with a registry error body: the first `times` of them, or all when `times` is None. The Host header
    goes through unchanged, so the registry's upload locations point back at the proxy."""

    daemon_threads = True

    def __init__(self, upstream: str):
        super().__init__(("127.0.0.1", free_port()), _Forwarding)
        self.upstream = upstream
        self.lock = threading.Lock()
        self.status, self.match, self.times = 500, None, 0
        self.failed: list[str] = []  # "METHOD /path" of every request answered with a failure

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_port}"

    def inject(self, status: int, match: re.Pattern, times: int | None = None) -> None:
        with self.lock:
            self.status, self.match, self.times = status, match, times

    def should_fail(self, request: str) -> bool:
        with self.lock:
            if self.match is None or not self.match.match(request):
                return False
            if self.times is not None and len(self.failed) >= self.times:
                return False
            self.failed.append(request)
            return True


class _Forwarding(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: FaultyProxy

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        chunks = []
        while size := int(self.rfile.readline().split(b";")[0], 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
            pass
        return b"".join(chunks)

    def _reply(self, status: int, reason: str | None, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status, reason)
        for name, value in headers:
            if name.lower() not in HOP_HEADERS:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        body = self._body()
        if self.server.should_fail(f"{self.command} {self.path}"):
            status = self.server.status
            code, message = ("TOOMANYREQUESTS", "Rate exceeded") if status == 429 else ("UNKNOWN", "injected fault")
            error = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
            self._reply(status, None, [("Content-Type", "application/json")], error)
            return
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=60)
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_HEADERS}
            upstream.request(self.command, self.path, body=body if self.command in ("POST", "PUT", "PATCH") else None,
                             headers=headers)
            answer = upstream.getresponse()
            self._reply(answer.status, answer.reason, answer.getheaders(), answer.read())
        finally:
            upstream.close()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(registry):
    """A FaultyProxy in front of the session's registry, forwarding everything until told to inject."""
    server = FaultyProxy(registry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def image(engine, tmp_path):
    """A one-layer image of its own (random content), so that each attempt of a push is one upload at the proxy:
    no other repository of the registry holds its layer, and there is nothing for the engine to mount."""
    name = f"dockwright-test-ecr-retries-{uuid.uuid4().hex[:8]}:1"
    (tmp_path / "data").write_bytes(uuid.uuid4().bytes * 64)
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY data /data\n")
    subprocess.run(["docker", "build", "-q", "-t", name, str(tmp_path)], env={**os.environ, "DOCKER_BUILDKIT": "0"},
                   capture_output=True, text=True, check=True)
    image_id = subprocess.run(["docker", "image", "inspect", "-f", "{{.Id}}", name], capture_output=True, text=True,
                              check=True).stdout.strip()
    yield name
    subprocess.run(["docker", "rmi", "-f", image_id], capture_output=True)  # with the tags the pushes gave it


def push(aws_playbook, image: str, proxy: FaultyProxy, **settings) -> tuple:
    """Runs playbooks/push_image.yml through the proxy; returns the process and how long it took."""
    repository = f"dw/retries-{uuid.uuid4().hex[:8]}"
    extra = {"ecr_image": image, "ecr_repository": repository, "ecr_registry": proxy.address, **settings}
    started = time.monotonic()
    proc = aws_playbook(PUSH, extra=extra, timeout=300)
    assert DUMMY_SECRET not in proc.output
    return proc, repository, time.monotonic() - started


# 429 on the layer upload: throttling; 503 on the manifest: a server error on the push's last request.
FAULTS = {"throttled upload": (429, UPLOAD, "toomanyrequests"),
          "server error on the manifest": (503, MANIFEST, "503 Service Unavailable")}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failure_that_passes_is_retried_until_the_push_goes_through(aws_playbook, registry, proxy, image, fault):
    status, match, _ = FAULTS[fault]
    proxy.inject(status, match, times=2)
    proc, repository, _ = push(aws_playbook, image, proxy, ecr_retries=3, ecr_retry_delay=1, ecr_tag="1.0")
    assert proc.returncode == 0, proc.output[-4000:]
    assert len(proxy.failed) == 2, proxy.failed  # the proxy's two failures reached the push...
    assert all(match.match(request) for request in proxy.failed)
    assert proc.output.count(RETRY_LINE) == 2, proc.output[-4000:]  # ...and each cost one attempt of the role
    assert f"{proxy.address}/{repository}:1.0 pushed: digest sha256:" in proc.output
    digest = registry_digest(registry, repository, "1.0")
    assert digest and f"digest {digest}." in proc.output  # in the registry, as reported


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failure_that_lasts_stops_after_the_configured_attempts(aws_playbook, registry, proxy, image, fault):
    status, match, words = FAULTS[fault]
    proxy.inject(status, match)
    proc, repository, seconds = push(aws_playbook, image, proxy, ecr_retries=2, ecr_retry_delay=1)
    assert proc.returncode != 0, proc.output[-4000:]
    assert "Traceback" not in proc.output, proc.output[-4000:]
    assert len(proxy.failed) == 3, proxy.failed  # 1 + ecr_retries attempts, each stopped at the proxy
    assert proc.output.count(RETRY_LINE) == 2, proc.output[-4000:]
    flat = " ".join(proc.output.split())
    for sentence in (f"Pushing {proxy.address}/{repository}:1 failed after 3 attempts", words, "kept failing",
                     "raise ecr_retries and ecr_retry_delay"):
        assert sentence in flat, proc.output[-4000:]
    assert "Report a failed push" in proc.output
    assert registry_digest(registry, repository, "1") is None
    assert seconds < 120  # a playbook run and 2 pauses of 1 s, not an open-ended loop


def test_no_retries_means_one_attempt(aws_playbook, proxy, image):
    proxy.inject(429, UPLOAD)
    proc, _, _ = push(aws_playbook, image, proxy, ecr_retries=0, ecr_retry_delay=1)
    assert proc.returncode != 0, proc.output[-4000:]
    assert len(proxy.failed) == 1, proxy.failed
    assert RETRY_LINE not in proc.output
    flat = " ".join(proc.output.split())
    assert "kept failing (toomanyrequests" in flat and "failed after" not in flat, proc.output[-4000:]
