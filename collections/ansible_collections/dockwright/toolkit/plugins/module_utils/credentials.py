# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Credential files: the one list of names that must never reach a build context or an image, and the check of an
image's files against it.

Pure functions, no Ansible imports. The .dockerignore dockwright writes lists each pattern at any depth; after a
build, the image's program folder is checked against the same list (a user's own .dockerignore may let one in)."""

from __future__ import annotations

import fnmatch

# Names of credential files and folders, matched at any depth (a name with "/" matches those trailing path parts).
# From what secret scanners and .gitignore templates for SSH, cloud and package-registry credentials list.
CREDENTIAL_PATTERNS = (
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.ppk",
    "*.asc",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".aws",
    ".ssh",
    ".gnupg",
    ".netrc",
    "_netrc",
    ".pypirc",
    ".npmrc",
    ".git-credentials",
    ".pgpass",
    ".docker",
    ".kube",
    "kubeconfig",
    ".azure",
    ".config/gcloud",
    "application_default_credentials.json",
    "credentials",
    "credentials.json",
    "credentials.csv",
    "credentials.ini",
    "credentials.yml",
    "credentials.yaml",
    "client_secret*.json",
    "service-account*.json",
    "*-sa-key.json",
    "AwsConfig.ini",
    "*.tfstate",
    "*.tfstate.*",
    "*.tfvars",
)


def dockerignore_lines() -> list[str]:
    """The .dockerignore lines that keep every credential pattern out, at the top and at any depth."""
    return [line for pattern in CREDENTIAL_PATTERNS for line in (pattern, f"**/{pattern}")]


def _matches(parts: list[str], pattern: str) -> bool:
    width = pattern.count("/") + 1
    return any(fnmatch.fnmatchcase("/".join(parts[start:start + width]), pattern)
               for start in range(len(parts) - width + 1))


def credential_files(paths) -> list[str]:
    """The paths (relative, "/"-separated) that are, or lie in, a credential file or folder; sorted."""
    found = []
    for path in paths:
        parts = [part for part in str(path).split("/") if part not in ("", ".")]
        if any(_matches(parts, pattern) for pattern in CREDENTIAL_PATTERNS):
            found.append("/".join(parts))
    return sorted(found)
