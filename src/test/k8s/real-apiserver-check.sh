#!/usr/bin/env bash
# real-apiserver-check.sh — the client mode's Kubernetes discovery against a REAL kube-apiserver (not fabric8's mock).
#
#   src/test/k8s/real-apiserver-check.sh          (as root, from anywhere; uses target/quarkus-app as packaged)
#
# Needs: root (unshare), util-linux unshare, iproute2, curl, python3, java 17+, the packaged app
# (./mvnw package: target/quarkus-app, target/test-classes/replica-models.json, target/models/affine), and etcd +
# kube-apiserver + kubectl in $KUBE_BIN (default /tmp/kube/bin), built once by
# `shared/tools/kube-apiserver.sh build` (~9 min, from the Go module proxy). Not part of `mvn verify` for that reason.
#
# Everything runs inside new network + PID + mount namespaces (unshare): etcd, kube-apiserver (on 127.0.0.1 of that
# namespace), three ovserve replicas on 10.123.0.1-3 (addresses put on the namespace's own `lo`: a real API server
# refuses loopback addresses in Endpoints/EndpointSlices) and the client. The namespace has no other interface, so no
# traffic leaves it; when the script ends, the PID namespace's init exits and the kernel kills whatever is left.
# There is no kube-controller-manager, scheduler or kubelet: Endpoints and EndpointSlices are written with kubectl,
# Pods stay Pending (they exist so that Endpoints targetRefs resolve, as Stork looks the pods up).
#
# Phases (each asserts exit 0, 0 errors, 0 retries, the listed replicas and only them, port 8080 only, round-robin shares,
# and that every replica's own Predict counter agrees with the client's report):
#   1. Service ovserve-ep, an Endpoints object (ports http 8081 listed BEFORE grpc 8080, one notReadyAddress),
#      client with --kubernetes_api=URL (CA and token from KUBECONFIG), 3000 calls.
#   2. Service ovserve-slices, two EndpointSlices (both ports; a ready=false endpoint), API server URL from KUBECONFIG.
#   3. ovserve-ep under load (--duration): one address removed from the Endpoints; it must stop getting calls, 0 failures.
#   4. ovserve-slices under load: the slice holding one address deleted; same assertions.
# The client authenticates as a ServiceAccount whose Role grants only get/list/watch on endpoints, pods and
# discovery.k8s.io endpointslices (what README says it needs), with a token from the TokenRequest API in a kubeconfig
# (KUBECONFIG). Phase 0: as a ServiceAccount without that Role, and as one with get/list but no watch, the client must
# be refused (403, exit 2). Before that, the script checks that the API server refuses a loopback address.
#
# Knobs: KUBE_BIN, KUBE_APISERVER_SH (default ../shared/tools/kube-apiserver.sh beside the project), CHECK_TIMEOUT (s, whole run,
# default 240), DURATION (s, phase 3, default 20), DURATION_SLICES (s, phase 4, default 15), KEEP_WORK=1 (keep the
# logs even on success). The work directory with all logs is kept, and printed, when the check fails.
# Exit status: 0 passed, 1 an assertion failed, 2 missing prerequisites, 124 timed out.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
KUBE_BIN=${KUBE_BIN:-/tmp/kube/bin}
KUBE_APISERVER_SH=${KUBE_APISERVER_SH:-$ROOT/../shared/tools/kube-apiserver.sh}
CHECK_TIMEOUT=${CHECK_TIMEOUT:-240}
DURATION=${DURATION:-20}
DURATION_SLICES=${DURATION_SLICES:-15}
NS=ovserve-check
NET=10.123.0          # replicas on $NET.1-3; $NET.4 is an address with nothing listening (the not-ready endpoint)
JAR=$ROOT/target/quarkus-app/quarkus-run.jar

log() { printf '[%5.1fs] %s\n' "$(awk -v s="$SECONDS" 'BEGIN{print s}')" "$*"; }
die() { log "FAIL: $*"; exit 1; }

