package io.ovserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ProcessRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest is accepted as written by a real Kubernetes API server (server-side dry run, with
 * Istio's, the Prometheus operator's and cert-manager's CRDs, under the "restricted" Pod Security Standard), through
 * src/test/k8s/manifests-dry-run.sh. The API server is the team's kube-apiserver.sh, built once (about 9
 * minutes): without it this test is skipped, unless -Dkube-apiserver.required=true (.ci/run).
 */
class ApiServerDryRunIT {

    private static final Path TOOL = Path.of(System.getenv().getOrDefault("KUBE_APISERVER_SH",
            "../shared/tools/kube-apiserver.sh"));
    private static final Path BINARIES = Path.of(System.getenv().getOrDefault("KUBE_BIN",
            System.getenv().getOrDefault("KUBE_HOME", "/tmp/kube") + "/bin"));
    /** Kinds only OpenShift serves (its S2I build): no vanilla API server or CRD knows them. */
    private static final List<String> OPENSHIFT_ONLY = List.of("ImageStream", "BuildConfig");

    private static List<String> verdicts;

    @BeforeAll
    static void dryRunEveryManifest() throws IOException, InterruptedException {
        boolean available = Files.isExecutable(TOOL) && Files.isExecutable(BINARIES.resolve("kube-apiserver"));
        if (!Boolean.getBoolean("kube-apiserver.required")) {
            Assumptions.assumeTrue(available, "no kube-apiserver: " + TOOL + " build");
        }
        ProcessRun run = ProcessRun.of(List.of("src/test/k8s/manifests-dry-run.sh", "target/kubernetes/kubernetes.yml",
                "target/kubernetes/openshift.yml", "target/kubernetes/openshift-client.yml", "src/main/kubernetes/client.yml", "src/main/kubernetes/mesh.yml",
                "src/main/kubernetes/cert-manager.yml"),
                300);
        assertThat(run.exit()).as("dry run:\n%s", run.output()).isZero();
        verdicts = run.output().lines().filter(line -> line.matches("^\\S+#\\d+ .*")).toList();
    }

    @Test
    void everyDocumentIsCheckedAndAcceptedButOpenShiftsOwnKinds() {
        assertThat(verdicts).hasSizeGreaterThanOrEqualTo(27).allSatisfy(verdict -> {
            if (verdict.contains(": skipped")) {
                assertThat(verdict).startsWith("target/kubernetes/openshift.yml#")
                        .matches(v -> OPENSHIFT_ONLY.stream().anyMatch(kind -> v.contains(" " + kind + "/")));
            } else {
                assertThat(verdict).contains(": accepted");
            }
        });
    }

    @Test
    void everyPodTemplateRunsUnderTheRestrictedPodSecurityStandard() {
        assertThat(verdicts).noneMatch(verdict -> verdict.contains("would violate PodSecurity"));
    }

    @Test
    void certManagerResourcesAreValidAgainstItsSchemas() {
        assertThat(verdicts.stream().filter(verdict -> verdict.startsWith("src/main/kubernetes/cert-manager.yml#")))
                .hasSize(5).allSatisfy(verdict -> assertThat(verdict).contains(".cert-manager.io/"));
    }

    @Test
    void meshExtrasAreValidAgainstIstiosSchemas() {
        assertThat(verdicts.stream().filter(verdict -> verdict.startsWith("src/main/kubernetes/mesh.yml#")))
                .hasSize(4).allSatisfy(verdict -> assertThat(verdict).contains(".networking.istio.io/"));
    }
}
