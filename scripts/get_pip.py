"""Stand-in for pip's get-pip.py, for ansible-test where ci-files.testing.ansible.com cannot be reached.

ansible-test (make sanity) bootstraps pip in each of its virtual environments by running a cached get-pip.py with
pip's install arguments; this does the same from the package index: it puts the pip bundled with Python into the
environment (ensurepip, offline), then runs `pip install --upgrade --force-reinstall` with the arguments given.
scripts/sanity.sh copies it into ansible-test's cache only when no bootstrap script is cached yet.
"""

import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"], stdout=subprocess.DEVNULL)
# get-pip.py options of its own: without them it would also install setuptools and wheel, which pip does not.
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--upgrade", "--force-reinstall", *args]))
