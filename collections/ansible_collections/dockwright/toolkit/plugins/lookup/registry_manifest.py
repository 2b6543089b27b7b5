# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Ask a registry, in-process, which manifest a tag holds: one HEAD request, no module run."""

from __future__ import annotations

DOCUMENTATION = r"""
name: registry_manifest
short_description: The digest a registry's tag holds, from one manifest HEAD request
description:
  - Sends C(HEAD /v2/<repository>/manifests/<tag>) to a registry from the controller, in-process (no module run), and
    returns the status and the C(Docker-Content-Digest) it answered, so that a push can be decided before any module
    runs. It only reads.
  - A failure that may pass (no answer, throttling, a server error) is asked again, up to O(retries) more times.
  - Never raises; a request that got no answer has status -1 and its reason in C(msg).
options:
  _terms:
    description: The manifest URL, C(http[s]://host[:port]/v2/<repository>/manifests/<tag>).
    required: true
  headers:
    description: Request headers (C(Accept) with the manifest kinds, C(Authorization)).
    type: dict
    default: {}
  timeout:
    description: Seconds to wait for an answer.
    type: int
    default: 30
  retries:
    description: Attempts after the first for a failure that may pass.
    type: int
    default: 0
  delay:
    description: Seconds between attempts.
    type: int
    default: 5
"""

EXAMPLES = r"""
- name: Ask the registry which image the tag holds
  ansible.builtin.set_fact:
    __remote: >-
      {{ lookup('dockwright.toolkit.registry_manifest', 'http://127.0.0.1:5000/v2/ml/iris/manifests/1',
                headers={'Accept': 'application/vnd.oci.image.index.v1+json'}) }}
  no_log: true
"""

RETURN = r"""
_raw:
  description:
    - C(status) (int, the HTTP status, -1 without an answer), C(docker_content_digest) (str, the digest a 200 names,
      empty otherwise), C(attempts) (int), and C(msg) (str, the reason of a failure, only when the registry did not
      answer or answered a server error), the keys C(ansible.builtin.uri) registers, so that the same filters read
      both.
  type: dict
"""

import time
import urllib.error
import urllib.request

from ansible.plugins.lookup import LookupBase

# Worth asking again: no answer, throttling, server errors.
RETRY_STATUS = {-1, 429, 500, 502, 503, 504}


def head_manifest(url, headers=None, timeout=30, retries=0, delay=5, opener=None):
    """One HEAD request for a manifest, asked again while it fails in a way that may pass. See RETURN."""
    opener = opener or urllib.request.build_opener()  # the environment's proxies, as ansible.builtin.uri
    attempts = 0
    while True:
        attempts += 1
        result = {"status": -1, "docker_content_digest": "", "attempts": attempts}
        request = urllib.request.Request(str(url), method="HEAD", headers=dict(headers or {}))
        try:
            with opener.open(request, timeout=timeout) as answer:
                result["status"] = answer.status
                result["docker_content_digest"] = answer.headers.get("Docker-Content-Digest", "")
        except urllib.error.HTTPError as err:
            result["status"] = err.code
            if err.code >= 500 or err.code == 429:
                result["msg"] = f"Status code was {err.code}: {err.reason}"
        except (urllib.error.URLError, OSError, ValueError) as err:
            result["msg"] = f"Status code was -1: Request failed: {getattr(err, 'reason', err)}"
        if result["status"] not in RETRY_STATUS or attempts > retries:
            return result
        time.sleep(delay)


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        return [head_manifest(term, self.get_option("headers"), self.get_option("timeout"),
                              self.get_option("retries"), self.get_option("delay")) for term in terms]
