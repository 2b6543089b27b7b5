# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The package indexes a build installs from: checked, and their credentials kept out of every image the engine keeps.

No Ansible imports. The classic builder records every build argument a RUN uses in that step's image
(C(docker history --no-trunc) shows C(|1 PIP_INDEX_URL=https://user:TOKEN@...)), and the engine keeps the dependency
stage's images as build cache. So the generated Dockerfile declares the index URLs in their public form only (scheme,
host, path: what the build cache is keyed on, so a rotated token costs no reinstall), and a URL that carries
credentials travels whole in C(FTP_PROXY) (the index) and C(ftp_proxy) (the extra indexes): two of Docker's predefined
proxy arguments, which the engine leaves out of image history and of the cache key, by design, so that proxy
credentials do not leak. The Dockerfile's pip steps read them (C(roles/dockerfile/templates/Dockerfile.j2)); pip
itself never fetches C(ftp://) URLs, so nothing else reads them."""

from __future__ import annotations

from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import public_url

# Where each pip variable's credentialed value travels (Docker's predefined, history-free build arguments).
CARRIERS = {"PIP_INDEX_URL": "FTP_PROXY", "PIP_EXTRA_INDEX_URL": "ftp_proxy"}
# The Dockerfile reads the carriers when it mentions this name; a Dockerfile of the user's own that does not gets
# the credentialed URL as before.
CARRIER_MARK = "FTP_PROXY"


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


def reads_carriers(dockerfile: str) -> bool:
    """Whether the Dockerfile text C(dockerfile) reads the carriers (the generated one does)."""
    return CARRIER_MARK in str(dockerfile or "")


def build_args(index, extra, dockerfile: str = "") -> dict:
    """The build arguments for C(index) and C(extra), for the Dockerfile text C(dockerfile): each URL in its public
    form, and whole in its carrier when it carries credentials. A Dockerfile that does not read the carriers (one of
    the user's own) gets them whole, as given (see C(exposed)). A carrier is given only when it carries something:
    the engine keys its build cache on which build arguments are given, so an empty one would make the layers of a
    plain C(docker build) and of dockwright's build miss each other."""
    carriers, args = reads_carriers(dockerfile), {}
    for variable, value in (("PIP_INDEX_URL", index), ("PIP_EXTRA_INDEX_URL", extra)):
        urls = str(value or "").split()
        if carriers:
            if has_credentials(value):
                args[CARRIERS[variable]] = " ".join(urls)
            urls = [public_url(url) for url in urls]
        if urls:
            args[variable] = " ".join(urls)
    return args


def exposed(index, extra, dockerfile: str = "") -> list[str]:
    """The pip variables whose credentials a build of the Dockerfile text C(dockerfile) would record in the engine's
    build cache (it does not read the carriers); empty for the generated Dockerfile."""
    if reads_carriers(dockerfile):
        return []
    pairs = (("PIP_INDEX_URL", index), ("PIP_EXTRA_INDEX_URL", extra))
    return [variable for variable, value in pairs if has_credentials(value)]
