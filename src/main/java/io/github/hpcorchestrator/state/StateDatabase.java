package io.github.hpcorchestrator.state;

import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Opens, creates and migrates the state database file; {@link StateStore} reads and writes it. */
final class StateDatabase {
  /** The database's name in the state folder. */
  static final String FILE = "state.db";
  private static final int SCHEMA_VERSION = 3;
  // SQLite primary result codes (sqlite3.h).
  private static final int SQLITE_PERM = 3;
  private static final int SQLITE_READONLY = 8;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;
  private static final Pattern DRAFT = Pattern.compile(Pattern.quote(FILE) + "\\.([0-9]+)\\.[0-9a-f-]+\\.new(-wal|-shm)?");

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

  /** An open database, and whether it could only be opened for reading. */
  record Handle(Connection connection, boolean readOnly) {}

  /**
   * The database in {@code stateDir}, created complete (folder 0700, file 0600, WAL, current
   * schema) if it does not exist yet, and migrated if it is older. A database that cannot be
   * written (read-only file, folder or mount) is opened for reading only.
   *
   * @throws OperationFailedException one line naming the file and what to do, when it is empty,
   *     not a database, or cannot be created
   */
  static Handle connect(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    if (Files.exists(file) && !(Files.isWritable(file) && Files.isWritable(stateDir))) {
      return new Handle(openReadOnly(file), true);
    }
    try {
      if (!Files.isDirectory(stateDir)) {
        Files.createDirectories(stateDir);
      }
      Files.setPosixFilePermissions(stateDir, AtomicFiles.permissions(0700));
      removeStaleDrafts(stateDir);
      if (!Files.exists(file)) {
        createInitialized(stateDir, file);
      }
    } catch (IOException | SQLException e) {
      throw new OperationFailedException("cannot create the state database " + file + ": " + describe(e)
          + "; make state_dir writable or set state_dir to another folder", e);
    }
    requireNotEmpty(file);
    try {
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
      return new Handle(db, false);
    } catch (SQLException e) {
      throw problem(file, e);
    }
  }

  /**
   * Reads a database that cannot be written. SQLite needs its WAL index (-shm) to read a WAL
   * database, which a read-only folder cannot hold; such a database is read as immutable, which
   * it is while nobody can write it.
   */
  private static Connection openReadOnly(Path file) {
    requireNotEmpty(file);
    SQLException first = null;
    for (String url : List.of("jdbc:sqlite:" + file.toAbsolutePath(),
        "jdbc:sqlite:file:" + uriPath(file) + "?immutable=1")) {
      org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
      config.setReadOnly(true);
      config.setBusyTimeout(30_000);
      Connection c = null;
      try {
        c = DriverManager.getConnection(url, config.toProperties());
        // SQLite opens lazily: this read is where an unreadable WAL database fails.
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
          rs.next();
        }
        if (!atCurrentVersion(c)) {
          c.close();
          throw new OperationFailedException("the state database " + file + " is read-only and needs an"
              + " update to this version's schema: make it writable and run any command once");
        }
        return c;
      } catch (SQLException e) {
        closeQuietly(c);
        if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB || (e.getErrorCode() & 0xff) == SQLITE_CORRUPT) {
          throw problem(file, e);
        }
        first = first == null ? e : first;
      }
    }
    throw problem(file, first);
  }

  /** SQLite takes a zero-byte file for a new database; this one was made by something else. */
  private static void requireNotEmpty(Path file) {
    try {
      if (Files.size(file) == 0) {
        throw new OperationFailedException("the state database " + file + " is empty (0 bytes), not a database"
            + " this tool made; move it aside (mv " + file + " " + file + ".broken) to start afresh,"
            + " or put back a copy");
      }
    } catch (IOException e) {
      throw new OperationFailedException("cannot read the state database " + file + ": " + describe(e), e);
    }
  }

  /** One line: what is wrong with the database file and what to do about it. */
  private static OperationFailedException problem(Path file, SQLException e) {
    int code = e.getErrorCode() & 0xff;
    String what;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
      what = "is damaged or not an SQLite database; move it aside (mv " + file + " " + file + ".broken) to"
          + " start afresh, or put back a copy";
    } else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM) {
      what = "cannot be opened (" + describe(e) + "); check that it and its folder are readable, and"
          + " writable for commands that change state";
    } else {
      what = "cannot be used: " + describe(e);
    }
    return new OperationFailedException("the state database " + file + " " + what, e);
  }

  /** A write to a database opened read-only: one line naming it and what to do. */
  static OperationFailedException readOnly(Path file) {
    return new OperationFailedException("the state database " + file + " is read-only: this command changes"
        + " state, so make it and its folder writable (or set state_dir to a writable folder); --status and"
        + " queries work as it is");
  }

  /** Removes drafts of {@link #createInitialized} whose process was killed before it cleaned up. */
  private static void removeStaleDrafts(Path stateDir) {
    try (DirectoryStream<Path> drafts = Files.newDirectoryStream(stateDir, FILE + ".*.new*")) {
      for (Path draft : drafts) {
        Matcher m = DRAFT.matcher(draft.getFileName().toString());
        if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true)) {
          Files.deleteIfExists(draft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // A leftover draft is harmless; the next start tries again.
    }
  }

  private static String uriPath(Path file) {
    return file.toAbsolutePath().toString().replace("%", "%25").replace("?", "%3f").replace("#", "%23");
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Nothing was read from it.
      }
    }
  }

  private static String describe(Exception e) {
    String message = String.valueOf(e.getMessage());
    return message.strip().replaceAll("\\s+", " ");
  }

  /**
   * Creates the database complete (WAL mode, schema) under a private name and links it into place,
   * so no process ever opens a half-made database. Switching a shared database to WAL fails with
   * SQLITE_BUSY without waiting when another process holds it, which parallel first calls did.
   */
  private static void createInitialized(Path stateDir, Path file) throws IOException, SQLException {
    Path draft = stateDir.resolve(FILE + "." + ProcessHandle.current().pid() + "."
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
        // Version 3: the log tail of each service seen final, read once instead of on every refresh.
        st.execute("CREATE TABLE IF NOT EXISTS log_tails (service_id TEXT PRIMARY KEY, lines TEXT NOT NULL)");
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