# ====================================================================== outside: checks, then re-run inside namespaces
if [ "${1:-}" != "--inside" ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root (unshare needs CAP_SYS_ADMIN)" >&2; exit 2; }
  for c in unshare ip ss curl python3 java timeout; do
    command -v "$c" >/dev/null || { echo "missing command: $c" >&2; exit 2; }
  done
  for f in "$JAR" "$ROOT/target/test-classes/replica-models.json" "$ROOT/target/models/affine"; do
    [ -e "$f" ] || { echo "missing $f: run ./mvnw package first" >&2; exit 2; }
  done
  for b in etcd kube-apiserver kubectl; do
    [ -x "$KUBE_BIN/$b" ] || { echo "missing $KUBE_BIN/$b: run $KUBE_APISERVER_SH build first (~9 min)" >&2; exit 2; }
  done
  [ -x "$KUBE_APISERVER_SH" ] || { echo "missing $KUBE_APISERVER_SH" >&2; exit 2; }
  WORK=$(mktemp -d /tmp/ovserve-k8s-check.XXXXXX)
  echo "real-apiserver-check: kubernetes $(cat "$KUBE_BIN/.kube-version" 2>/dev/null || echo '?'), etcd $(cat "$KUBE_BIN/.etcd-version" 2>/dev/null || echo '?'), java $(java -version 2>&1 | head -1), work dir $WORK, limit ${CHECK_TIMEOUT}s"
  set +e
  # new net + pid + mount namespaces; SIGTERM to the inner script when unshare goes (timeout), SIGKILL 20 s later
  timeout -k 20 "$CHECK_TIMEOUT" unshare --net --pid --fork --mount-proc --kill-child=SIGTERM \
    bash "$SELF" --inside "$WORK"
  rc=$?
  set -e
  [ $rc -eq 124 ] && echo "real-apiserver-check: TIMED OUT after ${CHECK_TIMEOUT}s"
  if [ $rc -eq 0 ] && [ "${KEEP_WORK:-0}" != 1 ]; then
    rm -rf "$WORK"
  else
    echo "real-apiserver-check: logs kept in $WORK"
  fi
  if [ $rc -eq 0 ]; then echo "real-apiserver-check: PASSED"; else echo "real-apiserver-check: FAILED (rc=$rc)"; fi
  exit $rc
fi

# ====================================================================== inside the namespaces (this bash is PID 1)
WORK=$2
cd "$ROOT"
export KUBE_HOME=$WORK/kube        # fresh run/ state (certs, etcd data, pids) per run; binaries shared
mkdir -p "$KUBE_HOME" "$WORK/logs"
ln -s "$KUBE_BIN" "$KUBE_HOME/bin"
export KUBE_READY_TIMEOUT=${KUBE_READY_TIMEOUT:-120}
L=$WORK/logs
declare -a REPLICA_PIDS=()
CLIENT_PID=

cleanup() {
  local rc=$? p
  trap - EXIT TERM INT
  [ -n "$CLIENT_PID" ] && kill "$CLIENT_PID" 2>/dev/null || true
  for p in "${REPLICA_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  "$KUBE_APISERVER_SH" down >>"$L/kube-down.log" 2>&1 || true
  for p in "${REPLICA_PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  done
  log "stopped replicas and API server (the PID namespace ends with this script: nothing survives it)"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 143' TERM INT

# ---------------------------------------------------------------- network: lo plus private addresses, nothing else
ip link set lo up
for i in 1 2 3 4; do ip addr add "$NET.$i/32" dev lo; done
log "network namespace: interfaces $(ip -o link | awk -F': ' '{printf "%s ", $2}')- addresses $(ip -o -4 addr show lo | awk '{printf "%s ", $4}')"

# ---------------------------------------------------------------- replicas (started first: they boot while the API server does)
for i in 1 2 3; do
  java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
    -Dquarkus.grpc.server.host=$NET.$i -Dquarkus.grpc.server.port=8080 \
    -Dquarkus.http.host=$NET.$i -Dquarkus.http.port=8081 \
    -Dovserve.config-path=target/test-classes/replica-models.json \
    -jar "$JAR" >"$L/replica-$i.log" 2>&1 &
  REPLICA_PIDS+=($!)
done

# ---------------------------------------------------------------- API server
log "starting etcd + kube-apiserver ($KUBE_APISERVER_SH up, KUBE_HOME=$KUBE_HOME)"
"$KUBE_APISERVER_SH" up >"$L/kube-up.log" 2>&1 & wait $! || { cat "$L/kube-up.log"; die "kube-apiserver.sh up failed"; }
export KUBECONFIG=$KUBE_HOME/kubeconfig
# shellcheck disable=SC1091
. "$KUBE_HOME/run/env"   # KUBE_SERVER, KUBE_CA_FILE, ...
K() { "$KUBE_BIN/kubectl" "$@"; }
log "$(grep 'up in' "$L/kube-up.log" | sed 's/^kube.sh: //; s/; logs in.*//')"
log "listening TCP sockets: $(ss -Hltn | awk '{printf "%s ", $4}')"
ss -Hltn | awk '{print $4}' | grep -qx "127.0.0.1:${KUBE_SERVER##*:}" || die "kube-apiserver does not listen on 127.0.0.1 in the namespace"

# ---------------------------------------------------------------- replicas ready
for i in 1 2 3; do
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://$NET.$i:8081/q/health/ready" && break
    kill -0 "${REPLICA_PIDS[$((i-1))]}" 2>/dev/null || { tail -20 "$L/replica-$i.log"; die "replica $i exited"; }
    sleep 0.3
  done
  curl -sf -o /dev/null "http://$NET.$i:8081/q/health/ready" || { tail -20 "$L/replica-$i.log"; die "replica $i not ready in 90 s"; }
done
log "replicas ready: gRPC on $NET.1-3:8080, HTTP on :8081 (pids ${REPLICA_PIDS[*]})"

# Predict calls a replica answered OK, from its own Prometheus counter
served() {
  curl -sf "http://$NET.$1:8081/q/metrics" \
    | awk '/^ovserve_requests_total\{/ && /method="Predict"/ && /status="OK"/ {s += $NF} END {printf "%d\n", s}'
}

# ---------------------------------------------------------------- what a real API server refuses (the mock does not)
set +e
out=$(K apply --dry-run=server -f - 2>&1 <<EOF
apiVersion: v1
kind: Endpoints
metadata: {name: loopback-probe, namespace: default}
subsets:
- addresses: [{ip: 127.0.0.1}]
  ports: [{name: grpc, port: 8080}]
EOF
)
rc=$?
set -e
[ $rc -ne 0 ] || die "the API server accepted a loopback address in Endpoints"
log "as expected, a loopback address is refused: $(echo "$out" | grep -v '^Warning' | tail -1)"

# ---------------------------------------------------------------- objects
pods=""
for i in 1 2 3 4; do
  pods+="
---
apiVersion: v1
kind: Pod
metadata: {name: ovserve-$i, namespace: $NS, labels: {app: ovserve}}
spec:
  automountServiceAccountToken: false
  containers: [{name: ovserve, image: ovserve:check, ports: [{name: grpc, containerPort: 8080}, {name: http, containerPort: 8081}]}]"
done
addr() { echo "{ip: $NET.$1, targetRef: {kind: Pod, name: ovserve-$1, namespace: $NS}}"; }
# $1 = the ready replicas, e.g. "1 2 3"
endpoints_yaml() {
  local a="" i
  for i in $1; do a+="$(addr "$i"), "; done
  cat <<EOF
apiVersion: v1
kind: Endpoints
metadata: {name: ovserve-ep, namespace: $NS, labels: {app: ovserve}}
subsets:
- addresses: [${a%, }]
  notReadyAddresses: [$(addr 4)]
  ports: [{name: http, port: 8081, protocol: TCP}, {name: grpc, port: 8080, protocol: TCP}]
EOF
}
slice_yaml() {  # $1 = name suffix, $2 = ready replicas, $3 = not-ready replicas
  local i
  cat <<EOF
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ovserve-slices-$1
  namespace: $NS
  labels: {kubernetes.io/service-name: ovserve-slices, endpointslice.kubernetes.io/managed-by: ovserve-check}
addressType: IPv4
ports: [{name: http, port: 8081, protocol: TCP}, {name: grpc, port: 8080, protocol: TCP}]
endpoints:
EOF
  for i in $2; do echo "- {addresses: [$NET.$i], conditions: {ready: true}, targetRef: {kind: Pod, name: ovserve-$i, namespace: $NS}}"; done
  for i in $3; do echo "- {addresses: [$NET.$i], conditions: {ready: false}, targetRef: {kind: Pod, name: ovserve-$i, namespace: $NS}}"; done
}

K apply -f - >"$L/apply.log" 2>&1 <<EOF || { cat "$L/apply.log"; die "kubectl apply failed"; }
apiVersion: v1
kind: Namespace
metadata: {name: $NS}
---
# no kube-controller-manager: Pod admission needs the namespace's default ServiceAccount, made by hand
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: $NS}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ovserve-client, namespace: $NS}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: no-rights, namespace: $NS}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: no-watch, namespace: $NS}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: no-watch, namespace: $NS}
rules:
- {apiGroups: [""], resources: [endpoints, pods], verbs: [get, list]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: no-watch, namespace: $NS}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: no-watch}
subjects: [{kind: ServiceAccount, name: no-watch, namespace: $NS}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ovserve-discovery, namespace: $NS}
rules:
- apiGroups: [""]
  resources: [endpoints, pods]
  verbs: [get, list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ovserve-discovery, namespace: $NS}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ovserve-discovery}
