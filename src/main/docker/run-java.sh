#!/bin/sh
# The image's entrypoint, on the UBI base and on the Debian one alike (UBI's own
# /opt/jboss/container/java/run/run-java.sh exists only on UBI). It keeps the part of UBI's
# contract that matters here: JAVA_OPTS replaces the default JVM options, JAVA_OPTS_APPEND (set by
# the manifests) is added after them, and the arguments go to the application (`client ...` runs
# the client mode). `exec` makes the JVM PID 1, so SIGTERM from `podman stop` or the kubelet reaches
# it and Quarkus's graceful shutdown (readiness DOWN, drain) runs.
#
# Default heap: half the container's memory limit. The JVM's own default (a quarter) starves the
# request queue, whose byte budget is a quarter of the heap; UBI's 80% leaves too little for
# OpenVINO's native memory (compiled model, infer requests, JPEG decoding) and the JVM's own.
exec java ${JAVA_OPTS:--XX:MaxRAMPercentage=50} ${JAVA_OPTS_APPEND:-} -jar /deployments/quarkus-run.jar "$@"
