#!/usr/bin/env bash
# Checks what the `native` profile hands to native-image, without GraalVM or Mandrel: runs the native build
# up to, not including, native-image (-Dquarkus.native.sources-only=true), then reads target/native-sources/.
#
#   native/check-native-sources.sh            build, then check
#   native/check-native-sources.sh --no-build check the existing target/native-sources
#
# OVSERVE_MVN overrides the Maven command (default: ./mvnw -B). Needs python3 (the build needs it anyway).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--no-build" ]; then
    # shellcheck disable=SC2086
    ${OVSERVE_MVN:-./mvnw -B} package -Pnative -Dquarkus.native.sources-only=true -DskipTests
fi

exec python3 - target/native-sources <<'EOF'
import glob, json, os, re, sys, zipfile

sources = sys.argv[1]
failures = []

def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)

args = open(os.path.join(sources, "native-image.args")).read().split()
for cls in ("org.bytedeco.javacpp", "io.ovserve.openvino.binding", "io.ovserve.openvino.Core",
            "io.ovserve.image.LibJpegTurbo", "io.ovserve.os.Nice"):
    check("--initialize-at-run-time=" + cls in args, "native-image.args: --initialize-at-run-time=" + cls)

runner = zipfile.ZipFile(glob.glob(os.path.join(sources, "*-runner.jar"))[0])
names = set(runner.namelist())
configs = "META-INF/native-image/io.ovserve/ovserve/javacpp/"
# Our JNI libraries: the OpenVINO binding, the JPEG decoder and nice, each with the libraries JavaCPP copies beside it.
libraries = {
    "jniOpenVinoC": ("io/ovserve/openvino/linux-x86_64/", "libopenvino_intel_cpu_plugin.so"),
    "jniLibJpegTurbo": ("io/ovserve/image/linux-x86_64/", "libjpeg.so.62"),
    "jniNice": ("io/ovserve/os/linux-x86_64/", None),
}
for library in libraries:
    for f in ("jni-config.json", "reflect-config.json", "resource-config.json"):
        check(configs + library + "/" + f in names, "runner jar: " + configs + library + "/" + f
              + " (written by JavaCPP's Generator)")
if failures:
    sys.exit("native sources incomplete: " + "; ".join(failures))

# Every class of the generated binding (and the presets class they inherit from), and the JPEG class, are
# registered for JNI and reflection.
bound = {n[:-len(".class")].replace("/", ".") for n in names
         if n.startswith("io/ovserve/openvino/binding/") and n.endswith(".class")}
bound.add("io.ovserve.openvino.presets.OpenVinoPresets")
for library, classes in (("jniOpenVinoC", bound), ("jniLibJpegTurbo", {"io.ovserve.image.LibJpegTurbo"}),
                         ("jniNice", {"io.ovserve.os.Nice"})):
    for f in ("jni-config.json", "reflect-config.json"):
        registered = {entry["name"] for entry in json.loads(runner.read(configs + library + "/" + f))}
        missing = sorted(classes - registered)
        check(not missing, f"{library}/{f}: all {len(classes)} bound classes registered"
              + (f", missing {missing}" if missing else ""))

# The libraries JavaCPP copied are in the jar and in the image's resources (Quarkus' resource-config.json,
# from quarkus.native.resources.includes), and so are libjnijavacpp and JavaCPP's platform properties.
def java_regex(pattern):  # Java's \Q...\E quoting, which Python's re lacks
    return re.compile(re.sub(r"\\Q(.*?)\\E", lambda m: re.escape(m.group(1)), pattern))
includes = [java_regex(i["pattern"]) for i in
            json.loads(runner.read("META-INF/native-image/resource-config.json"))["resources"]["includes"]]
def embedded(name):
    return any(p.fullmatch(name) for p in includes)

for library, (folder, dependency) in libraries.items():
    libs = [re.sub(r"^\.\*/", "", r["pattern"]) for r in
            json.loads(runner.read(configs + library + "/resource-config.json"))["resources"]
            if r["pattern"].startswith(".*/lib")]
    check("lib" + library + ".so" in libs and (dependency is None or dependency in libs),
          f"JavaCPP's resource-config.json names lib{library}.so" + (f" and {dependency}" if dependency else ""))
    for lib in libs:
        check(folder + lib in names and embedded(folder + lib), "runner jar + image resources: " + folder + lib)

javacpp = zipfile.ZipFile(glob.glob(os.path.join(sources, "lib", "org.bytedeco.javacpp-*-linux-x86_64.jar"))[0])
for name in ("org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so",
             "META-INF/native-image/linux-x86_64/jnijavacpp/jni-config.json"):
    check(name in javacpp.namelist(), "lib/" + os.path.basename(javacpp.filename) + ": " + name)
check(embedded("org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so"), "image resources: libjnijavacpp.so")
check(embedded("org/bytedeco/javacpp/properties/linux-x86_64.properties"), "image resources: JavaCPP's linux-x86_64.properties")

print("GraalVM/Mandrel version Quarkus expects:", open(os.path.join(sources, "graalvm.version")).read().strip())
if failures:
    sys.exit(f"{len(failures)} check(s) failed")
print("native sources OK (native-image itself was not run)")
EOF
