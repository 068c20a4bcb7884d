#!/usr/bin/env bash
# Triton's Python client (tritonclient[grpc], pinned, from PyPI into target/triton-venv) against the
# packaged server's KServe v2 gRPC API, serving the test models (src/test/resources/test-models.json).
# After ./mvnw package (or verify); .ci/run runs it. Traffic to 127.0.0.1 only; the server is stopped
# at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../../.."
TRITONCLIENT_VERSION=2.73.0
venv=target/triton-venv
[[ -f target/quarkus-app/quarkus-run.jar ]] || { echo "run ./mvnw package first" >&2; exit 1; }
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import tritonclient.grpc' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "tritonclient[grpc]==$TRITONCLIENT_VERSION"
fi
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
    curl -sf -o /dev/null "http://127.0.0.1:$http_port/q/health/ready" && break
    kill -0 "$server" 2>/dev/null || { tail -n 30 "$log" >&2; echo "the server exited; log: $log" >&2; exit 1; }
    sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$http_port/q/health/ready" || { echo "the server was not ready in 180 s; log: $log" >&2; exit 1; }
echo "tritonclient $TRITONCLIENT_VERSION against ovserve's KServe v2 gRPC API on 127.0.0.1:$grpc_port"
"$venv/bin/python" src/test/kserve/triton_client_check.py "127.0.0.1:$grpc_port"
