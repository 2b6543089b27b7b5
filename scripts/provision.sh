#!/usr/bin/env bash
# What `make test` needs besides the virtualenv: a Docker engine that answers, the CLI's buildx plugin (BuildKit
# builds), QEMU's arm64 emulation (--platform linux/arm64 builds), Debian's docker-registry (the registry process the
# push tests talk to), and the base image python:3.11-slim in the engine; on a machine that cannot reach Docker Hub, a
# stand-in base served by a local mirror so that it has a digest (scripts/base-mirror.sh), for amd64 and arm64.
#
#   scripts/provision.sh           check; as root on Debian/Ubuntu, install and start what is missing
#   scripts/provision.sh --check   check only: list what is missing and the one command that sets it up
#
# `make test` runs it first, so on a fresh machine the test command alone does the whole set-up (as root), or stops
# at once saying what is missing (as another user) instead of skipping every test that needs an engine.
# `make provision` runs it on its own. Nothing is done when everything is there (well under a second).
set -euo pipefail
cd "$(dirname "$0")/.."
base="python:3.11-slim"
check_only=false
[ "${1:-}" = "--check" ] && check_only=true

missing=()
docker info >/dev/null 2>&1 || missing+=("a Docker engine that answers")
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || missing+=("docker-registry (Debian package)")
bash scripts/buildx.sh check || missing+=("the Docker CLI's buildx plugin (scripts/buildx.sh)")
bash scripts/qemu.sh check || missing+=("QEMU's arm64 emulation for --platform linux/arm64 builds (scripts/qemu.sh)")
if [ ${#missing[@]} -eq 0 ] && ! docker image inspect "$base" >/dev/null 2>&1; then
  missing+=("the base image $base")
fi
# A machine without Docker Hub pulls the stand-in base through a local mirror, which gives it a digest.
if [ ${#missing[@]} -eq 0 ] && ! bash scripts/base-mirror.sh check; then
  missing+=("the base image mirror (docker-registry on ${DOCKWRIGHT_BASE_MIRROR:-127.0.0.1:5055}, scripts/base-mirror.sh)")
fi
# Docker Hub serves the base for arm64 too; the mirror must as well (nothing to check when dockerd does not use it).
if [ ${#missing[@]} -eq 0 ] && ! bash scripts/base-image.sh --arm64-check "$base"; then
  missing+=("an arm64 variant of $base in the base image mirror (scripts/base-image.sh --arm64)")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

say() { printf 'provision: %s\n' "$*" >&2; }
if $check_only || [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "the tests need: $(IFS=';'; echo "${missing[*]}" | sed 's/;/, /g')."
  if ! command -v apt-get >/dev/null 2>&1; then
    say "install them for your system (Docker: https://docs.docker.com/engine/install/), then run make test again."
  else
    say "set them up with one command, then run make test again:  sudo make provision"
  fi
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash scripts/engine.sh
bash scripts/buildx.sh install
bash scripts/base-mirror.sh start
bash scripts/base-image.sh "$base"
# arm64 builds: QEMU, then the arm64 variant of the base (only where QEMU works: binfmt_misc may be out of reach,
# in a container for instance; the check above then names what is missing).
bash scripts/qemu.sh install || true
if bash scripts/qemu.sh check; then
  bash scripts/base-image.sh --arm64 "$base"
fi
