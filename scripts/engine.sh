#!/usr/bin/env bash
# Install (Debian/Ubuntu, as root) and start a Docker engine, then wait until it answers; then make sure the CLI's
# buildx plugin is there (images are built with BuildKit; scripts/buildx.sh). Used by `make engine` and by CI.
# Does nothing when an engine already answers and buildx works.
set -euo pipefail

if docker info >/dev/null 2>&1; then
  echo "engine: a Docker engine already answers ($(docker info --format '{{.ServerVersion}}'))"
  # Images are built with BuildKit, through the CLI's buildx plugin.
  bash "$(dirname "$0")/buildx.sh" check || bash "$(dirname "$0")/buildx.sh" install
  # Builds for the other CPU (PLATFORM=linux/arm64 on x86_64) run their RUN steps under QEMU; not fatal when
  # binfmt_misc cannot be reached (in a container): such a build then says what is missing.
  bash "$(dirname "$0")/qemu.sh" check || bash "$(dirname "$0")/qemu.sh" install || true
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "engine: no Docker engine answers; run 'sudo make engine' or start Docker Desktop/dockerd yourself" >&2
  exit 1
fi
if ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "engine: no dockerd and no apt-get: install Docker for your system (https://docs.docker.com/engine/install/)" >&2
    exit 1
  fi
  echo "engine: installing Debian's docker.io package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi
# Before dockerd reads its configuration: on a machine that cannot reach Docker Hub, pull through the local mirror
# that serves the stand-in base (scripts/base-mirror.sh).
bash "$(dirname "$0")/base-mirror.sh" configure
echo "engine: starting dockerd (log: /var/log/dockerd.log)"
setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "engine: ready ($(docker info --format '{{.ServerVersion}}'))"
    bash "$(dirname "$0")/buildx.sh" check || bash "$(dirname "$0")/buildx.sh" install
    # Builds for the other CPU (PLATFORM=linux/arm64 on x86_64) run their RUN steps under QEMU; not fatal when
    # binfmt_misc cannot be reached (in a container): such a build then says what is missing.
    bash "$(dirname "$0")/qemu.sh" check || bash "$(dirname "$0")/qemu.sh" install || true
    exit 0
  fi
  sleep 1
done
echo "engine: dockerd did not answer within 60 s; see /var/log/dockerd.log" >&2
exit 1
