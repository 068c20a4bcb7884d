#!/usr/bin/env bash
# What TLS costs, in one run on this machine (after ./mvnw package -DskipTests):
#
#   bash src/bench/tls-benchmark.sh        (smoke run: WARMUP_SECONDS=3 MEASURE_SECONDS=5 HANDSHAKE_SECONDS=3 ROUNDS=1)
#
# The same packaged server started plaintext and with TLS on both ports (variant "tls": no client certificate;
# "mtls": one required on gRPC and presented), certificates made at the start (io.ovserve.bench.BenchCertificates,
# EC P-256, the server's naming 127.0.0.1). Each round runs every variant one after the other (never together:
# they would share the cores), the order rotating from round to round; each variant's server is started fresh,
# once per model, and stopped. Results are the medians over the rounds of each variant's OK calls/s, and the
# ratios TLS/plaintext:
#   resnet     ResNet-50 (THROUGHPUT) fed by ghz over one connection, 2 x nireq calls in flight (as
#              benchmark.sh's LOAD_GENERATOR=ghz): the f32 [1,3,224,224] tensor, then the JPEG of IMAGES (the
#              seed's photo; default a 500x375 JPEG written by src/test/kube/WriteJpeg.java, the seed photo's
#              size), decoded by the server: goal >= 0.97;
#   affine     the microsecond model, as overhead-benchmark.sh drives it (LATENCY, no pinning; ghz,
#              CONCURRENCY callers over CONNECTIONS connections): reported;
#   handshake  on the affine server, io.ovserve.bench.HandshakeRate (a JVM client, grpc-java; ghz opens no
#              connection per call), HANDSHAKE_CALLERS callers: "fresh", a new connection per Predict (TCP, a
#              full TLS handshake, HTTP/2 settings, the call, the close; the client forgets its TLS sessions);
#              "resumed" (TLS only), the same with the sessions kept, as one TLS context keeps them, so the JDK
#              resumes them (no certificate sent nor signed); "reuse", the same callers on one connection kept
#              open. TLS's fresh calls/s are its full handshakes per second, plaintext's what a connection costs
#              without TLS, and reuse/fresh what the balancing client's kept connections save.
# Every call must be OK (the script fails otherwise). Each phase also reports the share of the CPU that other
# processes took: the figures are ratios measured in one run, taken on a quiet machine.
# Environment (all optional): VARIANTS="plain tls mtls", ROUNDS=3, WARMUP_SECONDS=15, MEASURE_SECONDS=20,
#   IMAGES=photo.jpg, CONCURRENCY=16 and CONNECTIONS=4 (affine), HANDSHAKE_CALLERS=4, HANDSHAKE_SECONDS=10,
#   HANDSHAKE_JAVA_OPTS (the handshake client's JVM: full JIT, the handshake's crypto compiled as in a long-running
#   client), GHZ, SERVER_JAVA_OPTS, READY_TIMEOUT (see src/bench/lib.sh).
# Needs ghz: GOBIN=$HOME/go/bin go install github.com/bojand/ghz/cmd/ghz@v0.120.0
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
VARIANTS=${VARIANTS:-plain tls mtls}
ROUNDS=${ROUNDS:-3}
WARMUP_SECONDS=${WARMUP_SECONDS:-15}
MEASURE_SECONDS=${MEASURE_SECONDS:-20}
CONCURRENCY=${CONCURRENCY:-16}
CONNECTIONS=${CONNECTIONS:-4}
HANDSHAKE_CALLERS=${HANDSHAKE_CALLERS:-4}
HANDSHAKE_SECONDS=${HANDSHAKE_SECONDS:-10}
HANDSHAKE_JAVA_OPTS=${HANDSHAKE_JAVA_OPTS:--Xms128m -Xmx256m -XX:+UseSerialGC}
out=target/tls-benchmark
# shellcheck source=src/bench/lib.sh
source src/bench/lib.sh
for n in ROUNDS WARMUP_SECONDS MEASURE_SECONDS CONCURRENCY CONNECTIONS HANDSHAKE_CALLERS HANDSHAKE_SECONDS; do
    [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a positive integer, got '${!n}'"
done
((CONCURRENCY % CONNECTIONS == 0)) || die "CONCURRENCY must be a multiple of CONNECTIONS (ghz spreads callers evenly)"
read -ra variants <<<"$VARIANTS"
for v in "${variants[@]}"; do [[ $v =~ ^(plain|tls|mtls)$ ]] || die "VARIANTS: plain, tls or mtls, got '$v'"; done
[[ " $VARIANTS " == *" plain "* ]] || die "VARIANTS must include plain: the ratios are against it"
ensure_ghz
classpath=$(test_classpath)
certificates=$out/certificates
java -cp "$classpath" io.ovserve.bench.BenchCertificates "$certificates" || die "could not write the certificates"
if [[ -z ${IMAGES:-} ]]; then
    IMAGES=$out/photo.jpg
    java src/test/kube/WriteJpeg.java "$IMAGES" || die "could not write $IMAGES"
fi
f32_request=$out/request-resnet-f32.bin
jpeg_request=$out/request-resnet-jpeg.bin
affine_request=$out/request-affine.bin
IMAGES='' write_resnet_request "$f32_request"
write_resnet_request "$jpeg_request"
write_request "$affine_request" affine x 1 4

with_variant() {  # VARIANT COMMAND...: COMMAND with TLS and TLS_CLIENT_AUTH as VARIANT asks
    local variant=$1
    shift
    case $variant in
        plain) TLS='' "$@" ;;
        tls) TLS=$certificates TLS_CLIENT_AUTH=none "$@" ;;
        mtls) TLS=$certificates TLS_CLIENT_AUTH=required "$@" ;;
    esac
}

