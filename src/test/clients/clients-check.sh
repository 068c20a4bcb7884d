#!/usr/bin/env bash
# Clients nobody on the team wrote, against the packaged server serving the test models
# (src/test/resources/test-models.json): OpenVINO Model Server's Python client (ovmsclient) over the
# TensorFlow Serving API and Triton's (tritonclient[grpc,http]) over the KServe v2 API, each on the gRPC
# port and on the REST port; the KServe Python SDK's REST client (its health calls); grpc_health_probe
# (what a gRPC readiness probe runs), built from the Go module proxy, skipped with a message without go.
# Then the TLS pass, against a second server serving TLS on both ports from certificates made now
# (tls_certificates.py: a CA, a server certificate naming 127.0.0.1, localhost and a Service's name, a client
# certificate), requiring a client certificate on gRPC (HTTP requests one, as built) and allowing only that
# client: ovmsclient with its tls_config (gRPC; its REST client cannot speak TLS), tritonclient with ssl=True on
# both ports, ghz (--cacert --cert --key --cname; a few hundred Predict calls, none failed) and
# grpc_health_probe (-tls...), each also refused as a plaintext client on the TLS port. ghz is built like
# grpc_health_probe. Both servers start together, so the TLS pass adds little time.
# Each Python client gets a venv of its own under target/clients-venv, from requirements-CLIENT.txt
# (pinned, wheels from PyPI).
# After ./mvnw package (or verify); .ci/run runs it. Traffic to 127.0.0.1 only; the servers are stopped
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
go_tool() {  # NAME MODULE VERSION [PACKAGE]: prints the path of NAME built from MODULE@VERSION, nothing without go
    local bin=target/clients-go/bin/$1
    command -v go >/dev/null || return 0
    if ! { [[ -x $bin ]] && go version -m "$bin" | grep -q "[[:space:]]$2[[:space:]]*$3"; }; then
        GOBIN="$PWD/target/clients-go/bin" GOFLAGS=-mod=mod go install "$2${4:+/$4}@$3" >&2 || return 1
    fi
    echo "$bin"
}
probe_version=v0.4.63
probe=$(go_tool grpc-health-probe github.com/grpc-ecosystem/grpc-health-probe "$probe_version")
ghz_version=v0.120.0
ghz=$(go_tool ghz github.com/bojand/ghz "$ghz_version" cmd/ghz)
[[ -n $probe ]] || echo "SKIPPED: grpc_health_probe and ghz (no go to build them from the Go module proxy)"
service_name=ovserve.clients.svc client_name=clients-check tls=target/clients-tls
rm -rf "$tls"
target/clients-venv/kserve/bin/python "$here/tls_certificates.py" "$tls" "$service_name" "$client_name"
read -r grpc_port http_port tls_grpc_port tls_http_port <<<"$(python3 -c 'import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')"
servers=()
trap 'kill "${servers[@]}" 2>/dev/null; wait "${servers[@]}" 2>/dev/null || true' EXIT
start() {  # LOG GRPC_PORT HTTP_PORT FLAG...: the packaged server on the test models, in the background
    local log=$1 grpc=$2 http=$3
    shift 3
    java -Xmx1g -Dovserve.config-path=target/test-classes/test-models.json \
        -Dquarkus.grpc.server.host=127.0.0.1 -Dquarkus.grpc.server.port="$grpc" \
        -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http" "$@" \
        -jar target/quarkus-app/quarkus-run.jar >"$log" 2>&1 &
    servers+=("$!")
}
await_ready() {  # PID LOG URL [CA]: until URL/q/health/ready answers (over HTTPS trusting CA), or PID exits
    for _ in $(seq 360); do
        python3 -c 'import ssl, sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2, context=ssl.create_default_context(cafile=sys.argv[2]) if sys.argv[2] else None)' \
            "$3/q/health/ready" "${4:-}" 2>/dev/null && return 0
        kill -0 "$1" 2>/dev/null || { tail -n 30 "$2" >&2; echo "the server exited; log: $2" >&2; exit 1; }
        sleep 0.5
    done
    echo "the server was not ready in 180 s; log: $2" >&2
    exit 1
}
start target/clients-check-server.log "$grpc_port" "$http_port"
start target/clients-check-tls-server.log "$tls_grpc_port" "$tls_http_port" \
    -Dquarkus.tls.ovserve.key-store.pem.0.cert="$tls/server.crt" \
    -Dquarkus.tls.ovserve.key-store.pem.0.key="$tls/server.key" \
    -Dquarkus.tls.ovserve.trust-store.pem.certs="$tls/ca.crt" \
    -Dquarkus.http.tls-configuration-name=ovserve -Dquarkus.http.insecure-requests=disabled \
    -Dquarkus.grpc.server.ssl.client-auth=required -Dovserve.tls.allowed-clients="$client_name"
