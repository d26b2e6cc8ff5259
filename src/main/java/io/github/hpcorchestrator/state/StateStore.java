package io.github.hpcorchestrator.state;

import io.github.hpcorchestrator.InputException;
import io.github.hpcorchestrator.OperationFailedException;
import io.github.hpcorchestrator.cluster.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local state in an SQLite database under the state folder. Every write is one transaction, and
 * writers wait for each other (busy timeout), so parallel CLI calls lose nothing.
 */
public final class StateStore implements AutoCloseable {
  private static final String COLUMNS = ServiceRows.COLUMNS;
  private static final String FINAL_STATES = java.util.Arrays.stream(JobState.values())
      .filter(JobState::isFinal).map(s -> "'" + s.name() + "'")
      .collect(java.util.stream.Collectors.joining(","));
  private final Path stateDir;
  private Connection db;
  private boolean readOnly;

  private StateStore(Path stateDir) {
    this.stateDir = stateDir;
  }

  /**
   * The state database in {@code stateDir}, a 0700 folder. Nothing is created until the first
   * write: reading state that does not exist yet finds nothing, so a rejected command leaves no
   * trace. A database that cannot be written is opened for reading: reads work, status
   * observations are not kept, and every other write fails with one line saying what to do.
   *
   * @throws InputException when {@code stateDir} exists and is not a folder
   */
  public static StateStore open(Path stateDir) {
    if (Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
      throw new InputException("state_dir " + stateDir + " is not a folder: move that file aside, or set"
          + " state_dir in the config to a folder");
    }
    StateStore store = new StateStore(stateDir);
    if (Files.exists(stateDir.resolve(StateDatabase.FILE))) {
      store.connect();
    } else if (Files.isDirectory(stateDir) && Files.isWritable(stateDir)) {
      StateDatabase.makePrivate(stateDir);
    }
    return store;
  }

  /** Whether the database could only be opened for reading (a read-only file, folder or mount). */
  public boolean readOnly() {
    return connected() && readOnly;
  }

  /**
   * Fails in one line naming the database when it cannot be written, for a command that must find
   * out before it changes anything elsewhere (--clear-state removes folders, then forgets).
   */
  public void requireWritable() {
    if (readOnly()) {
      throw StateDatabase.readOnly(stateDir.resolve(StateDatabase.FILE));
    }
  }

  /** Whether the database exists (it is created by the first write). */
  private boolean connected() {
    if (db == null && Files.exists(stateDir.resolve(StateDatabase.FILE))) {
      connect();
    }
    return db != null;
  }

  private synchronized void connect() {
    if (db == null) {
      StateDatabase.Handle handle = StateDatabase.connect(stateDir);
      db = handle.connection();
      readOnly = handle.readOnly();
    }
  }

  /** Creates a new session and returns its ID ("session_N", N counting up from 1). */
  public String newSession(String recipe, Instant startedAt) {
    return inTransaction(() -> {
      long seq;
      try (PreparedStatement ps = db.prepareStatement(
          "INSERT INTO sessions(recipe, started_at) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, recipe);
        ps.setLong(2, startedAt.toEpochMilli());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          seq = keys.getLong(1);
        }
      }
      String id = "session_" + seq;
      try (PreparedStatement ps = db.prepareStatement("UPDATE sessions SET session_id = ? WHERE seq = ?")) {
        ps.setString(1, id);
        ps.setLong(2, seq);
        ps.executeUpdate();
      }
      return id;
    });
  }

