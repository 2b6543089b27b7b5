import json

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.environment import (
    LABELS,
    canonical,
    describe,
    differences,
    table,
)

DIGEST_A, DIGEST_B = "sha256:" + "a" * 64, "sha256:" + "b" * 64


def env(image, packages, python="3.11.2", **labels):
    keys = {"base": "python:3.11-slim", "base_digest": DIGEST_A, "dependencies_file": "requirements.txt",
            "dependencies_sha256": "c" * 64, **labels}
    probe = json.dumps({"python": python, "packages": packages})
    return describe(image, {LABELS[key]: value for key, value in keys.items()}, f"some warning\n{probe}\n")


def test_canonical_names():
    assert canonical("Scikit_Learn") == canonical("scikit-learn") == canonical("scikit.learn") == "scikit-learn"


def test_describe_reads_labels_and_the_probe():
    described = env("m:1", {"NumPy": "2.2.6", "pip": "23.0.1"})
    assert described["image"] == "m:1" and described["python"] == "3.11.2"
    assert described["packages"] == {"numpy": "2.2.6", "pip": "23.0.1"}
    assert described["base_digest"] == DIGEST_A and described["dependencies_file"] == "requirements.txt"
    unlabelled = describe("x", None, json.dumps({"python": "3.12.1", "packages": {}}))
    assert unlabelled["base"] == unlabelled["base_digest"] == unlabelled["dependencies_sha256"] == ""


def test_describe_refuses_a_probe_that_said_nothing():
    with pytest.raises(ValueError, match="m:1: its python did not say what it holds"):
        describe("m:1", {}, "Traceback ...")


def test_identical_environments_do_not_differ():
    first, second = env("m:1", {"six": "1.16.0", "pip": "23.0.1"}), env("m:2", {"six": "1.16.0", "pip": "23.0.1"})
    assert differences(first, second) == []
    assert table(first, second).startswith("m:1 and m:2 do not differ: base python:3.11-slim (sha256:aaaa")
    assert "2 distributions at the same versions" in table(first, second)


def test_one_package_version_and_the_base_digest():
    first = env("m:1", {"six": "1.16.0", "pip": "23.0.1"})
    second = env("m:2", {"six": "1.17.0", "pip": "23.0.1"}, base_digest=DIGEST_B)
    assert differences(first, second) == [["base digest", "sha256:aaaaaaaaaaaa", "sha256:bbbbbbbbbbbb"],
                                          ["six", "1.16.0", "1.17.0"]]
    lines = table(first, second).splitlines()
    assert lines[0].split() == ["m:1", "m:2"]
    assert lines[-1] == "1 changed, 0 added, 0 removed of 2 distributions"


def test_added_removed_python_and_dependency_file():
    first = env("m:1", {"six": "1.16.0", "old": "1.0"})
    second = env("m:2", {"six": "1.16.0", "new": "2.0"}, python="3.12.7", dependencies_file="uv.lock")
    assert differences(first, second) == [["Python", "3.11.2", "3.12.7"],
                                          ["dependency file", "requirements.txt", "uv.lock"],
                                          ["new", "-", "2.0"], ["old", "1.0", "-"]]
    assert table(first, second).splitlines()[-1] == "0 changed, 1 added, 1 removed of 3 distributions"