subjects: [{kind: ServiceAccount, name: ovserve-client, namespace: $NS}]
---
# selector-less Services: their Endpoints / EndpointSlices are written by hand (no controller would touch them)
apiVersion: v1
kind: Service
metadata: {name: ovserve-ep, namespace: $NS}
spec:
  ports: [{name: grpc, port: 8080, targetPort: 8080}, {name: http, port: 8081, targetPort: 8081}]
---
apiVersion: v1
kind: Service
metadata: {name: ovserve-slices, namespace: $NS}
spec:
  ports: [{name: grpc, port: 8080, targetPort: 8080}, {name: http, port: 8081, targetPort: 8081}]
$pods
---
$(endpoints_yaml "1 2 3")
---
$(slice_yaml a "1 2" 4)
---
$(slice_yaml b 3 "")
EOF
log "applied $(grep -c -E ' (created|configured|unchanged)$' "$L/apply.log") objects: namespace $NS, ServiceAccounts (default, ovserve-client, no-rights, no-watch), Roles + RoleBindings, Services ovserve-ep and ovserve-slices, 4 Pods, Endpoints ovserve-ep, EndpointSlices ovserve-slices-a/-b"
K get pods,endpoints,endpointslices -n "$NS" -o wide >"$L/objects.txt" 2>&1 || true
sed 's/^/    /' "$L/objects.txt" | grep -v '^    Warning' || true

