# Sourced by ./orchestrator and by the tests' CLI runner: runs one call's JVM so that it may give
# the user's shell its exit code and stay on as the connection holder (front/Detach.java).
#
# orchestrator_run CALLED_AT JAVA [JAVA_ARGS...]
#   CALLED_AT  when the call was started, as $EPOCHREALTIME (for the holder's log), or empty
# Exits with the code the JVM hands over on the pipe named by -Dorchestrator.exit-fd, or, when it
# hands none, with the JVM's own exit status. Ctrl-C, hangup and TERM sent to this script go to the
# JVM while it runs the call. Without bash 5.1 (waiting for a process substitution) the JVM simply
# replaces the script and cannot stay on.
orchestrator_run() {
  local called_at=$1
  shift
  if [ "${BASH_VERSINFO[0]}${BASH_VERSINFO[1]}" -lt 51 ] 2>/dev/null; then
    exec "$@"
  fi
  local out in st pid code rc
  # (A closed stdin or stdout is /dev/null for the JVM.)
  { exec {out}>&1; } 2>/dev/null || exec {out}>/dev/null
  { exec {in}<&0; } 2>/dev/null || exec {in}</dev/null
  # The JVM runs beside this script, its stdout and stdin the script's own, its pipe to the script
  # the process substitution's stdout.
  exec {st}< <(exec {pipe}>&1 1>&"$out" 0<&"$in" {out}>&- {in}<&- && \
    exec "$1" "-Dorchestrator.exit-fd=$pipe" "-Dorchestrator.called-at=$called_at" "${@:2}")
  pid=$!
  exec {out}>&- {in}<&-
  trap 'kill -s INT "$pid" 2>/dev/null' INT
  trap 'kill -s TERM "$pid" 2>/dev/null' TERM
  trap 'kill -s HUP "$pid" 2>/dev/null' HUP
  # (Written for `set -e` callers: no command here may fail outside a condition.)
  while :; do
    rc=0
    IFS= read -r code <&"$st" || rc=$?
    if [ "$rc" -le 128 ]; then break; fi # above 128: a signal, passed on; the JVM answers it
  done
  if [ "$rc" = 0 ]; then
    case $code in
      '' | *[!0-9]*) ;;
      *) exit "$code" ;;
    esac
  fi
  # No code handed over: the JVM ended (or is ending); its exit status is the call's.
  while :; do
    rc=0
    wait "$pid" || rc=$?
    if ! kill -0 "$pid" 2>/dev/null; then exit "$rc"; fi
  done
}
