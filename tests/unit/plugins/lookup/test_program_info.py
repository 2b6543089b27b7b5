import subprocess

import pytest
from ansible_collections.dockwright.toolkit.plugins.lookup.program_info import (
    describe,
    find_virtualenvs,
    means_default_python3,
    parse_python_version,
    public_source,
    read_apt_packages,
    requirements_need_code,
    version_for_requires,
)


def make(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(tmp_path)


@pytest.mark.parametrize(
    "text, expected",
    [("python-3.11", "3.11"), ("python-3.10.4", "3.10"), ("3.12", "3.12"), ("3.9.18", "3.9"), (" 3.11\n", "3.11"),
     ("python3.11", "3.11"), ("python-2.7", None), ("latest", None), ("", None), ("3", None)],
)
def test_parse_python_version(text, expected):
    assert parse_python_version(text) == expected


@pytest.mark.parametrize(
    "spec, expected",
    [(">=3.10", "3.11"), (">=3.12", "3.14"), ("<3.11", "3.10"), ("==3.9.*", "3.9"), (">=3.8,<3.11", "3.10"),
     (">=4", None)],
)
def test_version_for_requires(spec, expected):
    assert version_for_requires(spec, "3.11") == expected


@pytest.mark.parametrize(
    "text, expected",
    [("numpy==2.2.6\npandas\n", False), ("-e .\n", True), ("./libs/featurize\n", True), ("file:///x.whl\n", True),
     ("# -e .\nnumpy\n", False), ("--editable ./pkg\n", True), ("numpy  # ./not-a-path\n", False), ("", False)],
)
def test_requirements_need_code(text, expected):
    assert requirements_need_code(text) is expected


@pytest.mark.parametrize(
    "text, packages, bad",
    [("jq\ncurl # for downloads\n\n", ["curl", "jq"], []), ("libgomp1 jq\njq\n", ["jq", "libgomp1"], []),
     ("libpq-dev=15.8-0+deb12u1\n", ["libpq-dev=15.8-0+deb12u1"], []), ("Bad_Name\n", [], ["Bad_Name"]),
     ("jq; rm -rf /\n", ["rm"], ["jq;", "-rf", "/"])],
)
def test_read_apt_packages(text, packages, bad):
    assert read_apt_packages(text) == (packages, bad)


def test_plain_folder(tmp_path):
    info = describe(make(tmp_path, {"requirements.txt": "numpy\n", "train.py": "print(1)\n", "util.py": ""}))
    assert info["errors"] == []
    assert info["requirements"] == "requirements.txt" and info["requirements_local"] is False
    assert (info["python_version"], info["python_version_source"]) == ("3.11", "default")
    assert info["entrypoint"] == "train.py" and info["package"] == "" and info["init"] == ""


@pytest.mark.parametrize(
    "files, version, source",
    [
        ({"runtime.txt": "python-3.10"}, "3.10", "runtime.txt"),
        ({".python-version": "3.12.1\n"}, "3.12", ".python-version"),
        ({"runtime.txt": "python-3.10", ".python-version": "3.10.2"}, "3.10", "runtime.txt"),
        ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.12"\n'}, "3.14",
         "pyproject.toml requires-python"),
        ({"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.9"\n', "runtime.txt": "python-3.9"}, "3.9",
         "runtime.txt"),
    ],
)
def test_python_version_precedence(tmp_path, files, version, source):
    info = describe(make(tmp_path, files))
    assert info["errors"] == []
    assert (info["python_version"], info["python_version_source"]) == (version, source)


@pytest.mark.parametrize(
    "text, expected",
    [("python-3", True), ("python3", True), (" python-3\n", True), ("python-3.11", False), ("3", False),
     ("python-", False), ("python-2", False), ("python-3.x", False), ("latest", False), ("", False)],
)
def test_means_default_python3(text, expected):
    assert means_default_python3(text) is expected


@pytest.mark.parametrize(
    "files, kwargs, version, source",
    [
        ({"runtime.txt": "python-3\n"}, {}, "3.11", "runtime.txt python-3, the default Python 3"),
        ({"runtime.txt": "python-3"}, {"default_python_version": "3.12"}, "3.12",
         "runtime.txt python-3, the default Python 3"),
        # Any Python 3 will do: a file that names one is followed, with no disagreement.
        ({"runtime.txt": "python-3", ".python-version": "3.10"}, {}, "3.10", ".python-version"),
        ({"runtime.txt": "python-3", "pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.12"\n'},
         {}, "3.14", "pyproject.toml requires-python"),
        ({"runtime.txt": "python-3"}, {"python_version": "3.10"}, "3.10", "python_version"),
    ],
)
def test_runtime_txt_python_3_is_the_default_python_3(tmp_path, files, kwargs, version, source):
    info = describe(make(tmp_path, files), **kwargs)
    assert info["errors"] == []
    assert (info["python_version"], info["python_version_source"]) == (version, source)


@pytest.mark.parametrize("text", ["python-3.x", "python", "py3", "3", "python-2", "latest"])
def test_runtime_txt_garbage_is_still_refused(tmp_path, text):
    info = describe(make(tmp_path, {"runtime.txt": text + "\n"}))
    assert info["errors"] == [f"runtime.txt says '{text}', which is not a Python 3 version: write e.g. python-3.11,"
                              " or python-3 for the default Python 3."]


def test_explicit_python_version_wins(tmp_path):
    info = describe(make(tmp_path, {"runtime.txt": "python-3.10"}), python_version="3.12")
    assert (info["python_version"], info["python_version_source"]) == ("3.12", "python_version")


@pytest.mark.parametrize(
    "files, kwargs, fragment",
    [
        ({"runtime.txt": "python-3.10", ".python-version": "3.12"}, {}, "different Python versions"),
        ({"runtime.txt": "python-3.9", "pyproject.toml": '[project]\nname="x"\nrequires-python=">=3.10"\n'}, {},
         "make them agree"),
        ({"runtime.txt": "python-2.7"}, {}, "not a Python 3 version"),
        ({"pyproject.toml": "[project\nname="}, {}, "does not parse"),
        ({"pyproject.toml": '[project]\nname="x"\nrequires-python=">=4"\n'}, {}, "allows no known Python"),
        ({}, {"requirements_file": "reqs.txt"}, "requirements_file 'reqs.txt' was not found"),
        ({}, {"init_file": "init.sh"}, "init_file 'init.sh' was not found"),
        ({"setup.txt": "echo hi\n"}, {"init_file": "setup.txt"}, "is not a shell script"),
        ({"init.py": "#!/usr/bin/env python3\n"}, {"init_file": "init.py"}, "is not a shell script"),
        ({"init.sh": "#!/usr/bin/env python3\n"}, {"init_file": "init.sh"}, "must be a shell script"),
        ({"apt.txt": "Bad_Pkg\n"}, {}, "invalid Debian package"),
        ({}, {"python_version": "three"}, "not a Python 3 version"),
    ],
)
def test_errors(tmp_path, files, kwargs, fragment):
    info = describe(make(tmp_path, files), **kwargs)
    assert any(fragment in error for error in info["errors"]), info["errors"]


@pytest.mark.parametrize(
    "files, init_file, init, by_convention",
    [
        ({"init.sh": "#!/bin/sh\necho hi\n"}, "", "init.sh", True),  # by convention
        ({"init.sh": "echo hi\n"}, "", "init.sh", True),  # no shebang: a *.sh file is a shell script
        ({"init.sh": "#!/bin/sh\n", "setup.sh": "#!/bin/sh\n"}, "setup.sh", "setup.sh", False),  # another file
        ({"init.sh": "#!/bin/sh\n"}, "init.sh", "init.sh", False),  # named explicitly
        ({"init.sh": "#!/bin/sh\n"}, "none", "", False),
        ({"init.sh": "#!/bin/sh\n"}, "None", "", False),
        ({"init.sh": "#!/usr/bin/env python3\n"}, "none", "", False),  # not run, so not checked
        ({"sub/init.sh": "#!/bin/sh\n", "main.py": ""}, "", "", False),  # only at the top of the folder
        ({"init.sh/x": ""}, "", "", False),  # a folder named init.sh is no script
        ({"main.py": ""}, "none", "", False),
    ],
)
def test_init_sh_by_convention(tmp_path, files, init_file, init, by_convention):
    info = describe(make(tmp_path, files), init_file=init_file)
    assert info["errors"] == []
    assert (info["init"], info["init_by_convention"]) == (init, by_convention)


def test_init_sh_by_convention_must_be_a_shell_script(tmp_path):
    info = describe(make(tmp_path, {"init.sh": "#!/usr/bin/env python3\nprint(1)\n"}))
    assert info["errors"] == [
        "init.sh (run as the init script by convention) starts with #!/usr/bin/env python3: it must be a shell"
        " script (#!/bin/sh or #!/bin/bash), or skip it with INIT=none (init_file: none)."]


def test_init_sh_by_convention_outside_the_folder(tmp_path):
    (tmp_path / "elsewhere.sh").write_text("#!/bin/sh\n")
    folder = tmp_path / "prog"
    folder.mkdir()
    (folder / "init.sh").symlink_to(tmp_path / "elsewhere.sh")
    [error] = describe(str(folder))["errors"]
    assert error.startswith("init.sh (run as the init script by convention) lies outside the program folder")
    assert error.endswith("or skip it with INIT=none (init_file: none).")


def test_missing_and_file_paths(tmp_path):
    assert "does not exist" in describe(str(tmp_path / "nope"))["errors"][0]
    (tmp_path / "f.py").write_text("")
    assert "is a file, not a folder" in describe(str(tmp_path / "f.py"))["errors"][0]
    assert "program_path is empty" in describe("")["errors"][0]


def test_requirements_outside_folder(tmp_path):
    (tmp_path / "reqs.txt").write_text("numpy\n")
    folder = tmp_path / "prog"
    folder.mkdir()
    info = describe(str(folder), requirements_file=str(tmp_path / "reqs.txt"))
    assert any("lies outside the program folder" in error for error in info["errors"])


def test_package_and_scripts(tmp_path):
    pyproject = ('[build-system]\nrequires = ["hatchling"]\n[project]\nname = "churn"\n'
                 'dependencies = ["numpy>=1", "b"]\n[project.scripts]\nchurn-score = "churn.cli:main"\n')
    info = describe(make(tmp_path, {"pyproject.toml": pyproject}))
    assert info["package"] == "pyproject"
    assert info["package_dependencies"] == ["numpy>=1", "b"]  # file order kept
    assert info["build_requires"] == ["hatchling"] and info["scripts"] == ["churn-score"]


def test_setup_py_package(tmp_path):
    assert describe(make(tmp_path, {"setup.py": "from setuptools import setup\nsetup()\n"}))["package"] == "setup.py"


@pytest.mark.parametrize(
    "files, entrypoint",
    [({"main.py": "", "train.py": ""}, "main.py"), ({"score.py": ""}, "score.py"), ({"a.py": "", "b.py": ""}, ""),
     ({"setup.py": "", "job.py": ""}, "job.py"), ({}, "")],
)
def test_entrypoint(tmp_path, files, entrypoint):
    assert describe(make(tmp_path, files))["entrypoint"] == entrypoint


def test_git_revision_and_source_without_credentials(tmp_path):
    folder = make(tmp_path, {"main.py": ""})
    run = lambda *args: subprocess.run(["git", "-C", folder, *args], check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-q", "--allow-empty", "-m", "x")
    run("remote", "add", "origin", "https://token:secret@git.example.com/team/model.git")
    git = describe(folder)["git"]
    assert len(git["revision"]) == 40
    assert git["source"] == "https://git.example.com/team/model.git"


def test_not_in_git(tmp_path):
    assert describe(make(tmp_path, {"main.py": ""}))["git"] == {"revision": "", "source": ""}


@pytest.mark.parametrize("remote, source", [
    ("https://git.example.com/team/model.git", "https://git.example.com/team/model.git"),
    ("https://token:s3cr3t@git.example.com/team/model.git", "https://git.example.com/team/model.git"),
    ("https://oauth2:s3cr3t@git.example.com:8443/team/model.git", "https://git.example.com:8443/team/model.git"),
    ("https://git.example.com/team/model.git?private_token=s3cr3t", "https://git.example.com/team/model.git"),
    ("https://git.example.com/team/model.git#s3cr3t", "https://git.example.com/team/model.git"),
    ("ssh://deploy:s3cr3t@git.example.com:2222/team/model.git", "ssh://git.example.com:2222/team/model.git"),
    ("git@github.com:team/model.git", "ssh://github.com/team/model.git"),
    ("file:///home/me/s3cr3t/model", ""),
    ("/home/me/model", ""),
    ("https://git.example.com/team/model.git\nLABEL evil=1", ""),
    ("", ""),
])
def test_public_source(remote, source):
    assert public_source(remote) == source


def test_virtualenvs_found_by_what_they_are(tmp_path):
    folder = make(tmp_path, {"main.py": "", "env/__init__.py": "", "build/lib.py": "", ".venv/pyvenv.cfg": "",
                             "tools/venv/pyvenv.cfg": "", "tools/venv/lib/x.py": "", "a/b/c/d/pyvenv.cfg": ""})
    assert find_virtualenvs(folder) == [".venv", "tools/venv"]
    assert describe(folder)["virtualenvs"] == [".venv", "tools/venv"]


def test_the_toolkit_itself_is_not_a_program():
    from conftest import ROOT

    info = describe(str(ROOT))
    assert any("is dockwright itself, not a program" in error for error in info["errors"])


def _lock(folder, manifest_text, python="3.11", base=""):
    import hashlib

    from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import header

    lines = header("requirements.txt", hashlib.sha256(manifest_text.encode()).hexdigest(), python, "x86_64", base)
    (folder / "requirements.lock").write_text("".join(f"# {line}\n" for line in lines) + "six==1.17.0\n")


def test_a_lock_that_matches_is_used_and_pins_its_base(tmp_path):
    folder = tmp_path
    make(tmp_path, {"main.py": "", "requirements.txt": "six\n"})
    _lock(folder, "six\n", base="python:3.11-slim@sha256:" + "d" * 64)
    info = describe(str(folder))
    assert info["errors"] == []
    assert info["lock"]["file"] == "requirements.lock" and info["dependencies"]["file"] == "requirements.lock"
    assert info["base_image"] == "python:3.11-slim@sha256:" + "d" * 64 and info["base_image_tag"] == "python:3.11-slim"
    other = describe(str(folder), base_image="python:3.11-bookworm")  # another base than the lock was made for
    assert other["base_image"] == "python:3.11-bookworm"


@pytest.mark.parametrize("manifest, python, expected", [
    ("six==1.16.0\n", "3.11", "requirements.lock no longer matches requirements.txt (requirements.txt changed after"),
    ("six\n", "3.12", "requirements.lock was locked for Python 3.12, the image uses Python 3.11"),
])
def test_a_stale_lock_is_a_lock_error_naming_both_files_and_how_to_relock(tmp_path, manifest, python, expected):
    folder = tmp_path
    make(tmp_path, {"main.py": "", "requirements.txt": manifest})
    _lock(folder, "six\n", python=python)
    info = describe(str(folder))
    [error] = info["lock_errors"]  # apart from the folder's other errors: make lock mends it
    assert error.startswith(expected) and f"make lock PROGRAM={folder}" in error
    assert info["errors"] == [] and info["lock"]["file"] == ""


def test_a_tools_lock_not_yet_exported_is_a_lock_error(tmp_path):
    make(tmp_path, {"main.py": "", "Pipfile": '[packages]\nsix = "*"\n', "Pipfile.lock": "{}"})
    info = describe(str(tmp_path))
    assert info["errors"] == []
    assert info["lock_errors"] == [
        f"Pipfile.lock is this folder's lock: make lock PROGRAM={tmp_path} turns it into requirements.lock (checked"
        " against its manifest, hashes kept), which the build then installs exactly."]


PYLOCK = 'lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "six"\nversion = "1.17.0"\n'


def test_pylock_toml_is_the_lock_installed_as_it_is_before_requirements_txt(tmp_path):
    import hashlib

    make(tmp_path, {"main.py": "", "requirements.txt": "six\n", "pylock.toml": PYLOCK})
    info = describe(str(tmp_path))
    assert info["errors"] == info["lock_errors"] == []
    assert info["source"] == {"kind": "pylock", "file": "pylock.toml", "note": (
        "pylock.toml is used; requirements.txt left aside (precedence: uv.lock, poetry.lock, Pipfile.lock,"
        " pylock.toml, requirements.txt, Pipfile, pyproject.toml)")}
    assert info["lock"] == {"file": "pylock.toml", "manifest": "", "target": "", "base": ""}
    assert info["dependencies"] == {"file": "pylock.toml", "sha256": hashlib.sha256(PYLOCK.encode()).hexdigest()}
    assert info["base_image"] == "python:3.11-slim"  # a pylock.toml pins no base


def test_a_pylock_toml_that_does_not_parse_is_an_error(tmp_path):
    make(tmp_path, {"main.py": "", "pylock.toml": "[[packages]\n"})
    info = describe(str(tmp_path))
    [error] = info["errors"]
    assert error.startswith(f"pylock.toml in {tmp_path} does not parse (") and info["lock"]["file"] == ""


def test_a_lone_pipfile_stands_for_its_packages(tmp_path):
    pipfile = '[packages]\nsix = "==1.16.0"\nrequests = {version = "*", extras = ["socks"]}\n'
    make(tmp_path, {"main.py": "", "Pipfile": pipfile})
    info = describe(str(tmp_path))
    assert info["errors"] == info["lock_errors"] == []
    assert info["source"] == {"kind": "compile", "file": "Pipfile", "note": ""}
    assert info["pipfile_dependencies"] == ["six==1.16.0", "requests[socks]"]
    assert info["dependencies"]["file"] == "Pipfile" and info["requirements"] == ""
    # Next to requirements.txt it is left aside (the note says so), and not read.
    make(tmp_path, {"requirements.txt": "six\n", "Pipfile": '[packages]\nlib = {git = "https://x/lib.git"}\n'})
    info = describe(str(tmp_path))
    assert info["errors"] == [] and info["pipfile_dependencies"] == []
    assert info["source"]["file"] == "requirements.txt" and info["source"]["note"].startswith(
        "requirements.txt is used; Pipfile left aside")


def test_a_lone_pipfile_with_what_dockwright_does_not_install_is_an_error(tmp_path):
    make(tmp_path, {"main.py": "", "Pipfile": '[packages]\nlib = {path = "./lib"}\n'})
    [error] = describe(str(tmp_path))["errors"]
    assert error.startswith("Pipfile [packages] lib uses path, which dockwright does not install from a Pipfile")


def test_a_lock_made_from_a_pipfile_is_stale_once_the_pipfile_changes(tmp_path):
    import hashlib

    from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import header

    make(tmp_path, {"main.py": "", "Pipfile": '[packages]\nsix = "*"\n'})
    lines = header("Pipfile", hashlib.sha256(b'[packages]\nsix = "*"\n').hexdigest(), "3.11", "x86_64")
    (tmp_path / "requirements.lock").write_text("".join(f"# {line}\n" for line in lines) + "six==1.17.0\n")
    assert describe(str(tmp_path))["lock"]["manifest"] == "Pipfile"
    (tmp_path / "Pipfile").write_text('[packages]\nsix = "==1.16.0"\n')
    [error] = describe(str(tmp_path))["lock_errors"]
    assert error.startswith("requirements.lock no longer matches Pipfile (Pipfile changed after locking): relock with"
                            f" make lock PROGRAM={tmp_path}")


def test_a_requirements_lock_of_the_users_own_is_not_taken_for_ours(tmp_path):
    folder = tmp_path
    make(tmp_path, {"main.py": "", "requirements.txt": "six\n", "requirements.lock": "six==1.16.0\n"})
    info = describe(str(folder))
    assert info["errors"] == [] and info["lock"]["file"] == "" and info["dependencies"]["file"] == "requirements.txt"


def test_a_lock_made_from_a_manifest_the_precedence_now_passes_over_is_a_lock_error(tmp_path):
    import hashlib

    from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import header

    make(tmp_path, {"main.py": "", "Pipfile": '[packages]\nsix = "*"\n'})
    lines = header("Pipfile", hashlib.sha256(b'[packages]\nsix = "*"\n').hexdigest(), "3.11", "x86_64")
    (tmp_path / "requirements.lock").write_text("".join(f"# {line}\n" for line in lines) + "six==1.17.0\n")
    assert describe(str(tmp_path))["lock_errors"] == []
    (tmp_path / "requirements.txt").write_text("six\n")  # comes before the Pipfile the lock was made from
    info = describe(str(tmp_path))
    assert info["lock_errors"] == [
        f"requirements.lock was locked from Pipfile, but the dependencies now come from requirements.txt (the"
        f" precedence: README): relock with make lock PROGRAM={tmp_path} (or delete requirements.lock to install"
        f" unlocked)."]
    assert describe(str(tmp_path), requirements_file="./requirements.txt")["lock_errors"] == info["lock_errors"]
    # A requirements_file is compared as a path: the lock of ./requirements.txt is the lock of requirements.txt.
    lines = header("./requirements.txt", hashlib.sha256(b"six\n").hexdigest(), "3.11", "x86_64")
    (tmp_path / "requirements.lock").write_text("".join(f"# {line}\n" for line in lines) + "six==1.17.0\n")
    info = describe(str(tmp_path), requirements_file="requirements.txt")
    assert info["lock_errors"] == [] and info["lock"]["file"] == "requirements.lock"
