#!/bin/bash
{{DIRECTIVES}}
# SLURM job for service {{SERVICE_ID}}, rendered by hpc-orchestrator.
#
# sbatch runs this script on the first node of the allocation. It picks the service's port on that
# node, starts the service and records where it listens (connection) and how it ended (exit_code)
# in the service folder: the queue forgets a job minutes after it ends, these files do not.
{{SETUP}}
set -u
SERVICE_DIR={{SERVICE_DIR}}
# Files of this job are the user's alone (connection, exit code, generated configs).
umask 077
cd "$SERVICE_DIR" || exit 97

# finish CODE: record the outcome atomically (a reader never sees a half-written file) and exit.
finish() {
  # The service and its sidecars are gone: what they kept on node-local disk goes with them.
  [ -n "${SCRATCH_DIR:-}" ] && rm -rf -- "$SCRATCH_DIR"
  echo "$1" > exit_code.tmp && mv -f exit_code.tmp exit_code
  exit "$1"
}

# A port accepts connections when bash can open it; nothing is sent.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port WANTED: the wanted port unless something on this node already listens there (another
# job sharing the node) or it is taken by this job; then random high ports. Result in REPLY.
taken=" "
free_port() {
  local p=$1 tries=0
  while (( p <= 0 )) || port_in_use "$p" || [[ "$taken" == *" $p "* ]]; do
    if (( ++tries > 100 )); then
      echo "orchestrator: no free port found on $(hostname)" >&2
      finish 98
    fi
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40001 ))
  done
  taken+="$p "
  REPLY=$p
}

# Keep the port the recipe asked for if it is free. The connection file tells the real port.
# A service whose recipe asks for no port (0) gets none: PORT stays empty and nothing waits for it.
PORT=
if (( {{REQUESTED_PORT}} > 0 )); then
  free_port {{REQUESTED_PORT}}
  PORT=$REPLY
fi
SIDECAR_PORT=
LISTEN_ADDRESS=0.0.0.0
# Node-local disk for data that must not live on a shared filesystem (Prometheus's TSDB does not
# support NFS). A new folder every time: job IDs repeat (another cluster, a reset controller), and
# a Prometheus that found an old job's folder served that job's series as its own.
SCRATCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/hpc-orchestrator-${SERVICE_DIR##*/}.XXXXXX") || finish 97

# The recipe's words arrive single-quoted, so bash expands nothing in them; only the orchestrator's
# tokens are replaced, by plain string substitution (quoted, so '&' or '\' in values stay literal).
substitute() {
  local s=$1
  s=${s//"{port}"/"$PORT"}
  s=${s//"{service_dir}"/"$SERVICE_DIR"}
  s=${s//"{listen_address}"/"$LISTEN_ADDRESS"}
  s=${s//"{scratch_dir}"/"$SCRATCH_DIR"}
  s=${s//"{sidecar_port}"/"$SIDECAR_PORT"}
  REPLY=$s
}

argv=({{ARGV}})
for i in "${!argv[@]}"; do
  substitute "${argv[$i]}"
  argv[$i]=$REPLY
done

env_names=({{ENV_NAMES}})
env_values=({{ENV_VALUES}})
for i in "${!env_names[@]}"; do
  substitute "${env_values[$i]}"
  export "${env_names[$i]}=$REPLY"
done

# The orchestrator wrote these files before the port was known; fill in the tokens now. read -d ''
# takes the whole file, trailing newlines included, which $(<file) would strip.
files=({{FILES}})
for f in "${files[@]}"; do
  content=
  IFS= read -r -d '' content < "$f"
  substitute "$content"
  { printf '%s' "$REPLY" > "$f.tmp" && mv -f "$f.tmp" "$f"; } || finish 97
done

{{COMMAND}}

# A shell without job control starts its background commands with SIGINT and SIGQUIT ignored, and a
# signal ignored at exec stays ignored: the service gets them back, as it would have in a terminal.
# Only a program is exec'd; a function the setup lines define runs in this subshell.
( trap - INT QUIT; [ "$(type -t "${cmd[0]}")" = file ] && exec "${cmd[@]}"; "${cmd[@]}" ) &
child=$!

# Sidecars (exporters, target discovery) run beside the service and end with it.
sidecars=()
sidecar_lines=
{{SIDECARS}}

# scancel signals the batch script; forward it so the service can shut down cleanly and its own
# exit code is recorded.
stopping=0
trap 'stopping=1; kill -TERM "$child" "${sidecars[@]}" 2>/dev/null' TERM INT

# Publish the connection only once the service accepts connections, so a reader never tries a
# port that is not open yet. Bounded, and only while the service is alive. Without a port it is
# published at once, with an empty port: the service runs and has no endpoint.
deadline=$(( SECONDS + {{READY_TIMEOUT_S}} ))
while [ -n "$PORT" ] && kill -0 "$child" 2>/dev/null && ! port_in_use "$PORT" && (( SECONDS < deadline )); do
  sleep 0.5
done
if kill -0 "$child" 2>/dev/null && { [ -z "$PORT" ] || port_in_use "$PORT"; }; then
  {
    printf 'host=%s\nport=%s\nrequested_port=%s\njob_id=%s\nnode=%s\n' "$(hostname)" "$PORT" {{REQUESTED_PORT}} \
      "${SLURM_JOB_ID:-}" "$(hostname)"
    printf '%s' "$sidecar_lines"
  } > connection.tmp && mv -f connection.tmp connection
elif kill -0 "$child" 2>/dev/null; then
  echo "orchestrator: service does not accept connections on port $PORT after {{READY_TIMEOUT_S}} s" >&2
fi

# wait returns early when a trapped signal arrives; keep waiting until the service is gone.
while true; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2>/dev/null || break
done
if (( ${#sidecars[@]} > 0 )); then
  # A service that ended by itself keeps its exporters a little longer, so monitors record it down.
  # The exit code is already recorded, so the outcome is known meanwhile.
  echo "$rc" > exit_code.tmp && mv -f exit_code.tmp exit_code
  linger_until=$(( SECONDS + {{SIDECAR_LINGER_S}} ))
  while (( stopping == 0 && SECONDS < linger_until )); do
    sleep 1
  done
  kill -TERM "${sidecars[@]}" 2>/dev/null
fi
finish "$rc"
