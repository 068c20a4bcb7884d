#!/usr/bin/env bash
# node-test.sh — ovserve as pods on a real one-node Kubernetes (shared/tools/kube-node.sh), from the manifests
# the build writes, with only what a user sets through properties at package time. Run from .ci/run after
# `./mvnw package` and the image build:
#
#   bash src/test/kube/node-test.sh
#
# Input: the image as a docker-archive tarball and its reference (OVSERVE_IMAGE_TAR, OVSERVE_IMAGE; defaults: what
# src/main/docker/build-images.sh writes), target/quarkus-app (the host-side client) and target/models.
# Checks, each printing PASS or FAIL with its numbers:
#   1. the two replicas Ready from the kubelet's probes within READY_BOUND seconds of `kubectl apply`;
#   2. TFS Predict and KServe ModelInfer over gRPC and REST through the Service's ClusterIP, and /q/metrics;
#   3. the seed's experiment: client.yml's Job (Kubernetes discovery, per-call balancing) spreads its calls over
#      both replicas with 0 errors; the same Job toward the ClusterIP (L4, one connection) pins one replica;
#   4. a rolling update (`kubectl set env`) under the Job's load: 0 failed calls;
#   5. a replica killed (`kubectl delete pod --grace-period=0 --force`) under the Job's load: 0 failed calls;
#   6. the peak working set of each replica under a JPEG load, against the manifest's memory limit;
#   7. TLS: the Deployment rolled to the manifest built with -Dmodelserver.kubernetes-tls=true and a TLS secret made
#      here (openssl; as cert-manager.yml would make it): Ready from the kubelet's HTTPS probes, per-call balancing
#      over both replicas by pod address verifying the Service's name, REST through the ClusterIP over HTTPS, and
#      plaintext refused.
# A machine that cannot run the node (not root, no containerd/runc, the node's build or start fails) gets one
# SKIP line and exit 0; any failure of the product exits 1. The node is torn down whatever happens.
#
# Sizing for a 2-CPU node: a rolling update surges a third replica while the client Job (250m requested) runs, so
# each replica gets NODE_TEST_CPUS (default 500m) with one OpenVINO stream of one thread (a thread per visible core
# would only meet the CPU quota sooner); memory keeps the manifest's default (2Gi), the limit check 6 measures.
# Such a replica takes ~0.1 s per ResNet-50 inference on a quiet machine and ~0.7 s on a busy one, so the default
# queue-time (1 s of queued work) would refuse most of the Job's 8 calls in flight; NODE_TEST_QUEUE_TIME (20s, under
# the client's 30 s deadline) lets a replica queue them all, as a user sizing small replicas sets it.
set -euo pipefail
T0=$SECONDS
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$ROOT/src/test/kube
KUBE_NODE_SH=${KUBE_NODE_SH:-$ROOT/../shared/tools/kube-node.sh}
KUBE_HOME=${KUBE_HOME:-/tmp/kube}
KUBE_NODE_SOCK=${KUBE_NODE_SOCK:-/run/kube-node-containerd/containerd.sock}
VERSION=$(sed -n '0,/<artifactId>ovserve<\/artifactId>/d; s:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
# what src/main/docker/build-images.sh built (IMAGE: the manifests' reference; KUBE_REF: as a kubelet names it;
# IMAGE_TAR: its docker-archive when run with --save)
IMAGES_ENV=$ROOT/target/container-images.env
STATUS="" IMAGE="" KUBE_REF="" IMAGE_TAR=""
[ -f "$IMAGES_ENV" ] && . "$IMAGES_ENV"
OVSERVE_IMAGE=${OVSERVE_IMAGE:-${IMAGE:-ovserve:$VERSION}}
OVSERVE_IMAGE_TAR=${OVSERVE_IMAGE_TAR:-$IMAGE_TAR}
CPUS=${NODE_TEST_CPUS:-500m}
QUEUE_TIME=${NODE_TEST_QUEUE_TIME:-20s}
READY_BOUND=${READY_BOUND:-240}
CALLS=${NODE_TEST_CALLS:-300}
KILL_LOAD=${NODE_TEST_KILL_SECONDS:-40}
JPEG_LOAD=${NODE_TEST_JPEG_SECONDS:-30}
# the API server takes ~3 min to start on 2 busy cores; its default bound (300 s) is too tight beside a CPU load
export KUBE_READY_TIMEOUT=${KUBE_READY_TIMEOUT:-600}
W=$ROOT/target/node-test
APP=$ROOT/target/quarkus-app
MODELS_DIR=${MODELS_DIR:-/tmp/ovserve-node-test-models}
export KUBECONFIG=$KUBE_HOME/kubeconfig
FAILED=0

say() { echo "node-test: $*"; }
skip() { say "SKIP: $*"; exit 0; }
pass() { say "PASS $*"; }
fail() { say "FAIL $*"; FAILED=1; }
die() { say "FAIL $*"; exit 1; }
K() { "$KUBE_HOME/bin/kubectl" "$@"; }

# --- can this machine run the node? -------------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || skip "not root: the node needs root (containerd, iptables, a bridge)"
for c in containerd runc ctr iptables ip java curl python3; do
  command -v "$c" >/dev/null || skip "no $c on this machine (kube-node.sh deps installs the node's part)"; done
[ -f "$KUBE_NODE_SH" ] || skip "no $KUBE_NODE_SH"
[ -f "$APP/quarkus-run.jar" ] || die "no $APP/quarkus-run.jar: run ./mvnw package first"
[ -f "$ROOT/target/models/resnet/1/model.xml" ] || die "no target/models/resnet: run ./mvnw package first"
[ "$STATUS" = skipped ] && [ -z "${OVSERVE_IMAGE_TAR:-}" ] && skip "no image: build-images.sh skipped on this machine"
rm -rf "$W"; mkdir -p "$W"
if [ -z "$OVSERVE_IMAGE_TAR" ] && [ -n "$KUBE_REF" ] && command -v podman >/dev/null; then
  OVSERVE_IMAGE_TAR=$W/image.tar
  podman save -q --format docker-archive -o "$OVSERVE_IMAGE_TAR" "$KUBE_REF" || die "podman save $KUBE_REF failed"
fi
[ -f "$OVSERVE_IMAGE_TAR" ] || die "no image tarball '$OVSERVE_IMAGE_TAR' (run src/main/docker/build-images.sh, or set OVSERVE_IMAGE_TAR)"
bash "$KUBE_NODE_SH" build >"$W/node-build.log" 2>&1 || skip "kube-node.sh build failed: $(tail -1 "$W/node-build.log")"

# --- the manifests, as the package phase writes them (quarkus:build, then the pod-template decoration), with only
# what a user sets at package time: image and pull policy, replicas, CPUs and streams to fit this node, and no
# ServiceMonitor (there is no Prometheus operator here)
PROPS=(-Dquarkus.container-image.image="$OVSERVE_IMAGE" -Dquarkus.kubernetes.image-pull-policy=Never
  -Dquarkus.kubernetes.prometheus.generate-service-monitor=false
  -Dmodelserver.replicas=2 -Dmodelserver.cpus="$CPUS" -Dquarkus.kubernetes.env.vars.ovserve-queue-time="$QUEUE_TIME"
  '-Dmodelserver.plugin-config={"PERFORMANCE_HINT":"THROUGHPUT","NUM_STREAMS":"1","INFERENCE_NUM_THREADS":"1"}')
# --- the node, started while the manifests are written (both take minutes; the node mostly waits) -----------------
cleanup() {
  local rc=$?
  [ -z "${up_pid:-}" ] || wait "$up_pid" 2>/dev/null || true
  [ "$FAILED" = 1 ] && [ -x "$KUBE_HOME/bin/kubectl" ] && { K get pods -o wide; K get events --sort-by=.lastTimestamp | tail -30; } >"$W/state-at-end.txt" 2>&1
  if ! bash "$KUBE_NODE_SH" down >"$W/node-down.log" 2>&1; then
    say "kube-node.sh down failed: $(tail -1 "$W/node-down.log")"
    # its last step (nft, missing on some machines) comes before the kubelet's bind mount is unmounted
    grep -E "$KUBE_HOME/node" /proc/mounts | awk '{print $2}' | sort -r | xargs -r -n1 umount 2>/dev/null || true
  fi
  rm -rf "$MODELS_DIR"
  say "total $((SECONDS - T0)) s"
  exit "$rc"
}
trap cleanup EXIT
t_up=$SECONDS
bash "$KUBE_NODE_SH" up >"$W/node-up.log" 2>&1 &
up_pid=$!

say "manifests: ${PROPS[*]}"
t=$SECONDS
(cd "$ROOT" && ./mvnw -B -o -q quarkus:build exec:java@decorate-manifests -Dquarkus.package.output-directory=node-test/app \
  -Dquarkus.kubernetes.output-directory="$W/manifests" -Dquarkus.openshift.output-directory="$W/manifests" \
  -Dmanifests.directory="$W/manifests" "${PROPS[@]}") >"$W/manifests.log" 2>&1 \
  || { tail -20 "$W/manifests.log"; die "the build did not write the manifests"; }
rm -rf "$W/app"
# the same manifests with TLS asked for, as a user would build them for check 7: the decoration step alone, again
mkdir -p "$W/tls-manifests"
cp "$W"/manifests/{kubernetes,openshift}.{yml,json} "$W/tls-manifests/"
(cd "$ROOT" && ./mvnw -B -o -q exec:java@decorate-manifests -Dmanifests.directory="$W/tls-manifests" \
  -Dmodelserver.kubernetes-tls=true "${PROPS[@]}") >"$W/tls-manifests.log" 2>&1 \
  || { tail -20 "$W/tls-manifests.log"; die "the build did not write the TLS manifests"; }
say "manifests written in $((SECONDS - t)) s"

up_rc=0; wait "$up_pid" || up_rc=$?; up_pid=""
[ "$up_rc" = 0 ] || skip "kube-node.sh up failed: $(grep -v '^export' "$W/node-up.log" | tail -1)"
t=$SECONDS
bash "$KUBE_NODE_SH" import "$OVSERVE_IMAGE_TAR" >"$W/import.log" 2>&1 || die "import of $OVSERVE_IMAGE_TAR failed: $(tail -1 "$W/import.log")"
say "node up in $((t - t_up)) s (beside the manifests), $OVSERVE_IMAGE_TAR imported in $((SECONDS - t)) s"
# client.yml's Job names the image as the project's default; tag it so, as a user pushes it under that name
JOB_IMAGE=$(sed -n 's/^ *image: *//p' "$ROOT/src/main/kubernetes/client.yml" | head -1)
normalize() { case $1 in */*) case ${1%%/*} in *.*|*:*|localhost) echo "$1" ;; *) echo "docker.io/$1" ;; esac ;; *) echo "docker.io/library/$1" ;; esac; }
[ "$(normalize "$JOB_IMAGE")" = "$(normalize "$OVSERVE_IMAGE")" ] \
  || ctr -a "$KUBE_NODE_SOCK" -n k8s.io images tag --force "$(normalize "$OVSERVE_IMAGE")" "$(normalize "$JOB_IMAGE")" >/dev/null

# the user's part: a PersistentVolume holding the default model, bound to the claim the Deployment names
rm -rf "$MODELS_DIR"; mkdir -p "$MODELS_DIR"; cp -r "$ROOT/target/models/resnet" "$MODELS_DIR/"; chmod -R a+rX "$MODELS_DIR"
K apply -f - >/dev/null <<EOF
apiVersion: v1
kind: PersistentVolume
metadata: {name: ovserve-models}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: ""
  claimRef: {namespace: default, name: ovserve-models}
  hostPath: {path: $MODELS_DIR, type: Directory}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ovserve-models}
spec:
  accessModes: [ReadWriteMany]
  storageClassName: ""
  volumeName: ovserve-models
  resources: {requests: {storage: 1Gi}}
EOF

SEL=app.kubernetes.io/name=ovserve
ready_pods() { K get pods -l "$SEL" -o jsonpath='{range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status} {.metadata.deletionTimestamp}{"\n"}{end}' | awk '$2 == "True" && $3 == "" {print $1}'; }
pod_ip() { K get pod "$1" -o jsonpath='{.status.podIP}'; }
# successful Predict calls over gRPC that a replica counted (its ovms metrics)
predicts() { curl -fsS -m 10 "http://$1:8081/q/metrics" | awk '/^ovms_requests_success\{/ && /interface="gRPC"/ && /method="Predict"/ {s += $NF} END {printf "%d\n", s}'; }

# --- 1. Ready from the kubelet's probes ---------------------------------------------------------------------------
t_apply=$SECONDS
K apply -f "$W/manifests/kubernetes.yml" >"$W/apply.log" 2>&1 || { cat "$W/apply.log"; die "kubectl apply of the manifests failed"; }
first=""
while [ $((SECONDS - t_apply)) -le "$READY_BOUND" ]; do
  n=$(ready_pods | wc -l)
  [ -z "$first" ] && [ "$n" -ge 1 ] && first=$((SECONDS - t_apply))
  [ "$n" -ge 2 ] && break
  sleep 1
done
t_ready=$((SECONDS - t_apply))
if [ "$(ready_pods | wc -l)" -ge 2 ]; then
  pass "1 ready: 2 replicas Ready from the kubelet's startup and readiness probes ${first} s and ${t_ready} s after apply (bound ${READY_BOUND} s; ${CPUS} CPU each)"
else
  K get pods -o wide; K describe pods -l "$SEL" | tail -40
  die "1 ready: not 2 Ready replicas ${READY_BOUND} s after apply"
fi
mapfile -t PODS < <(ready_pods)
SVC=$(K get svc ovserve -o jsonpath='{.spec.clusterIP}')
GRPC_PORT=$(K get svc ovserve -o jsonpath='{.spec.ports[?(@.name=="grpc")].port}')
HTTP_PORT=$(K get svc ovserve -o jsonpath='{.spec.ports[?(@.name=="http")].port}')
say "Service ovserve: ClusterIP $SVC, grpc $GRPC_PORT, http $HTTP_PORT; pods ${PODS[*]}"

# --- 2. the four calls through the ClusterIP (kube-proxy, from the host), and the metrics -------------------------
python3 - "$W" "$HERE" <<'PY'
import base64, json, subprocess, sys
w, here = sys.argv[1], sys.argv[2]
subprocess.run(["java", here + "/WriteJpeg.java", w + "/photo.jpg"], check=True)
jpeg = base64.b64encode(open(w + "/photo.jpg", "rb").read()).decode()
json.dump({"instances": [{"b64": jpeg}]}, open(w + "/tfs-rest.json", "w"))
json.dump({"inputs": [{"name": "0", "shape": [1, 3, 224, 224], "datatype": "FP32", "data": [0.0] * (3 * 224 * 224)}]},
          open(w + "/kserve-rest.json", "w"))
open(w + "/images.txt", "w").write(w + "/photo.jpg\n")
PY
client() { java -jar "$APP/quarkus-run.jar" client "$@"; }
report() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["ok"], sum(r["errors"].values()), "%.1f" % r["fps"], r["retries"])' "$1"; }
client --grpc_address="$SVC" --grpc_port="$GRPC_PORT" --iterations=20 --max_parallel_requests=2 --json="$W/predict.json" >"$W/predict.log" 2>&1 || true
read -r ok errs _ _ < <(report "$W/predict.json" 2>/dev/null || echo "0 ? 0 0")
[ "$ok" = 20 ] && [ "$errs" = 0 ] && pass "2 grpc Predict (TFS) via ClusterIP: 20/20" || fail "2 grpc Predict (TFS) via ClusterIP: $ok ok, $errs errors (see $W/predict.log)"
out=$(java -cp "$APP/lib/main/*:$APP/app/*" "$HERE/ModelInferCall.java" "$SVC" "$GRPC_PORT" resnet 0 1,3,224,224 2>&1 | tail -1) || true
grep -q '^output 1463 FP32 \[1, 1000\] 4000 bytes$' <<<"$out" && pass "2 grpc ModelInfer (KServe) via ClusterIP: $out" || fail "2 grpc ModelInfer (KServe) via ClusterIP: $out"
out=$(curl -sS -m 60 -w ' HTTP %{http_code}' -H 'Content-Type: application/json' -d @"$W/tfs-rest.json" "http://$SVC:$HTTP_PORT/v1/models/resnet:predict" 2>&1 || true)
n=$(python3 -c 'import json, sys; print(len(json.loads(sys.argv[1].rsplit(" HTTP", 1)[0])["predictions"][0]))' "$out" 2>/dev/null || echo "?")
[ "$n" = 1000 ] && pass "2 rest Predict (TFS, base64 JPEG) via ClusterIP: 1000 scores,${out##* }" || fail "2 rest Predict (TFS) via ClusterIP: ${out:0:300}"
out=$(curl -sS -m 60 -w ' HTTP %{http_code}' -H 'Content-Type: application/json' -d @"$W/kserve-rest.json" "http://$SVC:$HTTP_PORT/v2/models/resnet/infer" 2>&1 || true)
shape=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1].rsplit(" HTTP", 1)[0])["outputs"][0]["shape"])' "$out" 2>/dev/null || echo "?")
[ "$shape" = "[1, 1000]" ] && pass "2 rest ModelInfer (KServe) via ClusterIP: shape $shape,${out##* }" || fail "2 rest ModelInfer (KServe) via ClusterIP: ${out:0:300}"
m=$(curl -fsS -m 10 "http://$SVC:$HTTP_PORT/q/metrics" | grep -c '^ovms_requests_success{' || true)
total=0; for p in "${PODS[@]}"; do total=$((total + $(predicts "$(pod_ip "$p")"))); done
[ "$m" -gt 0 ] && [ "$total" -ge 20 ] && pass "2 metrics via ClusterIP: $m ovms_requests_success series; gRPC Predict counted by the replicas: $total (>= 20)" \
  || fail "2 metrics via ClusterIP: $m ovms_requests_success series, gRPC Predict counted: $total"

# --- the client Job of client.yml, with only its args patched ------------------------------------------------------
# job_yaml SED...: client.yml with the Job's args edited by the sed expressions given; each must change a line
job_yaml() {
  local out=$ROOT/src/main/kubernetes/client.yml e
  for e in "$@"; do
    grep -q -- "$(sed -E 's,^s/([^/]*)/.*,\1,' <<<"$e")" "$out" || die "client.yml has no line for $e"; done
  local args=(); for e in "$@"; do args+=(-e "$e"); done
  sed "${args[@]}" "$out"
}
# run_job NAME SED...: applies the Job and returns once its client runs; job_wait NAME: waits for its end, saves logs
run_job() {
  local name=$1; shift
  K delete job ovserve-client --ignore-not-found --cascade=foreground --wait=true >/dev/null 2>&1 || true
  job_yaml "$@" >"$W/$name.yml"
  K apply -f "$W/$name.yml" >/dev/null
  for _ in $(seq 120); do
    [ "$(K get pods -l job-name=ovserve-client -o jsonpath='{.items[0].status.phase}' 2>/dev/null)" = Running ] && return 0
    sleep 1; done
  K describe pods -l job-name=ovserve-client | tail -20; die "$name: the client Job's pod did not start"
}
job_wait() {
  local name=$1 s
  for _ in $(seq 900); do
    s=$(K get job ovserve-client -o jsonpath='{.status.succeeded}/{.status.failed}')
    [ "$s" != / ] && break; sleep 1; done
  K logs job/ovserve-client >"$W/$name.log" 2>&1 || true
  [ "${s%/*}" = 1 ] || say "$name: the Job did not succeed ($s); its log: $(tail -5 "$W/$name.log" | tr '\n' '|')"
}
# job_calls NAME: "ok failed fps retries" from the client's printed report
job_calls() {
  awk '/^Successful calls:/ {gsub(",", ""); ok = $3; f = $6; r = $8} /^Avg FPS:/ {fps = $3}
       END {printf "%s %s %s %s\n", ok == "" ? 0 : ok, f == "" ? "?" : f, fps == "" ? 0 : fps, r == "" ? 0 : r}' "$W/$1.log"; }
counts() { local p; for p in "${PODS[@]}"; do predicts "$(pod_ip "$p")"; done | paste -sd' '; }
# shares BEFORE AFTER: per-replica deltas of the replicas' own Predict counts, and the largest share in percent
shares() { python3 -c 'import sys
b = [int(x) for x in sys.argv[1].split()]; a = [int(x) for x in sys.argv[2].split()]
d = [y - x for x, y in zip(b, a)]; t = sum(d) or 1
print("/".join(str(x) for x in d), "/".join("%.1f%%" % (100.0 * x / t) for x in d), "%.1f" % (100.0 * max(d) / t), "%.1f" % (100.0 * min(d) / t))' "$1" "$2"; }

# --- 3. the seed's experiment: L7 (Kubernetes discovery, per call) against L4 (the ClusterIP, one connection) -----
before=$(counts)
run_job l7 "s/--iterations=1000000/--iterations=$CALLS/"
job_wait l7
after=$(counts)
read -r ok errs fps7 retries < <(job_calls l7)
read -r d7 sh7 max7 min7 < <(shares "$before" "$after")
say "3 L7 client report: $(grep -E '^Replica ' "$W/l7.log" | tr '\n' ';')"
if [ "$ok" = "$CALLS" ] && [ "$errs" = 0 ] && python3 -c "import sys; sys.exit(0 if $min7 >= 20 else 1)"; then
  pass "3 L7 Job (--service, least-requests): $ok/$CALLS calls, $errs failed, $fps7 calls/s, per replica $d7 ($sh7), retries $retries"
else
  fail "3 L7 Job: $ok/$CALLS ok, $errs failed, $fps7 calls/s, per replica $d7 ($sh7); want all calls ok and each replica >= 20%"
fi
before=$(counts)
run_job l4 "s/--iterations=1000000/--iterations=$CALLS/" "s/--service=ovserve/--grpc_address=$SVC/"
job_wait l4
after=$(counts)
read -r ok errs fps4 retries < <(job_calls l4)
read -r d4 sh4 max4 min4 < <(shares "$before" "$after")
# one replica takes all 8 calls in flight: beyond what it admits it refuses at once (RESOURCE_EXHAUSTED), and the
# client has no other address to retry on; those refusals are the L4 result, any other error is a failure
busy=$(awk '/^Errors RESOURCE_EXHAUSTED:/ {print $3}' "$W/l4.log"); busy=${busy:-0}
if [ "$ok" -gt 0 ] && [ "$errs" = "$busy" ] && python3 -c "import sys; sys.exit(0 if $max4 >= 99 else 1)"; then
  pass "3 L4 Job (--grpc_address=ClusterIP, one connection): $ok/$CALLS calls, $fps4 calls/s, $busy refused busy, per replica $d4 ($sh4): one replica took everything"
else
  fail "3 L4 Job: $ok/$CALLS ok, $errs failed ($busy busy), $fps4 calls/s, per replica $d4 ($sh4); want every call served on one replica"
fi
say "3 L7/L4 throughput: $fps7 / $fps4 calls/s = $(python3 -c "print('%.2f' % ($fps7 / $fps4 if $fps4 else 0))")x"

# wait_flowing N: returns once the replicas have counted N more Predict calls (the Job's client is warm)
wait_flowing() {
  local start now; start=$(counts | awk '{for (i = 1; i <= NF; i++) s += $i} END {print s + 0}')
  for _ in $(seq 120); do now=$(counts | awk '{for (i = 1; i <= NF; i++) s += $i} END {print s + 0}'); [ $((now - start)) -ge "$1" ] && return 0; sleep 1; done
  die "no calls reached the replicas within 120 s of the Job's start"
}
# settled: two Ready replicas and none terminating
settled() {
  for _ in $(seq "$READY_BOUND"); do
    [ "$(ready_pods | wc -l)" = 2 ] && [ "$(K get pods -l "$SEL" --no-headers 2>/dev/null | wc -l)" = 2 ] && { mapfile -t PODS < <(ready_pods); return 0; }
    sleep 1; done
  die "the Deployment did not settle at 2 Ready replicas within $READY_BOUND s"
}

# --- 4. a rolling update under the Job's load ----------------------------------------------------------------------
D=$((3 * t_ready + 90))
run_job rollout "s/--iterations=1000000/--duration=$D/"
wait_flowing 10
t=$SECONDS
K set env deploy/ovserve QUARKUS_LOG_LEVEL=WARN >/dev/null
K rollout status deploy/ovserve --timeout="${D}s" >/dev/null || fail "4 rollout: not complete within $D s"
settled
t_roll=$((SECONDS - t))
active=$(K get job ovserve-client -o jsonpath='{.status.active}')
job_wait rollout
read -r ok errs fps retries < <(job_calls rollout)
if [ "$active" != 1 ]; then
  fail "4 rollout: the load ($D s) ended before the rollout did ($t_roll s): nothing was checked"
elif [ "$ok" -gt 0 ] && [ "$errs" = 0 ]; then
  pass "4 rollout (kubectl set env) under the Job's load: rollout ${t_roll} s, $ok calls, $errs failed, $retries retries, $fps calls/s"
else
  fail "4 rollout under load: $ok calls ok, $errs failed, $retries retries ($(grep -E '^Errors' "$W/rollout.log" | tr '\n' ';'))"
fi

# --- 5. a replica killed under the Job's load ----------------------------------------------------------------------
run_job kill "s/--iterations=1000000/--duration=$KILL_LOAD/"
wait_flowing 10
victim=${PODS[0]}
K delete pod "$victim" --grace-period=0 --force >/dev/null 2>&1
job_wait kill
read -r ok errs fps retries < <(job_calls kill)
if [ "$ok" -gt 0 ] && [ "$errs" = 0 ]; then
  pass "5 kill ($victim, --grace-period=0 --force) under the Job's load: $ok calls, $errs failed, $retries retries"
else
  fail "5 kill under load: $ok calls ok, $errs failed, $retries retries ($(grep -E '^Errors' "$W/kill.log" | tr '\n' ';'))"
fi
K delete job ovserve-client --cascade=foreground --wait=true >/dev/null 2>&1 || true
settled

# --- 6. memory under a JPEG load (the client's binary mode, from the host, balanced over both replicas) ------------
limit=$(K get deploy ovserve -o jsonpath='{.spec.template.spec.containers[0].resources.limits.memory}')
targets=$(for p in "${PODS[@]}"; do echo "$(pod_ip "$p"):8080"; done | paste -sd,)
client --targets="$targets" --images_list="$W/images.txt" --layout=binary --duration="$JPEG_LOAD" --max_parallel_requests=8 \
  --json="$W/jpeg.json" >"$W/jpeg.log" 2>&1 &
jpeg_pid=$!
: >"$W/working-set.txt"
while kill -0 "$jpeg_pid" 2>/dev/null; do
  K get --raw "/api/v1/nodes/$(K get nodes -o jsonpath='{.items[0].metadata.name}')/proxy/stats/summary" 2>/dev/null \
    | python3 -c 'import json, sys
for p in json.load(sys.stdin)["pods"]:
    for c in p.get("containers", []):
        if c["name"] == "ovserve" and "memory" in c:
            print(p["podRef"]["name"], c["memory"].get("workingSetBytes", 0))' >>"$W/working-set.txt" || true
  sleep 2
done
wait "$jpeg_pid" || true
read -r ok errs fps _ < <(report "$W/jpeg.json" 2>/dev/null || echo "0 ? 0 0")
cg=""
for p in "${PODS[@]}"; do
  cid=$(K get pod "$p" -o jsonpath='{.status.containerStatuses[0].containerID}'); cid=${cid#*://}
  f=$(find /sys/fs/cgroup/memory -maxdepth 4 -type d -name "$cid" 2>/dev/null | head -1)
  [ -n "$f" ] && cg+="$p $(cat "$f/memory.max_usage_in_bytes")"$'\n'
done
restarts=$(K get pods -l "$SEL" -o jsonpath='{range .items[*]}{.status.containerStatuses[0].restartCount}{" "}{end}')
verdict=$(python3 - "$limit" "$W/working-set.txt" "$cg" <<'PY'
import sys
units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}
s = sys.argv[1]; limit = next((int(s[:-len(u)]) * m for u, m in units.items() if s.endswith(u)), None) or int(s)
peak = {}
for line in open(sys.argv[2]):
    pod, ws = line.split(); peak[pod] = max(peak.get(pod, 0), int(ws))
cg = dict(l.split() for l in sys.argv[3].splitlines() if l.strip())
worst = max(peak.values()) if peak else 0
mib = lambda b: "%.0f MiB" % (b / 2**20)
print("OK" if peak and worst < limit else "OVER",
      "limit %s; peak working set %s (kubelet /stats/summary every 2 s); headroom %s (%.0f%%); cgroup max_usage %s" % (
      mib(limit), ", ".join("%s %s" % (p[-5:], mib(b)) for p, b in sorted(peak.items())), mib(limit - worst),
      100.0 * (limit - worst) / limit, ", ".join("%s %s" % (p[-5:], mib(int(b))) for p, b in sorted(cg.items())) or "n/a"))
PY
)
if [ "${verdict%% *}" = OK ] && [ "$errs" = 0 ] && [ "$ok" -gt 0 ] && [ -z "$(tr ' ' '\n' <<<"$restarts" | grep -v '^0$' | grep .)" ]; then
  pass "6 memory under JPEG load ($ok calls, $fps calls/s, $errs failed): ${verdict#* }"
else
  fail "6 memory under JPEG load ($ok calls ok, $errs failed, restarts: $restarts): ${verdict#* }"
fi

# --- 7. TLS from a secret: the kubelet's HTTPS probes, per-call balancing verifying the Service's name ---------------
if command -v openssl >/dev/null; then
  T=$W/tls; mkdir -p "$T"; NAME=ovserve.default.svc
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca.key" -out "$T/ca.crt" \
    -subj /CN=node-test-ca -days 1 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/tls.key" -out "$T/tls.csr" -subj /CN=ovserve 2>/dev/null
  printf 'subjectAltName=DNS:ovserve,DNS:%s,DNS:%s.cluster.local\n' "$NAME" "$NAME" >"$T/ext"
  openssl x509 -req -in "$T/tls.csr" -CA "$T/ca.crt" -CAkey "$T/ca.key" -CAcreateserial -days 1 -extfile "$T/ext" \
    -out "$T/tls.crt" 2>/dev/null
  K create secret generic ovserve-tls --from-file="$T/tls.crt" --from-file="$T/tls.key" --from-file="$T/ca.crt" >/dev/null
  t=$SECONDS
  K apply -f "$W/tls-manifests/kubernetes.yml" >"$W/tls-apply.log" 2>&1 || { cat "$W/tls-apply.log"; die "7 tls: kubectl apply failed"; }
  K rollout status deploy/ovserve --timeout="${READY_BOUND}s" >/dev/null || fail "7 tls: rollout not complete within $READY_BOUND s"
  settled
  scheme=$(K get deploy ovserve -o jsonpath='{.spec.template.spec.containers[0].readinessProbe.httpGet.scheme}')
  [ "$scheme" = HTTPS ] && pass "7 tls ready: 2 replicas Ready from the kubelet's HTTPS probes $((SECONDS - t)) s after apply" \
    || fail "7 tls ready: the readiness probe's scheme is '$scheme', not HTTPS"
  # the replicas' own counts, over HTTPS verified against the Service's name, each reached at its pod's address
  tls_predicts() { curl -fsS -m 10 --cacert "$T/ca.crt" --connect-to "::$1:" "https://$NAME:8081/q/metrics" \
    | awk '/^ovms_requests_success\{/ && /interface="gRPC"/ && /method="Predict"/ {s += $NF} END {printf "%d\n", s}'; }
  b0=$(tls_predicts "$(pod_ip "${PODS[0]}")"); b1=$(tls_predicts "$(pod_ip "${PODS[1]}")")
  targets=$(for p in "${PODS[@]}"; do echo "$(pod_ip "$p"):8080"; done | paste -sd,)
  client --targets="$targets" --tls --server_cert="$T/ca.crt" --server_name="$NAME" --iterations=40 \
    --max_parallel_requests=4 --json="$W/tls.json" >"$W/tls.log" 2>&1 || true
  read -r ok errs _ _ < <(report "$W/tls.json" 2>/dev/null || echo "0 ? 0 0")
  d0=$(( $(tls_predicts "$(pod_ip "${PODS[0]}")") - b0 )); d1=$(( $(tls_predicts "$(pod_ip "${PODS[1]}")") - b1 ))
  [ "$ok" = 40 ] && [ "$errs" = 0 ] && [ "$d0" -gt 0 ] && [ "$d1" -gt 0 ] \
    && pass "7 tls Predict balanced by pod address, verifying $NAME: 40/40, per replica $d0/$d1" \
    || fail "7 tls Predict: $ok ok, $errs errors, per replica $d0/$d1 (see $W/tls.log)"
  out=$(curl -sS -m 60 -w ' HTTP %{http_code}' --cacert "$T/ca.crt" --connect-to "::$SVC:" -H 'Content-Type: application/json' \
    -d @"$W/kserve-rest.json" "https://$NAME:$HTTP_PORT/v2/models/resnet/infer" 2>&1 || true)
  shape=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1].rsplit(" HTTP", 1)[0])["outputs"][0]["shape"])' "$out" 2>/dev/null || echo "?")
  [ "$shape" = "[1, 1000]" ] && pass "7 tls rest ModelInfer (KServe) via ClusterIP over HTTPS: shape $shape,${out##* }" \
    || fail "7 tls rest ModelInfer via ClusterIP over HTTPS: ${out:0:300}"
  plain=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://$SVC:$HTTP_PORT/v2/health/ready" 2>/dev/null || true)
  client --targets="$targets" --iterations=1 --json="$W/tls-plain.json" >"$W/tls-plain.log" 2>&1 || true
  read -r pok _ _ _ < <(report "$W/tls-plain.json" 2>/dev/null || echo "0 ? 0 0")
  [ "$plain" != 200 ] && [ "$pok" = 0 ] && pass "7 tls plaintext refused: HTTP answered '$plain', gRPC served $pok of 1" \
    || fail "7 tls plaintext: HTTP answered '$plain', gRPC served $pok of 1"
else
  say "SKIP 7 tls: no openssl to make the secret"
fi

[ "$FAILED" = 0 ] && say "all checks passed in $((SECONDS - T0)) s" || say "some checks FAILED: logs in $W"
exit "$FAILED"
