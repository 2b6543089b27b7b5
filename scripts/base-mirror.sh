#!/usr/bin/env bash
# A local registry that serves the stand-in base image the way Docker Hub serves the real one, so that the base
# has a registry digest (RepoDigests, FROM name:tag@sha256:...) as on users' machines. Only for machines that
# cannot reach Docker Hub (see scripts/base-image.sh); users' machines pull from Docker Hub itself.
#
#   scripts/base-mirror.sh configure   (as root, before dockerd starts) make dockerd use the mirror, when Docker Hub
#                                      cannot be reached and no other mirror is configured
#   scripts/base-mirror.sh start       start the mirror registry if dockerd uses it and it does not answer
#   scripts/base-mirror.sh serve IMAGE serve a local IMAGE through the mirror and pull it back with its digest
#   scripts/base-mirror.sh check       exit 0 when dockerd does not use the mirror or the mirror answers
#   scripts/base-mirror.sh used        exit 0 when dockerd pulls through the mirror
set -euo pipefail
addr="${DOCKWRIGHT_BASE_MIRROR:-127.0.0.1:5055}"
root="${DOCKWRIGHT_BASE_MIRROR_DIR:-/var/lib/dockwright/base-mirror}"
say() { printf 'base-mirror: %s\n' "$*"; }

answers() { curl -fsS -o /dev/null -m 3 "http://$addr/v2/" 2>/dev/null; }
used() { docker info --format '{{range .RegistryConfig.Mirrors}}{{.}} {{end}}' 2>/dev/null | grep -q "//$addr/"; }

case "${1:-}" in
  configure)
    # A reachable Docker Hub answers 401 to an anonymous /v2/; anything else means it cannot be reached.
    if [ "$(curl -s -o /dev/null -m 5 -w '%{http_code}' https://registry-1.docker.io/v2/ || true)" = 401 ]; then
      exit 0
    fi
    file="${DOCKWRIGHT_DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}"
    mkdir -p "$(dirname "$file")"
    python3 - "$file" "http://$addr" <<'PY'
import json, os, sys
path, mirror = sys.argv[1], sys.argv[2]
config = json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) else {}
mirrors = config.setdefault("registry-mirrors", [])
if mirrors and mirror not in mirrors:
    sys.exit(0)  # the machine has a mirror of its own: leave it
if mirror not in mirrors:
    mirrors.append(mirror)
    with open(path + ".tmp", "w") as out:
        json.dump(config, out, indent=2)
    os.replace(path + ".tmp", path)
    print(f"base-mirror: Docker Hub cannot be reached; dockerd pulls through {mirror} ({path})")
PY
    ;;
  start)
    used || exit 0
    answers && exit 0
    binary=$(command -v docker-registry || echo /usr/bin/docker-registry)
    mkdir -p "$root/data"
    printf 'version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: %s/data}}\nhttp: {addr: %s}\n' \
      "$root" "$addr" > "$root/config.yml"
    setsid "$binary" serve "$root/config.yml" >"$root/registry.log" 2>&1 < /dev/null &
    for _ in $(seq 1 30); do answers && { say "serving on $addr ($root)"; exit 0; }; sleep 0.5; done
    say "the registry did not answer on $addr; see $root/registry.log" >&2
    exit 1
    ;;
  serve)
    image="${2:?an image name:tag}"
    used || exit 0
    [ -z "$(docker image inspect --format '{{join .RepoDigests ""}}' "$image")" ] || exit 0
    "$0" start
    name="${image%%:*}" tag="${image#*:}"
    case "$name" in */*) path="$name" ;; *) path="library/$name" ;; esac
    docker tag "$image" "$addr/$path:$tag"
    docker push -q "$addr/$path:$tag" >/dev/null
    docker rmi -f "$addr/$path:$tag" "$image" >/dev/null
    docker pull -q "$image" >/dev/null
    say "$image now has the digest $(docker image inspect --format '{{join .RepoDigests " "}}' "$image")"
    ;;
  check)
    ! used || answers
    ;;
  used)
    used
    ;;
  *)
    sed -n '2,11p' "$0" >&2
    exit 2
    ;;
esac
