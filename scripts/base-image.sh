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
#
#   scripts/base-image.sh --arm64 [IMAGE]         the local mirror serves IMAGE for linux/arm64 too
#   scripts/base-image.sh --arm64-check [IMAGE]   exit 0 when it does (or when dockerd does not use the mirror)
#
# Docker Hub serves python:X.Y-slim for several architectures; for `--platform linux/arm64` builds the stand-in must
# be too. --arm64 builds an arm64 stand-in (Debian's arm64 packages, unpacked natively), pushes it to the mirror
# beside the amd64 one and makes the tag a manifest list of the two. The amd64 image and its manifest digest stay as
# they are (the tag's own digest becomes the list's). Needs QEMU (scripts/qemu.sh) and buildx (scripts/buildx.sh).
set -euo pipefail
here="$(dirname "$0")"
say() { printf 'base-image: %s\n' "$*"; }

# The Debian mirror apt is configured with (deb822 or one-line sources): no host is hard-coded.
debian_mirror() {
  local mirror=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
  fi
  [ -n "$mirror" ] || { say "no Debian mirror found in apt's sources" >&2; return 1; }
  echo "$mirror"
}

need_mmdebstrap() {
  command -v mmdebstrap >/dev/null 2>&1 && return 0
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
}

# --- arm64 ------------------------------------------------------------------------------------------------------
# The same address as scripts/base-mirror.sh.
addr="${DOCKWRIGHT_BASE_MIRROR:-127.0.0.1:5055}"
manifest_types="application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json"
manifest_types+=", application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"

