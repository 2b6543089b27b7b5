"""Unit tests of plugins/module_utils/build_key.py: the key over a build's inputs, in real folders."""

import hashlib
import os
import re
import shutil
import socket
import threading

import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils import build_key as module
from ansible_collections.dockwright.toolkit.plugins.module_utils.build_key import (
    LABEL,
    build_key,
    hash_file,
    read_ignore_patterns,
    secret_ids,
)

FILES = {
    "Dockerfile": "FROM python:3.11-slim\nCOPY . /program\n",
    ".dockerignore": "# not sent\n*.log\nsecrets/\n",
    "train.py": "print('train')\n",
    "lib/util.py": "X = 1\n",
    "run.sh": "#!/bin/sh\nexec python train.py\n",
    "app.log": "an old log\n",
    "secrets/pip": "https://user:first-password@pypi.example.com/simple\n",
}
INPUTS = {"dockerfile": "Dockerfile", "args": {"PYTHON_VERSION": "3.11", "EXTRA": "x"}, "platform": "linux/amd64",
          "base_digest": "sha256:" + "a" * 64, "secrets": ["pip"], "target": "",
          "labels": {"team": "ml", "stage": "prod"}}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def write(root, name, text, mode=0o644):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, mode)


def make_context(root, order=None):
    """The base folder: the FILES (run.sh executable), a symlink link.py -> train.py; C(order) the creation order."""
    for name in order or FILES:
        write(root, name, FILES[name], 0o755 if name == "run.sh" else 0o644)
    (root / "link.py").symlink_to("train.py")
    return root


def key_of(root, **changes):
    return build_key(str(root), **{**INPUTS, **changes})["key"]


def relink(path, target):
    path.unlink()
    path.symlink_to(target)


def touch_everything(root):
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), (1_000_000, 1_000_000), follow_symlinks=False)


def chown_everything(root):
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), 4321, 4321)


def test_same_inputs_same_key(tmp_path):
    root = make_context(tmp_path)
    first, second = build_key(str(root), **INPUTS), build_key(str(root), **INPUTS)
    assert first == second
    assert len(first["key"]) == 64 and int(first["key"], 16) >= 0


def test_counts_what_the_build_sends(tmp_path):
    root = make_context(tmp_path)
    sent = ["Dockerfile", ".dockerignore", "train.py", "lib/util.py", "run.sh"]  # app.log and secrets/ are ignored
    result = build_key(str(root), **INPUTS)
    assert result["files"] == len(sent) + 1  # and the symlink link.py; the folder lib/ is not a file
    assert result["bytes"] == sum(len(FILES[name].encode()) for name in sent)


@pytest.mark.parametrize("what, change", [
    ("a code byte", lambda root: write(root, "train.py", "print('trail')\n")),
    ("a new file", lambda root: write(root, "lib/new.py", "")),
    ("a removed file", lambda root: (root / "lib" / "util.py").unlink()),
    ("a renamed file", lambda root: (root / "lib" / "util.py").rename(root / "lib" / "utils.py")),
    ("an exec bit", lambda root: os.chmod(root / "train.py", 0o755)),
    ("an exec bit removed", lambda root: os.chmod(root / "run.sh", 0o644)),
    ("other permission bits (COPY keeps them)", lambda root: os.chmod(root / "train.py", 0o600)),
    ("a symlink target", lambda root: relink(root / "link.py", "lib/util.py")),
    ("a symlink made a copy", lambda root: (root / "link.py").unlink() or write(root, "link.py", FILES["train.py"])),
    ("a new empty folder (COPY . makes it)", lambda root: (root / "data").mkdir()),
    ("a Dockerfile edit", lambda root: write(root, "Dockerfile", FILES["Dockerfile"] + "USER 1000\n")),
    ("a .dockerignore that sends more", lambda root: write(root, ".dockerignore", "secrets/\n")),
    ("a .dockerignore comment (the file is always sent)", lambda root: write(root, ".dockerignore",
                                                                              FILES[".dockerignore"] + "# why\n")),
])
def test_the_key_changes_with_the_context(tmp_path, what, change):
    root = make_context(tmp_path)
    before = key_of(root)
    change(root)
    assert key_of(root) != before, what


