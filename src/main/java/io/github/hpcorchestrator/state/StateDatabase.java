package io.github.hpcorchestrator.state;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.transport.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Opens, creates and migrates the state database file; {@link StateStore} reads and writes it. */
final class StateDatabase {
  private static final int SCHEMA_VERSION = 2;

  private StateDatabase() {
  }

  /** Makes an existing state folder private (0700) before anything is written into it. */
  static void makePrivate(Path stateDir) {
    try {
      Files.setPosixFilePermissions(stateDir, AtomicFiles.permissions(0700));
    } catch (IOException e) {
      throw new OperationFailedException("cannot make " + stateDir + " private: " + e.getMessage(), e);
    }
  }

  /**
   * A connection to the database in {@code stateDir}, created complete (folder 0700, file 0600,
   * WAL, current schema) if it does not exist yet, and migrated if it is older.
   */
  static Connection connect(Path stateDir) {
    try {
      if (!Files.isDirectory(stateDir)) {
        Files.createDirectories(stateDir);
      }
      Files.setPosixFilePermissions(stateDir, AtomicFiles.permissions(0700));
      Path file = stateDir.resolve("state.db");
      if (!Files.exists(file)) {
        createInitialized(stateDir, file);
      }
      Connection db = openConnection(file);
      // Older databases may still be in rollback mode; WAL only lets readers run beside a writer, so
      // a busy database is left as it is rather than waited for.
      if (!"wal".equalsIgnoreCase(journalMode(db))) {
        try (Statement st = db.createStatement()) {
          st.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException busy) {
          // Still correct in rollback mode: writers wait for each other through the busy timeout.
        }
      }
      // Migrating takes the write lock; a database already at this version is only read.
      if (!atCurrentVersion(db)) {
        migrate(db);
      }
      return db;
    } catch (IOException | SQLException e) {
      throw new OperationFailedException("cannot open state in " + stateDir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the database complete (WAL mode, schema) under a private name and links it into place,
   * so no process ever opens a half-made database. Switching a shared database to WAL fails with
   * SQLITE_BUSY without waiting when another process holds it, which parallel first calls did.
   */
  private static void createInitialized(Path stateDir, Path file) throws IOException, SQLException {
    Path draft = stateDir.resolve("state.db." + ProcessHandle.current().pid() + "."
        + java.util.UUID.randomUUID() + ".new");
    Files.createFile(draft, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        AtomicFiles.permissions(0600)));
    try {
      try (Connection c = openConnection(draft)) {
        try (Statement st = c.createStatement()) {
          st.execute("PRAGMA journal_mode = WAL");
        }
        migrate(c);
      }
      try {
        Files.createLink(file, draft);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // Another process made it first; theirs is just as complete.
      }
    } finally {
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(stateDir.resolve(draft.getFileName() + suffix));
      }
    }
  }

  private static Connection openConnection(Path file) throws SQLException {
    org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
    config.setBusyTimeout(30_000);
    config.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.NORMAL);
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
  }

  private static String journalMode(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      return rs.next() ? rs.getString(1) : "";
    }
  }

  private static boolean atCurrentVersion(Connection c) {
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
      return rs.next() && Integer.toString(SCHEMA_VERSION).equals(rs.getString(1));
    } catch (SQLException noMetaTable) {
      return false;
    }
  }

  private static void migrate(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS sessions ("
            + " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " session_id TEXT UNIQUE,"
            + " recipe TEXT NOT NULL,"
            + " started_at INTEGER NOT NULL,"
            + " ended_at INTEGER)");
        st.execute("CREATE TABLE IF NOT EXISTS services ("
            + " service_id TEXT PRIMARY KEY,"
            + " name TEXT NOT NULL,"
            + " session_id TEXT NOT NULL,"
            + " backend TEXT NOT NULL,"
            + " job_id TEXT NOT NULL,"
            + " service_dir TEXT NOT NULL,"
            + " requested_port INTEGER NOT NULL,"
            + " state TEXT NOT NULL,"
            + " node TEXT NOT NULL,"
            + " host TEXT NOT NULL,"
            + " port INTEGER NOT NULL,"
            + " exit_code INTEGER,"
            + " submitted_at INTEGER NOT NULL,"
            + " started_at INTEGER,"
            + " ended_at INTEGER,"
            + " recipe TEXT NOT NULL,"
            + " reason TEXT NOT NULL DEFAULT '')");
        // Version 1 had no reason column; a database made by it gets one.
        boolean hasReason = false;
        try (ResultSet columns = st.executeQuery("PRAGMA table_info(services)")) {
          while (columns.next()) {
            hasReason |= "reason".equals(columns.getString("name"));
          }
        }
        if (!hasReason) {
          st.execute("ALTER TABLE services ADD COLUMN reason TEXT NOT NULL DEFAULT ''");
        }
        st.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
        st.execute("COMMIT");
      } catch (SQLException e) {
        st.execute("ROLLBACK");
        throw e;
      }
    }
  }
}
