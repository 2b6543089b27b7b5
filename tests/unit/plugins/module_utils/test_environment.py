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


def test_describe_in_full_takes_the_last_json_line_and_keeps_every_label():
    probe = ('warning: {not json\n{"python": "3.10.1", "packages": {"a": "1"}}\n'
             '{"python": "3.11.2", "packages": {"Zope.Interface": 7}}\n')
    labels = {LABELS["base"]: "b", LABELS["base_digest"]: "sha256:1", LABELS["dependencies_file"]: "f",
              LABELS["dependencies_sha256"]: "2", "other": "x"}
    assert describe("i", labels, probe) == {"image": "i", "base": "b", "base_digest": "sha256:1",
                                            "dependencies_file": "f", "dependencies_sha256": "2", "python": "3.11.2",
                                            "packages": {"zope-interface": "7"}}
    assert describe("i", {}, '{"packages": {}}')["python"] == ""
    with pytest.raises(ValueError, match=r"^i: its python did not say what it holds \('no json here'\)$"):
        describe("i", {}, "  no json here \n")


def test_the_table_in_full():
    first = env("m:1", {"six": "1.16.0", "old": "1.0"}, base_digest="")
    second = env("m:22", {"six": "1.17.0", "new": "2.0"}, dependencies_sha256="d" * 64)
    assert table(first, second) == "\n".join([
        "                        m:1                  m:22",
        "base digest             -                    sha256:aaaaaaaaaaaa",
        "dependency file sha256  sha256:cccccccccccc  sha256:dddddddddddd",
        "new                     -                    2.0",
        "old                     1.0                  -",
        "six                     1.16.0               1.17.0",
        "1 changed, 1 added, 1 removed of 3 distributions"])
    same = env("a", {}, base_digest="")
    assert table(same, env("b", {}, base_digest="")) == (
        "a and b do not differ: base python:3.11-slim (no registry digest), Python 3.11.2, 0 distributions at the same"
        " versions.")
    bare = describe("x", {}, '{"packages": {}}')
    assert table(bare, describe("y", {}, '{"packages": {}}')).startswith("x and y do not differ: base - (no registry")
    assert "Python -," in table(bare, describe("y", {}, '{"packages": {}}'))


def test_added_and_removed_are_not_confused_and_a_missing_value_shows_as_a_dash():
    first, second = env("m:1", {"six": "1"}), env("m:2", {"six": "1", "a": "1", "b": "2"}, python="")
    assert differences(first, second) == [["Python", "3.11.2", "-"], ["a", "-", "1"], ["b", "-", "2"]]
    assert table(first, second).splitlines()[-1] == "0 changed, 2 added, 0 removed of 3 distributions"
    assert differences({"image": "x"}, {"image": "y", "packages": {"a": "1"}}) == [["a", "-", "1"]]
