#!/usr/bin/env bash
# Local job for service {{SERVICE_ID}}, rendered by hpc-orchestrator.
#
# The orchestrator starts this script as the leader of a new process group (setsid), so the service
# outlives the CLI call and stopping it is one signal to the whole group. The exit-code file gives a
# finished service a known outcome after every process of it is gone.
set -u
cd {{SERVICE_DIR}} || exit 97
# This script's start time (field 22 of its /proc stat) tells this job apart from a later program
# that is given the same process ID once the job is gone: only a group whose leader still matches
# is ever signalled. Written before job.pid, so a job with a job.pid always has one.
read -r proc_stat < /proc/$$/stat
read -r -a proc_fields <<< "${proc_stat##*) }"
echo "${proc_fields[19]}" > job.start
echo "$$" > job.pid
{{SETUP}}
# A setup line may change the folder; the job's files below are relative to the service folder.
cd {{SERVICE_DIR}} || exit 97
{{ENVIRONMENT}}
# The connection file tells the orchestrator where the service listens (the port may differ from
# the one the recipe asked for when that one was taken).
{
  printf 'host=%s\nport=%s\nrequested_port=%s\njob_id=%s\nnode=%s\n' {{HOST}} {{PORT}} {{REQUESTED_PORT}} "$$" \
    "$(hostname)"
  printf '%s' {{SIDECAR_LINES}}
} > connection.tmp && mv -f connection.tmp connection

# A shell without job control starts its background commands with SIGINT and SIGQUIT ignored, and a
# signal ignored at exec stays ignored: the service gets them back, as it would have in a terminal.
# Only a program is exec'd; a function the setup lines define runs in this subshell.
cmd=({{COMMAND}})
( trap - INT QUIT; [ "$(type -t "${cmd[0]}")" = file ] && exec "${cmd[@]}"; "${cmd[@]}" ) &
child=$!

# Sidecars (exporters, target discovery) run beside the service and end with it.
sidecars=()
{{SIDECARS}}

# Forward a stop to the service and keep waiting, so its own exit code is recorded.
stopping=0
trap 'stopping=1; kill -TERM "$child" "${sidecars[@]}" 2>/dev/null' TERM INT
while true; do
  wait "$child"
  rc=$?
  kill -0 "$child" 2>/dev/null || break
done
echo "$rc" > exit_code.tmp && mv -f exit_code.tmp exit_code
if (( ${#sidecars[@]} > 0 )); then
  # A service that ended by itself keeps its exporters a little longer, so monitors record it down.
  linger_until=$(( SECONDS + {{SIDECAR_LINGER_S}} ))
  while (( stopping == 0 && SECONDS < linger_until )); do
    sleep 1
  done
  kill -TERM "${sidecars[@]}" 2>/dev/null
fi
exit "$rc"
