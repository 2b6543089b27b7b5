"""Every role documents its inputs twice, in step: defaults/main.yml and meta/argument_specs.yml."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

ROLES = sorted(path.parent.parent.name for path in ROOT.glob("roles/*/meta/argument_specs.yml"))


def load(role: str) -> tuple[dict, dict]:
    defaults = yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text()) or {}
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    return defaults, specs


def test_every_role_has_specs():
    assert {"dockerfile", "image", "ecr", "batch_job_definition", "batch_environment", "batch_job"} <= set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_defaults_and_specs_name_the_same_variables(role):
    defaults, specs = load(role)
    for entry, spec in specs.items():
        options = set(spec.get("options") or {})
        assert options == set(defaults), (
            f"{role} entry point {entry}: only in defaults {sorted(set(defaults) - options)}, "
            f"only in the spec {sorted(options - set(defaults))}")


@pytest.mark.parametrize("role", ROLES)
def test_defaults_agree(role):
    """A static default is the spec's default; a templated one (derived from other variables or a file) has none
    in the spec, whose description says where it comes from; a required variable has an empty placeholder."""
    defaults, specs = load(role)
    for entry, spec in specs.items():
        for name, option in (spec.get("options") or {}).items():
            value = defaults[name]
            if isinstance(value, str) and "{{" in value:
                assert "default" not in option, f"{role}/{entry}: {name} is templated, not {option['default']!r}"
            elif option.get("required"):  # must be given: defaults holds an empty placeholder, the preflight says so
                assert value in ("", [], {}) and "default" not in option, f"{role}/{entry}: {name} is required"
            else:
                assert option.get("default") == value, f"{role}/{entry}: {name} is {value!r} in defaults"
            assert option.get("description"), f"{role}/{entry}: {name} has no description"
            assert name.startswith(f"{role}_"), f"{role}: {name} lacks the role prefix"
