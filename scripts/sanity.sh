#!/usr/bin/env bash
# make sanity: ansible-test sanity on the collection dockwright.toolkit, as Galaxy would run it.
# ansible-test wants the collection at .../ansible_collections/dockwright/toolkit with the collections it depends on
# (amazon.aws, community.aws, community.docker) beside it, and makes a virtualenv per test, installing each test's
# pinned requirements from the package index. So: a copy of the tracked files in /tmp/dockwright-sanity, the
# dependencies linked in from the project's virtualenv (the ansible package bundles them), and ansible-core in a
# virtualenv of its own (ansible-test's requirements never touch the project's).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON_VERSION=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
CORE=$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("ansible-core"))')
BUNDLED=$("$VENV/bin/python" -c 'import ansible_collections as c; print([p for p in c.__path__ if "-packages" in p][0])')
WORK=$PWD/.cache/sanity
# Outside the repository: inside it, ansible-test would list files with git, which ignores .cache/.
TREE=${TMPDIR:-/tmp}/dockwright-sanity/ansible_collections

"$VENV/bin/python" -m venv "$WORK/venv" 2>/dev/null || true
if [ "$("$WORK/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("ansible-core"))' 2>/dev/null)" != "$CORE" ]; then
  echo "sanity: installing ansible-core $CORE into $WORK/venv"
  "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "ansible-core==$CORE"
fi

# ansible-test bootstraps pip in its virtualenvs with a get-pip.py it downloads from its own host; where that host
# cannot be reached, scripts/get_pip.py does the same from the package index.
cache="$HOME/.ansible/test/cache/get_pip_24_2.py"
if [ ! -f "$cache" ]; then
  mkdir -p "$(dirname "$cache")"
  cp scripts/get_pip.py "$cache"
fi

rm -rf "$TREE"
mkdir -p "$TREE/amazon" "$TREE/community"
git ls-files -z -- collections/ansible_collections/dockwright/toolkit \
  | tar --null -T - -cf - | tar -xf - -C "$TREE" --strip-components=2
for dependency in amazon/aws community/aws community/docker; do
  ln -s "$BUNDLED/$dependency" "$TREE/$dependency"
done

cd "$TREE/dockwright/toolkit"
exec "$WORK/venv/bin/ansible-test" sanity --local --requirements --python "$PYTHON_VERSION" --color no "$@"
