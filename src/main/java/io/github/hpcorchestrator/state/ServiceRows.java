package io.github.hpcorchestrator.state;

import io.github.hpcorchestrator.cluster.JobState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** How a service record maps to a row of the services table and back. */
final class ServiceRows {
  static final String COLUMNS = "service_id, name, session_id, backend, job_id, service_dir,"
      + " requested_port, state, node, host, port, exit_code, submitted_at, started_at, ended_at, recipe, reason";

  private ServiceRows() {
  }

  /** Sets the 17 parameters of an insert in {@link #COLUMNS} order. */
  static void bind(PreparedStatement ps, ServiceRecord r) throws SQLException {
    ps.setString(1, r.serviceId());
    ps.setString(2, r.name());
    ps.setString(3, r.sessionId());
    ps.setString(4, r.backend());
    ps.setString(5, r.jobId());
    ps.setString(6, r.serviceDir());
    ps.setInt(7, r.requestedPort());
    ps.setString(8, r.state().name());
    ps.setString(9, r.node());
    ps.setString(10, r.host());
    ps.setInt(11, r.port());
    setNullable(ps, 12, r.exitCode().map(Integer::longValue));
    ps.setLong(13, r.submittedAt().toEpochMilli());
    setNullable(ps, 14, r.startedAt().map(Instant::toEpochMilli));
    setNullable(ps, 15, r.endedAt().map(Instant::toEpochMilli));
    ps.setString(16, r.recipe());
    ps.setString(17, r.reason());
  }

  private static void setNullable(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
    if (value.isPresent()) {
      ps.setLong(index, value.get());
    } else {
      ps.setNull(index, Types.INTEGER);
    }
  }

  /** The record of the result set's current row. */
  static ServiceRecord read(ResultSet rs) throws SQLException {
    return new ServiceRecord(
        rs.getString("service_id"),
        rs.getString("name"),
        rs.getString("session_id"),
        rs.getString("backend"),
        rs.getString("job_id"),
        rs.getString("service_dir"),
        rs.getInt("requested_port"),
        JobState.valueOf(rs.getString("state")),
        rs.getString("node"),
        rs.getString("host"),
        rs.getInt("port"),
        nullableLong(rs, "exit_code").map(Long::intValue),
        Instant.ofEpochMilli(rs.getLong("submitted_at")),
        nullableLong(rs, "started_at").map(Instant::ofEpochMilli),
        nullableLong(rs, "ended_at").map(Instant::ofEpochMilli),
        rs.getString("recipe"),
        rs.getString("reason"));
  }

  private static Optional<Long> nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }
}
