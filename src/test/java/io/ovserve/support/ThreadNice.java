package io.ovserve.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Linux nice values of this process's threads, read from /proc (field 19 of a task's stat). */
public record ThreadNice(String name, int nice) {

    /** The calling thread's nice value. */
    public static int own() {
        try {
            return of(Files.readString(Path.of("/proc/thread-self/stat"))).nice();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every thread of this process, with its name (as the kernel truncates it, 15 characters). */
    public static List<ThreadNice> all() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.flatMap(task -> {
                try {
                    return Stream.of(of(Files.readString(task.resolve("stat"))));
                } catch (IOException e) {
                    return Stream.empty(); // the thread ended meanwhile
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name sits in parentheses and may hold spaces: fields are counted after its closing one. */
    private static ThreadNice of(String stat) {
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new ThreadNice(name, Integer.parseInt(fields[16]));
    }
}