  /** Records the end of a session's window; false if there is no such session. */
  public boolean endSession(String sessionId, Instant endedAt) {
    return inTransaction(() -> {
      try (PreparedStatement ps = db.prepareStatement("UPDATE sessions SET ended_at = ? WHERE session_id = ?")) {
        ps.setLong(1, endedAt.toEpochMilli());
        ps.setString(2, sessionId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** The ID the next session is expected to take; only reads, and creates no database. */
  public String nextSessionId() {
    if (!connected()) {
      return "session_1";
    }
    return inRead(() -> {
      try (PreparedStatement ps = db.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM sessions");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return "session_" + rs.getLong(1);
      }
    });
  }

  /** Records session {@code id} (from {@link #nextSessionId}) unless another start took it; says whether it did. */
  public boolean openSession(String id, String recipe, Instant startedAt) {
    long seq = Long.parseLong(id.substring("session_".length()));
    return inTransaction(() -> {
      try (PreparedStatement ps = db.prepareStatement(
          "INSERT OR IGNORE INTO sessions(seq, session_id, recipe, started_at) VALUES (?, ?, ?, ?)")) {
        ps.setLong(1, seq);
        ps.setString(2, id);
        ps.setString(3, recipe);
        ps.setLong(4, startedAt.toEpochMilli());
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Forgets session {@code id} if no service belongs to it (a claimed session whose plans failed). */
  public void dropSession(String id) {
    inTransaction(() -> {
      try (PreparedStatement ps = db.prepareStatement("DELETE FROM sessions WHERE session_id = ?"
          + " AND NOT EXISTS (SELECT 1 FROM services WHERE session_id = ?)")) {
        ps.setString(1, id);
        ps.setString(2, id);
        return ps.executeUpdate();
      }
    });
  }

  /** Whether a session with this ID was ever started here. */
  public boolean sessionExists(String sessionId) {
    if (!connected()) {
      return false;
    }
    return inRead(() -> {
      try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM sessions WHERE session_id = ?")) {
        ps.setString(1, sessionId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /** Records a new service; returns false (and writes nothing) if the ID is already taken. */
  public boolean insert(ServiceRecord r) {
    return inTransaction(() -> {
      try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO services(" + COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        ServiceRows.bind(ps, r);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** Stores {@code record} as it is now, replacing what was stored for its ID. */
  public void put(ServiceRecord record) {
    inTransaction(() -> {
      try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO services(" + COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
        ServiceRows.bind(ps, record);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Stores what a status refresh observed, in one transaction. A service that another call has
   * meanwhile put into a final state (stopped it) keeps that state: an observation made before the
   * stop must not bring it back to life. A read-only database keeps nothing: what was observed is
   * a cache of the scheduler's truth, observed again next time. An observation without a job ID
   * (a row settled or waiting for its submit) applies only while the stored row has none either:
   * made before the starting call recorded the job ID, it must not wipe it.
   */
  public void observe(Collection<ServiceRecord> records) {
    observe(records, Map.of());
  }

  /**
   * As {@link #observe(Collection)}, and keeps the log tails of services seen final ({@code tails},
   * by service ID) in the same transaction; a tail already kept stays. Nothing to write, no lock.
   */
  public void observe(Collection<ServiceRecord> records, Map<String, List<String>> tails) {
    if ((records.isEmpty() && tails.isEmpty()) || readOnly()) {
      return;
    }
    inTransaction(() -> {
      try (PreparedStatement ps = db.prepareStatement(
          "INSERT OR IGNORE INTO log_tails(service_id, lines) VALUES (?, ?)")) {
        for (Map.Entry<String, List<String>> tail : tails.entrySet()) {
          ps.setString(1, tail.getKey());
          ps.setString(2, LogTailText.join(tail.getValue()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO services(" + COLUMNS
          + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(service_id) DO UPDATE SET"
          + " job_id = excluded.job_id, state = excluded.state, node = excluded.node,"
          + " host = excluded.host, port = excluded.port, exit_code = excluded.exit_code,"
          + " started_at = excluded.started_at, ended_at = excluded.ended_at, reason = excluded.reason"
          + " WHERE services.state NOT IN (" + FINAL_STATES + ")"
          + " AND (excluded.job_id <> '' OR services.job_id = '')")) {
        for (ServiceRecord r : records) {
          ServiceRows.bind(ps, r);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  /** The log tails kept of services that ended, by service ID (read once, when each was first seen final). */
  public Map<String, List<String>> logTails() {
    if (!connected()) {
      return Map.of();
    }
    return inRead(() -> {
      Map<String, List<String>> out = new HashMap<>();
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT service_id, lines FROM log_tails")) {
        while (rs.next()) {
          out.put(rs.getString(1), LogTailText.split(rs.getString(2)));
        }
      }
      return out;
    });
  }

  /** Every known service, oldest first. */
  public List<ServiceRecord> services() {
    if (!connected()) {
      return List.of();
    }
    return inRead(() -> {
      List<ServiceRecord> out = new ArrayList<>();
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM services ORDER BY submitted_at, service_id")) {
        while (rs.next()) {
          out.add(ServiceRows.read(rs));
        }
      }
      return out;
    });
  }

  /** The record of one service, by exact ID. */
  public Optional<ServiceRecord> service(String serviceId) {
    if (!connected()) {
      return Optional.empty();
    }
    return inRead(() -> {
      try (PreparedStatement ps = db.prepareStatement("SELECT * FROM services WHERE service_id = ?")) {
        ps.setString(1, serviceId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(ServiceRows.read(rs)) : Optional.empty();
        }
      }
    });
  }

  /** Forgets every service in a final state; returns how many were forgotten. */
  public int forgetFinished() {
    return inTransaction(() -> {
      try (Statement st = db.createStatement()) {
        int forgotten = st.executeUpdate("DELETE FROM services WHERE state IN (" + FINAL_STATES + ")");
        st.executeUpdate("DELETE FROM log_tails WHERE service_id NOT IN (SELECT service_id FROM services)");
        return forgotten;
      }
    });
  }

  /** A unit of work that runs inside one transaction. */
  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T inTransaction(Work<T> work) {
    connect();
    if (readOnly) {
      throw StateDatabase.readOnly(stateDir.resolve(StateDatabase.FILE));
    }
    // BEGIN IMMEDIATE takes the write lock up front, so two processes never both read-then-write.
    return run("BEGIN IMMEDIATE", work);
  }

  /** Reads in one transaction without the write lock, so a read-only database can be read. */
  private <T> T inRead(Work<T> work) {
    connect();
    return run("BEGIN DEFERRED", work);
  }

  private synchronized <T> T run(String begin, Work<T> work) {
    try {
      try (Statement st = db.createStatement()) {
        st.execute(begin);
      }
      try {
        T result = work.run();
        try (Statement st = db.createStatement()) {
          st.execute("COMMIT");
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        try (Statement st = db.createStatement()) {
          st.execute("ROLLBACK");
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new OperationFailedException("state database " + stateDir.resolve(StateDatabase.FILE) + ": "
          + String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " "), e);
    }
  }

  @Override
  public void close() {
    if (db == null) {
      return;
    }
    try {
      db.close();
    } catch (SQLException e) {
      // Closing a read connection cannot lose data; nothing useful to do.
    }
  }
}
