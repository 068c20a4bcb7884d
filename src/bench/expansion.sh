#!/usr/bin/env bash
# What a refused request costs the server, per expansion vector (after ./mvnw package -DskipTests):
#
#   bash src/bench/expansion.sh
#
# Starts the packaged server on resnet (SERVER_JAVA_OPTS, free 127.0.0.1 ports), then for each vector
# of VECTORS: resets the server's peak RSS (/proc/PID/clear_refs 5), sends that vector, about BYTES on
# the wire, with io.ovserve.bench.ExpansionVectors (CompressionVectors for the *-gzip ones: a gzip stream
# of about BYTES that would inflate a thousandfold), then one good call, and prints the peak RSS
# rise (VmHWM after - VmRSS before) over the wire bytes, the time to the answer from the call's start
# (millis: includes the upload) and from its last byte sent (after_last: the server's cost of the
# answer, through a relay in the client, io.ovserve.bench.LastByteRelay), its status and the good
# call's. The server keeps running across vectors, as a replica does.
#
# Environment (all optional): VECTORS="tfs-strings tfs-int64 kserve-bytes kserve-raw kserve-int64
#   rest-kserve-zeros rest-kserve-sizes rest-kserve-strings rest-kserve-raw rest-tfs-zeros rest-tfs-b64
#   grpc-gzip rest-gzip",
#   BYTES=100000000 (under quarkus.grpc.server.max-inbound-message-size, 104857600), SERVER_JAVA_OPTS,
#   CLIENT_HEAP=-Xmx1g, READY_TIMEOUT (see src/bench/lib.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VECTORS=${VECTORS:-tfs-strings tfs-int64 kserve-bytes kserve-raw kserve-int64 rest-kserve-zeros rest-kserve-sizes
    rest-kserve-strings rest-kserve-raw rest-tfs-zeros rest-tfs-b64 grpc-gzip rest-gzip}
BYTES=${BYTES:-100000000}
CLIENT_HEAP=${CLIENT_HEAP:--Xmx1g}
out=target/expansion
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
[[ $BYTES =~ ^[1-9][0-9]*$ ]] || die "BYTES must be a positive integer, got '$BYTES'"
classpath=$(test_classpath)

kib() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$server_pid/status"; }

start_server expansion '{"PERFORMANCE_HINT":"THROUGHPUT"}'
printf '%-20s %12s %14s %7s %9s %10s  %s | %s\n' vector wire_bytes peak_rss_rise ratio millis after_last status next
for vector in $VECTORS; do
    echo 5 >"/proc/$server_pid/clear_refs"
    before=$(kib VmRSS)
    case $vector in
        *-gzip) sender=(io.ovserve.bench.CompressionVectors "127.0.0.1:$grpc_port" "127.0.0.1:$http_port") ;;
        rest-*) sender=(io.ovserve.bench.RestExpansionVectors "127.0.0.1:$http_port") ;;
        *) sender=(io.ovserve.bench.ExpansionVectors "127.0.0.1:$grpc_port") ;;
    esac
    # shellcheck disable=SC2086 # the heap option is a word list on purpose
    IFS=$'\t' read -r name wire status millis after_last next < <(java $CLIENT_HEAP -cp "$classpath" \
        "${sender[@]}" "$vector" "$BYTES") || die "${sender[0]} failed on $vector"
    rise=$(( ($(kib VmHWM) - before) * 1024 ))
    printf '%-20s %12d %14d %7.2f %9d %10d  %s | %s\n' "$name" "$wire" "$rise" \
        "$(echo "$rise / $wire" | bc -l)" "$millis" "$after_last" "$status" "$next"
done | tee "$out/expansion.txt"
