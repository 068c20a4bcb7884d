#!/usr/bin/env bash
# build-images.sh — build ovserve's JVM image with podman, from a Debian base made from Debian
# packages (no registry image can be pulled here), tagged as the generated manifests reference it.
#
#   ./mvnw package -DskipTests                    (target/quarkus-app and target/kubernetes first)
#   src/main/docker/build-images.sh [--save FILE.tar]
#
# Contract (for CI and the node test):
# - Exit 0 with the last line "build-images: ok image=REF size=BYTES base=REF base_size=BYTES
#   [saved=FILE] (SECONDS s)" when built; the same
#   facts, shell-quoted, in target/container-images.env (IMAGE, KUBE_REF, IMAGE_SIZE, BASE_IMAGE,
#   BASE_SIZE, IMAGE_TAR) for later scripts to source.
# - Exit 0 with the last line "build-images: skipped: REASON" (STATUS=skipped and REASON in that file) when
#   this machine cannot build or run containers (podman or mmdebstrap missing, podman cannot run one).
# - Exit 1 on anything else (no package yet, a failing build).
# - --save FILE.tar: also `podman save --format docker-archive` of KUBE_REF, what `kube-node.sh import`
#   takes.
#
# The image reference is the one in target/kubernetes/kubernetes.yml (set it with
# -Dquarkus.container-image.image=... or .group/.name/.tag at package time). A reference without a
# registry is also tagged docker.io/library/NAME:TAG (KUBE_REF), the name a kubelet resolves it to.
#
# Environment: OVSERVE_CACHE (default ~/.cache/ovserve) holds the base rootfs tarball, keyed by a hash
# of its recipe (delete it to take newer Debian packages); BASE_IMAGE, if set, is used as the base
# instead (e.g. registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21 where it can be pulled).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
CACHE=${OVSERVE_CACHE:-$HOME/.cache/ovserve}
ENV_OUT=$ROOT/target/container-images.env
SAVE=
while [ $# -gt 0 ]; do
  case $1 in
    --save) SAVE=$2; shift 2 ;;
    --save=*) SAVE=${1#--save=}; shift ;;
    *) echo "usage: $0 [--save FILE.tar]" >&2; exit 1 ;;
  esac
done
# runc: crun refuses this machine's hybrid cgroup layout; explicit rlimits: without CAP_SYS_RESOURCE
# podman's defaults (raising nofile) fail. container-check.sh passes the same.
PODMAN_OPTS=(--runtime runc)
ULIMITS=(--ulimit nofile=16384:16384 --ulimit nproc=4096:4096)

log() { echo "build-images: $*" >&2; }
skip() {
  mkdir -p "$(dirname "$ENV_OUT")"; printf 'STATUS=skipped\nREASON=%q\n' "$*" >"$ENV_OUT"
  echo "build-images: skipped: $*"; exit 0
}

# The Debian base, to the contract of UBI's OpenJDK 17 runtime: Java 17 (Debian's
# openjdk-17-jre-headless), /bin/sh, /deployments, and user 185 (as UBI's "jboss") in group 0, so
# OpenShift's random UID in group 0 finds the same group permissions. Docs and locales are left out
# (copyright files stay). No apt, no package database changes after this: a run-time image.
# shellcheck disable=SC2016  # the hooks' $1 is mmdebstrap's, expanded when it runs them
debian_rootfs() {  # OUT.tar
  # man1 must exist: openjdk's postinst links java.1.gz there even when man pages are excluded
  nice -n 10 mmdebstrap --quiet --variant=essential --include=openjdk-17-jre-headless \
    --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook='echo "jboss:x:185:0:ovserve:/home/jboss:/usr/sbin/nologin" >>"$1/etc/passwd"' \
    --customize-hook='mkdir -p "$1/home/jboss" "$1/deployments" && chown 185:0 "$1/home/jboss" "$1/deployments" && chmod 0775 "$1/home/jboss" "$1/deployments"' \
    --customize-hook='rm -rf "$1"/var/cache/* "$1"/var/log/*.log "$1"/var/lib/apt/lists/*' \
    bookworm "$1" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
}

