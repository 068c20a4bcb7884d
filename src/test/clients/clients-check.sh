#!/usr/bin/env bash
# Clients nobody on the team wrote, against the packaged server serving the test models
# (src/test/resources/test-models.json): OpenVINO Model Server's Python client (ovmsclient) over the
# TensorFlow Serving API and Triton's (tritonclient[grpc,http]) over the KServe v2 API, each on the gRPC
# port and on the REST port; the KServe Python SDK's REST client (its health calls); grpc_health_probe
# (what a gRPC readiness probe runs), built from the Go module proxy, skipped with a message without go.
# Each Python client gets a venv of its own under target/clients-venv, from requirements-CLIENT.txt
# (pinned, wheels from PyPI).
# After ./mvnw package (or verify); .ci/run runs it. Traffic to 127.0.0.1 only; the server is stopped
# at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../../.."
here=src/test/clients
[[ -f target/quarkus-app/quarkus-run.jar ]] || { echo "run ./mvnw package first" >&2; exit 1; }
venv() {  # CLIENT: its venv, made anew whenever its pins change
    local venv=target/clients-venv/$1 requirements=$here/requirements-$1.txt
    if ! cmp -s "$requirements" "$venv/requirements.txt"; then
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q --only-binary=:all: -r "$requirements"
        cp "$requirements" "$venv/requirements.txt"
    fi
}
venv ovms
venv triton
venv kserve
probe_version=v0.4.63
probe=target/clients-go/bin/grpc-health-probe
if command -v go >/dev/null; then
    if ! { [[ -x $probe ]] && go version -m "$probe" | grep -q "grpc-health-probe[[:space:]]*$probe_version"; }; then
        GOBIN="$PWD/target/clients-go/bin" GOFLAGS=-mod=mod go install \
            "github.com/grpc-ecosystem/grpc-health-probe@$probe_version"
    fi
else
    echo "SKIPPED: grpc_health_probe (no go to build it from the Go module proxy)"
    probe=
fi
ready() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$http_port/q/health/ready" 2>/dev/null; }
read -r grpc_port http_port <<<"$(python3 -c 'import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')"
log=target/clients-check-server.log
java -Xmx1g -Dovserve.config-path=target/test-classes/test-models.json \
    -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port="$grpc_port" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http_port" \
    -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 360); do
    ready && break
    kill -0 "$server" 2>/dev/null || { tail -n 30 "$log" >&2; echo "the server exited; log: $log" >&2; exit 1; }
    sleep 0.5
done
ready || { echo "the server was not ready in 180 s; log: $log" >&2; exit 1; }
run() {  # CLIENT PROTOCOL PORT
    echo "$(sed -n '2s/==/ /p' "$here/requirements-$1.txt") over $2 against ovserve on 127.0.0.1:$3"
    "target/clients-venv/$1/bin/python" "$here/${1}_client_check.py" "$2" "127.0.0.1:$3"
}
run ovms grpc "$grpc_port"
run ovms http "$http_port"
run triton grpc "$grpc_port"
run triton http "$http_port"
run kserve http "$http_port"
if [[ -n $probe ]]; then
    echo "grpc_health_probe $probe_version against ovserve on 127.0.0.1:$grpc_port"
    for service in "" tensorflow.serving.PredictionService tensorflow.serving.ModelService \
        inference.GRPCInferenceService; do
        "$probe" -addr="127.0.0.1:$grpc_port" -service="$service" >/dev/null 2>&1 \
            && echo "ok   SERVING: \"$service\"" || { echo "FAIL not SERVING: \"$service\"" >&2; exit 1; }
    done
    status=0
    "$probe" -addr="127.0.0.1:$grpc_port" -service=made.up.Service >/dev/null 2>&1 || status=$?
    # 3: the health call failed (NOT_FOUND), as health.proto asks for a service the server does not know
    [[ $status == 3 ]] && echo "ok   NOT_FOUND: made.up.Service" \
        || { echo "FAIL made.up.Service: exit $status, not 3 (NOT_FOUND)" >&2; exit 1; }
fi