# kubeconfigs for the client: the CA of the admin kubeconfig, the token of a ServiceAccount
ca_data=$(K config view --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')
client_kubeconfig() {  # $1 = ServiceAccount, $2 = file
  local token
  token=$(K create token "$1" -n "$NS" --duration=10m)
  ( umask 077; cat >"$2" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: check, cluster: {server: "$KUBE_SERVER", certificate-authority-data: "$ca_data"}}]
users: [{name: $1, user: {token: "$token"}}]
contexts: [{name: check, context: {cluster: check, user: $1, namespace: $NS}}]
current-context: check
EOF
  )
}
client_kubeconfig ovserve-client "$WORK/client.kubeconfig"
client_kubeconfig no-rights "$WORK/no-rights.kubeconfig"
client_kubeconfig no-watch "$WORK/no-watch.kubeconfig"
for v in "list endpoints" "watch endpoints" "get pods" "list endpointslices.discovery.k8s.io" "watch endpointslices.discovery.k8s.io"; do
  [ "$(KUBECONFIG=$WORK/client.kubeconfig K auth can-i $v -n "$NS" 2>/dev/null || true)" = yes ] || die "ovserve-client cannot $v"
done
log "client credentials: ServiceAccount $NS/ovserve-client (token from the TokenRequest API), Role: get/list/watch endpoints, pods, endpointslices"

