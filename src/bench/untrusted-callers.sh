#!/usr/bin/env bash
# An honest client beside hostile ones (issue 19), in one run: the honest client's success and p99 alone,
# then beside SILENT_GRPC header-only Predicts on one connection and SLOW_REST slow-body REST connections.
#   bash src/bench/untrusted-callers.sh        (after ./mvnw package -DskipTests)
# Env: CALLS (300), SILENT_GRPC (1000), SLOW_REST (100), SERVER_MODEL (resnet).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench/untrusted-callers
source src/bench/lib.sh

venv=target/bench-venv
if [[ ! -x $venv/bin/python ]]; then
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q grpcio==1.85.4
fi
start_server untrusted '{"PERFORMANCE_HINT":"THROUGHPUT"}'
write_resnet_request "$out/request.bin"
"$venv/bin/python" src/bench/untrusted_callers.py "$grpc_port" "$http_port" "$out/request.bin" \
    "${CALLS:-300}" "${SILENT_GRPC:-1000}" "${SLOW_REST:-100}"
