#!/usr/bin/env bash
# Server-side dry run of manifests on a real, throw-away Kubernetes API server:
#
#   src/test/k8s/manifests-dry-run.sh FILE...
#
# Uses the team's kube-apiserver.sh (etcd + kube-apiserver + kubectl built from the Go module proxy;
# `kube-apiserver.sh build` once, about 9 minutes on 2 cores). Installs Istio's, the Prometheus
# operator's and cert-manager's CRDs, pinned, so DestinationRule, VirtualService, Gateway,
# ServiceMonitor, Issuer and Certificate are checked
# against their real schemas too, and runs the `default` namespace under the "restricted" Pod Security
# Standard, so a pod template that would not run there draws a warning. Prints kube-apiserver.sh's
# verdict per document; exit 1 if one is rejected.
#
# Environment:
#   KUBE_APISERVER_SH  the tool (default: ../shared/tools/kube-apiserver.sh beside this repository)
#   KUBE_BIN           its built binaries (default: ${KUBE_HOME:-/tmp/kube}/bin)
#   OVSERVE_CACHE      where the CRDs are kept (default: ~/.cache/ovserve)
#   GOPROXY            first entry used to fetch the CRDs (default: https://proxy.golang.org)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../../.." && pwd)
tool=${KUBE_APISERVER_SH:-$repo/../shared/tools/kube-apiserver.sh}
bin=${KUBE_BIN:-${KUBE_HOME:-/tmp/kube}/bin}
cache=${OVSERVE_CACHE:-$HOME/.cache/ovserve}/crds
proxy=${GOPROXY:-https://proxy.golang.org}
proxy=${proxy%%[,|]*}

die() { echo "manifests-dry-run: ERROR: $*" >&2; exit 2; }
[ -x "$tool" ] || die "no $tool (set KUBE_APISERVER_SH)"
for b in etcd kube-apiserver kubectl; do [ -x "$bin/$b" ] || die "no $bin/$b: run $tool build"; done
[ $# -gt 0 ] || die "usage: manifests-dry-run.sh FILE..."

# module zip, its sha256, the CRD file inside it
crds=(
  "istio.io/api/@v/v1.32.0.zip 127b4bd504fd0ab365d31dd97a2ad81ea8c5cc4093ff2a90d0d947744d3504c8 istio.io/api@v1.32.0/kubernetes/customresourcedefinitions.gen.yaml"
  "github.com/prometheus-operator/prometheus-operator/@v/v0.85.0.zip 0bdb88ed823d0f2e86cf909638439b6ad1da744a228172c7411d9987527dc5d1 github.com/prometheus-operator/prometheus-operator@v0.85.0/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
  "github.com/cert-manager/cert-manager/@v/v1.21.2.zip cfaf1fb53965a5fd60490861387b7dbf34cd40987c878a4f1e247f836eef4782 github.com/cert-manager/cert-manager@v1.21.2/deploy/crds/cert-manager.io_certificates.yaml"
  "github.com/cert-manager/cert-manager/@v/v1.21.2.zip cfaf1fb53965a5fd60490861387b7dbf34cd40987c878a4f1e247f836eef4782 github.com/cert-manager/cert-manager@v1.21.2/deploy/crds/cert-manager.io_issuers.yaml"
)
mkdir -p "$cache"
crd_args=()
for entry in "${crds[@]}"; do
  read -r zip sha member <<<"$entry"
  out=$cache/$(basename "$member")
  if [ ! -s "$out" ]; then
    tmpzip=$(mktemp)
    curl -fsSL --retry 3 -o "$tmpzip" "$proxy/$zip" || { rm -f "$tmpzip"; die "cannot fetch $proxy/$zip"; }
    echo "$sha  $tmpzip" | sha256sum -c --quiet - || { rm -f "$tmpzip"; die "sha256 mismatch for $zip"; }
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
      "$tmpzip" "$member" > "$out.tmp" && mv "$out.tmp" "$out"
    rm -f "$tmpzip"
  fi
  crd_args+=(-f "$out")
done

# a server of our own, on free ports, whatever else runs
home=$(mktemp -d)
mkdir -p "$home/bin"
ln -s "$bin"/* "$home/bin/"
export KUBE_HOME=$home
cleanup() { "$tool" down >/dev/null 2>&1 || true; rm -rf "$home"; }
trap cleanup EXIT
"$tool" up >/dev/null
export KUBECONFIG=$home/kubeconfig
kubectl=$home/bin/kubectl
"$kubectl" label namespace default --overwrite \
  pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/warn=restricted >/dev/null
"$kubectl" apply --server-side "${crd_args[@]}" >/dev/null
"$kubectl" wait --for=condition=Established crd --all --timeout=120s >/dev/null
"$tool" dryrun "$@"
