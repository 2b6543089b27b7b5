"""Mutation testing of the collection's module_utils and filters with mutmut (make mutation).

    .venv/bin/python scripts/mutation.py run --max-children 1
    .venv/bin/python scripts/mutation.py results | show NAME | browse
    .venv/bin/python scripts/mutation.py summary     (the counts per folder and per file)

The same command line as `mutmut`, with one difference: mutmut names a mutant after its file's path
(collections/ansible_collections/... -> collections.ansible_collections....), while the tests import the
collection as ansible_collections.dockwright.toolkit through Ansible's collection loader. Without the leading
"collections." the two names agree, and mutmut can both switch a mutant on and tell which tests reach it.
Settings: [tool.mutmut] in pyproject.toml. Results: mutants/ (not kept in git).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click
import mutmut.__main__ as mutmut_main
import mutmut.mutation.file_mutation as file_mutation
import mutmut.utils.format_utils as format_utils
from mutmut.stats import status_by_exit_code

PLUGINS = Path("collections/ansible_collections/dockwright/toolkit/plugins")
COLUMNS = ("killed", "survived", "timeout", "no tests", "suspicious", "segfault", "not checked")

_mutant_name = format_utils.get_mutant_name


def get_mutant_name(relative_source_path: Path, mutant_method_name: str) -> str:
    parts = Path(relative_source_path).parts
    if parts and parts[0] == "collections":
        relative_source_path = Path(*parts[1:])
    return _mutant_name(relative_source_path, mutant_method_name)


for module in (format_utils, file_mutation, mutmut_main):
    module.get_mutant_name = get_mutant_name



@mutmut_main.cli.command()
def summary() -> None:
    """The counts of the last run per folder (module_utils, filter) and per file, and the share that survived."""
    by_file: dict[str, Counter] = {}
    for meta in sorted(Path("mutants", PLUGINS).glob("*/*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        by_file[str(meta.relative_to(Path("mutants", PLUGINS)))[: -len(".meta")]] = Counter(
            status_by_exit_code[code] for code in codes)
    if not by_file:
        raise click.ClickException("no results: run `make mutation` first")

    def line(name: str, counts: Counter) -> str:
        total = sum(counts.values())
        share = 100 * counts["survived"] / total if total else 0.0
        return f"{name:44} {total:6} " + " ".join(f"{counts[c]:9}" for c in COLUMNS) + f" {share:9.1f}%"

    print(f"{'':44} {'total':>6} " + " ".join(f"{c:>9}" for c in COLUMNS) + f" {'survived':>10}")
    for folder in sorted({name.split("/")[0] for name in by_file}):
        files = {name: counts for name, counts in by_file.items() if name.startswith(folder + "/")}
        for name, counts in files.items():
            print(line("  " + name, counts))
        print(line(folder, sum(files.values(), Counter())))


if __name__ == "__main__":
    sys.argv[0] = "mutmut"
    mutmut_main.cli()
