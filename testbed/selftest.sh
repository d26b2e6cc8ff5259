#!/usr/bin/env bash
# testbed/selftest.sh -- proves that testbed/cluster.sh gives a working private cluster:
#   up into a temp dir; one `hostname; sleep 30` job pinned to each node, all RUNNING, each output
#   naming its node; node-exporter jobs on two nodes on the same port (own port spaces), scraped
#   from the host by node name and from another node's namespace; the laptop namespace reaches
#   the login node over ssh (squeue, sbatch) but not a node address; scancel; down, and nothing
#   left behind. `down` also runs from an EXIT trap, so a failing run cleans up too.
# Usage (as root): testbed/selftest.sh        exit 0 and "SELFTEST PASS" when everything passed
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CLUSTER="$HERE/cluster.sh"
DEADLINE_S=60

RESULTS=()
FAILED=0
DOWN_DONE=0
D=$(mktemp -d /tmp/hpco-selftest.XXXXXX)

say() { printf '[selftest] %s\n' "$*"; }
pass() { RESULTS+=("PASS  $1"); say "PASS $1"; }
fail() { RESULTS+=("FAIL  $1${2:+ -- $2}"); FAILED=$((FAILED + 1)); say "FAIL $1${2:+ -- $2}"; }
# check NAME CMD...: run CMD, record PASS/FAIL; never aborts the test
check() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(tail -n 3 <<<"$out" | tr '\n' ' ')"; fi
}

