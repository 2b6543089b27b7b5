"""Each role's molecule scenario (converge, idempotence, verify on this machine), run as `molecule test` would be."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from conftest import ROOT, VENV_BIN

pytestmark = [
    pytest.mark.image,
    pytest.mark.batch_job_definition,
    pytest.mark.batch_environment,
    pytest.mark.batch_job,
    pytest.mark.batch_schedule,
]

SCENARIOS = sorted(path.parent.parent.parent.name for path in ROOT.glob("roles/*/molecule/default/molecule.yml"))


@pytest.mark.parametrize("role", SCENARIOS)
def test_molecule_scenario(role, engine, aws_env, tmp_path):
    env = {**aws_env, "DOCKWRIGHT_MOLECULE_PROGRAM": str(tmp_path / "program"), "ANSIBLE_NOCOLOR": "1",
           "PY_COLORS": "0", "NO_COLOR": "1"}
    proc = subprocess.run([str(VENV_BIN / "molecule"), "test"], cwd=ROOT / "roles" / role, env=env,
                          capture_output=True, text=True, timeout=1800)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    assert "1 successful" in output
    for step in steps(role):  # every step of the scenario ran, idempotence included where the scenario has it
        assert step in output, f"molecule did not run the {step} step"


def steps(role: str) -> list[str]:
    scenario = yaml.safe_load((ROOT / "roles" / role / "molecule" / "default" / "molecule.yml").read_text())
    return scenario["scenario"]["test_sequence"]


def test_there_are_scenarios():
    assert {"image", "batch_job_definition", "batch_environment", "batch_job", "batch_schedule"} <= set(SCENARIOS)


@pytest.mark.parametrize("role", SCENARIOS)
def test_scenarios_converge_and_verify(role):
    """Every scenario converges and verifies; all but the job submission (an action, not a state) prove idempotence."""
    sequence = steps(role)
    assert {"converge", "verify"} <= set(sequence)
    assert ("idempotence" in sequence) == (role != "batch_job")
