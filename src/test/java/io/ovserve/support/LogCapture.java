package io.ovserve.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/** The messages one logger writes while this is open, formatted as the log line shows them. */
public final class LogCapture extends Handler implements AutoCloseable {

    /** Formats the parameters of a record that is not JBoss's own, as a System.Logger's {@code {0}}. */
    private static final SimpleFormatter PLAIN = new SimpleFormatter();

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();
    private final List<Level> levels = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    public static LogCapture of(Class<?> loggingClass) {
        LogCapture capture = new LogCapture(Logger.getLogger(loggingClass.getName()));
        capture.logger.addHandler(capture);
        return capture;
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The level of each message, in order. */
    public List<Level> levels() {
        return List.copyOf(levels);
    }

    /** The exceptions logged with a message (stack traces in the log), in order. */
    public List<Throwable> thrown() {
        return List.copyOf(thrown);
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : PLAIN.formatMessage(record));
        levels.add(record.getLevel());
        if (record.getThrown() != null) {
            thrown.add(record.getThrown());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
