import fnmatch

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.credentials import (
    CREDENTIAL_PATTERNS,
    credential_files,
    dockerignore_lines,
)


@pytest.mark.parametrize("path", [
    "id_rsa", "sub/id_rsa", "a/b/c/id_ed25519.pub", ".env", "deploy/.env.production", "keys/site.pem", "x/server.key",
    ".aws/credentials", "nested/.aws/config", "home/.ssh/known_hosts", "conf/.pypirc", ".netrc", "deep/a/_netrc",
    "cfg/AwsConfig.ini", "infra/prod.tfvars", "infra/state/x.tfstate", "infra/x.tfstate.backup", "home/.kube/config",
    "home/.config/gcloud/credentials.db", "x/credentials.json", "svc/service-account-prod.json", ".git-credentials",
    "store/app.jks", "home/.docker/config.json",
])
def test_credential_files_are_found_at_any_depth(path):
    assert credential_files([path, "main.py"]) == [path]


@pytest.mark.parametrize("path", [
    "main.py", "env/helper.py", "build/tool.py", "credentials.py", "keys.py", "secrets_manager.py", "docs/key.md",
    "environment.yml", "config/settings.json", "kube.py", "awsconfig.py", "data/model.csv",
])
def test_code_is_not_taken_for_credentials(path):
    assert credential_files([path]) == []


def test_dockerignore_lines_cover_every_pattern_at_the_top_and_below():
    lines = dockerignore_lines()
    assert len(lines) == 2 * len(CREDENTIAL_PATTERNS)
    for pattern in CREDENTIAL_PATTERNS:
        assert pattern in lines and f"**/{pattern}" in lines
        assert not fnmatch.fnmatchcase("main.py", pattern)


def test_paths_are_reported_without_empty_or_dot_parts():
    assert credential_files(["a//.env", "./.ssh/id_rsa", "./src/main.py"]) == [".ssh/id_rsa", "a/.env"]
