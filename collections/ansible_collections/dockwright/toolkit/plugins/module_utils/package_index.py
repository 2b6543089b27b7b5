# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The package indexes a build installs from, and the CA bundle lent to it: checked, and given to the build as BuildKit
secrets, so that none of them is in any layer, in the history, in the configuration or in the cache of an image.

No Ansible imports. The generated Dockerfile mounts three secrets in every step that downloads
(C(roles/dockerfile/templates/Dockerfile.j2)): C(build-ca) (a file: the CA bundle, for networks whose TLS is
intercepted), C(pip-index-url) and C(pip-extra-index-url) (values: the URLs whole, credentials included). BuildKit
keys no cache on a secret's value, so a rotated token costs no reinstall. Build arguments are never used for them:
every engine records a build argument that a step reads."""

from __future__ import annotations

from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import public_url


def index_errors(name: str, value, several: bool = False) -> list[str]:
    """What is wrong with the index URL C(value) given as C(name) (one URL; several separated by spaces when
    C(several), as pip's extra index takes them). The URL itself is never repeated: only its public form."""
    urls = str(value or "").split()
    if not urls:
        return []
    if len(urls) > 1 and not several:
        return [f"{name} holds {len(urls)} URLs separated by spaces: give one index URL (more go into the extra"
                " index setting)."]
    errors = []
    for url in urls:
        if not public_url(url):
            shown = public_url(url, ("https", "http", "file", "ftp", "ssh", "git")) or "a value"
            errors.append(f"{name} holds {shown} that is not an http(s) URL with a host: give the index as"
                          " https://[user:token@]host/path/simple.")
    return errors


def has_credentials(url) -> bool:
    """Whether C(url) (or one of several, separated by spaces) carries more than its public form shows."""
    return any(public_url(part) != part for part in str(url or "").split())


# The ids of the secrets, as the generated Dockerfile mounts them.
CA_SECRET = "build-ca"
INDEX_SECRETS = {"PIP_INDEX_URL": "pip-index-url", "PIP_EXTRA_INDEX_URL": "pip-extra-index-url"}


def build_secrets(index, extra, ca_bundle="") -> list[dict]:
    """The secrets of a build, as community.docker.docker_image_build takes them: the CA bundle at C(ca_bundle) as a
    file, the index URLs C(index) and C(extra) (several separated by spaces) as values. Only what is given: an
    absent secret is simply not mounted, and the Dockerfile's steps then use the base image's own settings."""
    secrets = [{"id": CA_SECRET, "type": "file", "src": str(ca_bundle)}] if ca_bundle else []
    for variable, value in (("PIP_INDEX_URL", index), ("PIP_EXTRA_INDEX_URL", extra)):
        urls = str(value or "").split()
        if urls:
            secrets.append({"id": INDEX_SECRETS[variable], "type": "value", "value": " ".join(urls)})
    return secrets


def unmounted(index, extra, dockerfile: str = "") -> list[str]:
    """The pip variables given for a build whose Dockerfile text C(dockerfile) never mounts their secret (a Dockerfile
    of the user's own): its steps will not use that index. Empty for the generated Dockerfile."""
    text = str(dockerfile or "")
    pairs = (("PIP_INDEX_URL", index), ("PIP_EXTRA_INDEX_URL", extra))
    return [variable for variable, value in pairs
            if str(value or "").strip() and f"id={INDEX_SECRETS[variable]}" not in text]
