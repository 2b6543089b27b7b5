#!/usr/bin/env bash
# Make sure a Python base image is available to the local engine.
#
#   scripts/base-image.sh [IMAGE]     (default python:3.11-slim)
#
# 1. the image is already local: nothing to do;
# 2. it can be pulled from its registry: pull it;
# 3. otherwise (no route to the public registry), build a stand-in with the same
#    name from Debian packages with mmdebstrap: Debian's python3 and venv on a
#    minimal bookworm. The stand-in only exists for machines that cannot reach the
#    public registry; the toolkit itself works with the real images.
set -euo pipefail
image="${1:-python:3.11-slim}"

# When dockerd pulls through the local mirror (a machine without Docker Hub), the stand-in is served by it and pulled
# back, so that it has a registry digest like the real image (scripts/base-mirror.sh; nothing to do otherwise).
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base-image: $image is already local"
  bash "$(dirname "$0")/base-mirror.sh" serve "$image"
  exit 0
fi
echo "base-image: pulling $image"
if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
  echo "base-image: pulled $image"
  exit 0
fi
echo "base-image: cannot pull $image; building a stand-in from Debian packages"
if ! command -v mmdebstrap >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
fi
# The mirror apt is configured with (deb822 or one-line sources).
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
fi
[ -n "$mirror" ] || { echo "base-image: no Debian mirror found in apt's sources" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mmdebstrap --quiet --variant=minbase \
  --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
  bookworm "$work/base.tar" "$mirror"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["python3"]' \
  "$work/base.tar" "$image" >/dev/null
echo "base-image: built stand-in $image ($(docker run --rm "$image" python3 --version))"
bash "$(dirname "$0")/base-mirror.sh" serve "$image"