await_ready "${servers[0]}" target/clients-check-server.log "http://127.0.0.1:$http_port"
run() {  # CLIENT PROTOCOL PORT [TLS_DIR]
    echo "$(sed -n '2s/==/ /p' "$here/requirements-$1.txt") over $2${4:+ with TLS} against ovserve on 127.0.0.1:$3"
    "target/clients-venv/$1/bin/python" "$here/${1}_client_check.py" "$2" "127.0.0.1:$3" ${4:+"$4"}
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

await_ready "${servers[1]}" target/clients-check-tls-server.log "https://127.0.0.1:$tls_http_port" "$tls/ca.crt"
run ovms grpc "$tls_grpc_port" "$tls"
run ovms http "$tls_http_port" "$tls"
run triton grpc "$tls_grpc_port" "$tls"
run triton http "$tls_http_port" "$tls"
[[ -n $probe ]] || exit 0
client_tls=(-tls -tls-ca-cert="$tls/ca.crt" -tls-client-cert="$tls/client.crt" -tls-client-key="$tls/client.key")
echo "grpc_health_probe $probe_version with TLS against ovserve on 127.0.0.1:$tls_grpc_port, verifying $service_name"
status=0
"$probe" -addr="127.0.0.1:$tls_grpc_port" >/dev/null 2>&1 || status=$?
# 2: the connection failed (3 would be a health call answered with an error, 0 a SERVING answer)
[[ $status == 2 ]] && echo "ok   a plaintext probe is refused by the TLS port" \
    || { echo "FAIL a plaintext probe on the TLS port: exit $status, not 2 (connection failed)" >&2; exit 1; }
"$probe" -addr="127.0.0.1:$tls_grpc_port" "${client_tls[@]}" -tls-server-name="$service_name" >/dev/null 2>&1 \
    && echo "ok   SERVING over TLS" || { echo "FAIL not SERVING over TLS" >&2; exit 1; }
calls=300
echo "ghz $ghz_version with TLS against ovserve on 127.0.0.1:$tls_grpc_port, verifying $service_name: $calls Predict calls"
ghz_predict() {  # REPORT FLAG...: affine's Predict, $calls of them over 2 connections; ghz's JSON report in REPORT
    local report=$1
    shift
    "$ghz" --proto=src/main/proto/tensorflow_serving/apis/prediction_service.proto --import-paths=src/main/proto \
        --call=tensorflow.serving.PredictionService/Predict --total="$calls" --concurrency=4 --connections=2 \
        --data='{"model_spec": {"name": "affine"}, "inputs": {"x": {"dtype": "DT_FLOAT",
                "tensor_shape": {"dim": [{"size": 1}, {"size": 4}]}, "float_val": [1, 2, 3, 4]}}}' \
        --format=json --output="$report" "$@" "127.0.0.1:$tls_grpc_port"
}
statuses() {  # REPORT: ghz's count of calls by status, as "OK=300" or "Unavailable=300"
    python3 -c 'import json, sys
print(" ".join("%s=%d" % c for c in sorted(json.load(open(sys.argv[1]))["statusCodeDistribution"].items())))' "$1"
}
ghz_predict target/clients-check-ghz-plaintext.json --insecure >target/clients-check-ghz-plaintext.txt 2>&1 \
    || { cat target/clients-check-ghz-plaintext.txt >&2; echo "FAIL ghz in plaintext" >&2; exit 1; }
seen=$(statuses target/clients-check-ghz-plaintext.json)
[[ $seen == "Unavailable=$calls" ]] && echo "ok   plaintext calls on the TLS port all UNAVAILABLE: $seen" \
    || { echo "FAIL plaintext calls on the TLS port: $seen, not Unavailable=$calls" >&2; exit 1; }
ghz_predict target/clients-check-ghz-tls.json --cacert="$tls/ca.crt" --cert="$tls/client.crt" \
    --key="$tls/client.key" --cname="$service_name" >target/clients-check-ghz-tls.txt 2>&1 \
    || { cat target/clients-check-ghz-tls.txt >&2; echo "FAIL ghz over TLS" >&2; exit 1; }
seen=$(statuses target/clients-check-ghz-tls.json)
[[ $seen == "OK=$calls" ]] && echo "ok   Predict calls over TLS all OK: $seen" \
    || { echo "FAIL Predict calls over TLS: $seen, not OK=$calls; report: target/clients-check-ghz-tls.json" >&2; exit 1; }
