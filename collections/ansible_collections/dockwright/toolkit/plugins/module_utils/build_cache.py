# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""The registry as build cache, and what a BuildKit build log says.

No Ansible imports. Every image dockwright builds carries BuildKit's inline cache (the build argument
BUILDKIT_INLINE_CACHE=1), so an image pushed to a registry is the cache of later builds: the image role gives BuildKit
the references to read (C(cache_from)), and BuildKit pulls the layers of the steps whose inputs match, only those. This
module writes those references and reads, from the plain-progress log, which were used, which were missing, and the
step that failed."""

from __future__ import annotations

import re

from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import mask

_STEP = re.compile(r"^#(\d+) (.*)$")
_IMPORT = re.compile(r"^importing cache manifest from (\S+)$")
_TITLE = re.compile(r"^\[[^\]]*\] ")
_TIMED = re.compile(r"^\d+\.\d+ (.*)$")
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_METADATA = re.compile(r"^\[internal\] load metadata for (?:docker\.io/library/)?(\S+)$")
_MISSES = (
    (re.compile(r"manifest unknown|not found|\b404\b|name unknown|does not exist", re.IGNORECASE),
     "not in the registry yet (a push makes it)"),
    (re.compile(r"denied|unauthori[sz]ed|\b401\b|\b403\b|forbidden", re.IGNORECASE),
     "access denied (reading the cache needs ecr:BatchGetImage and ecr:GetDownloadUrlForLayer)"),
)


def cache_from(refs) -> list[str]:
    """BuildKit's C(--cache-from) values for the image references C(refs): each read as a registry's inline cache."""
    seen, out = set(), []
    for ref in refs or []:
        ref = str(ref or "").strip()
        if ref and ref not in seen:
            seen.add(ref)
            out.append(f"type=registry,ref={ref}")
    return out


def cache_miss(message) -> str:
    """What a failed read of the cache means, in a few words; the first line of BuildKit's message otherwise."""
    text = str(message or "")
    for pattern, reason in _MISSES:
        if pattern.search(text):
            return reason
    first = text.strip().splitlines()[0] if text.strip() else "no reason given"
    return first[:200]


def steps(log) -> dict:
    """The steps of a plain-progress BuildKit log, by number: C({title, lines, status, error}), in order of first
    appearance; C(status) is C(DONE), C(CACHED), C(ERROR) or empty."""
    found: dict[str, dict] = {}
    for raw in _TERMINAL_CODES.sub("", str(log or "")).splitlines():
        match = _STEP.match(raw.rstrip())
        if not match:
            continue
        number, text = match.groups()
        step = found.setdefault(number, {"title": "", "lines": [], "status": "", "error": "", "pulled": 0})
        if not step["title"] and not text.startswith(("DONE", "CACHED", "ERROR")) and not _TIMED.match(text):
            step["title"] = text
        elif text == "CACHED" or text.startswith("DONE "):
            step["status"] = text.split()[0]
        elif text.startswith("ERROR"):
            step["status"], step["error"] = "ERROR", text.partition(":")[2].strip() or text
        elif text.startswith("pulling sha256:"):
            step["pulled"] += 1
        else:
            timed = _TIMED.match(text)
            step["lines"].append(timed.group(1) if timed else text)
    return found


def cache_report(log, refs=None) -> dict:
    """What the build took from the registry's cache: C(used) (references read), C(missing) (reference to why not),
    C(cached) (steps BuildKit did not run), C(run) (steps it ran), C(pulled) (layers it pulled for cached steps)."""
    report = {"used": [], "missing": {}, "cached": 0, "run": 0, "pulled": 0}
    for step in steps(log).values():
        imported = _IMPORT.match(step["title"])
        if imported:
            if step["status"] == "ERROR":
                report["missing"][imported.group(1)] = cache_miss(step["error"])
            else:
                report["used"].append(imported.group(1))
        elif _TITLE.match(step["title"]) and not step["title"].startswith("[internal]") and " FROM " not in (
                " " + _TITLE.sub("", step["title"]))[:6]:
            report["cached" if step["status"] == "CACHED" else "run"] += 1
            report["pulled"] += step["pulled"]
    for ref in refs or []:
        if ref not in report["used"] and ref not in report["missing"]:
            report["missing"][ref] = "not read by the build"
    return report


def cache_sentence(log, refs=None) -> str:
    """One line for the user: which cache the build used, or why none."""
    report = cache_report(log, refs)
    if report["used"]:
        return (f"Build cache: the inline cache of {' and '.join(report['used'])} (registry): {report['cached']} of"
                f" {report['cached'] + report['run']} steps cached, {report['pulled']} layers pulled.")
    if report["missing"]:
        why = "; ".join(f"{ref} is {reason}" for ref, reason in report["missing"].items())
        return f"No registry build cache: {why}; built without it."
    return "No registry build cache: the run names no repository to take it from (make push and make ci do)."


def build_error(log, secrets=None, lines=15) -> str:
    """A failed build, for a human: the step that failed, its last C(lines) output lines and BuildKit's error, every
    secret masked. A log that is not BuildKit's is returned as it is (masked)."""
    text = _TERMINAL_CODES.sub("", str(log or ""))
    found = steps(text)
    failed = [step for step in found.values() if step["status"] == "ERROR" and not _IMPORT.match(step["title"])]
    final = [line[len("ERROR: "):] for line in text.splitlines() if line.startswith("ERROR: ")]
    if not found:
        return mask(text.strip(), secrets)
    if not failed:
        return mask(final[-1] if final else text.strip(), secrets)
    step = failed[-1]
    out = [f"The build failed at {_TITLE.sub('', step['title']) or step['title']}"]
    shown = step["lines"][-lines:] if lines > 0 else []
    if shown:
        out.append(f"Its last {len(shown)} line{'s' if len(shown) > 1 else ''}:")
        out += ["  " + line for line in shown]
    out.append(f"Error: {final[-1] if final else step['error']}")
    base = _METADATA.match(step["title"])
    if base:
        out.append(f"The base image {base.group(1)} could not be pulled: check its name and tag (base_image,"
                   " BASE_IMAGE= or PYTHON_VERSION=) and that its registry can be reached from this machine (a proxy,"
                   " a mirror in the engine's registry-mirrors, or docker login for a private one).")
    return mask("\n".join(out), secrets)
