package kg.neo4j;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Launcher for an embedded Neo4j Community DBMS, run as a child process of the Node service
 * (see src/db/embedded/embeddedNeo4j.ts).
 *
 * <p>Usage: {@code java -cp launcher.jar:lib/* kg.neo4j.EmbeddedNeo4j --home DIR --port N --pagecache 256M}
 * [--plugins DIR]: with {@code --plugins}, the procedure jars in DIR (e.g. APOC core) are loaded and
 * {@code apoc.*} procedures run unrestricted; without it, no plugin is loaded (the default).
 *
 * <p>Protocol with the parent process:
 * <ul>
 *   <li>stdout: exactly one line {@code NEO4J_READY bolt://127.0.0.1:PORT} once Bolt accepts connections,
 *       and {@code NEO4J_STOPPED} after a clean shutdown. Nothing else is written to stdout: anything a
 *       library prints to System.out goes to {@code <home>/logs/stdout.log}. Neo4j's own logs
 *       (debug.log etc.) stay in {@code <home>/logs}.</li>
 *   <li>stderr: on failure, one line {@code NEO4J_ERROR <message>} and exit status 1 (bad arguments: 2).</li>
 *   <li>stdin: the launcher never reads input, but when stdin reaches EOF (the parent closed the pipe or
 *       died) it shuts the DBMS down and exits. This is what guarantees that no orphan JVM survives
 *       the Node process.</li>
 *   <li>SIGTERM / SIGINT: clean shutdown through a JVM shutdown hook.</li>
 * </ul>
 *
 * <p>Security: authentication is DISABLED. This is only acceptable because Bolt listens on the loopback
 * interface (127.0.0.1) exclusively, and HTTP is not on the classpath; every local user of the machine can
 * still reach the database, so do not use this launcher on shared hosts or bind it to another address.
 */
public final class EmbeddedNeo4j {
    private static final String LOOPBACK = "127.0.0.1";

    private static final Object LIFECYCLE_LOCK = new Object();
    private static final AtomicBoolean shutdownStarted = new AtomicBoolean(false);
    private static final CountDownLatch shutdownDone = new CountDownLatch(1);
    private static volatile DatabaseManagementService dbms;
    private static PrintStream protocolOut;

    private EmbeddedNeo4j() {}

    public static void main(String[] args) {
        // Keep the real stdout for the protocol lines only.
        protocolOut = new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage() + " (usage: --home DIR --port N [--pagecache 256M] [--auth true|false] [--plugins DIR])", 2);
            return;
        }

        try {
            Path home = options.home.toAbsolutePath().normalize();
            if (Files.exists(home) && !Files.isDirectory(home)) {
                throw new IllegalArgumentException("--home " + home + " exists and is not a directory");
            }
            Path logs = home.resolve("logs");
            Files.createDirectories(logs);
            // Anything written to System.out by libraries goes to a file, not to the protocol stream.
            System.setOut(new PrintStream(new FileOutputStream(logs.resolve("stdout.log").toFile(), true), true,
                    StandardCharsets.UTF_8));

            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedNeo4j::shutdown, "neo4j-shutdown-hook"));
            startStdinWatcher();

            DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                    // The builder's home dir is server.directories.neo4j_home: data/ and logs/ live under it.
                    .setConfig(GraphDatabaseSettings.logs_directory, logs)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, options.port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(LOOPBACK, options.port))
                    // Loopback only, see the class comment. Tests switch auth on to exercise refused logins.
                    .setConfig(GraphDatabaseSettings.auth_enabled, options.auth)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, options.pageCacheBytes)
                    .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(10))
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // Bolt waits 5 s twice for idle connections/threads on shutdown by default; 1 s is plenty locally.
                    .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                    .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1));
            if (options.plugins != null) {
                Path plugins = options.plugins.toAbsolutePath().normalize();
                if (!Files.isDirectory(plugins)) {
                    throw new IllegalArgumentException("--plugins " + plugins + " is not a directory");
                }
                builder.setConfig(GraphDatabaseSettings.plugin_dir, plugins)
                        .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
            }

            DatabaseManagementService service;
            // The shutdown hook takes the same lock, so a SIGTERM or stdin EOF during start-up waits for
            // build() to finish and then shuts the DBMS down cleanly instead of cutting it off half-started.
            // (Never call System.exit while holding it: the hook would deadlock.)
            synchronized (LIFECYCLE_LOCK) {
                if (shutdownStarted.get()) {
                    return;
                }
                service = builder.build();
                dbms = service;
            }

            GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!db.isAvailable(Duration.ofSeconds(60).toMillis())) {
                throw new IllegalStateException("database '" + db.databaseName() + "' did not become available");
            }
            int port = boltPort(db, options.port);
            protocolOut.println("NEO4J_READY bolt://" + LOOPBACK + ":" + port);
        } catch (Throwable t) {
            fail(describe(t), 1);
        }
        // main returns; the JVM stays alive (Neo4j threads are non-daemon) until shutdown.
    }

    /** Actual bound Bolt port (differs from the requested one when it was 0). */
    private static int boltPort(GraphDatabaseService db, int requested) {
        try {
            ConnectorPortRegister ports = ((GraphDatabaseAPI) db).getDependencyResolver()
                    .resolveDependency(ConnectorPortRegister.class);
            var address = ports.getLocalAddress(ConnectorType.BOLT);
            if (address != null) {
                return address.getPort();
            }
        } catch (RuntimeException ignored) {
            // Internal API; fall back to the requested port.
        }
        return requested;
    }

    private static void startStdinWatcher() {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] buffer = new byte[256];
                while (in.read(buffer) != -1) {
                    // Ignore input; we only care about EOF.
                }
            } catch (IOException ignored) {
                // Treat a broken stdin like EOF.
            }
            System.exit(0); // runs the shutdown hook
        }, "stdin-eof-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void shutdown() {
        if (!shutdownStarted.compareAndSet(false, true)) {
            awaitShutdown();
            return;
        }
        try {
            DatabaseManagementService service;
            synchronized (LIFECYCLE_LOCK) {
                service = dbms;
            }
            if (service != null) {
                service.shutdown();
                protocolOut.println("NEO4J_STOPPED");
            }
        } catch (Throwable t) {
            System.err.println("NEO4J_ERROR shutdown failed: " + describe(t));
            System.err.flush();
        } finally {
            shutdownDone.countDown();
        }
    }

    private static void awaitShutdown() {
        try {
            shutdownDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(String message, int status) {
        System.err.println("NEO4J_ERROR " + message);
        System.err.flush();
        // exit runs the shutdown hook, which stops the DBMS if build() had succeeded.
        System.exit(status);
    }

    /** One line: the deepest cause's class and message, with the top-level message when different. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        String text;
        if (root == t) {
            text = top;
        } else {
            String rootMessage = root.getMessage() != null ? root.getMessage() : "";
            text = top + ": " + root.getClass().getSimpleName() + (rootMessage.isEmpty() ? "" : ": " + rootMessage);
        }
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    static final class Options {
        Path home;
        int port = 7687;
        long pageCacheBytes = 256L * 1024 * 1024;
        boolean auth = false;
        /** Directory of procedure plugin jars; null loads none. */
        Path plugins;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (arg) {
                    case "--home" -> o.home = Path.of(require(arg, value));
                    case "--port" -> o.port = parsePort(require(arg, value));
                    case "--pagecache" -> o.pageCacheBytes = parseBytes(require(arg, value));
                    case "--auth" -> o.auth = Boolean.parseBoolean(require(arg, value));
                    case "--plugins" -> o.plugins = Path.of(require(arg, value));
                    default -> throw new IllegalArgumentException("unknown argument " + arg);
                }
                i++;
            }
            if (o.home == null) {
                throw new IllegalArgumentException("--home is required");
            }
            return o;
        }

        private static String require(String flag, String value) {
            if (value == null || value.startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return value;
        }

        private static int parsePort(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port must be an integer 0-65535, got " + value);
            }
        }

        /** "256M", "1G", "512k", or a plain number of megabytes. */
        static long parseBytes(String value) {
            String v = value.trim().toUpperCase(java.util.Locale.ROOT);
            if (v.endsWith("B")) {
                v = v.substring(0, v.length() - 1);
            }
            long multiplier = 1024L * 1024;
            if (v.endsWith("K")) {
                multiplier = 1024L;
                v = v.substring(0, v.length() - 1);
            } else if (v.endsWith("M")) {
                v = v.substring(0, v.length() - 1);
            } else if (v.endsWith("G")) {
                multiplier = 1024L * 1024 * 1024;
                v = v.substring(0, v.length() - 1);
            }
            try {
                long n = Long.parseLong(v);
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n * multiplier;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--pagecache must look like 256M or 1G, got " + value);
            }
        }
    }
}
