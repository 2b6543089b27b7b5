"""Unit tests of plugins/lookup/build_key.py: the lookup as Ansible loads it, over a real folder."""

import os
import re

import pytest
from ansible.errors import AnsibleLookupError
from ansible_collections.dockwright.toolkit.plugins.module_utils.build_key import build_key


@pytest.fixture
def lookup():
    from ansible.plugins.loader import lookup_loader

    return lookup_loader.get("dockwright.toolkit.build_key")


@pytest.fixture
def context(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\nCOPY . /program\n")
    (tmp_path / ".dockerignore").write_text("*.log\n")
    (tmp_path / "train.py").write_text("print('train')\n")
    (tmp_path / "app.log").write_text("not sent\n")
    return tmp_path


SETTINGS = {"dockerfile": "Dockerfile", "args": {"A": "1", "B": "2"}, "platform": "linux/arm64",
            "base_digest": "sha256:" + "c" * 64, "secrets": ["pip"], "target": "runtime",
            "labels": {"org.opencontainers.image.title": "iris"}}


def test_the_lookup_returns_the_functions_answer(lookup, context):
    [answer] = lookup.run([str(context)], variables={}, **SETTINGS)
    assert answer == build_key(str(context), **SETTINGS)
    assert set(answer) == {"key", "files", "bytes", "paths"}
    sent = "FROM python:3.11-slim\nCOPY . /program\n" + "*.log\n" + "print('train')\n"  # app.log is ignored
    assert (answer["files"], answer["bytes"]) == (3, len(sent))
    assert answer["paths"] == [".dockerignore", "Dockerfile", "train.py"]


def test_the_defaults_are_the_functions_defaults(lookup, context):
    assert lookup.run([str(context)], variables={}) == [build_key(str(context))]


@pytest.mark.parametrize("changes", [
    {"args": {"A": "1", "B": "3"}}, {"platform": "linux/amd64"}, {"base_digest": ""}, {"secrets": ["pip", "npm"]},
    {"target": ""}, {"labels": {}}, {"dockerfile": "other.Dockerfile"},
])
def test_each_option_reaches_the_key(lookup, context, changes):
    (context / "other.Dockerfile").write_text("FROM python:3.11-slim\nCOPY . /program\n")
    [before] = lookup.run([str(context)], variables={}, **SETTINGS)
    [after] = lookup.run([str(context)], variables={}, **{**SETTINGS, **changes})
    assert after["key"] != before["key"]


def test_options_given_as_ansible_gives_them(lookup, context):
    """Ansible may hand a list option as a comma-separated string and the args in any order."""
    [listed] = lookup.run([str(context)], variables={}, **SETTINGS)
    as_text = {**SETTINGS, "secrets": "pip", "args": {"B": "2", "A": "1"}}
    assert lookup.run([str(context)], variables={}, **as_text) == [listed]


def test_an_unreadable_file_fails_the_lookup_naming_it(lookup, context, monkeypatch):
    from ansible_collections.dockwright.toolkit.plugins.module_utils import build_key as module

    refused = str(context / "train.py")
    real = module.open_file

    def open_file(path, follow=False):
        if path == refused:
            raise PermissionError(13, "Permission denied", path)
        return real(path, follow)

    monkeypatch.setattr(module, "open_file", open_file)
    with pytest.raises(AnsibleLookupError, match=f"^Cannot read {re.escape(refused)} \\(Permission denied\\)"):
        lookup.run([str(context)], variables={})


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_without_permissions_fails_the_lookup_naming_it(lookup, context):
    os.chmod(context / "train.py", 0)
    with pytest.raises(AnsibleLookupError, match=f"^Cannot read {re.escape(str(context / 'train.py'))} "):
        lookup.run([str(context)], variables={})


@pytest.mark.parametrize("terms, message", [
    ([], "build_key takes exactly one build context, not 0"),
    (["a", "b"], "build_key takes exactly one build context, not 2"),
])
def test_one_context(lookup, terms, message):
    with pytest.raises(AnsibleLookupError) as raised:
        lookup.run(terms, variables={})
    assert message in str(raised.value)


def test_a_missing_dockerfile_or_context_fails_the_lookup(lookup, tmp_path):
    with pytest.raises(AnsibleLookupError, match="is not a folder"):
        lookup.run([str(tmp_path / "absent")], variables={})
    dockerfile = re.escape(str(tmp_path / "Dockerfile"))
    with pytest.raises(AnsibleLookupError, match=f"^The Dockerfile {dockerfile} is not there"):
        lookup.run([str(tmp_path)], variables={})


def test_a_missing_dockerignore_is_no_error(lookup, context):
    (context / ".dockerignore").unlink()
    [answer] = lookup.run([str(context)], variables={})
    assert answer["files"] == 3  # Dockerfile, train.py, app.log
