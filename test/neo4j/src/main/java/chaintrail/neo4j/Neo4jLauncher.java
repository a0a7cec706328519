package chaintrail.neo4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j 5 Community, embedded, with its Bolt connector on 127.0.0.1: the server chaintrail's
 * tests and local runs talk to through neo4j-driver, exactly as they talk to a production
 * server. It runs until it is sent SIGTERM or SIGINT, then shuts the database down cleanly.
 *
 * <p>Authentication is off: this server listens on the loopback interface only and exists for
 * tests and a developer's own machine. Production servers (docker-compose.yml, a managed
 * instance) keep authentication on.
 *
 * <pre>
 * java -cp ... chaintrail.neo4j.Neo4jLauncher [--port 7688] [--data DIR] [--page-cache-mb 512] [--wipe]
 * </pre>
 */
public final class Neo4jLauncher {
  private static final String HOST = "127.0.0.1";

  private Neo4jLauncher() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("chaintrail-neo4j: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }

    if (options.wipe) {
      deleteRecursively(options.dataDir);
    }
    Files.createDirectories(options.dataDir);

    long started = System.nanoTime();
    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(options.dataDir)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, options.port))
            .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, options.port))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(options.pageCacheMb))
            // Test data is disposable: keep one transaction log file instead of Neo4j's two
            // days and rotate small, so tests that write and wipe all day do not fill the
            // disk. Logs are pruned only at checkpoints, so those come by volume (256 MiB of
            // log, a few hundred thousand stored transactions) and at least every 5 minutes:
            // a checkpoint flushes every dirty page, and one a minute during a bulk load
            // rewrote the same pages again and again (Neo4j's own default is 15 minutes).
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
            .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
            .setConfig(GraphDatabaseSettings.check_point_interval_time, Duration.ofMinutes(5))
            .setConfig(GraphDatabaseSettings.check_point_interval_volume, ByteUnit.mebiBytes(256))
            .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
            .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("chaintrail-neo4j: shutting down");
                  dbms.shutdown();
                  stopped.countDown();
                },
                "chaintrail-neo4j-shutdown"));

    // Opening the default database proves it is online before we announce readiness.
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "chaintrail-neo4j: ready at bolt://%s:%d (data %s, started in %d ms)%n",
        HOST, options.port, options.dataDir.toAbsolutePath(), millis);
    stopped.await();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private record Options(int port, Path dataDir, long pageCacheMb, boolean wipe) {
    static final String USAGE =
        "usage: Neo4jLauncher [--port 7688] [--data DIR] [--page-cache-mb 512] [--wipe]";

    static Options parse(String[] args) {
      int port = 7688;
      Path dataDir = Path.of("data");
      long pageCacheMb = 512;
      boolean wipe = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--port" -> port = parsePort(value(args, ++i, arg));
          case "--data" -> dataDir = Path.of(value(args, ++i, arg));
          case "--page-cache-mb" -> pageCacheMb = parsePositive(value(args, ++i, arg), arg);
          case "--wipe" -> wipe = true;
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      return new Options(port, dataDir, pageCacheMb, wipe);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }

    private static int parsePort(String text) {
      long port = parsePositive(text, "--port");
      if (port > 65535) {
        throw new IllegalArgumentException("--port " + text + " is not a TCP port (1-65535)");
      }
      return (int) port;
    }

    private static long parsePositive(String text, String flag) {
      try {
        long value = Long.parseLong(text);
        if (value <= 0) {
          throw new NumberFormatException();
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " " + text + " is not a positive number");
      }
    }
  }
}
