"""Each role's molecule scenario (converge, idempotence, verify on this machine), run as `molecule test` would be."""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT, VENV_BIN

SCENARIOS = sorted(path.parent.parent.parent.name for path in ROOT.glob("roles/*/molecule/default/molecule.yml"))


@pytest.mark.parametrize("role", SCENARIOS)
def test_molecule_scenario(role, engine, aws_env, tmp_path):
    env = {**aws_env, "DOCKWRIGHT_MOLECULE_PROGRAM": str(tmp_path / "program"), "ANSIBLE_NOCOLOR": "1",
           "PY_COLORS": "0", "NO_COLOR": "1"}
    proc = subprocess.run([str(VENV_BIN / "molecule"), "test"], cwd=ROOT / "roles" / role, env=env,
                          capture_output=True, text=True, timeout=1800)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    assert "idempotence" in output and "1 successful" in output


def test_there_are_scenarios():
    assert "image" in SCENARIOS
