"""The local stand-ins for AWS that the tests and the benchmark run: Debian's docker-registry and moto's server,
each on a free 127.0.0.1 port for the time of a `with` block. No pytest here, so bench/bench.py uses it too."""

from __future__ import annotations

import contextlib
import socket
import subprocess
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
