"""The dockerfile role run in-process: what it would write into a program folder, and what it would say or refuse.

`render(folder, **extra)` does what Ansible does when a play applies the role with `-e` extras, minus the writing:
it checks the inputs against the role's meta/argument_specs.yml (entry point main, as Ansible does before a role's
first task), then walks the role's own task files (tasks/main.yml, and tasks/validate.yml where main.yml includes it)
with Ansible's DataLoader and Templar. The variables are the role's defaults/main.yml and vars/main.yml (their
strings trusted as templates, as Ansible loads them), task vars, facts set along the way, and the extras over them
all; the lookups and filters are the collection's, loaded in-process through the collection finder that
tests/conftest.py installs. So the Dockerfile is the role's `_dockerfile_content` (Dockerfile.j2 through the template
lookup, sealed with `_dockerfile_header` by dockwright.toolkit.seal) and the .dockerignore its
`_dockerfile_ignore_content`, as tasks/main.yml computes them.

Nothing here restates the role: no default, no template logic. A task this walker does not know how to run (another
module, a loop, another keyword) stops it with an error naming the task, so a change to the role is followed or
noticed, never silently drifted from.

What it leaves to tests/integration/test_dockerfile_role.py: writing files (a `copy` task records the text it would
write in `writes`, only when its `when` holds), what a module reports after doing so (the backup file a copy made, so
the message naming it), the run's output as the callback prints it, and the recap.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

ROOT = Path(__file__).resolve().parent.parent
ROLE = ROOT / "roles" / "dockerfile"

# The task keywords the walker reads, and those it may leave aside (tags select nothing in a run without --tags);
# any other keyword stops it.
_READ = {"name", "when", "vars", "register"}
_IGNORED = {"tags"}
_MODULES = {"ansible.builtin.set_fact", "ansible.builtin.assert", "ansible.builtin.debug",
            "ansible.builtin.include_tasks", "ansible.builtin.copy"}


@dataclasses.dataclass
class Rendered:
    """What one run of the role on a folder would do."""

    dockerfile: str = ""  # the Dockerfile text the role computes ("" when the preflight refused the inputs)
    dockerignore: str = ""  # the .dockerignore text the role computes
    # Why the run stops before writing anything (empty: it goes on): the argument spec's messages, or the sentences
    # of the preflight's assert (tasks/validate.yml), one per line of its message.
    errors: list[str] = dataclasses.field(default_factory=list)
    messages: list[str] = dataclasses.field(default_factory=list)  # the debug messages, in order
    writes: dict[str, str] = dataclasses.field(default_factory=dict)  # path -> text, for each copy that would run
    facts: dict[str, Any] = dataclasses.field(default_factory=dict)  # the facts set along the way

    @property
    def text(self) -> str:
        """Everything the run would show: messages and errors, one string to search a sentence in."""
        return "\n".join(self.messages + self.errors)


class _Walker:
    def __init__(self, extra: dict[str, Any]):
        self.loader = DataLoader()
        self.loader.set_basedir(str(ROLE))
        # The variables of a task of the role, lowest precedence first: the magic ones a role's task sees, the role's
        # defaults and vars (their strings trusted as templates, as Ansible loads them), then per task its vars, the
        # facts set so far, and the extras (-e) over everything.
        self.base = {
            "role_name": ROLE.name,
            "role_path": str(ROLE),
            "ansible_search_path": [str(ROLE)],
            **self._load(ROLE / "defaults" / "main.yml"),
            **self._load(ROLE / "vars" / "main.yml"),
        }
        self.extra = extra
        self.result = Rendered()

    def _load(self, path: Path) -> Any:
        return self.loader.load_from_file(str(path), trusted_as_template=True) or {}

    def templar(self, task_vars: dict[str, Any]) -> Templar:
        return Templar(loader=self.loader, variables={**self.base, **task_vars, **self.result.facts, **self.extra})

    def check_arguments(self) -> bool:
        """What Ansible runs before the first task of a role: its inputs against meta/argument_specs.yml (entry point
        main), as the action validate_argument_spec does. False when it refused them (the run stops there)."""
        spec = self._load(ROLE / "meta" / "argument_specs.yml")["argument_specs"]["main"].get("options") or {}
        variables = {**self.base, **self.extra}
        provided = self.templar({}).template({name: variables[name] for name in spec if name in variables})
        found = ArgumentSpecValidator(spec).validate(provided, validate_role_argument_spec=True)
        self.result.errors = list(found.error_messages)
        return not self.result.errors

    def run(self, tasks_file: str) -> bool:
        """Runs the tasks of tasks/<tasks_file>; False once an assert failed (the run stops there)."""
        for task in self._load(ROLE / "tasks" / tasks_file):
            modules = set(task) & _MODULES
            unknown = set(task) - _MODULES - _READ - _IGNORED
            if len(modules) != 1 or unknown:
                raise NotImplementedError(f"tests/render.py cannot run the task {task.get('name')!r} of "
                                          f"roles/dockerfile/tasks/{tasks_file} ({sorted(unknown or task)})")
            [module] = modules
            args = task[module]
            templar = self.templar(task.get("vars") or {})
            when = task.get("when", [])
            if not all(templar.evaluate_conditional(c) for c in (when if isinstance(when, list) else [when])):
                if task.get("register"):
                    self.result.facts[task["register"]] = {"changed": False, "skipped": True}
                continue
            short = module.rsplit(".", 1)[1]
            if short == "set_fact":
                for name, value in args.items():
                    self.result.facts[name] = templar.template(value)
            elif short == "debug":
                if set(args) != {"msg"}:
                    raise NotImplementedError(f"tests/render.py reads a debug task's msg alone: {task.get('name')!r}")
                self.result.messages.append(str(templar.template(args["msg"])))
            elif short == "assert":
                that = args["that"] if isinstance(args["that"], list) else [args["that"]]
                if not all(templar.evaluate_conditional(c) for c in that):
                    message = args.get("fail_msg", args.get("msg", "Assertion failed"))
                    self.result.errors = str(templar.template(message)).split("\n")
                    return False
            elif short == "include_tasks":
                if not self.run(args["file"] if isinstance(args, dict) else args):
                    return False
            elif short == "copy":
                self.result.writes[templar.template(args["dest"])] = templar.template(args["content"])
                if task.get("register"):
                    self.result.facts[task["register"]] = {"changed": True}
        return True


def render(path: str | Path, **extra: Any) -> Rendered:
    """The role applied to the folder `path` with these extra variables (as `-e`): see the module's docstring."""
    walker = _Walker({"dockerfile_program_path": str(path), **extra})
    if walker.check_arguments() and walker.run("main.yml"):
        walker.result.dockerfile = walker.result.facts["_dockerfile_content"]
        walker.result.dockerignore = walker.result.facts["_dockerfile_ignore_content"]
    return walker.result
