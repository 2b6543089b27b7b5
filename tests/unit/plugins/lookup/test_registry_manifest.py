"""The registry_manifest lookup against a real HTTP server on 127.0.0.1 that answers as a registry would."""

from __future__ import annotations

import http.server
import threading

import pytest
from ansible.plugins.loader import lookup_loader
from ansible_collections.dockwright.toolkit.plugins.lookup.registry_manifest import head_manifest

DIGEST = "sha256:" + "ab" * 32


class Registry(http.server.BaseHTTPRequestHandler):
    answers: list[int] = []
    seen: list[dict] = []

    def do_HEAD(self):
        type(self).seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        status = type(self).answers.pop(0) if type(self).answers else 200
        self.send_response(status)
        if status == 200:
            self.send_header("Docker-Content-Digest", DIGEST)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def registry():
    Registry.answers, Registry.seen = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("answers, retries, status, digest, attempts, failed", [
    ([200], 0, 200, DIGEST, 1, False),
    ([404], 3, 404, "", 1, False),  # an answer: not asked again
    ([401], 3, 401, "", 1, False),
    ([503, 502, 200], 3, 200, DIGEST, 3, False),  # server errors pass
    ([429, 429], 1, 429, "", 2, True),  # retries used up
    ([500], 0, 500, "", 1, True),
])
def test_the_status_and_digest_the_registry_answered(registry, answers, retries, status, digest, attempts, failed):
    Registry.answers = list(answers)
    result = head_manifest(f"{registry}/v2/ml/iris/manifests/1", {"Accept": "a/b", "Authorization": "Basic eA=="},
                           timeout=5, retries=retries, delay=0)
    assert (result["status"], result["docker_content_digest"], result["attempts"]) == (status, digest, attempts)
    assert ("msg" in result) == failed
    assert Registry.seen[0]["path"] == "/v2/ml/iris/manifests/1"
    assert Registry.seen[0]["accept"] == "a/b" and Registry.seen[0]["authorization"] == "Basic eA=="


def test_no_answer_is_status_minus_one_with_a_reason_the_error_filter_reads():
    result = head_manifest("http://127.0.0.1:9/v2/x/manifests/1", timeout=2, retries=1, delay=0)
    assert result["status"] == -1 and result["attempts"] == 2
    assert result["msg"].startswith("Status code was -1: Request failed:") and "refused" in result["msg"].lower()


def test_the_lookup_as_ansible_loads_it(registry):
    lookup = lookup_loader.get("dockwright.toolkit.registry_manifest")
    [result] = lookup.run([f"{registry}/v2/a/manifests/b"], variables={}, headers={"Accept": "x"}, retries=0)
    assert result == {"status": 200, "docker_content_digest": DIGEST, "attempts": 1}
