#!/usr/bin/env bash
# Clients nobody on the team wrote, against the packaged server serving the test models
# (src/test/resources/test-models.json): OpenVINO Model Server's Python client (ovmsclient) over the
# TensorFlow Serving API and Triton's (tritonclient[grpc,http]) over the KServe v2 API, each on the gRPC
# port and on the REST port. Each gets a venv of its own under target/clients-venv, from
# requirements-CLIENT.txt (pinned, wheels from PyPI).
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
