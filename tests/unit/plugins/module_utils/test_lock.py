import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import (
    body,
    compile_command,
    distributions,
    export_command,
    header,
    pipfile_requirements,
    read_header,
    settings_errors,
    source,
    upgrade_args,
    verify_command,
)

SEALED = """# Locked by dockwright for the image's target; install with pip install --require-hashes --no-deps -r.
# dockwright-manifest: requirements.txt sha256:abc123
# dockwright-target: python 3.11, x86_64-manylinux_2_28
# dockwright-base: python:3.11-slim@sha256:def456
# dockwright-checksum: sha256:0000
numpy==2.2.6 \\
    --hash=sha256:aaaa
    # via -r requirements.txt
scikit-learn==1.6.1 ; python_version >= "3.9" \\
    --hash=sha256:bbbb
"""


def test_header_round_trip():
    lines = header("requirements.txt", "abc123", "3.11", "arm64", "python:3.11-slim@sha256:def456")
    text = "\n".join(f"# {line}" for line in lines) + "\n"
    assert read_header(text) == {"manifest": "requirements.txt", "manifest_sha256": "abc123",
                                 "target": "python 3.11, aarch64-manylinux_2_28",
                                 "base": "python:3.11-slim@sha256:def456"}
    assert "dockwright-base" not in "".join(header("pyproject.toml", "x", "3.12", "x86_64"))
    assert read_header("six==1.0\n") == {"manifest": "", "manifest_sha256": "", "target": "", "base": ""}


def test_body_and_distributions():
    assert body(SEALED).startswith("numpy==2.2.6")
    assert body("six==1.0\n") == "six==1.0\n"
    assert distributions(SEALED) == ["numpy", "scikit-learn"]


@pytest.mark.parametrize("upgrade, args", [
    ("", []), (None, []), ("0", []), ("1", ["--upgrade"]), ("all", ["--upgrade"]), (True, ["--upgrade"]),
    ("numpy", ["--upgrade-package", "numpy"]),
    ("numpy, pandas", ["--upgrade-package", "numpy", "--upgrade-package", "pandas"]),
])
def test_upgrade_args(upgrade, args):
    assert upgrade_args(upgrade) == args


def test_compile_command_targets_the_image_and_carries_no_index():
    argv = compile_command("/venv/bin/uv", "requirements.txt", "/tmp/x/requirements.lock", "3.11", "amd64", "1")
    assert argv[:4] == ["/venv/bin/uv", "pip", "compile", "requirements.txt"]
    assert argv[argv.index("--python-version"):argv.index("--python-version") + 2] == ["--python-version", "3.11"]
    assert "x86_64-manylinux_2_28" in argv and "--generate-hashes" in argv and "--upgrade" in argv
    assert not [arg for arg in argv if "index" in arg]


def test_settings_errors():
    assert settings_errors("x86_64", "", "3.11") == []
    assert settings_errors("arm64", "numpy,pandas", "3.12") == []
    [platform] = settings_errors("sparc", "", "3.11")
    assert platform.startswith("lock_platform 'sparc' is not a CPU architecture") and "PLATFORM=arm64" in platform
    [upgrade] = settings_errors("x86_64", "numpy;rm -rf /", "3.11")
    assert "lock_upgrade names 'numpy;rm'" in upgrade
    [python] = settings_errors("x86_64", "", "3")
    assert "'3', is not of the form 3.X" in python


def test_header_lines_in_full():
    assert header("requirements.txt", "abc", "3.11", "x86_64", "python:3.11-slim@sha256:d") == [
        "Locked by dockwright for the image's target; install with pip install --require-hashes --no-deps -r.",
        "Do not edit: make lock PROGRAM=<this folder> (UPGRADE=1, or UPGRADE=<package>, to refresh).",
        "dockwright-manifest: requirements.txt sha256:abc",
        "dockwright-target: python 3.11, x86_64-manylinux_2_28",
        "dockwright-base: python:3.11-slim@sha256:d",
    ]
    assert header("uv.lock", "abc", "3.12", "riscv")[3] == "dockwright-target: python 3.12, riscv"


