import pytest
from ansible_collections.dockwright.toolkit.plugins.module_utils.lock import (
    body,
    compile_command,
    distributions,
    header,
    read_header,
    settings_errors,
    upgrade_args,
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