record() {  # NAME VARIANT MEASURED: appends the OK calls/s to $out/NAME-VARIANT.txt, dies on a call not OK
    local rate ok not_ok latency
    read -r rate ok not_ok latency <<<"$3"
    ((not_ok == 0)) || die "$1 $2: $not_ok calls were not OK; see $out/ghz-$1-$2-*.json or $out/handshake-*.txt"
    echo "round $round $1 $2: calls_per_s=$rate ok=$ok mean_latency_ms=${latency:-NA}" >&2
    echo "$rate" >>"$out/$1-$2.txt"
}

ghz_phase() {  # NAME VARIANT REQUEST FLAG...: warm-up, then the measured run, recorded
    local name=$1 variant=$2 request=$3
    shift 3
    with_variant "$variant" run_ghz "$name-$variant-$round-warmup" "$grpc_port" "$request" "$@" \
        --duration="${WARMUP_SECONDS}s" --duration-stop=ignore >/dev/null
    record "$name" "$variant" "$(with_variant "$variant" run_ghz "$name-$variant-$round" "$grpc_port" "$request" \
        "$@" --duration="${MEASURE_SECONDS}s" --duration-stop=ignore)"
}

handshake_phase() {  # fresh|resumed|reuse VARIANT: HandshakeRate against the affine server, recorded
    local mode=$1 variant=$2 tls_files=() file=$out/handshake-$1-$2-$round.txt
    [[ $variant == plain ]] || tls_files=("$certificates/ca.crt")
    [[ $variant != mtls ]] || tls_files+=("$certificates/client.crt" "$certificates/client.key")
    # shellcheck disable=SC2086 # the JVM options are a word list on purpose
    java $HANDSHAKE_JAVA_OPTS -cp "$classpath" io.ovserve.bench.HandshakeRate "$grpc_port" "$mode" \
        "$HANDSHAKE_CALLERS" "$WARMUP_SECONDS" "$HANDSHAKE_SECONDS" "${tls_files[@]}" >"$file" 2>&1 \
        || { tail -n 20 "$file" >&2; die "HandshakeRate $mode $variant failed"; }
    record "$mode" "$variant" "$(tail -n 1 "$file")"
}

variant_phase() {  # VARIANT: its resnet server, then its affine server
    local variant=$1 load
    phase_start
    with_variant "$variant" start_server "resnet-$variant-$round" '{"PERFORMANCE_HINT":"THROUGHPUT"}'
    load=(--concurrency="$((2 * nireq))" --connections=1)
    ghz_phase resnet-f32 "$variant" "$f32_request" "${load[@]}"
    ghz_phase resnet-jpeg "$variant" "$jpeg_request" "${load[@]}"
    stop_servers
    phase_end "resnet $variant round $round"
    log "round $round resnet $variant: others_cpu_pct=$others"
    phase_start
    SERVER_MODEL=affine with_variant "$variant" start_server "affine-$variant-$round" \
        '{"PERFORMANCE_HINT":"LATENCY","ENABLE_CPU_PINNING":"NO"}'
    ghz_phase affine "$variant" "$affine_request" --concurrency="$CONCURRENCY" --connections="$CONNECTIONS"
    handshake_phase fresh "$variant"
    [[ $variant == plain ]] || handshake_phase resumed "$variant"
    handshake_phase reuse "$variant"
    stop_servers
    phase_end "affine $variant round $round"
    log "round $round affine $variant: others_cpu_pct=$others"
}

rm -f "$out"/{resnet-f32,resnet-jpeg,affine,fresh,resumed,reuse}-*.txt
for ((round = 1; round <= ROUNDS; round++)); do
    for ((i = 0; i < ${#variants[@]}; i++)); do  # the order rotates: each variant leads a round in turn
        variant_phase "${variants[(i + round - 1) % ${#variants[@]}]}"
    done
done

rates() { echo "$(median <"$out/$1-$2.txt") (median of: $(paste -sd' ' "$out/$1-$2.txt"))"; }
machine
echo "variants=\"$VARIANTS\" rounds=$ROUNDS warmup_s=$WARMUP_SECONDS measured_s=$MEASURE_SECONDS images=$IMAGES affine_concurrency=$CONCURRENCY affine_connections=$CONNECTIONS handshake_callers=$HANDSHAKE_CALLERS handshake_s=$HANDSHAKE_SECONDS server_java_opts=\"$SERVER_JAVA_OPTS\" load_generator=ghz"
for name in resnet-f32 resnet-jpeg affine fresh resumed reuse; do
    for variant in "${variants[@]}"; do
        [[ -s $out/$name-$variant.txt ]] || continue  # plaintext resumes no session
        line="$name $variant calls_per_s=$(rates "$name" "$variant")"
        if [[ $variant != plain && $name != resumed ]]; then
            line+=" ratio $variant/plain=$(ratio "$(median <"$out/$name-$variant.txt")" "$(median <"$out/$name-plain.txt")")"
            [[ $name != resnet-* ]] || line+=" (goal >= 0.97)"
        fi
        echo "$line"
    done
done
for variant in "${variants[@]}"; do
    fresh=$(median <"$out/fresh-$variant.txt")
    if [[ $variant == plain ]]; then
        line="plain: new connections per second (one per call)=$fresh"
    else
        line="$variant: full handshakes per second (a new connection per call)=$fresh"
        line+=", resumed/fresh=$(ratio "$(median <"$out/resumed-$variant.txt")" "$fresh")"
    fi
    echo "$line, what reuse saves: reuse/fresh=$(ratio "$(median <"$out/reuse-$variant.txt")" "$fresh")"
done