@pytest.mark.parametrize("what, changes", [
    ("an arg value", {"args": {"PYTHON_VERSION": "3.12", "EXTRA": "x"}}),
    ("an arg added", {"args": {**INPUTS["args"], "NEW": ""}}),
    ("an arg removed", {"args": {"PYTHON_VERSION": "3.11"}}),
    ("the platform", {"platform": "linux/arm64"}),
    ("no platform", {"platform": ""}),
    ("the base digest", {"base_digest": "sha256:" + "b" * 64}),
    ("no base digest", {"base_digest": ""}),
    ("a secret id added", {"secrets": ["pip", "npm"]}),
    ("a secret id changed", {"secrets": ["pypi"]}),
    ("no secret", {"secrets": []}),
    ("a target stage", {"target": "deps"}),
    ("a label value", {"labels": {"team": "ops", "stage": "prod"}}),
    ("a label added", {"labels": {**INPUTS["labels"], "x": "y"}}),
    ("a label removed", {"labels": {"team": "ml"}}),
])
def test_the_key_changes_with_each_setting(tmp_path, what, changes):
    root = make_context(tmp_path)
    assert key_of(root, **changes) != key_of(root), what


@pytest.mark.parametrize("what, change, changes", [
    ("an mtime touch", touch_everything, {}),
    ("an ignored file changing", lambda root: write(root, "app.log", "a new log line\n"), {}),
    ("a new ignored file", lambda root: write(root, "debug.log", "x"), {}),
    ("a secret's value changing (its file is ignored)",
     lambda root: write(root, "secrets/pip", "https://user:second-password@pypi.example.com/simple\n"), {}),
    ("the args' order", None, {"args": dict(reversed(list(INPUTS["args"].items())))}),
    ("the labels' order", None, {"labels": dict(reversed(list(INPUTS["labels"].items())))}),
    ("the secrets' order and repeats", None, {"secrets": ["pip", " pip ", "pip"]}),
    ("an arg value given as a number, seen as text", None, {"args": {"PYTHON_VERSION": 3.11, "EXTRA": "x"}}),
    ("the key's own label", None, {"labels": {**INPUTS["labels"], LABEL: "0" * 64}}),
    ("empty and missing settings alike", None, {"target": None}),
])
def test_the_key_stays(tmp_path, what, change, changes):
    root = make_context(tmp_path)
    before = key_of(root)
    if change:
        change(root)
    assert key_of(root, **changes) == before, what


@pytest.mark.skipif(not IS_ROOT, reason="only root can give files to another owner")
def test_the_owner_does_not_count(tmp_path):
    root = make_context(tmp_path)
    before = key_of(root)
    chown_everything(root)
    assert key_of(root) == before


def test_neither_the_folder_nor_its_listing_order_counts(tmp_path):
    one = make_context(tmp_path / "one")
    two = make_context(tmp_path / "elsewhere" / "two", order=list(reversed(FILES)))
    assert key_of(one) == key_of(two)
    write(two, "lib/util.py", "X = 2\n")
    assert key_of(one) != key_of(two)


@pytest.mark.parametrize("name, sent", [
    ("README.md", True),  # '!README.md' brings it back
    ("notes.md", False),  # '*.md'
    ("data/keep.csv", True),  # '!data/keep.csv' inside an ignored folder
    ("data/big.csv", False),  # 'data'
    ("data/deeper/x.csv", False),
    ("src/notes.md", True),  # '*.md' is for the top folder only
])
def test_dockerignore_exceptions(tmp_path, name, sent):
    write(tmp_path, "Dockerfile", "FROM scratch\n")
    write(tmp_path, ".dockerignore", "*.md\n!README.md\ndata\n!data/keep.csv\n")
    for each in ("README.md", "notes.md", "data/keep.csv", "data/big.csv", "data/deeper/x.csv", "src/notes.md"):
        write(tmp_path, each, "first\n")
    before = key_of(tmp_path)
    write(tmp_path, name, "second\n")
    assert (key_of(tmp_path) != before) is sent


def test_the_dockerfile_and_dockerignore_are_sent_even_when_ignored(tmp_path):
    write(tmp_path, "Dockerfile", "FROM scratch\n")
    write(tmp_path, ".dockerignore", "Dockerfile\n.dockerignore\n*\n")
    write(tmp_path, "train.py", "print(1)\n")
    result = build_key(str(tmp_path))
    assert (result["files"], result["bytes"]) == (2, len("FROM scratch\n") + len("Dockerfile\n.dockerignore\n*\n"))


def test_no_dockerignore_sends_everything(tmp_path):
    root = make_context(tmp_path)
    (root / ".dockerignore").unlink()
    result = build_key(str(root), **INPUTS)
    assert result["files"] == 7  # Dockerfile, train.py, lib/util.py, run.sh, app.log, secrets/pip, link.py
    before = result["key"]
    write(root, "app.log", "a new log line\n")
    assert key_of(root) != before


