#!/usr/bin/env bash
# container-check.sh — the built image run with podman as OpenShift's restricted SCC and the generated
# manifests run it, for what a node does not show: a random UID in group 0, a read-only root, every
# capability dropped, no privilege escalation, the manifest's CPU and memory limits, its env, the model
# mounted read-only at /models and JavaCPP's cache and /tmp on writable scratch (the manifest's emptyDirs).
#
#   ./mvnw package -DskipTests && src/main/docker/build-images.sh && src/test/container/container-check.sh
#
# It checks: Ready within READY_TIMEOUT (default 120 s); the process's UID; PID 1 is the JVM; a gRPC Predict from the
# client mode run in the same image as the client Job runs it (its limits, read-only root, a random UID);
# a KServe REST infer of the reference input, whose top class must equal OpenVINO's reference output's; a
# TensorFlow Serving REST predict of a JPEG; grpc_health_probe when one is built (clients-check.sh builds
# target/clients-go/bin/grpc-health-probe) or on the PATH; then SIGTERM: readiness turns 503 while the
# container still runs, the drain lines are logged and the JVM exits 143 (SIGTERM, shutdown hooks run)
# or 0 within the manifest's terminationGracePeriodSeconds.
# It prints the time to Ready, the RSS after the calls and the image size. Exit 0 when all hold; exit 0
# with "container-check: skipped: REASON" when build-images.sh skipped (no podman able to run
# containers); exit 1 on a failed check. The containers it starts are removed whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../../.."
ENV_FILE=target/container-images.env
READY_TIMEOUT=${READY_TIMEOUT:-120}
say() { echo "container-check: $*"; }
fail() { say "FAIL: $*"; exit 1; }

[ -f target/kubernetes/kubernetes.yml ] || fail "no target/kubernetes/kubernetes.yml: run ./mvnw package first"
[ -f "$ENV_FILE" ] || src/main/docker/build-images.sh >/dev/null
# shellcheck disable=SC1090
. "$ENV_FILE"
if [ "$STATUS" = skipped ]; then say "skipped: $REASON"; exit 0; fi
podman image exists "$IMAGE" || fail "no image $IMAGE: run src/main/docker/build-images.sh"

# What the Deployment gives its container: env values, limits, grace period, model mount path
eval "$(python3 - target/kubernetes/kubernetes.yml <<'PY'
import json, re, shlex, sys
text = open(sys.argv[1]).read()
deployment = next(d for d in text.split("\n---") if re.search(r"^kind: Deployment$", d, re.M))
def scalar(v):
    v = v.strip()
    if v.startswith('"'): return json.loads(v)
    if v.startswith("'"): return v[1:-1].replace("''", "'")
    return v
