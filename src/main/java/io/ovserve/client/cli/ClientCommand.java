package io.ovserve.client.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client mode: {@code java -jar quarkus-run.jar client [flags]}. Sends Predict calls as the
 * seed's {@code resnet_client_benchmark} did, prints a progress line per second on stderr and a
 * report at the end. Plain Java: it boots no Quarkus, opens no port and loads no model.
 *
 * <p>Exit status: 0 when every call succeeded, 1 when some failed, 2 on bad flags or when the run
 * could not start.
 */
public final class ClientCommand {

    private ClientCommand() {
    }

    public static int run(String... args) {
        ConsoleLogging.install();
        if (ClientOptions.helpRequested(args)) {
            System.out.println(ClientOptions.USAGE);
            return 0;
        }
        ClientOptions options;
        try {
            options = ClientOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("client: " + e.getMessage() + "\n" + ClientOptions.USAGE);
            return 2;
        }
        try (Caller caller = options.grpcAddress().isPresent() ? new PlainChannelCaller(options)
                : new BalancedCaller(options)) {
            Workload workload;
            try {
                workload = Workload.of(options, caller);
            } catch (IOException | RuntimeException e) {
                System.err.println("client: cannot prepare the requests: " + e.getMessage());
                return 2;
            }
            if (options.warmupSeconds() > 0) {
                System.err.printf("client: warming up for %d s%n", options.warmupSeconds());
                new LoadRun(caller, workload, 0, options.warmupSeconds(), options.maxParallelRequests()).run();
            }
            caller.resetCounts();
            LoadRun run = new LoadRun(caller, workload, options.iterations(), options.durationSeconds(),
                    options.maxParallelRequests());
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            progress.scheduleAtFixedRate(() -> printProgress(run, start), 1, 1, TimeUnit.SECONDS);
            long elapsed;
            try {
                elapsed = run.run();
            } finally {
                progress.shutdownNow();
            }
            Report report = Report.of(run, elapsed, options, caller);
            System.out.print(report.text());
            if (options.json().isPresent()) {
                Files.writeString(options.json().get(), report.json());
            }
            return run.failed() == 0 ? 0 : 1;
        } catch (IOException e) {
            System.err.println("client: cannot write the report: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            System.err.println("client: " + e);
            return 2;
        }
    }

    private static void printProgress(LoadRun run, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = run.ok() + run.failed();
        String total = run.total() < 0 ? "" : "/" + run.total();
        System.err.printf(Locale.ROOT, "client: %d%s done, %.1f calls/s, %d errors%n", done, total, done / seconds,
                run.failed());
    }
}
