package io.ovserve.client.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Logging of the client mode: one line per record on stderr. Under {@code quarkus-run.jar} the
 * root logger holds a handler that buffers records until Quarkus configures logging, which the
 * client mode never lets happen: without this, discovery's and Stork's messages would never show.
 */
final class ConsoleLogging {

    private ConsoleLogging() {
    }

    static void install() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s [%3$s] %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new SimpleFormatter());
        console.setLevel(Level.INFO);
        root.addHandler(console);
        root.setLevel(Level.INFO);
    }
}