repo_path() {  # python:3.11-slim -> library/python 3.11-slim
  local name="${1%%:*}" tag="${1#*:}"
  case "$name" in */*) echo "$name $tag" ;; *) echo "library/$name $tag" ;; esac
}
manifest() { curl -fsS -m 5 -H "Accept: $manifest_types" "http://$addr/v2/$1/manifests/$2" 2>/dev/null; }
serves_arm64() { manifest "$1" "$2" | grep -Eq '"architecture": *"arm64"'; }

# One package of an unpacked root filesystem registered in its dpkg database as installed, as dpkg would have done:
# info files (file list, md5sums, conffiles, maintainer scripts), a status stanza and trigger interests (ldconfig,
# ca-certificates, shells.d: packages installed later in the image trigger them). Stanzas and interests go to
# per-package files, merged by fixup_rootfs, so that packages can be registered in parallel.
register_deb() {
  local deb="$1" db="$2/var/lib/dpkg" ctl pkg="" arch="" ma="" name key value f kind what suffix path
  ctl=$(mktemp -d)
  dpkg-deb --control "$deb" "$ctl"
  while IFS=': ' read -r key value; do
    case "$key" in Package) pkg=$value ;; Architecture) arch=$value ;; Multi-Arch) ma=$value ;; esac
  done < "$ctl/control"
  name="$pkg"; [ "$ma" = same ] && name="$pkg:$arch"
  for f in "$ctl"/*; do [ "${f##*/}" = control ] || mv "$f" "$db/info/$name.${f##*/}"; done
  dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's,^\./,/,' -e 's,/$,,' -e 's,^$,/.,' > "$db/info/$name.list"
  {
    sed '/^Package:/a Status: install ok installed' "$ctl/control"
    if [ -s "$db/info/$name.conffiles" ]; then
      echo "Conffiles:"
      while read -r path; do
        if [[ "$path" == /* && -f "$2$path" ]]; then echo " $path $(md5sum < "$2$path" | cut -d' ' -f1)"; fi
      done < "$db/info/$name.conffiles"
    fi
    echo
  } > "$db/status.d/$name"
  if [ -f "$db/info/$name.triggers" ]; then
    while read -r kind what; do
      case "$kind" in interest|interest-await) suffix="" ;; interest-noawait) suffix=/noawait ;; *) continue ;; esac
      case "$what" in
        /*) echo "$what $name$suffix" >> "$db/triggers.d/File" ;;
        *) echo "$name$suffix" >> "$db/triggers.d/$what" ;;
      esac
    done < "$db/info/$name.triggers"
  fi
  rm -rf "$ctl"
}

# Fix-ups of an unpacked (never configured) arm64 root filesystem, done natively: what the maintainer scripts would
# have done that the tests' images need. Running those scripts under QEMU is what makes `mmdebstrap --architectures
# =arm64` take minutes (ca-certificates' alone takes two); unpacking natively takes seconds.
fixup_rootfs() {
  local root="$1" db="$1/var/lib/dpkg" f pem
  # The package database, so that dpkg and apt inside the image know what is there.
  mkdir -p "$db/info" "$db/triggers" "$db/status.d" "$db/triggers.d"
  export -f register_deb
  find "$root/var/cache/apt/archives" -name '*.deb' -print0 \
    | xargs -0 -P "$(nproc)" -I{} bash -c 'set -euo pipefail; register_deb "$1" "$2"' _ {} "$root"
  cat "$db/status.d"/* >> "$db/status"
  # Lines appended by parallel writers are whole (short writes to a file opened for appending).
  for f in "$db/triggers.d"/*; do
    if [ -e "$f" ]; then LC_ALL=C sort "$f" > "$db/triggers/${f##*/}"; fi
  done
  rm -rf "$db/status.d" "$db/triggers.d"
  # dash's postinst: the diversions that make /bin/sh dash's.
  if [ -e "$db/info/dash.postinst" ]; then
    dpkg-divert --root "$root" --quiet --package dash --no-rename \
      --divert /usr/share/man/man1/sh.distrib.1.gz --add /usr/share/man/man1/sh.1.gz
    dpkg-divert --root "$root" --quiet --package dash --no-rename --divert /bin/sh.distrib --add /bin/sh
  fi
  echo 1 > "$db/info/format"  # info files of Multi-Arch: same packages are named package:arch
  echo arm64 > "$db/arch"
  # base-passwd, passwd: the system users and groups, with their shadow files.
  cp "$root/usr/share/base-passwd/passwd.master" "$root/etc/passwd"
  cp "$root/usr/share/base-passwd/group.master" "$root/etc/group"
  awk -F: '{print $1 ":*:19000:0:99999:7:::"}' "$root/etc/passwd" > "$root/etc/shadow"
  awk -F: '{print $1 ":*::"}' "$root/etc/group" > "$root/etc/gshadow"
  chmod 644 "$root/etc/passwd" "$root/etc/group"
  chown 0:42 "$root/etc/shadow" "$root/etc/gshadow"  # group shadow, fixed by base-passwd
  chmod 640 "$root/etc/shadow" "$root/etc/gshadow"
  # base-files, libc-bin, debianutils: default configuration files and directories.
  cp -p "$root/usr/share/base-files/profile" "$root/etc/profile"
  cp -p "$root/usr/share/base-files/motd" "$root/etc/motd"
  cp -p "$root/usr/share/base-files/dot.profile" "$root/root/.profile"
  cp -p "$root/usr/share/base-files/dot.bashrc" "$root/root/.bashrc"
  cp -p "$root/usr/share/libc-bin/nsswitch.conf" "$root/etc/nsswitch.conf"
  # (update-shells: the default list, the shells.d entries, then their /usr aliases)
  cat "$root/usr/share/debianutils/shells" "$root/usr/share/debianutils/shells.d/"* \
    | awk '/^\// {print; if ($0 ~ /^\/s?bin\//) usr[++n] = "/usr" $0; next} {print} END {for (i = 1; i <= n; i++) print usr[i]}' \
    > "$root/etc/shells"
  ln -sfn debian "$root/etc/dpkg/origins/default"
  for f in mnt srv opt etc/opt var/opt media usr/local/share/man usr/local/bin usr/local/games usr/local/lib \
           usr/local/include usr/local/sbin usr/local/src usr/local/etc usr/local/lib/python3.11/dist-packages; do
    mkdir -p "$root/$f"
  done
  ln -sfn share/man "$root/usr/local/man"
  install -d -m 2775 -g 8 "$root/var/mail"                  # group mail
  ln -sfn ../mail "$root/var/spool/mail"
  install -d -m 1777 "$root/run/lock"
  rm -rf "$root/var/run" "$root/var/lock"
  ln -s /run "$root/var/run"
  ln -s /run/lock "$root/var/lock"
  for f in wtmp btmp lastlog; do install -m 664 -g 43 /dev/null "$root/var/log/$f"; done  # group utmp
  chmod 660 "$root/var/log/btmp"
  # Alternatives (awk, which, pager), with the host's update-alternatives working inside the root.
  update-alternatives --root "$root" --quiet --install /usr/bin/awk awk /usr/bin/mawk 5 \
    --slave /usr/bin/nawk nawk /usr/bin/mawk
  update-alternatives --root "$root" --quiet --install /usr/bin/which which /usr/bin/which.debianutils 0
  update-alternatives --root "$root" --quiet --install /usr/bin/pager pager /bin/more 50
  # ca-certificates: the configuration, a link per certificate, the hashed names and the bundle, as
  # update-ca-certificates makes them (links relative, so that the host's openssl rehash can follow them).
  (cd "$root/usr/share/ca-certificates" && find . -name '*.crt' | sed 's,^\./,,' | LC_ALL=C sort) \
    > "$root/etc/ca-certificates.conf"
  local certs=()
  while read -r f; do
    pem=${f##*/}; pem=${pem%.crt}; pem=${pem// /_}; pem=${pem//[()]/=}; pem=${pem//,/_}
    ln -sfn "../../../usr/share/ca-certificates/$f" "$root/etc/ssl/certs/$pem.pem"
    certs+=("$root/usr/share/ca-certificates/$f")
  done < "$root/etc/ca-certificates.conf"
  awk 1 "${certs[@]}" > "$root/etc/ssl/certs/ca-certificates.crt"
  # (it skips the bundle, which holds more than one certificate)
  if command -v openssl >/dev/null 2>&1; then openssl rehash "$root/etc/ssl/certs" 2>/dev/null; fi
  # Python: the standard library byte-compiled, as python3.11's postinst does (by the host's Python 3.11, whose
  # bytecode is the same), so that each python3 under QEMU does not compile it again.
  if [ -x /usr/bin/python3.11 ]; then
    /usr/bin/python3.11 -m compileall -q -j 0 -s "$root" -p / \
      "$root/usr/lib/python3.11" "$root/usr/lib/python3/dist-packages" >/dev/null 2>&1 || true
  fi
  # libc-bin: the library cache, made by the image's own ldconfig (one short program under QEMU).
  chroot "$root" /sbin/ldconfig
}

arm64() {
  local image="$1" path tag ref amd64 mirror start=$SECONDS
  read -r path tag < <(repo_path "$image")
  # Docker Hub (or a mirror of its own) serves the real images for both architectures.
  bash "$here/base-mirror.sh" used || return 0
  serves_arm64 "$path" "$tag" && return 0
  bash "$here/qemu.sh" check || { say "building an arm64 $image needs QEMU: scripts/qemu.sh install" >&2; return 1; }
  bash "$here/buildx.sh" check || { say "building an arm64 $image needs buildx: scripts/buildx.sh install" >&2; return 1; }
  bash "$here/base-mirror.sh" start
  # The amd64 manifest the mirror serves now: its digest stays the one the engine's image has.
  amd64=$(curl -fsS -m 5 -o /dev/null -D - -H "Accept: $manifest_types" "http://$addr/v2/$path/manifests/$tag" 2>/dev/null \
    | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" {print $2}')
  [ -n "$amd64" ] || { say "the mirror does not serve $image yet: scripts/base-image.sh $image" >&2; return 1; }
  if manifest "$path" "$tag" | grep -q '"manifests"'; then
    amd64=$(manifest "$path" "$tag" | python3 -c 'import json, sys
print(next(m["digest"] for m in json.load(sys.stdin)["manifests"] if m["platform"]["architecture"] == "amd64"))')
  fi
  ref="$addr/$path:$tag-arm64"
  if ! manifest "$path" "$tag-arm64" >/dev/null; then
    say "building an arm64 stand-in for $image (Debian's arm64 packages, unpacked natively)"
    [ "$(id -u)" = 0 ] || { say "building it needs root" >&2; return 1; }
    need_mmdebstrap
    mirror=$(debian_mirror)
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    mkdir "$work/root"
    # --variant=extract unpacks the packages and runs none of their maintainer scripts (fixup_rootfs does what is
    # needed); the packages are those of the amd64 stand-in: the essential and required sets, python3 and venv.
    mmdebstrap --quiet --variant=extract --architectures=arm64 --skip=cleanup/apt/cache \
      --setup-hook='for d in bin sbin lib; do ln -s usr/$d "$1/$d"; mkdir -p "$1/usr/$d"; done' \
      --include='?essential' --include='?priority(required)' \
      --include=usr-is-merged,python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
      bookworm "$work/root" "$mirror"
    fixup_rootfs "$work/root"
    # What mmdebstrap's cleanup would remove (kept for register_deb), and device nodes (the engine provides /dev).
    rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/cache/apt/"*.bin "${work:?}/root/dev/"*
    tar -C "$work/root" --numeric-owner -cf "$work/rootfs.tar" .
    rm -rf "$work/root"
    # docker import would record amd64 whatever it is told; a FROM scratch build records the platform.
    printf '%s\n' 'FROM scratch' 'ADD rootfs.tar /' \
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'CMD ["python3"]' > "$work/Dockerfile"
    docker buildx build --quiet --platform linux/arm64 --output "type=image,name=$ref,push=true" "$work" >/dev/null
    docker rmi "$ref" >/dev/null 2>&1 || true
  fi
  # The tag becomes a list of the two, as Docker Hub serves it.
  docker manifest rm "$addr/$path:$tag" >/dev/null 2>&1 || true
  docker manifest create --insecure "$addr/$path:$tag" "$addr/$path@$amd64" "$ref" >/dev/null
  docker manifest push --insecure --purge "$addr/$path:$tag" >/dev/null
  serves_arm64 "$path" "$tag" || { say "the mirror still does not serve an arm64 $image" >&2; return 1; }
  say "the mirror serves $image for linux/amd64 and linux/arm64 ($((SECONDS - start)) s)"
}

case "${1:-}" in
  --arm64)
    arm64 "${2:-python:3.11-slim}"
    exit
    ;;
  --arm64-check)
    image="${2:-python:3.11-slim}"
    read -r path tag < <(repo_path "$image")
    # The mirror first (milliseconds): asking dockerd whether it uses the mirror takes a tenth of a second.
    serves_arm64 "$path" "$tag" || ! bash "$here/base-mirror.sh" used
    exit
    ;;
esac

# --- the image, for this machine's platform ---------------------------------------------------------------------
image="${1:-python:3.11-slim}"

# When dockerd pulls through the local mirror (a machine without Docker Hub), the stand-in is served by it and pulled
# back, so that it has a registry digest like the real image (scripts/base-mirror.sh; nothing to do otherwise).
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base-image: $image is already local"
  bash "$here/base-mirror.sh" serve "$image"
  exit 0
fi
echo "base-image: pulling $image"
if timeout 60 docker pull -q "$image" >/dev/null 2>&1; then
  echo "base-image: pulled $image"
  exit 0
fi
echo "base-image: cannot pull $image; building a stand-in from Debian packages"
need_mmdebstrap
mirror=$(debian_mirror)
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
bash "$here/base-mirror.sh" serve "$image"
