package kfp.store.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a server's real main class as a process on the test's class path, with the database
 * settings of the surrounding environment removed, and reports its exit status and stderr lines.
 */
public final class MainProcess {

    public record Result(int exit, List<String> stderr) {
    }

    private MainProcess() {
    }

    /**
     * Runs {@code main} (while another connection holds the H2 database {@code heldH2Path} open,
     * unless null) and checks that it stops with exit status 1 and one stderr line starting with
     * {@code expected}.
     */
    public static void assertFailsWithOneLine(Class<?> main, List<String> args, Map<String, String> env, Path dir,
                                              String heldH2Path, String expected) throws Exception {
        try (java.sql.Connection holder = heldH2Path == null ? null : java.sql.DriverManager.getConnection(
                kfp.store.config.DatabaseConfig.h2FileUrl(heldH2Path), "sa", "")) {
            Result r = run(main, args, env, dir);
            org.assertj.core.api.Assertions.assertThat(r.exit()).as("exit status of %s", args).isEqualTo(1);
            org.assertj.core.api.Assertions.assertThat(r.stderr()).as("stderr of %s", args).hasSize(1);
            org.assertj.core.api.Assertions.assertThat(r.stderr().get(0)).startsWith(expected);
        }
    }

    public static Result run(Class<?> main, List<String> args, Map<String, String> env, Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("DBCONFIG_") || k.equals("DBDRIVERNAME")
                || k.endsWith("_CACHE_STALENESS"));
        pb.environment().putAll(env);
        pb.directory(dir.toFile());
        File err = dir.resolve("stderr.txt").toFile();
        pb.redirectError(err);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the server did not exit");
        }
        List<String> lines = Arrays.stream(Files.readString(err.toPath(), StandardCharsets.UTF_8).split("\n"))
                .filter(l -> !l.isBlank()).toList();
        return new Result(p.exitValue(), lines);
    }
}
