#!/usr/bin/env bash
# The `docker buildx` CLI plugin, which drives the engine's BuildKit (images are built with BuildKit).
#
#   scripts/buildx.sh check     exit 0 when `docker buildx version` works
#   scripts/buildx.sh install   (as root, with apt-get) install it when missing; otherwise say how, and exit 1
#
# Debian 12 has no buildx package; Debian 13's docker-buildx is one static binary that needs only libc6, and
# works with Debian 12's docker.io (20.10, which embeds BuildKit). It is installed from a `trixie` source pinned
# at priority 100, so that trixie never wins over bookworm for anything else: without the pin (or with -t trixie,
# or with recommends) apt takes trixie's docker-cli and upgrades docker.io to 26.x. Used by scripts/engine.sh and
# scripts/provision.sh; nothing is done when the plugin is there.
set -euo pipefail
say() { printf 'buildx: %s\n' "$*"; }
sources=/etc/apt/sources.list.d/dockwright-trixie.sources
pin=/etc/apt/preferences.d/dockwright-trixie

works() { docker buildx version >/dev/null 2>&1; }
codename() { (. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}"); }
# The one command that installs the plugin on this machine, for the message when this script cannot.
how() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install Docker's buildx plugin for your system (https://github.com/docker/buildx#installing)"
  elif [ "$(codename)" = bookworm ]; then
    echo "sudo bash scripts/buildx.sh install   (Debian 13's docker-buildx from a pinned trixie source)"
  elif apt-cache show docker-buildx-plugin >/dev/null 2>&1; then
    echo "sudo apt-get install docker-buildx-plugin"
  else
    echo "sudo apt-get install docker-buildx"
  fi
}

case "${1:-}" in
  check)
    works
    ;;
  install)
    works && exit 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      say "the docker buildx plugin is missing (BuildKit builds need it); install it with: $(how)" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # Docker's own packages (docker-ce) name it docker-buildx-plugin; Debian 13 and Ubuntu name it docker-buildx.
    if dpkg-query -W -f '${Status}' docker-ce-cli 2>/dev/null | grep -q 'ok installed'; then
      package=docker-buildx-plugin
      apt-cache show docker-buildx-plugin >/dev/null 2>&1 || apt-get update -qq
    elif [ "$(codename)" = bookworm ]; then
      package=docker-buildx/trixie
      # The mirror and keyring apt already uses for Debian (deb822 or one-line sources): no host is hard-coded.
      uri="" keyring=""
      if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        read -r uri keyring < <(awk '
          /^$/ {if (u != "" && u !~ /security/) {print u, k; found = 1; exit} u = ""; k = ""}
          /^URIs:/ {u = $2} /^Signed-By:/ {k = $2}
          END {if (!found && u != "" && u !~ /security/) print u, k}' /etc/apt/sources.list.d/debian.sources) || true
      fi
      if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
        uri=$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {if ($i !~ /security/) {print $i; exit} break}}' \
          /etc/apt/sources.list)
      fi
      [ -n "$uri" ] || { say "no Debian mirror found in apt's sources; install it with: $(how)" >&2; exit 1; }
      keyring="${keyring:-/usr/share/keyrings/debian-archive-keyring.gpg}"
      want_sources=$(printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' "$uri" "$keyring")
      want_pin=$(printf '# Only what is asked for by name (docker-buildx/trixie): bookworm wins for everything else.\nPackage: *\nPin: release n=trixie\nPin-Priority: 100\n')
      # The pin goes in first, so that apt never sees trixie unpinned.
      [ "$(cat "$pin" 2>/dev/null)" = "$want_pin" ] || printf '%s\n' "$want_pin" > "$pin"
      if [ "$(cat "$sources" 2>/dev/null)" != "$want_sources" ]; then
        printf '%s\n' "$want_sources" > "$sources"
        say "added a trixie source pinned at priority 100 ($sources, $pin)"
      fi
      # Only the new source's index is fetched when the others' are there (apt-get update already ran).
      if ls /var/lib/apt/lists/*_dists_bookworm_*Packages* >/dev/null 2>&1; then
        apt-get update -qq -o Dir::Etc::sourcelist="$sources" -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0
      else
        apt-get update -qq
      fi
    else
      package=docker-buildx
      apt-cache show docker-buildx >/dev/null 2>&1 || apt-get update -qq
    fi
    # Nothing but the plugin may move (a newer docker-cli or docker.io would come with it otherwise).
    plan=$(apt-get -s install -y --no-install-recommends "$package" 2>&1) || { printf '%s\n' "$plan" >&2; exit 1; }
    others=$(printf '%s\n' "$plan" | awk '$1 == "Inst" || $1 == "Remv" {print $2}' | grep -vx "${package%%/*}" || true)
    if [ -n "$others" ]; then
      say "installing $package would also change: ${others//$'\n'/ }; not done. Install the buildx plugin by hand." >&2
      exit 1
    fi
    say "installing $package"
    # apt's chatter (debconf, needrestart) is shown only when the install fails.
    out=$(apt-get install -y -qq --no-install-recommends "$package" 2>&1) || { printf '%s\n' "$out" >&2; exit 1; }
    works || { say "installed $package, but 'docker buildx version' still fails" >&2; exit 1; }
    say "ready ($(docker buildx version))"
    ;;
  *)
    sed -n '2,5p' "$0" >&2
    exit 2
    ;;
esac
