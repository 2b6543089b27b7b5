"""The engine query against the real engine, and against sockets where no engine answers; the buildx plugin's
version and the machine's emulators, against a fake CLI and a folder standing for binfmt_misc."""

import shutil
import subprocess

import pytest
from ansible_collections.dockwright.toolkit.plugins.lookup.docker_engine import buildx_version, emulators, query_engine


def test_real_engine_lists_present_images_only(engine):
    result = query_engine(["python:3.11-slim", "dockwright-no-such-image:never"])
    assert result["answers"] is True and result["error"] == ""
    assert list(result["images"]) == ["python:3.11-slim"]
    assert result["images"]["python:3.11-slim"].startswith("sha256:")
    assert list(result["repo_digests"]) == ["python:3.11-slim"]


def test_real_engine_gives_every_repo_digest_of_an_image(engine):
    """The ecr role picks its repository's digests out of these (a pushed image has one per repository)."""
    import json
    import subprocess

    inspected = json.loads(subprocess.run(["docker", "image", "inspect", "-f", "{{json .RepoDigests}}",
                                           "python:3.11-slim"], capture_output=True, text=True, check=True).stdout)
    assert query_engine(["python:3.11-slim"])["repo_digests"] == {"python:3.11-slim": inspected}
    assert any(digest.split("@")[1].startswith("sha256:") for digest in inspected)  # the mirror gave it one


def test_real_engine_tells_each_image_s_architecture_and_its_own(engine):
    import subprocess

    result = query_engine(["python:3.11-slim"])
    inspected = subprocess.run(["docker", "image", "inspect", "-f", "{{.Architecture}}", "python:3.11-slim"],
                               capture_output=True, text=True, check=True).stdout.strip()
    assert result["architectures"] == {"python:3.11-slim": inspected}
    assert result["architecture"] in ("amd64", "arm64")


@pytest.mark.parametrize("host", ["unix:///nonexistent/docker.sock", "tcp://127.0.0.1:1"])
def test_no_engine_is_reported_not_raised(monkeypatch, host):
    monkeypatch.setenv("DOCKER_HOST", host)
    result = query_engine(["python:3.11-slim"], timeout=3)
    assert result["answers"] is False and result["images"] == {}
    assert result["host"] == host and result["error"]
    assert result["message"].startswith(f"No Docker engine answers at {host} (") and "'sudo make engine'" in result[
        "message"]



# A binfmt_misc handler as the kernel shows it (/proc/sys/fs/binfmt_misc/qemu-aarch64).
HANDLER = ("{state}\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\noffset 0\n"
           "magic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n")
LOCAL = "unix:///var/run/docker.sock"


def binfmt(root, handlers):
    """A folder standing for binfmt_misc: its register and status files, and a handler per name: state."""
    root.mkdir()
    (root / "register").write_text("")
    (root / "status").write_text("enabled\n")
    for name, state in handlers.items():
        (root / name).write_text(HANDLER.format(state=state))
    return root


@pytest.mark.parametrize("handlers, found", [
    ({"qemu-aarch64": "enabled"}, ["arm64"]),
    ({"qemu-aarch64": "disabled"}, []),
    ({"qemu-x86_64": "enabled", "qemu-aarch64": "enabled"}, ["amd64", "arm64"]),
    ({"qemu-x86_64": "enabled", "qemu-aarch64": "disabled"}, ["amd64"]),
    ({"aarch64": "enabled", "qemu-aarch64": "enabled"}, ["arm64"]),  # two handlers of one architecture
    ({"x86_64": "enabled"}, ["amd64"]),
    ({"qemu-riscv64": "enabled", "qemu-arm": "enabled", "python3.11": "enabled", "jar": "enabled"}, []),  # not ours
    ({"qemu-aarch64": "Enabled"}, []),  # the kernel's word only
    ({}, []),
])
def test_emulators_are_the_enabled_handlers_of_our_architectures(tmp_path, handlers, found):
    assert emulators(LOCAL, str(binfmt(tmp_path / "binfmt_misc", handlers))) == found


def test_an_empty_handler_file_is_not_enabled(tmp_path):
    root = binfmt(tmp_path / "binfmt_misc", {})
    (root / "qemu-aarch64").write_text("")
    assert emulators(LOCAL, str(root)) == []


@pytest.mark.parametrize("host", ["tcp://10.0.0.5:2376", "ssh://builder@10.0.0.5", "npipe:////./pipe/docker_engine",
                                  ""])
def test_an_engine_elsewhere_has_emulators_nobody_here_knows(tmp_path, host):
    """Its own kernel runs the builds: what this machine's binfmt_misc holds says nothing of it."""
    assert emulators(host, str(binfmt(tmp_path / "binfmt_misc", {"qemu-aarch64": "enabled"}))) is None


def test_handlers_that_cannot_be_read_are_unknown_not_none_found(tmp_path):
    root = binfmt(tmp_path / "binfmt_misc", {"qemu-x86_64": "enabled"})
    (root / "qemu-aarch64").mkdir()  # open() fails, even for root
    assert emulators(LOCAL, str(root)) is None
    assert emulators(LOCAL, str(tmp_path / "absent")) is None  # binfmt_misc not mounted
    (tmp_path / "a-file").write_text("enabled\n")
    assert emulators(LOCAL, str(tmp_path / "a-file")) is None