# What UBI's image config gives beside its files: the user, its home, JAVA_HOME
BASE_CHANGES=(--change 'USER 185' --change 'WORKDIR /home/jboss' --change 'ENV HOME=/home/jboss'
  --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64')

manifest_image() {  # the first container image of the Deployment, as `./mvnw package` wrote it
  local f=$ROOT/target/kubernetes/kubernetes.yml
  [ -f "$f" ] || { log "no $f: run ./mvnw package -DskipTests first"; exit 1; }
  sed -n 's/^ *image: *//p' "$f" | head -1 | tr -d "\"'"
}

command -v podman >/dev/null || skip "podman is not installed (apt-get install podman)"
podman info >/dev/null 2>&1 || skip "podman cannot start: $(podman info 2>&1 | tail -1)"
[ -d "$ROOT/target/quarkus-app" ] || { log "no target/quarkus-app: run ./mvnw package -DskipTests first"; exit 1; }
IMAGE=$(manifest_image)
[ -n "$IMAGE" ] || { log "no image in target/kubernetes/kubernetes.yml"; exit 1; }

t0=$SECONDS
if [ -z "${BASE_IMAGE:-}" ]; then
  command -v mmdebstrap >/dev/null || skip "mmdebstrap is not installed (apt-get install mmdebstrap)"
  key=$({ declare -f debian_rootfs; echo "${BASE_CHANGES[*]}"; } | sha256sum | cut -c1-12)
  BASE_IMAGE=localhost/ovserve-base:debian12-$key
  tar=$CACHE/base-debian12-$key.tar
  if [ ! -s "$tar" ]; then
    mkdir -p "$CACHE"; log "making the Debian base ($tar)"
    debian_rootfs "${tar%.tar}.part.tar" || { rm -f "${tar%.tar}.part.tar"; log "mmdebstrap failed"; exit 1; }
    mv "${tar%.tar}.part.tar" "$tar"; log "base rootfs in $((SECONDS - t0)) s"
  fi
  if ! podman image exists "$BASE_IMAGE"; then
    podman import -q "${BASE_CHANGES[@]}" "$tar" "$BASE_IMAGE" >/dev/null
  fi
fi
# The one check that this machine can run a container at all
if ! out=$(podman run "${PODMAN_OPTS[@]}" "${ULIMITS[@]}" --rm --network none "$BASE_IMAGE" java -version 2>&1); then
  skip "podman cannot run a container: $(echo "$out" | tail -1)"
fi

t1=$SECONDS
log "building $IMAGE on $BASE_IMAGE"
previous=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
podman build "${PODMAN_OPTS[@]}" "${ULIMITS[@]}" --quiet --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  -f "$ROOT/src/main/docker/Dockerfile.jvm" -t "$IMAGE" "$ROOT" >/dev/null
# the name a kubelet (containerd) resolves the manifest's reference to: docker.io/library/ for a bare name
case $IMAGE in
  */*) case ${IMAGE%%/*} in *.*|*:*|localhost) KUBE_REF=$IMAGE ;; *) KUBE_REF=docker.io/$IMAGE ;; esac ;;
  *) KUBE_REF=docker.io/library/$IMAGE ;;
esac
[ "$KUBE_REF" = "$IMAGE" ] || podman tag "$IMAGE" "$KUBE_REF"
# the image this one replaces, now untagged: removed, or every rebuild would keep ~80 MB
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$IMAGE")" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || log "kept the previous image $previous (in use)"
fi
log "image built in $((SECONDS - t1)) s"

IMAGE_SIZE=$(podman image inspect --format '{{.Size}}' "$IMAGE")
BASE_SIZE=$(podman image inspect --format '{{.Size}}' "$BASE_IMAGE")
if [ -n "$SAVE" ]; then
  mkdir -p "$(dirname "$SAVE")"; rm -f "$SAVE"
  podman save -q --format docker-archive -o "$SAVE" "$KUBE_REF"
fi
{
  echo "STATUS=ok"
  printf 'IMAGE=%q\nKUBE_REF=%q\nIMAGE_SIZE=%q\nBASE_IMAGE=%q\nBASE_SIZE=%q\nIMAGE_TAR=%q\n' \
    "$IMAGE" "$KUBE_REF" "$IMAGE_SIZE" "$BASE_IMAGE" "$BASE_SIZE" "$SAVE"
} >"$ENV_OUT"
echo "build-images: ok image=$IMAGE size=$IMAGE_SIZE base=$BASE_IMAGE base_size=$BASE_SIZE${SAVE:+ saved=$SAVE} ($((SECONDS - t0)) s)"