def test_read_header_of_nothing_and_of_a_body_only():
    empty = {"manifest": "", "manifest_sha256": "", "target": "", "base": ""}
    assert read_header(None) == read_header("") == empty
    assert read_header("# dockwright-target:  python 3.11, x  \n")["target"] == "python 3.11, x"


def test_body_in_full():
    assert body(None) == body("") == ""
    assert body("# a comment\n# dockwright-checksum: sha256:00\nsix==1\n") == "six==1\n"
    unsealed = "# a comment\nsix==1\n# dockwright-checksum: sha256:00\n"  # the checksum line after the body: no header
    assert body(unsealed) == unsealed


def test_distributions_in_full():
    text = "numpy==2.2.6 \\\n    --hash=sha256:a\nscikit-learn[alldeps]>=1.6 ; x\nsix~=1.0\nA.B!=1\nc<2\n# x\n\n"
    assert distributions(text) == ["numpy", "scikit-learn", "six", "A.B", "c"]
    assert distributions("pkg==1.0==2.0\n") == ["pkg"] and distributions(None) == []


@pytest.mark.parametrize("upgrade", ["FALSE", "No", " 0 ", "ALL", "Yes", "TRUE"])
def test_upgrade_words_in_any_case(upgrade):
    expected = [] if upgrade.strip().lower() in ("false", "no", "0") else ["--upgrade"]
    assert upgrade_args(upgrade) == expected


def test_compile_command_in_full():
    assert compile_command("uv", "requirements.txt", "out.lock", "3.11", "arm64", "six") == [
        "uv", "pip", "compile", "requirements.txt", "--output-file", "out.lock", "--generate-hashes", "--no-header",
        "--python-version", "3.11", "--python-platform", "aarch64-manylinux_2_28", "--quiet",
        "--upgrade-package", "six"]


PRECEDENCE = ("(precedence: uv.lock, poetry.lock, Pipfile.lock, pylock.toml, requirements.txt, Pipfile,"
              " pyproject.toml)")


@pytest.mark.parametrize("files, requirements_file, project, expected", [
    ({"uv.lock", "poetry.lock", "Pipfile.lock", "requirements.txt"}, "", False,
     {"kind": "uv", "file": "uv.lock",
      "note": f"uv.lock is used; poetry.lock, Pipfile.lock, requirements.txt left aside {PRECEDENCE}"}),
    ({"poetry.lock"}, "", True, {"kind": "poetry", "file": "poetry.lock", "note": ""}),
    ({"Pipfile.lock", "Pipfile"}, "", False, {"kind": "pipenv", "file": "Pipfile.lock", "note": ""}),
    ({"uv.lock", "requirements.txt"}, "deps/prod.txt", False, {"kind": "compile", "file": "deps/prod.txt", "note": ""}),
    ({"requirements.txt"}, "", True, {"kind": "compile", "file": "requirements.txt", "note": ""}),
    ({"pyproject.toml"}, "", True, {"kind": "compile", "file": "pyproject.toml", "note": ""}),
    ({"pyproject.toml"}, "", False, {"kind": "", "file": "", "note": ""}),
    # The standard lock: after the tools' locks (it is often exported from one), before any manifest.
    ({"pylock.toml", "pyproject.toml"}, "", True, {"kind": "pylock", "file": "pylock.toml", "note": ""}),
    ({"pylock.toml", "requirements.txt", "Pipfile"}, "", False, {"kind": "pylock", "file": "pylock.toml",
                                                                 "note": "pylock.toml is used; requirements.txt,"
                                                                         f" Pipfile left aside {PRECEDENCE}"}),
    ({"uv.lock", "pylock.toml", "pyproject.toml"}, "", True, {"kind": "uv", "file": "uv.lock", "note": (
        f"uv.lock is used; pylock.toml left aside {PRECEDENCE}")}),
    # A Pipfile without its lock: its packages, resolved like a requirements file; requirements.txt comes first.
    ({"Pipfile"}, "", False, {"kind": "compile", "file": "Pipfile", "note": ""}),
    ({"Pipfile", "pyproject.toml"}, "", True, {"kind": "compile", "file": "Pipfile", "note": ""}),
    ({"Pipfile", "requirements.txt"}, "", False, {"kind": "compile", "file": "requirements.txt", "note": (
        f"requirements.txt is used; Pipfile left aside {PRECEDENCE}")}),
])
def test_source_precedence(files, requirements_file, project, expected):
    assert source(files, requirements_file, project) == expected
    assert source(None) == {"kind": "", "file": "", "note": ""}