def fake_cli(tmp_path, body):
    """An executable standing for the docker CLI, which answers only `buildx version` as body says."""
    cli = tmp_path / "docker"
    cli.write_text(f'#!/bin/sh\n[ "$*" = "buildx version" ] || {{ echo "unexpected: $*" >&2; exit 64; }}\n{body}\n')
    cli.chmod(0o755)
    return str(cli)


@pytest.mark.parametrize("body, version", [
    ('echo "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3"', "0.13.1+ds1"),  # Debian's docker-buildx
    ('echo "github.com/docker/buildx v0.14.0 171fcbeb69d67c90ba7f44f41a9e418f6a6ec1da"', "v0.14.0"),  # Docker's
    ('echo "github.com/docker/buildx v0.12.1-desktop.4 6996841df2f61988c2794d84d33205368f96c317"',
     "v0.12.1-desktop.4"),  # Docker Desktop's
    ('echo "buildx 1.2"', "1.2"),
    ("echo \"docker: 'buildx' is not a docker command.\" >&2; exit 1", ""),  # the CLI without the plugin
    ('echo "github.com/docker/buildx v0.14.0"; exit 1', ""),  # a failing answer is no answer
    ("exit 0", ""),
    ('echo "github.com/docker/buildx (devel)"', ""),
])
def test_buildx_version(tmp_path, body, version):
    assert buildx_version(fake_cli(tmp_path, body)) == version


def test_no_cli_or_one_that_hangs_gives_no_version(tmp_path):
    assert buildx_version(str(tmp_path / "absent")) == ""
    assert buildx_version(fake_cli(tmp_path, "exec sleep 30"), timeout=0.5) == ""
    (tmp_path / "not-executable").write_text("#!/bin/sh\necho buildx 0.13.1\n")
    assert buildx_version(str(tmp_path / "not-executable")) == ""


@pytest.mark.skipif(shutil.which("docker") is None, reason="no docker CLI on this machine")
def test_the_real_cli_s_version():
    proc = subprocess.run(["docker", "buildx", "version"], capture_output=True, text=True, check=False)
    version = buildx_version()
    assert (version != "") is (proc.returncode == 0) and version in proc.stdout


class FakeImage:
    def __init__(self, config):
        self.id = "sha256:" + "a" * 64
        self.attrs = {"Config": config, "Architecture": "amd64", "RepoDigests": []}


class FakeClient:
    """What query_engine asks of docker.DockerClient: ping, version and images.get."""

    def __init__(self, images):
        self.images = self
        self._images = images

    def ping(self):
        return True

    def version(self):
        return {"Arch": "amd64"}

    def get(self, reference):
        if reference not in self._images:
            raise type("ImageNotFound", (Exception,), {})(reference)
        return self._images[reference]


def test_each_image_s_labels():
    images = {"iris:1": FakeImage({"Labels": {"org.opencontainers.image.title": "iris", "dockwright.key": "k"}}),
              "bare:1": FakeImage({"Labels": None}), "noconfig:1": FakeImage(None)}
    result = query_engine(["iris:1", "bare:1", "noconfig:1", "absent:1"], client_factory=lambda: FakeClient(images))
    assert result["labels"] == {"iris:1": {"org.opencontainers.image.title": "iris", "dockwright.key": "k"},
                                "bare:1": {}, "noconfig:1": {}}
    assert "buildx" not in result and "emulators" not in result  # asked for only


@pytest.mark.parametrize("host, emulated", [("tcp://10.0.0.5:2376", None), (LOCAL, emulators(LOCAL))])
def test_buildx_and_emulators_are_given_when_asked(tmp_path, monkeypatch, host, emulated):
    fake_cli(tmp_path, 'echo "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3"')
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    monkeypatch.setenv("DOCKER_HOST", host)
    result = query_engine([], client_factory=lambda: FakeClient({}), buildx=True)
    assert (result["buildx"], result["emulators"], result["answers"]) == ("0.13.1+ds1", emulated, True)


def test_buildx_is_told_even_when_no_engine_answers(tmp_path, monkeypatch):
    fake_cli(tmp_path, "exit 1")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")
    result = query_engine([], timeout=3, buildx=True)
    assert (result["answers"], result["buildx"], result["emulators"]) == (False, "", None)


def test_the_lookup_passes_buildx_on(monkeypatch):
    from ansible.plugins.loader import lookup_loader
    from ansible_collections.dockwright.toolkit.plugins.lookup import docker_engine

    asked = []
    monkeypatch.setattr(docker_engine, "query_engine", lambda refs, timeout, buildx: asked.append(
        (refs, timeout, buildx)) or {"answers": True})
    lookup = lookup_loader.get("dockwright.toolkit.docker_engine")
    assert lookup.run(["iris:1", ""], variables={}) == [{"answers": True}]
    assert lookup.run(["iris:1"], variables={}, buildx=True, timeout=4) == [{"answers": True}]
    assert asked == [(["iris:1"], 10, False), (["iris:1"], 4, True)]