# poll CMD until it succeeds, at most DEADLINE_S
poll() {
  local deadline=$((SECONDS + DEADLINE_S))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

summary() {
  echo
  echo "================ selftest summary ($D)"
  printf '  %s\n' "${RESULTS[@]}"
  if ((FAILED == 0)); then echo "SELFTEST PASS (${#RESULTS[@]} checks)"; else echo "SELFTEST FAIL ($FAILED of ${#RESULTS[@]} checks failed)"; fi
}

on_exit() {
  local rc=$?
  if ((DOWN_DONE == 0)); then
    "$CLUSTER" down "$D" >/dev/null 2>&1 || true
    [[ $rc == 0 ]] && rc=1
    fail "run reached its end" "aborted early (rc $rc); cluster taken down, files kept in $D"
    summary
  fi
  exit "$rc"
}
trap on_exit EXIT

# ---- up
t0=$SECONDS
if ! "$CLUSTER" up "$D" >"$D.up.out" 2>&1; then
  cat "$D.up.out"
  fail "cluster.sh up" "see output above"
  exit 1
fi
pass "cluster.sh up ($((SECONDS - t0))s)"
rm -f "$D.up.out"
set -a
# shellcheck disable=SC1091
source "$D/cluster.env"
set +a
IFS=, read -r -a NODE_ARR <<<"$NODES"
IFS=, read -r -a ADDR_ARR <<<"$NODE_ADDRS"
IFS=, read -r -a NS_ARR <<<"$NODE_NETNS"
say "cluster $CLUSTER_NAME nodes $NODES login $LOGIN_HOST:$LOGIN_PORT laptop $LAPTOP_NETNS"

check "cluster.env has every key" bash -c '
  for k in SLURM_CONF CLUSTER_NAME NODES LOGIN_HOST LOGIN_PORT SSH_KEY SSH_USER KNOWN_HOSTS \
           LAPTOP_NETNS LAPTOP_LOGIN_HOST BRIDGE NETNS_PREFIX SUBNET BIN_DIR; do
    grep -Eq "^$k=[^ \"]+\$" "$0" || { echo "missing $k"; exit 1; }
  done' "$D/cluster.env"
check "all ${#NODE_ARR[@]} nodes idle" bash -c '[[ $(sinfo -h -N -o "%T" | grep -c "^idle$") == 3 ]]'
check "ip_forward is 0" grep -qx 0 /proc/sys/net/ipv4/ip_forward

# ---- one job pinned to each node
mkdir -p "$D/jobs"
cd "$D/jobs"
JOBS=()
for n in "${NODE_ARR[@]}"; do
  JOBS+=("$(sbatch --parsable -N1 -w "$n" -J "st-$n" --wrap 'hostname; sleep 30')")
done
say "submitted jobs ${JOBS[*]}"
all_running() {
  local j
  for j in "${JOBS[@]}"; do
    [[ "$(squeue -h -j "$j" -o %T)" == RUNNING ]] || return 1
  done
}
check "one job per node RUNNING" poll all_running
for i in "${!JOBS[@]}"; do
  j=${JOBS[$i]}; n=${NODE_ARR[$i]}
  check "job $j output names its node $n" poll grep -qx "$n" "$D/jobs/slurm-$j.out"
  check "job $j placed on $n by squeue" bash -c "[[ \$(squeue -h -j $j -o %N) == $n ]]"
done

# ---- services: node-exporter on node1 and node2 on the same port (each node has its own ports)
PORT=$((20000 + SRANDOM % 40000))
EXP=()
for n in "${NODE_ARR[0]}" "${NODE_ARR[1]}"; do
  EXP+=("$(sbatch --parsable -N1 -w "$n" -J "exp-$n" \
    --wrap "exec prometheus-node-exporter --web.listen-address=:$PORT --collector.disable-defaults --collector.time --collector.loadavg")")
done
check "host curls http://${NODE_ARR[0]}:$PORT/metrics" \
  poll bash -c "curl -sf --max-time 3 http://${NODE_ARR[0]}:$PORT/metrics | grep -q '^node_time_seconds'"
check "host curls http://${NODE_ARR[1]}:$PORT/metrics (same port, other node)" \
  poll bash -c "curl -sf --max-time 3 http://${NODE_ARR[1]}:$PORT/metrics | grep -q '^node_time_seconds'"
check "node3's namespace reaches ${NODE_ARR[0]}:$PORT over the bridge" \
  nsenter --net="/run/netns/${NS_ARR[2]}" curl -sf --max-time 3 -o /dev/null "http://${NODE_ARR[0]}:$PORT/metrics"

# ---- login node over ssh, from this host and from the laptop namespace
SSH=(ssh -i "$SSH_KEY" -p "$LOGIN_PORT" -o UserKnownHostsFile="$KNOWN_HOSTS"
     -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5)
check "ssh $SSH_USER@$LOGIN_HOST squeue lists the jobs" \
  bash -c '"$@" | grep -qw "'"${JOBS[0]}"'"' _ "${SSH[@]}" "$SSH_USER@$LOGIN_HOST" squeue -h -o %i
check "laptop: ssh $LAPTOP_LOGIN_HOST squeue lists the jobs" \
  bash -c '"$@" | grep -qw "'"${JOBS[1]}"'"' _ ip netns exec "$LAPTOP_NETNS" "${SSH[@]}" "$SSH_USER@$LAPTOP_LOGIN_HOST" squeue -h -o %i
check "laptop: sbatch through ssh returns a job id" \
  bash -c '[[ $("$@") =~ ^[0-9]+$ ]]' _ ip netns exec "$LAPTOP_NETNS" "${SSH[@]}" "$SSH_USER@$LAPTOP_LOGIN_HOST" \
  "cd /tmp && sbatch --parsable -o /dev/null --wrap true"
check "laptop: login shell (bash -l) still sees SLURM_CONF" \
  bash -c '[[ $("$@") == "$SLURM_CONF" ]]' _ ip netns exec "$LAPTOP_NETNS" "${SSH[@]}" "$SSH_USER@$LAPTOP_LOGIN_HOST" \
  'bash -lc "echo \$SLURM_CONF"'
check "laptop: node address ${ADDR_ARR[0]}:$PORT unreachable" \
  bash -c '! ip netns exec "$0" timeout 3 bash -c "</dev/tcp/$1/$2"' "$LAPTOP_NETNS" "${ADDR_ARR[0]}" "$PORT"
check "laptop: bridge address $BRIDGE_IP:$SLURMCTLD_PORT (slurmctld) unreachable" \
  bash -c '! ip netns exec "$0" timeout 3 bash -c "</dev/tcp/$1/$2"' "$LAPTOP_NETNS" "$BRIDGE_IP" "$SLURMCTLD_PORT"
check "host: same node address ${ADDR_ARR[0]}:$PORT reachable (control)" \
  timeout 3 bash -c "</dev/tcp/${ADDR_ARR[0]}/$PORT"

# ---- cancel
scancel "${JOBS[@]}" "${EXP[@]}"
no_jobs_running() { [[ -z "$(squeue -h -t R,CG -o %i)" ]]; }
check "scancel: no job left running" poll no_jobs_running

# ---- down, and nothing left behind
cd /
# every process down must stop: our daemons and whatever runs in the node namespaces
OURS=$(for f in "$D"/run/*.pid "$D"/munge/munged.pid; do cat "$f" 2>/dev/null; echo; done;
       for ns in "${NS_ARR[@]}" "$LAPTOP_NETNS"; do ip netns pids "$ns"; done)
OURS=$(printf "%s\n" $OURS | sort -un | paste -sd' ')
say "processes down must stop: $OURS"
# a zombie counts as gone: the sandbox's init reaps orphans only lazily
none_alive() {
  local p st
  for p in $OURS; do
    st=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    st=${st##*) }
    [[ ${st:0:1} == Z ]] || { echo "pid $p alive: $(tr '\0' ' ' <"/proc/$p/cmdline")"; return 1; }
  done
}
DOWN_DONE=1
check "cluster.sh down" "$CLUSTER" down "$D"
check "cluster.sh down again (idempotent)" "$CLUSTER" down "$D"
check "no namespace $NETNS_PREFIX* left" bash -c '! ls /run/netns/"$0"* 2>/dev/null' "$NETNS_PREFIX"
check "no bridge $BRIDGE left" bash -c '! ip link show "$0" 2>/dev/null' "$BRIDGE"
check "no /etc/hosts line of $CLUSTER_NAME left" bash -c '! grep -q "testbed-$0\$" /etc/hosts' "$CLUSTER_NAME"
check "no daemon or job process left (${OURS// /,})" none_alive

summary
((FAILED == 0)) && rm -rf "$D"
exit $((FAILED == 0 ? 0 : 1))
