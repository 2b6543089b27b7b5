# Copyright: dockwright contributors
# MIT License (see LICENSE)
"""What dockwright's AWS Batch modules document alike: waiting for Batch, and where the AWS settings come from."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until Batch has carried the change out (a compute environment or job queue VALID after a change,
        DISABLED before a deletion and gone after it; a queue without unfinished jobs after a drain).
    type: bool
    default: true
  wait_timeout:
    description: Seconds to wait for each of those steps before failing with the status reached.
    type: int
    default: 600
notes:
  - Region, endpoint and credentials are the amazon.aws options; give them once per play or block with
    C(module_defaults) for C(group/dockwright.toolkit.aws), which covers these modules and amazon.aws's.
"""