# ---------------------------------------------------------------- client runs
# run_client NAME KUBECONFIG ARGS... -> exit status in $CRC, report in $L/NAME.json, output in $L/NAME.{out,err}
run_client() {
  local name=$1 kc=$2; shift 2
  log "client $name: java -jar target/quarkus-app/quarkus-run.jar client $* --json=\$WORK/logs/$name.json"
  local t0=$SECONDS
  set +e
  KUBECONFIG=$kc timeout -k 5 90 java -Xmx256m -jar "$JAR" client "$@" --model_name=affine --input_name=x \
    --output_name=y --json="$L/$name.json" >"$L/$name.out" 2>"$L/$name.err" &
  CLIENT_PID=$!
  wait "$CLIENT_PID"; CRC=$?
  CLIENT_PID=
  set -e
  sed 's/^/    /' "$L/$name.out"
  echo "    (exit $CRC; the client process took $((SECONDS - t0)) s)"
  # (client mode prints no log records at all today, Stork's or its own: only its "client: ..." lines show)
  grep -E 'instances \[|discovery failed|Exception|client: [a-z]' "$L/$name.err" \
    | grep -v ' done, ' | cut -c1-300 | sed 's/^/    stderr: /' | head -20 || true
}
# check_report NAME "EXPECTED REPLICAS" TOLERANCE [BEFORE AFTER]: report and replica counters agree with expectations
check_report() {
  python3 - "$L/$1.json" "$2" "$3" "${4:-}" "${5:-}" "$NET" <<'PY' || die "report of $1 does not match (see above)"
import json, sys
path, expected, tol, before, after, net = sys.argv[1:7]
r = json.load(open(path))
want = {f"{net}.{i}:8080" for i in expected.split()}
got = r["per_replica"]
bad = []
if r["errors"]: bad.append(f"errors {r['errors']}")
if r["retries"]: bad.append(f"retries {r['retries']}")
if set(got) != want: bad.append(f"per_replica lists {sorted(got)}, expected {sorted(want)}")
if any(not k.endswith(":8080") for k in got): bad.append("an instance on another port than 8080 was called")
total = sum(got.values())
if total != r["ok"]: bad.append(f"per_replica sums to {total}, ok is {r['ok']}")
tol = float(tol)
if tol > 0:
    for k, v in got.items():
        share = v / total
        if abs(share - 1 / len(want)) > tol: bad.append(f"{k} got {share:.1%} of the calls")
if before:
    b, a = [int(x) for x in before.split()], [int(x) for x in after.split()]
    for i, (x, y) in enumerate(zip(b, a), 1):
        own, said = y - x, got.get(f"{net}.{i}:8080", 0)
        if own != said: bad.append(f"replica {i} counted {own} Predict calls, the client reports {said}")
print("    check: ok=%d errors=%s retries=%d shares %s%s" % (r["ok"], r["errors"], r["retries"],
      ", ".join(f"{k} {v / total:.1%}" for k, v in sorted(got.items())),
      ("; replicas' own counters agree" if before else "")))
for m in bad: print("    MISMATCH: " + m)
sys.exit(1 if bad else 0)
PY
}
counters() { echo "$(served 1) $(served 2) $(served 3)"; }

# ---- phase 0: the client uses KUBECONFIG's token, and needs every verb of its Role: without rights, or without
# `watch` (Stork's informer), it is refused with 403 and exits 2 before any call
for sa in no-rights no-watch; do
  run_client "$sa" "$WORK/$sa.kubeconfig" --service=ovserve-ep --namespace="$NS" --iterations=10 --deadline_ms=5000
  [ "$CRC" -eq 2 ] || die "the client as ServiceAccount $sa exited $CRC, expected 2"
  grep -q -E '403|[Ff]orbidden' "$L/$sa.err" || { tail -20 "$L/$sa.err"; die "client as $sa failed, but not with 403"; }
done
log "phase 0 ok: refused with 403 and exit 2 as no-rights ($(grep -o -m1 'cannot list resource "[^"]*" in API group "[^"]*"' "$L/no-rights.err" | head -1)) and as no-watch (get/list only: $(grep -o -m1 'Received 403 on websocket' "$L/no-watch.err" | head -1) for the informer's watch)"

# ---- phase 1: Endpoints, --kubernetes_api given
b=$(counters)
run_client endpoints "$WORK/client.kubeconfig" --service=ovserve-ep --namespace="$NS" --kubernetes_api="$KUBE_SERVER" \
  --iterations=3000
