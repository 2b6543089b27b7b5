# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What makes an image's environment, and what differs between two images.

No Ansible imports. An image's environment is the base it was built on (name and registry digest, from its labels),
the file its dependencies came from (name and sha256, from its labels), its Python version and the distributions
installed where its Python finds them (read by running C(PROBE) in the image)."""

from __future__ import annotations

import json
import re

# Run by the image's own python: its version and every installed distribution, as JSON on one line.
PROBE = ("import json, sys, importlib.metadata as m; print(json.dumps({'python': sys.version.split()[0], 'packages':"
         " {d.metadata['Name']: d.version for d in m.distributions() if d.metadata['Name']}}))")

LABELS = {
    "base": "org.opencontainers.image.base.name",
    "base_digest": "org.opencontainers.image.base.digest",
    "dependencies_file": "dockwright.dependencies.file",
    "dependencies_sha256": "dockwright.dependencies.sha256",
}
# The rows of a comparison, in order, with the names the table gives them.
ROWS = (("base", "base image"), ("base_digest", "base digest"), ("python", "Python"),
        ("dependencies_file", "dependency file"), ("dependencies_sha256", "dependency file sha256"))


def canonical(name: str) -> str:
    """A distribution's name as pip compares them (PEP 503): lower case, runs of C(-_.) as one C(-)."""
    return re.sub(r"[-_.]+", "-", str(name)).lower()


def describe(reference: str, labels: dict | None, probe_output: str) -> dict:
    """The environment of the image C(reference) from its C(labels) and what C(PROBE) printed in it."""
    labels = labels or {}
    line = next((line for line in reversed(str(probe_output).splitlines()) if line.startswith("{")), "")
    try:
        probed = json.loads(line)
    except ValueError:
        said = str(probe_output).strip()[-200:]
        raise ValueError(f"{reference}: its python did not say what it holds ({said!r})") from None
    environment = {key: labels.get(label, "") for key, label in LABELS.items()}
    environment.update(image=reference, python=str(probed.get("python", "")),
                       packages={canonical(name): str(version) for name, version in probed.get("packages", {}).items()})
    return environment


def _short(key: str, value: str) -> str:
    """Digests and hashes as a table shows them: their first 12 hex digits."""
    if key in ("base_digest", "dependencies_sha256") and value:
        algorithm, _sep, digest = value.rpartition(":")
        return f"{algorithm or 'sha256'}:{digest[:12]}"
    return value


def differences(first: dict, second: dict) -> list[list[str]]:
    """What differs between two environments (C(describe)), as rows C([what, first's, second's]): the base, its
    digest, Python, the dependency file, then each distribution added, removed or changed, by name. Empty when
    nothing differs."""
    rows = [[title, _short(key, first.get(key)) or "-", _short(key, second.get(key)) or "-"] for key, title in ROWS
            if (first.get(key) or "") != (second.get(key) or "")]
    before, after = first.get("packages", {}), second.get("packages", {})
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            rows.append([name, before.get(name, "-"), after.get(name, "-")])
    return rows


def table(first: dict, second: dict) -> str:
    """The comparison of two environments as a short text table, or one line saying they do not differ."""
    rows = differences(first, second)
    if not rows:
        return (f"{first['image']} and {second['image']} do not differ: base {first.get('base') or '-'}"
                f" ({first.get('base_digest') or 'no registry digest'}), Python {first.get('python') or '-'},"
                f" {len(first.get('packages', {}))} distributions at the same versions.")
    packages = [row for row in rows if row[0] not in {title for _key, title in ROWS}]
    added = sum(1 for row in packages if row[1] == "-")
    removed = sum(1 for row in packages if row[2] == "-")
    header = ["", first["image"], second["image"]]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(3)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    summary = (f"{len(packages) - added - removed} changed, {added} added, {removed} removed"
               f" of {len(set(first.get('packages', {})) | set(second.get('packages', {})))} distributions")
    return "\n".join([*lines, summary])
