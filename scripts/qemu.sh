#!/usr/bin/env bash
# QEMU user emulation for arm64 builds on an amd64 machine: the kernel hands aarch64 binaries (the RUN steps of a
# --platform linux/arm64 build) to qemu-aarch64-static through binfmt_misc.
#
#   scripts/qemu.sh check     exit 0 when this machine runs aarch64 binaries (an enabled qemu-aarch64 handler, or an
#                             arm64 machine)
#   scripts/qemu.sh install   (as root, with apt-get) install and register the handlers when missing; otherwise say
#                             how, and exit 1
#
# Debian registers the handlers with the F flag (the interpreter is opened once, at registration), so they work inside
# build containers, whose root filesystem has no qemu. Used by scripts/provision.sh; nothing is done when it works.
set -euo pipefail
say() { printf 'qemu: %s\n' "$*"; }
binfmt=/proc/sys/fs/binfmt_misc

works() {
  case "$(uname -m)" in aarch64|arm64) return 0 ;; esac
  [ "$(head -n 1 "$binfmt/qemu-aarch64" 2>/dev/null)" = enabled ]
}

case "${1:-}" in
  check)
    works
    ;;
  install)
    works && exit 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      if command -v apt-get >/dev/null 2>&1; then how="sudo bash scripts/qemu.sh install"
      else how="docker run --privileged --rm tonistiigi/binfmt --install arm64"; fi
      say "arm64 builds need QEMU's aarch64 handler (binfmt_misc), which is not registered; install it with: $how" >&2
      exit 1
    fi
    if ! command -v update-binfmts >/dev/null 2>&1 || [ ! -e /usr/bin/qemu-aarch64-static ]; then
      say "installing qemu-user-static binfmt-support"
      export DEBIAN_FRONTEND=noninteractive
      apt-cache show qemu-user-static >/dev/null 2>&1 || apt-get update -qq
      # apt's chatter is shown only when the install fails.
      out=$(apt-get install -y -qq --no-install-recommends qemu-user-static binfmt-support 2>&1) \
        || { printf '%s\n' "$out" >&2; exit 1; }
    fi
    # A fresh machine (or a container) has binfmt_misc unmounted, and no init system that mounts it.
    if [ ! -e "$binfmt/register" ]; then
      mount -t binfmt_misc binfmt_misc "$binfmt"
    fi
    update-binfmts --enable
    works || { say "the qemu-aarch64 handler is still not enabled ($binfmt/qemu-aarch64)" >&2; exit 1; }
    say "ready: aarch64 binaries run under $(sed -n 's/^interpreter //p' "$binfmt/qemu-aarch64")"
    ;;
  *)
    sed -n '2,9p' "$0" >&2
    exit 2
    ;;
esac