env = re.findall(r"^ *- name: (\S+)\n *value: (.*)$", deployment, re.M)
print("MANIFEST_ENV=(" + " ".join(shlex.quote(f"{k}={scalar(v)}") for k, v in env) + ")")
limits = re.search(r"limits:\n *cpu: (.*)\n *memory: (.*)", deployment)
print("CPUS=" + shlex.quote(scalar(limits.group(1))))
print("MEMORY=" + shlex.quote(scalar(limits.group(2)).replace("Gi", "g").replace("Mi", "m")))
print("GRACE=" + re.search(r"terminationGracePeriodSeconds: (\d+)", deployment).group(1))
print("MODELS_PATH=" + re.search(r"- mountPath: (\S+)\n *name: models", deployment).group(1))
PY
)"
model_name=resnet
for kv in "${MANIFEST_ENV[@]}"; do [[ $kv == OVSERVE_MODEL_NAME=* ]] && model_name=${kv#*=}; done

run_opts=(--runtime runc --ulimit nofile=16384:16384 --ulimit nproc=4096:4096)
restricted=(--read-only --cap-drop=ALL --security-opt=no-new-privileges)
# OpenShift's restricted SCC: a UID from the namespace's range (about 10^9), group 0
uid=$((1000000000 + RANDOM * 32768 + RANDOM))
name=ovserve-check-$$
client=ovserve-check-client-$$
# One name per call (podman 4.3's `rm -f` given a missing name beside a present one removes neither),
# the client first: it shares the server's network namespace, so the server cannot go before it.
cleanup() { local c; for c in "$client" "$name"; do podman rm -f -i -t 0 "$c" >/dev/null || true; done; }
trap cleanup EXIT
read -r grpc_port http_port <<<"$(python3 -c 'import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')"
env_opts=(); for kv in "${MANIFEST_ENV[@]}"; do env_opts+=(-e "$kv"); done

t0=$(date +%s%N)
podman run -d --name "$name" "${run_opts[@]}" "${restricted[@]}" --user "$uid:0" \
  --cpus "$CPUS" --memory "$MEMORY" "${env_opts[@]}" \
  -v "$PWD/target/models:$MODELS_PATH:ro" \
  --tmpfs /var/cache/javacpp:rw,exec,mode=0777 --tmpfs /tmp:rw,exec,mode=1777 \
  -p "127.0.0.1:$grpc_port:8080" -p "127.0.0.1:$http_port:8081" "$IMAGE" >/dev/null
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$http_port/q/health/ready" || true; }
deadline=$((SECONDS + READY_TIMEOUT))
until [ "$(status)" = 200 ]; do
  [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || { podman logs "$name" 2>&1 | tail -30; fail "the container exited before Ready"; }
  [ $SECONDS -lt $deadline ] || { podman logs "$name" 2>&1 | tail -30; fail "not Ready within $READY_TIMEOUT s"; }
  sleep 0.2
done
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
say "Ready in $ready_ms ms (podman run to /q/health/ready 200), uid $uid:0, --read-only, --cap-drop=ALL, --cpus $CPUS --memory $MEMORY"

[ "$(podman exec "$name" id -u)" = "$uid" ] || fail "the process does not run as $uid"
# exec form: the JVM itself is PID 1, so SIGTERM reaches it
[ "$(podman exec "$name" cat /proc/1/comm)" = java ] || fail "PID 1 is $(podman exec "$name" cat /proc/1/comm), not java"
podman exec "$name" sh -c 'echo x >/deployments/x' 2>/dev/null && fail "the root filesystem is writable"
[ -n "$(podman exec "$name" ls /var/cache/javacpp)" ] || fail "JavaCPP extracted nothing into /var/cache/javacpp"

# gRPC Predict: the client mode from the same image, as the client Job runs it (its limits, read-only
# root, /tmp on scratch), in the server's network namespace
calls=20
podman run --rm --name "$client" "${run_opts[@]}" "${restricted[@]}" --user "$((uid + 1)):0" --cpus 1 --memory 512m \
  --tmpfs /tmp:rw,mode=1777 --network "container:$name" "$IMAGE" \
  client --grpc_address=127.0.0.1 --grpc_port=8080 --model_name="$model_name" --iterations=$calls \
  --max_parallel_requests=2 >target/container-check-client.log 2>&1 || { tail -20 target/container-check-client.log; fail "the client mode failed"; }
grep -q "Successful calls: $calls, failed calls: 0" target/container-check-client.log \
  || { tail -8 target/container-check-client.log; fail "gRPC Predict: not $calls successful calls"; }
say "gRPC Predict: $calls calls, 0 failed (client mode in the same image: $(grep -o 'Latency ms: p50 [0-9.]*' target/container-check-client.log))"

# REST: KServe v2 infer of the reference input (binary data extension), TensorFlow Serving predict of a JPEG
python3 - "$http_port" "$model_name" <<'PY' || fail "REST calls"
import base64, json, struct, sys, urllib.request
port, model = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
pixels = open("target/models/reference/resnet-input.f32", "rb").read()
header = json.dumps({"inputs": [{"name": "0", "shape": [1, 3, 224, 224], "datatype": "FP32",
                                 "parameters": {"binary_data_size": len(pixels)}}]}).encode()
request = urllib.request.Request(f"{base}/v2/models/{model}/infer", data=header + pixels,
                                 headers={"Inference-Header-Content-Length": str(len(header)),
                                          "Content-Type": "application/octet-stream"})
scores = json.load(urllib.request.urlopen(request, timeout=60))["outputs"][0]["data"]
reference = struct.unpack("<1000f", open("target/models/reference/resnet-output.f32", "rb").read())
top, want = max(range(1000), key=scores.__getitem__), max(range(1000), key=reference.__getitem__)
assert top == want, f"KServe REST infer: top class {top}, OpenVINO's reference {want}"
print(f"container-check: KServe REST infer: top class {top}, as OpenVINO's reference output")
jpeg = base64.b64encode(open("src/test/resources/jpeg/cmyk.jpg", "rb").read()).decode()
body = json.dumps({"instances": [{"b64": jpeg}]}).encode()
request = urllib.request.Request(f"{base}/v1/models/{model}:predict", data=body,
                                 headers={"Content-Type": "application/json"})
predictions = json.load(urllib.request.urlopen(request, timeout=60))["predictions"]
assert len(predictions) == 1 and len(predictions[0]) == 1000, "TensorFlow Serving REST predict: not 1x1000 scores"
print("container-check: TensorFlow Serving REST predict of a JPEG: 1x1000 scores")
PY

probe=$(command -v grpc_health_probe || command -v grpc-health-probe || echo target/clients-go/bin/grpc-health-probe)
if [ -x "$probe" ]; then
  out=$("$probe" -addr="127.0.0.1:$grpc_port" 2>&1) || fail "grpc_health_probe: $out"
  say "grpc_health_probe: $out"
else
  say "grpc_health_probe: not built, not checked (src/test/clients/clients-check.sh builds it)"
fi

# the cgroup's usage counts the tmpfs scratch (JavaCPP's ~90 MB) too; the JVM's own RSS beside it
usage=$(podman stats --no-stream --format '{{.MemUsage}}' "$name")
rss=$(podman exec "$name" sh -c 'grep VmRSS /proc/1/status' | awk '{print $2 * 1024}')
heap_max=$(curl -s "http://127.0.0.1:$http_port/q/metrics" | awk '/^jvm_memory_max_bytes\{.*area="heap"/ && $NF > 0 {s += $NF} END {printf "%d", s}')
say "memory after the calls: heap max $heap_max bytes (run-java.sh's default, half the limit), JVM RSS $rss bytes, cgroup $usage (podman stats); image $IMAGE: $IMAGE_SIZE bytes (base $BASE_SIZE)"

# SIGTERM, as the kubelet sends it: readiness 503 while the process still runs (the shutdown delay),
# then the drain, then the exit
podman kill --signal TERM "$name" >/dev/null
t_term=$SECONDS
until [ "$(status)" = 503 ]; do
  [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || fail "exited before readiness turned 503"
  [ $((SECONDS - t_term)) -lt 10 ] || fail "readiness still $(status) 10 s after SIGTERM"
  sleep 0.1
done
say "SIGTERM: readiness 503 while still running"
code=$(timeout "$GRACE" podman wait "$name") || fail "not stopped within terminationGracePeriodSeconds ($GRACE s)"
stopped_s=$((SECONDS - t_term))
logs=$(podman logs "$name" 2>&1)
for line in "shutting down: refusing new calls" "every admitted call answered" "ovserve stopped in"; do
  grep -q "$line" <<<"$logs" || { tail -15 <<<"$logs"; fail "no \"$line\" in the logs after SIGTERM"; }
done
case $code in 0|143) ;; *) tail -15 <<<"$logs"; fail "exit code $code after SIGTERM";; esac
say "SIGTERM: drained and stopped in ${stopped_s} s, exit code $code"
say "ok ready_ms=$ready_ms rss=$rss image_size=$IMAGE_SIZE stop_s=$stopped_s"