def test_a_dockerfile_specific_ignore_file_wins(tmp_path):
    root = make_context(tmp_path)
    write(root, "build/app.Dockerfile", "FROM scratch\nCOPY . /app\n")
    write(root, "build/app.Dockerfile.dockerignore", "train.py\n")
    before = key_of(root, dockerfile="build/app.Dockerfile")
    write(root, "train.py", "print('ignored by the Dockerfile-specific file')\n")
    assert key_of(root, dockerfile="build/app.Dockerfile") == before
    write(root, "app.log", "sent: the root .dockerignore does not apply\n")
    assert key_of(root, dockerfile="build/app.Dockerfile") != before


def test_a_dockerfile_outside_the_context(tmp_path):
    root = make_context(tmp_path / "program")
    write(tmp_path, "docker/Dockerfile", "FROM scratch\n")
    write(root, ".dockerignore", "Dockerfile\n")  # the context's own Dockerfile stays out: it is not the one used
    outside = str(tmp_path / "docker" / "Dockerfile")
    before = key_of(root, dockerfile=outside)
    write(root, "Dockerfile", "FROM another\n")
    assert key_of(root, dockerfile=outside) == before
    write(tmp_path, "docker/Dockerfile", "FROM scratch\nUSER 1000\n")
    assert key_of(root, dockerfile=outside) != before


def test_symlinks_are_never_followed_out_of_the_context(tmp_path):
    root = make_context(tmp_path / "program")
    write(tmp_path, "outside/data.csv", "1,2\n")
    write(tmp_path, "outside/secret.txt", "first\n")
    (root / "data").symlink_to(tmp_path / "outside")
    (root / "secret.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (root / "dangling").symlink_to(tmp_path / "nowhere")
    result = build_key(str(root), **INPUTS)
    assert result["files"] == 9  # the 6 sent files and the 3 links, nothing under outside/
    write(tmp_path, "outside/secret.txt", "second, longer\n")
    write(tmp_path, "outside/more.csv", "3,4\n")
    assert build_key(str(root), **INPUTS) == result


def test_a_secret_is_never_read(tmp_path, monkeypatch):
    root = make_context(tmp_path / "program")
    secret = tmp_path / "pip.secret"
    secret.write_text("password\n")
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *rest, **kw: opened.append(str(path)) or real_open(path, *rest, **kw))
    build_key(str(root), **{**INPUTS, "secrets": ["pip", str(secret)]})
    assert opened and str(secret) not in opened
    assert str(root / "secrets" / "pip") not in opened  # ignored, so never opened either


def test_a_fifo_is_an_entry_never_opened(tmp_path):
    root = make_context(tmp_path)
    before = build_key(str(root), **INPUTS)
    os.mkfifo(root / "pipe")
    results = []
    worker = threading.Thread(target=lambda: results.append(build_key(str(root), **INPUTS)), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "build_key waits on a FIFO"
    [after] = results
    assert after["key"] != before["key"] and after["files"] == before["files"] + 1
    assert after["bytes"] == before["bytes"]


def test_a_socket_is_left_out_as_the_sdk_leaves_it(tmp_path):
    root = make_context(tmp_path)
    before = key_of(root)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(root / "s.sock"))
    except OSError as err:  # a path longer than a socket address takes
        pytest.skip(f"cannot make a socket in {root}: {err}")
    try:
        assert (root / "s.sock").is_socket()
        assert key_of(root) == before
    finally:
        server.close()


@pytest.mark.skipif(IS_ROOT, reason="root reads a file whatever its mode (see the test with a refusing open)")
def test_an_unreadable_file_is_named(tmp_path):
    root = make_context(tmp_path)
    os.chmod(root / "train.py", 0)
    with pytest.raises(ValueError, match=f"^Cannot read {re.escape(str(root / 'train.py'))} \\(Permission denied\\)"):
        build_key(str(root), **INPUTS)


@pytest.mark.skipif(IS_ROOT, reason="root lists a folder whatever its mode")
def test_an_unreadable_folder_is_named(tmp_path):
    root = make_context(tmp_path)
    os.chmod(root / "lib", 0)
    try:
        with pytest.raises(ValueError, match=f"^Cannot list {re.escape(str(root / 'lib'))} in the build context"):
            build_key(str(root), **INPUTS)
    finally:
        os.chmod(root / "lib", 0o755)


