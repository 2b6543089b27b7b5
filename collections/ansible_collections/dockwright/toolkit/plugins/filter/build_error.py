# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""Turn a failed image build's message into what a user needs: the failing step and its last lines."""

from __future__ import annotations

DOCUMENTATION = r"""
name: build_error
short_description: Summarise a failed docker build for a human
description:
  - Takes the C(msg) of a failed C(community.docker.docker_image) build (which embeds the whole build
    log as a Python list) and returns a short text, the step that failed, the last lines it printed and
    the engine's error, with every secret given replaced by C(*****).
options:
  _input: {description: The failure message., type: str, required: true}
  secrets: {description: Strings to mask wherever they appear., type: list, elements: str, default: []}
  lines: {description: How many of the failing step's last output lines to keep., type: int, default: 15}
"""

EXAMPLES = r"""
- name: Report the failed build
  ansible.builtin.fail:
    msg: "{{ __image_build.msg | build_error(secrets=[image_pip_index_url]) }}"
"""

RETURN = r"""
_value: {description: "The summary, several lines.", type: str}
"""

import ast
import re

from ansible_collections.dockwright.toolkit.plugins.module_utils.secrets import mask as _mask

_STEP = re.compile(r"^Step \d+/\d+ : ")
_FROM = re.compile(r"^Step \d+/\d+ : FROM (?:--platform=\S+ )?(\S+)", re.IGNORECASE)
_ARG = re.compile(r"^Step \d+/\d+ : ARG ([A-Za-z_][A-Za-z0-9_]*)=(\S+)", re.IGNORECASE)
# Terminal colour and cursor codes (pip colours its errors): shown raw they read as noise.
_TERMINAL_CODES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_HEAD = re.compile(r"^Error building (?P<name>\S+) - (?:code: (?P<code>[^,]*), )?message: (?P<message>.*?), logs: ",
                   re.S)


def build_error(msg, secrets=None, lines=15):
    """Return the failing step, its last output lines and the engine's error message."""
    msg = "" if msg is None else str(msg)
    head = _HEAD.match(msg)
    if not head:
        return _mask(_TERMINAL_CODES.sub("", msg).strip(), secrets)
    raw_logs = msg[head.end():]
    try:
        logs = ast.literal_eval(raw_logs)
    except (ValueError, SyntaxError):
        logs = raw_logs.splitlines()
    # Colour and cursor codes go first, so that a line holding nothing else counts as empty (uv and pip draw boxes).
    output = [_TERMINAL_CODES.sub("", line).rstrip() for chunk in logs for line in str(chunk).splitlines()]
    output = [line for line in output if line.strip() and not line.startswith((" ---> ", "Removing intermediate"))]
    step_at = max((i for i, line in enumerate(output) if _STEP.match(line)), default=None)
    parts = [f"Building {head.group('name')} failed."]
    if step_at is not None:
        parts.append(f"Failing step: {output[step_at]}")
        tail = output[step_at + 1:][-lines:]
        if tail:
            parts.append("Last output lines:")
            parts.extend(f"  {line}" for line in tail)
    parts.append(f"Engine says: {head.group('message').strip()}")
    if step_at is not None:
        base = _base_image(output, step_at)
        if base:
            parts.append(f"The base image {base} could not be pulled: check its name and tag (base_image, BASE_IMAGE="
                         " or PYTHON_VERSION=) and that its registry can be reached from this machine (a proxy, a"
                         " mirror in the engine's registry-mirrors, or docker login for a private one).")
    return _mask(_TERMINAL_CODES.sub("", "\n".join(parts)), secrets)


def _base_image(output, step_at):
    """The image a failing FROM step names, its ${ARG} resolved from the ARG steps before it; "" for other steps."""
    match = _FROM.match(output[step_at])
    if not match:
        return ""
    image = match.group(1)
    for line in output[:step_at]:
        arg = _ARG.match(line)
        if arg:
            image = image.replace(f"${{{arg.group(1)}}}", arg.group(2)).replace(f"${arg.group(1)}", arg.group(2))
    return image


class FilterModule:
    def filters(self):
        return {"build_error": build_error}
