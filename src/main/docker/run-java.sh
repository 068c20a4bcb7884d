#!/bin/sh
# The image's entrypoint, on the UBI base and on the Debian one alike (UBI's own
# /opt/jboss/container/java/run/run-java.sh exists only on UBI). It keeps the part of UBI's
# contract that matters here: JAVA_OPTS replaces the default JVM options, JAVA_OPTS_APPEND (set by
# the manifests) is added after them, and the arguments go to the application (`client ...` runs
# the client mode). `exec` makes the JVM PID 1, so SIGTERM from `podman stop` or the kubelet reaches
# it and Quarkus's graceful shutdown (readiness DOWN, drain) runs.
#
# Default heap: at most half the container's memory limit. The rest is for OpenVINO's native memory
# (compiled model, infer requests, JPEG decoding) and the JVM's own: RSS beside the heap was about
# 600 MB under the seed's JPEG load (docs/benchmarks.md), so UBI's 80% of the manifests' 2 GiB would
# pass the limit. The JVM's default, a quarter, also holds, with a smaller request queue (ovserve's
# queue-bytes is a quarter of the heap).
# The options are split on spaces, as UBI's script splits them, and never globbed.
set -f
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=50} ${JAVA_OPTS_APPEND:-} -jar /deployments/quarkus-run.jar "$@"
