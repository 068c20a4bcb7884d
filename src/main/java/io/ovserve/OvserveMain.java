package io.ovserve;

import io.ovserve.client.cli.ClientCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * One jar, two modes: {@code client [flags]} runs the balancing client and exits, without booting
 * Quarkus (so no port is opened and no model is loaded); anything else starts the server.
 */
@QuarkusMain
public final class OvserveMain {

    private OvserveMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("client")) {
            System.exit(ClientCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        Quarkus.run(args);
    }
}
