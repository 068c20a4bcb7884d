#!/usr/bin/env bash
# Triton's Python client (tritonclient[grpc] and its dependencies pinned in requirements.txt, wheels from
# PyPI into target/triton-venv) against the
# packaged server's KServe v2 gRPC API, serving the test models (src/test/resources/test-models.json).
# After ./mvnw package (or verify); .ci/run runs it. Traffic to 127.0.0.1 only; the server is stopped
# at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../../.."
requirements=src/test/kserve/requirements.txt
venv=target/triton-venv
[[ -f target/quarkus-app/quarkus-run.jar ]] || { echo "run ./mvnw package first" >&2; exit 1; }
if ! cmp -s "$requirements" "$venv/requirements.txt"; then  # a new venv whenever the pins change
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --only-binary=:all: -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi
ready() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
    "http://127.0.0.1:$http_port/q/health/ready" 2>/dev/null; }
read -r grpc_port http_port <<<"$(python3 -c 'import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))')"
log=target/triton-client-check-server.log
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
echo "tritonclient $("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("tritonclient"))') against ovserve's KServe v2 gRPC API on 127.0.0.1:$grpc_port"
"$venv/bin/python" src/test/kserve/triton_client_check.py "127.0.0.1:$grpc_port"