@pytest.mark.parametrize("text, requirements, errors", [
    ('[packages]\nsix = "*"\nrequests = "==2.32.3"\npandas = {version = ">=2", extras = ["excel", "hdf5"]}\n'
     'pywin32 = {version = "*", markers = "sys_platform == \'win32\'"}\n\n[dev-packages]\npytest = "*"\n',
     ["six", "requests==2.32.3", "pandas[excel,hdf5]>=2", "pywin32 ; sys_platform == 'win32'"], []),
    ('[requires]\npython_version = "3.11"\n', [], []),
    ('[packages]\nlib = {git = "https://example.com/lib.git", ref = "main"}\nsix = "*"\n', ["six"],
     ["Pipfile [packages] lib uses git, ref, which dockwright does not install from a Pipfile without its lock: lock"
      " it with pipenv lock (Pipfile.lock is installed exactly), or give a version (\"==1.0\", \"*\"), extras or"
      " markers only."]),
    ('[packages]\nlib = {version = "*", index = "private"}\n', [], ["Pipfile [packages] lib uses index, which"]),
    ('[packages]\nlib = {path = "./lib", editable = true}\n', [], ["Pipfile [packages] lib uses editable, path,"]),
    ('[packages]\nsix = "=!1"\n', [], ["Pipfile [packages] six = '=!1' is not a requirement pip understands: lock"]),
    ('[packages]\nsix = 1\n', [], ["Pipfile [packages] six = 1 is not a version, extras or markers: lock"]),
    ('[packages\n', [], ["Pipfile does not parse ("]),
])
def test_pipfile_requirements(text, requirements, errors):
    found, bad = pipfile_requirements(text)
    assert found == requirements
    assert len(bad) == len(errors) and all(error.startswith(start) for error, start in zip(bad, errors, strict=True))


def test_export_and_verify_commands_in_full():
    assert export_command("uv", "/venv/bin", "/tmp/out") == [
        "/venv/bin/uv", "export", "--locked", "--format", "requirements-txt", "--no-emit-project", "--no-header",
        "--no-dev", "--quiet", "--output-file", "/tmp/out"]
    for kind in ("poetry", "pipenv"):
        assert export_command(kind, "/venv/bin", "/tmp/out") == [
            "/venv/bin/micropipenv", "requirements", "--method", kind, "--no-indexes", "--no-dev", "--no-comments"]
        assert verify_command(kind, "/venv/bin") == ["/venv/bin/micropipenv", "verify", "--method", kind]
    assert verify_command("uv", "/venv/bin") == verify_command("compile", "/venv/bin") == []


def test_settings_errors_in_full():
    assert settings_errors("sparc", "a b;c", "3.x") == [
        "lock_platform 'sparc' is not a CPU architecture dockwright locks for: give one of aarch64, amd64, arm64,"
        " x86_64 (PLATFORM=arm64).",
        "lock_upgrade names 'b;c', which are not package names: give UPGRADE=1 for all, or package names separated"
        " by commas.",
        "The Python version to lock for, '3.x', is not of the form 3.X: give PYTHON_VERSION=3.11."]
    assert settings_errors("x86_64", "", "3.100") != [] and settings_errors("x86_64", "", None) != []