[ "$CRC" -eq 0 ] || { tail -30 "$L/endpoints.err"; die "client (Endpoints) exited $CRC"; }
check_report endpoints "1 2 3" 0.04 "$b" "$(counters)"
log "phase 1 ok: Endpoints (http port listed first, one notReadyAddress): 3 replicas, gRPC port only, round-robin"

# ---- phase 2: EndpointSlices, API server from KUBECONFIG
b=$(counters)
run_client slices "$WORK/client.kubeconfig" --service=ovserve-slices --namespace="$NS" --iterations=3000
[ "$CRC" -eq 0 ] || { tail -30 "$L/slices.err"; die "client (EndpointSlices) exited $CRC"; }
check_report slices "1 2 3" 0.04 "$b" "$(counters)"
log "phase 2 ok: 2 EndpointSlices (both ports, one ready=false endpoint): 3 replicas, port 8080 only, round-robin"

# ---- phases 3 and 4: remove one replica under load
# under_load NAME SECONDS REMOVE_COMMAND... : replica 3 leaves the list mid-run
under_load() {
  local name=$1 secs=$2; shift 2
  local b c0 series="" stop
  b=$(counters)
  ( KUBECONFIG=$WORK/client.kubeconfig exec timeout -k 5 $((secs + 60)) java -Xmx256m -jar "$JAR" client \
      --service="$SVC" --namespace="$NS" --duration="$secs" --model_name=affine --input_name=x --output_name=y \
      --json="$L/$name.json" >"$L/$name.out" 2>"$L/$name.err" ) &
  CLIENT_PID=$!
  log "client $name: --service=$SVC --duration=$secs (pid $CLIENT_PID); replica 3 leaves the list after a third of it"
  # wait until replica 3 gets calls, then let the run go on for a third of its time
  for _ in $(seq 1 100); do [ "$(served 3)" -gt "${b##* }" ] && break; sleep 0.2; done
  sleep $((secs / 3))
  "$@" >>"$L/$name.kubectl.log" 2>&1 || { cat "$L/$name.kubectl.log"; die "could not change the API objects"; }
  c0=$(served 3)
  for _ in $(seq 1 8); do sleep 0.5; series+="$(served 3) "; done
  local c_settled a1 a2
  c_settled=${series% }; c_settled=${c_settled##* }
  stop=$(echo "$series" | awk '{for (i = 1; i <= NF; i++) if ($i == $NF) {print i * 0.5; exit}}')
  a1=$(counters)
  log "replica 3 Predict counter: $c0 at the change, then every 0.5 s: $series(final value reached ${stop} s after the change)"
  set +e; wait "$CLIENT_PID"; CRC=$?; CLIENT_PID=; set -e
  sed 's/^/    /' "$L/$name.out"
  grep -E 'instances \[|discovery failed' "$L/$name.err" | sed 's/^/    stderr: /' | head -10 || true
  [ "$CRC" -eq 0 ] || { tail -30 "$L/$name.err"; die "client $name exited $CRC"; }
  a2=$(counters)
  check_report "$name" "1 2 3" 0 "$b" "$a2"
  [ "${a2##* }" = "$c_settled" ] || die "replica 3 still got calls after it left the list: $c_settled 4 s after, ${a2##* } at the end"
  local x y
  for i in 1 2; do
    x=$(echo "$a1" | cut -d' ' -f$i); y=$(echo "$a2" | cut -d' ' -f$i)
    [ "$y" -gt "$x" ] || die "replica $i got no calls after the 4 s window that followed the change (run too short?)"
  done
  log "after the change replica 3 got $((c_settled - c0)) more calls (in-flight and those before the client saw the change), none from 4 s after it to the end; replicas 1, 2 kept serving; 0 failed calls"
}
SVC=ovserve-ep
endpoints_yaml "1 2" >"$WORK/endpoints-without-3.yaml"
under_load endpoints-change "$DURATION" "$KUBE_BIN/kubectl" apply -f "$WORK/endpoints-without-3.yaml"
log "phase 3 ok: Endpoints changed under load (address $NET.3 removed)"

SVC=ovserve-slices
under_load slices-change "$DURATION_SLICES" "$KUBE_BIN/kubectl" delete endpointslice ovserve-slices-b -n "$NS"
log "phase 4 ok: EndpointSlice ovserve-slices-b deleted under load"

log "ALL CHECKS PASSED"