def test_a_file_that_refuses_to_open_is_named(tmp_path, monkeypatch):
    root = make_context(tmp_path)
    refused = str(root / "lib" / "util.py")
    real = module.open_file

    def open_file(path, follow=False):
        if path == refused:
            raise PermissionError(13, "Permission denied", path)
        return real(path, follow)

    monkeypatch.setattr(module, "open_file", open_file)
    with pytest.raises(ValueError) as raised:
        build_key(str(root), **INPUTS)
    assert str(raised.value) == (f"Cannot read {refused} (Permission denied): make it readable, or leave it out of the"
                                 " build with .dockerignore.")


def test_a_folder_that_refuses_to_be_listed_is_named(tmp_path, monkeypatch):
    root = make_context(tmp_path)
    refused = os.path.join(str(root), "lib")
    real = os.listdir

    def listdir(path="."):
        if os.path.normpath(path) == refused:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    with pytest.raises(ValueError) as raised:
        build_key(str(root), **INPUTS)
    expected = f"^Cannot list {re.escape(refused)}/? in the build context \\(Permission denied\\)"
    assert re.match(expected, str(raised.value)), str(raised.value)


def test_a_file_read_in_chunks_hashes_like_the_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(module, "CHUNK", 7)
    content = bytes(range(256)) * 5 + b"tail"
    (tmp_path / "blob").write_bytes(content)
    assert hash_file(str(tmp_path / "blob")) == (hashlib.sha256(content).hexdigest(), len(content))


def test_a_file_is_never_read_through_a_link(tmp_path):
    (tmp_path / "real").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(ValueError, match=f"^Cannot read {re.escape(str(tmp_path / 'link'))} "):
        hash_file(str(tmp_path / "link"))
    assert hash_file(str(tmp_path / "link"), follow=True)[1] == 1


@pytest.mark.parametrize("text, patterns", [
    ("*.log\n\n  # a comment\n# another\n  data/  \n!data/keep\n", ["*.log", "data/", "!data/keep"]),
    ("", []),
    ("#only\n", []),
])
def test_read_ignore_patterns(tmp_path, text, patterns):
    (tmp_path / ".dockerignore").write_text(text)
    assert read_ignore_patterns(str(tmp_path / ".dockerignore")) == patterns


def test_a_missing_or_dangling_dockerignore_is_no_pattern(tmp_path):
    assert read_ignore_patterns(str(tmp_path / ".dockerignore")) == []
    (tmp_path / ".dockerignore").symlink_to(tmp_path / "nowhere")
    assert read_ignore_patterns(str(tmp_path / ".dockerignore")) == []


def test_an_unreadable_dockerignore_is_named(tmp_path):
    (tmp_path / ".dockerignore").write_bytes(b"\xff\xfe*.log\n")
    with pytest.raises(ValueError, match=f"^Cannot read the ignore file {re.escape(str(tmp_path / '.dockerignore'))} "):
        read_ignore_patterns(str(tmp_path / ".dockerignore"))


@pytest.mark.parametrize("secrets, ids", [
    (None, []), ([], []), ("pip", ["pip"]), (["npm", "pip", "npm", " ", ""], ["npm", "pip"]), (("b", "a"), ["a", "b"]),
])
def test_secret_ids(secrets, ids):
    assert secret_ids(secrets) == ids


@pytest.mark.parametrize("changes, message", [
    ({"args": ["A=1"]}, "args must be a mapping of names to values, not list."),
    ({"labels": "team=ml"}, "labels must be a mapping of names to values, not str."),
    ({"secrets": {"pip": "value"}}, "secrets must be a list of secret ids, not dict."),
    ({"secrets": [{"id": "pip", "src": "x"}]}, "secrets must be a list of secret ids (strings), not holding a dict."),
    ({"secrets": 3}, "secrets must be a list of secret ids, not int."),
])
def test_bad_settings_are_named(tmp_path, changes, message):
    root = make_context(tmp_path)
    with pytest.raises(ValueError) as raised:
        key_of(root, **changes)
    assert str(raised.value) == message


def test_a_missing_context_or_dockerfile_is_named(tmp_path):
    with pytest.raises(ValueError, match=f"^The build context {re.escape(str(tmp_path / 'nope'))} is not a folder"):
        build_key(str(tmp_path / "nope"))
    with pytest.raises(ValueError, match=f"^The Dockerfile {re.escape(str(tmp_path / 'Dockerfile'))} is not there"):
        build_key(str(tmp_path))


def test_a_copied_folder_has_the_same_key(tmp_path):
    root = make_context(tmp_path / "one")
    shutil.copytree(root, tmp_path / "two", symlinks=True)
    assert key_of(tmp_path / "two") == key_of(root)
