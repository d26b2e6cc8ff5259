#!/usr/bin/env bash
# testbed/cluster.sh -- a private, real SLURM test cluster on this one machine.
#
# Usage (as root):
#   testbed/cluster.sh up DIR       create a cluster under DIR (an empty temp dir the caller owns),
#                                   write DIR/cluster.env and print it on stdout
#   testbed/cluster.sh down DIR     stop and remove everything `up DIR` created (idempotent)
#   testbed/cluster.sh status DIR   print sinfo and squeue of that cluster
#
# What `up` creates (every name carries a random 4-hex-digit TAG, so several clusters can live on
# one machine at once, next to a "real" cluster that uses the SLURM defaults):
#   - a private munged (own key, socket, pid and log under DIR/munge). Always private, never the
#     machine's munged: a shared daemon started by cluster A would be stopped by `down A` while
#     cluster B still relies on it. slurm.conf points at the socket with AuthInfo=socket=...
#   - a Linux bridge hb<TAG> with 10.X.Y.1/24 (a random /24 not used on this host),
#   - network namespaces <TAG>n1..<TAG>n3, each with a veth (<TAG>v1..3 on the host side, eth0
#     inside) in the bridge, addresses 10.X.Y.11..13 and a default route via the bridge,
#   - nodes c<TAG>n1..c<TAG>n3: the node names carry the tag because /etc/hosts is shared by all
#     clusters on the machine and node1 could only point at one of them. NODES lists the names.
#     `<ip> <node>  # testbed-<CLUSTER_NAME>` lines are added to /etc/hosts,
#   - slurmctld on the host, one slurmd per node namespace (own UTS namespace, so `hostname` in a
#     job prints the node name), all configured by DIR/etc/slurm.conf (use SLURM_CONF=...),
#     with random free SlurmctldPort/SlurmdPort and all state/spool/pid/log files under DIR;
#     each node has two pretend GPUs (gres gpu:2, plain files under DIR/gpu), so jobs may ask
#     for --gres=gpu:1,
#   - a "laptop" namespace <TAG>lap with a /30 veth (<TAG>vl on the host) to the host only; it has
#     no route to the node bridge (and ip_forward is 0), so from there only sshd is reachable,
#   - a login node: an sshd on 127.0.0.1 and the host side of the laptop veth, own port, own host
#     key, an authorized_keys file in DIR with a generated client key (/root/.ssh is not touched).
#     Its sessions get SLURM_CONF and PATH=BIN_DIR:... via SetEnv, BIN_DIR holding sbatch/squeue/
#     scancel/sinfo/scontrol/sacct/srun wrappers that export SLURM_CONF, so both plain `squeue`
#     and login shells (which reset PATH but keep SLURM_CONF) talk to this cluster.
# Everything created is recorded in DIR/.created; `down` acts only on what is recorded there.
# A failing `up` runs `down` itself and prints the tails of the logs.
#
# DIR/cluster.env (KEY=value, no quotes, no spaces: valid for `source` and java.util.Properties):
#   CLUSTER_NAME TAG SLURM_CONF NODES NODE_ADDRS NODE_NETNS PARTITION SLURMCTLD_PORT SLURMD_PORT
#   LOGIN_HOST LOGIN_PORT SSH_USER SSH_KEY KNOWN_HOSTS LAPTOP_NETNS LAPTOP_LOGIN_HOST LAPTOP_SUBNET
#   BRIDGE BRIDGE_IP NETNS_PREFIX SUBNET BIN_DIR MUNGE_SOCKET TESTBED_DIR CALL_LOG
#   CALL_LOG gets one line per call of a BIN_DIR wrapper ("squeue --me ..."), for counting.
#   KNOWN_HOSTS holds the login node's key for [LOGIN_HOST]:LOGIN_PORT and
#   [LAPTOP_LOGIN_HOST]:LOGIN_PORT. NETNS_PREFIX is the prefix of every namespace of the cluster.
#
# How tests use it: a Java test runs `testbed/cluster.sh up DIR` (DIR a fresh temp dir), reads
# DIR/cluster.env, talks to LOGIN_HOST:LOGIN_PORT as SSH_USER with SSH_KEY and KNOWN_HOSTS (or,
# to prove that everything goes through SSH, runs itself with `ip netns exec LAPTOP_NETNS` and
# uses LAPTOP_LOGIN_HOST), and runs `testbed/cluster.sh down DIR` in its cleanup.
#
# Notes for this sandbox (gVisor, no systemd), see also shared/TESTBED.md:
#   - slurmd is started with nsenter+unshare, not `ip netns exec` (which remounts /sys and breaks
#     slurmd's cgroup detection).
#   - /etc/hosts may be a bind mount: it is rewritten in place (cat >), never replaced with mv,
#     under a flock so two clusters starting at once do not lose each other's lines.
#   - DefMemPerCPU is set: with CR_Core_Memory and no default, a job would get all memory of its
#     node and OverSubscribe=FORCE could never put two jobs on one node.
set -euo pipefail

readonly NODE_COUNT=3
readonly UP_DEADLINE_S=60          # per wait: daemons up, nodes idle, sshd answering
readonly STOP_DEADLINE_S=10        # on the way down: TERM, then KILL after this long
readonly HOSTS_LOCK=/run/lock/hpco-testbed-hosts.lock

log() { printf '[cluster.sh %3ss] %s\n' "$SECONDS" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# wait_for DESC SECONDS CMD...: poll CMD until it succeeds; fail after SECONDS.
wait_for() {
  local desc=$1 limit=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "timed out after ${limit}s waiting for: $desc"
      return 1
    fi
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# packages

ensure_packages() {
  local missing=() bin pkg
  # binary:package pairs; prometheus is not needed by the cluster itself but by the tests.
  for pair in slurmctld:slurm-wlm slurmd:slurm-wlm sbatch:slurm-client munged:munge \
      prometheus:prometheus prometheus-node-exporter:prometheus-node-exporter \
      sshd:openssh-server ssh:openssh-client ip:iproute2 nsenter:util-linux curl:curl; do
    bin=${pair%%:*}; pkg=${pair#*:}
    if ! command -v "$bin" >/dev/null 2>&1 && [[ ! -x /usr/sbin/$bin ]]; then
      [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
    fi
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y "${missing[@]}" >&2 \
    || { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; } \
    || die "could not install ${missing[*]}"
}

# ---------------------------------------------------------------------------------------------
# random names, subnets and ports

rand() { echo $((SRANDOM % $1)); }

# A random 10.X.Y (prefix of a /24) that no address or route of this host covers yet.
pick_subnet() {
  local avoid=${1:-} a b i
  for ((i = 0; i < 100; i++)); do
    a=$((16 + $(rand 239))); b=$(rand 256)
    [[ "10.$a.$b" == "$avoid" ]] && continue
    ip -4 addr | grep -q "inet 10\.$a\.$b\." && continue
    # any route other than the default one that covers the /24 means it is in use
    ip -4 route show match "10.$a.$b.0/24" | grep -qv '^default' && continue
    echo "10.$a.$b"; return 0
  done
  die "no free 10.x.y.0/24 found"
}

PICKED_PORTS=" "
# pick_port VAR: set VAR to a random TCP port in 20000-60999 that no socket on the host uses and
# that was not picked before (sets a variable rather than printing: $(...) would run in a
# subshell and forget PICKED_PORTS).
pick_port() {
  local -n out=$1
  local p i used
  used=$(ss -Htan | awk '{print $4}' | sed 's/.*://' | sort -u | tr '\n' ' ')
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + $(rand 41000)))
    [[ " $used " == *" $p "* || "$PICKED_PORTS" == *" $p "* ]] && continue
    PICKED_PORTS+="$p "
    out=$p; return 0
  done
  die "no free TCP port found"
}

# ---------------------------------------------------------------------------------------------
# bookkeeping: every created resource is appended to DIR/.created before anything else happens,
# so `down` (also the one run by a failing `up`) knows exactly what to remove.

record() { echo "$*" >>"$DIR/.created"; }
recorded() { [[ -f "$DIR/.created" ]] && awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$DIR/.created"; }

# edit_hosts FILTER...: pipe /etc/hosts through FILTER and write the result back in place
# (cat >, not mv: /etc/hosts may be a bind mount), under a lock shared by all clusters.
# If FILTER fails, /etc/hosts is left alone.
edit_hosts() {
  mkdir -p "$(dirname "$HOSTS_LOCK")"
  (
    flock -w 20 9 || die "could not lock $HOSTS_LOCK"
    tmp=$(mktemp)
    trap 'rm -f "$tmp"' EXIT
    "$@" </etc/hosts >"$tmp" || die "could not edit /etc/hosts (filter: $*)"
    cat "$tmp" >/etc/hosts
  ) 9>"$HOSTS_LOCK"
}

# ---------------------------------------------------------------------------------------------
# daemons

# pid_of PIDFILE NAME: print the pid in PIDFILE if it is alive and runs NAME (guards against pid reuse).
pid_of() {
  local pidfile=$1 name=$2 pid
  [[ -s "$pidfile" ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n "$pid" && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name" || return 1
  echo "$pid"
}

# alive PID: running and not a zombie (orphans are reaped by the sandbox's init only lazily).
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

# stop_pids GRACE PID...: TERM them all at once, wait up to GRACE s for all, KILL the stragglers.
stop_pids() {
  local grace=$1; shift
  local deadline=$((SECONDS + grace)) pid left
  (($# > 0)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  while :; do
    left=()
    for pid in "$@"; do alive "$pid" && left+=("$pid"); done
    ((${#left[@]} == 0)) && return 0
    if ((SECONDS >= deadline)); then
      log "still running after ${grace}s, killing: ${left[*]}"
      kill -KILL "${left[@]}" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
  done
}

# stop_daemons NAME...: stop every recorded daemon with one of these names, together.
stop_daemons() {
  local name line pid pids=() names=()
  for name in "$@"; do
    while read -r line; do
      [[ "$line" == "$name "* ]] || continue
      if pid=$(pid_of "${line#* }" "$name"); then pids+=("$pid"); names+=("$name:$pid"); fi
    done < <(recorded daemon)
  done
  ((${#pids[@]} > 0)) || return 0
  log "stopping ${names[*]}"
  stop_pids "$STOP_DEADLINE_S" "${pids[@]}"
}

# Kill every process that lives in network namespace $1 (job steps, services started by jobs):
# with proctrack/linuxproc they survive their slurmd.
kill_netns_procs() {
  local ns=$1 pids
  [[ -e /run/netns/$ns ]] || return 0
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  [[ -n "$pids" ]] || return 0
  log "stopping what still runs in $ns: $(echo $pids)"
  # a slurmstepd whose slurmctld is gone ignores TERM: short grace, then KILL
  # shellcheck disable=SC2086
  stop_pids 2 $pids
}

# ---------------------------------------------------------------------------------------------
# up

write_slurm_conf() {
  local node_addrs=$1
  cat >"$DIR/etc/slurm.conf" <<EOF
# Private test cluster written by testbed/cluster.sh -- see TESTBED.md for why each line is here.
ClusterName=$CLUSTER_NAME
SlurmctldHost=$(hostname)($BRIDGE_IP)
SlurmctldPort=$SLURMCTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET

StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool/%n
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.%n.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.%n.log
SlurmctldDebug=info
SlurmdDebug=info

# what works in the gVisor sandbox: no cgroups
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
MpiDefault=none
ReturnToService=2

# short timeouts so tests are fast
SlurmctldTimeout=10
SlurmdTimeout=20
MessageTimeout=5
TCPTimeout=2
KillWait=2
InactiveLimit=0
WaitTime=0
BatchStartTimeout=10

# pretend GPUs (see TESTBED.md): jobs may ask for --gres=gpu:N (N <= 2); no device is behind them
GresTypes=gpu

NodeName=c${TAG}n[1-$NODE_COUNT] NodeAddr=$node_addrs CPUs=2 RealMemory=6000 Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES OverSubscribe=FORCE:4 MaxTime=INFINITE State=UP
EOF
  # gres.conf sits next to slurm.conf; two plain files stand for each node's GPUs (slurmd warns
  # that they are no devices and still registers gpu:2; without files the nodes go INVAL).
  mkdir -p "$DIR/gpu"
  : >"$DIR/gpu/fakegpu0"
  : >"$DIR/gpu/fakegpu1"
  echo "NodeName=c${TAG}n[1-$NODE_COUNT] Name=gpu File=$DIR/gpu/fakegpu[0-1]" >"$DIR/etc/gres.conf"
}

write_wrappers() {
  local cmd real
  for cmd in sbatch squeue scancel sinfo scontrol sacct srun; do
    real=$(command -v "$cmd") || continue
    cat >"$BIN_DIR/$cmd" <<EOF
#!/bin/sh
# $cmd for test cluster $CLUSTER_NAME; every call is logged so tests can count them.
SLURM_CONF=$SLURM_CONF
export SLURM_CONF
echo "$cmd \$*" >> $DIR/slurm-calls.log
exec $real "\$@"
EOF
    chmod 755 "$BIN_DIR/$cmd"
  done
}

start_munge() {
  mkdir -p "$DIR/munge"
  chmod 700 "$DIR/munge"
  # munged warns that the socket is "inaccessible" when DIR is 0700 (mktemp -d): harmless, only
  # root uses this cluster. Own key, socket, pid and seed: nothing shared with another cluster.
  dd if=/dev/urandom of="$DIR/munge/munge.key" bs=128 count=1 status=none
  chmod 400 "$DIR/munge/munge.key"
  record daemon munged "$DIR/munge/munged.pid"
  munged --force --socket="$MUNGE_SOCKET" --key-file="$DIR/munge/munge.key" \
    --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/log/munged.log" \
    --seed-file="$DIR/munge/munged.seed" \
    || die "munged did not start"
  wait_for "munge credentials" "$UP_DEADLINE_S" \
    sh -c "munge -S '$MUNGE_SOCKET' -n | unmunge -S '$MUNGE_SOCKET'"
}

setup_network() {
  local i ns veth ip
  # bridge on the host: slurmctld (on BRIDGE_IP) and the nodes talk over it
  ip link add "$BRIDGE" type bridge
  record link "$BRIDGE"
  ip addr add "$BRIDGE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up

  for ((i = 1; i <= NODE_COUNT; i++)); do
    ns="${TAG}n$i"; veth="${TAG}v$i"; ip="$SUBNET_PREFIX.$((10 + i))"
    ip netns add "$ns"
    record netns "$ns"
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    record link "$veth"
    ip link set "$veth" master "$BRIDGE" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route add default via "$BRIDGE_IP"
  done

  # laptop: a /30 to the host only, deliberately without a default route
  ip netns add "$LAPTOP_NETNS"
  record netns "$LAPTOP_NETNS"
  ip link add "${TAG}vl" type veth peer name eth0 netns "$LAPTOP_NETNS"
  record link "${TAG}vl"
  ip addr add "$LAPTOP_LOGIN_HOST/30" dev "${TAG}vl"
  ip link set "${TAG}vl" up
  ip -n "$LAPTOP_NETNS" link set lo up
  ip -n "$LAPTOP_NETNS" addr add "$LAPTOP_SUBNET_PREFIX.2/30" dev eth0
  ip -n "$LAPTOP_NETNS" link set eth0 up

  if [[ "$(cat /proc/sys/net/ipv4/ip_forward)" != 0 ]]; then
    log "warning: net.ipv4.ip_forward is on; the laptop is still isolated (it has no route)"
  fi
}

add_hosts_lines() {
  local i lines=""
  for ((i = 1; i <= NODE_COUNT; i++)); do
    lines+="$SUBNET_PREFIX.$((10 + i)) c${TAG}n$i  # testbed-$CLUSTER_NAME"$'\n'
  done
  record hosts "testbed-$CLUSTER_NAME"
  HOSTS_ADD=$lines edit_hosts sh -c 'cat; printf "%s" "$HOSTS_ADD"'
}

all_nodes_idle() {
  local n
  n=$(SLURM_CONF=$SLURM_CONF sinfo -h -N -o '%N %T' 2>/dev/null | awk '$2 == "idle"' | sort -u | wc -l)
  ((n == NODE_COUNT))
}

start_slurm() {
  local i node
  record daemon slurmctld "$DIR/run/slurmctld.pid"
  SLURM_CONF=$SLURM_CONF slurmctld -c || die "slurmctld did not start"
  wait_for "slurmctld to answer" "$UP_DEADLINE_S" env SLURM_CONF="$SLURM_CONF" scontrol ping
  for ((i = 1; i <= NODE_COUNT; i++)); do
    node="c${TAG}n$i"
    mkdir -p "$DIR/spool/$node"
    record daemon slurmd "$DIR/run/slurmd.$node.pid"
    # Own network namespace (own address, own port space) and own UTS namespace (hostname).
    SLURM_CONF=$SLURM_CONF nsenter --net="/run/netns/${TAG}n$i" unshare --uts \
      sh -c 'hostname "$1" && exec slurmd -N "$1"' sh "$node" \
      || die "slurmd $node did not start"
  done
  wait_for "all $NODE_COUNT nodes idle" "$UP_DEADLINE_S" all_nodes_idle
}

start_sshd() {
  local s=$DIR/ssh
  mkdir -p "$s" /run/sshd   # /run/sshd: privilege separation dir sshd insists on (shared, kept)
  chmod 700 "$s"
  ssh-keygen -q -t ed25519 -N '' -C "$CLUSTER_NAME-host" -f "$s/host_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C "$CLUSTER_NAME-client" -f "$SSH_KEY"
  cp "$SSH_KEY.pub" "$s/authorized_keys"
  {
    echo "[$LOGIN_HOST]:$LOGIN_PORT $(cut -d' ' -f1,2 "$s/host_ed25519.pub")"
    echo "[$LAPTOP_LOGIN_HOST]:$LOGIN_PORT $(cut -d' ' -f1,2 "$s/host_ed25519.pub")"
  } >"$KNOWN_HOSTS"
  cat >"$s/sshd_config" <<EOF
# login node of test cluster $CLUSTER_NAME
Port $LOGIN_PORT
ListenAddress $LOGIN_HOST
ListenAddress $LAPTOP_LOGIN_HOST
HostKey $s/host_ed25519
PidFile $DIR/run/sshd.pid
AuthorizedKeysFile $s/authorized_keys
# DIR usually sits in world-writable /tmp, which StrictModes would reject
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
MaxSessions 100
MaxStartups 100:30:200
LogLevel INFO
# every session talks to this cluster, also login shells (which reset PATH)
SetEnv SLURM_CONF=$SLURM_CONF PATH=$BIN_DIR:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOF
  /usr/sbin/sshd -t -f "$s/sshd_config" || die "sshd_config rejected"
  record daemon sshd "$DIR/run/sshd.pid"
  /usr/sbin/sshd -f "$s/sshd_config" -E "$DIR/log/sshd.log" || die "sshd did not start"
  wait_for "sshd on $LOGIN_HOST:$LOGIN_PORT" "$UP_DEADLINE_S" \
    timeout 2 bash -c "</dev/tcp/$LOGIN_HOST/$LOGIN_PORT"
  # the real proof: a command through the login node sees this cluster
  local out
  out=$(ssh_login "$LOGIN_HOST" 'echo "$SLURM_CONF"; command -v squeue; squeue -h -o %i | wc -l') \
    || die "ssh to the login node failed"
  [[ "$(sed -n 1p <<<"$out")" == "$SLURM_CONF" && "$(sed -n 2p <<<"$out")" == "$BIN_DIR/squeue" ]] \
    || die "login node sessions do not see SLURM_CONF/BIN_DIR: $out"
}

ssh_login() {
  local host=$1; shift
  ssh -i "$SSH_KEY" -p "$LOGIN_PORT" -o UserKnownHostsFile="$KNOWN_HOSTS" \
    -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 "root@$host" "$@"
}

write_env() {
  local tmp=$DIR/cluster.env.tmp
  cat >"$tmp" <<EOF
CLUSTER_NAME=$CLUSTER_NAME
TAG=$TAG
SLURM_CONF=$SLURM_CONF
NODES=$NODES
NODE_ADDRS=$NODE_ADDRS
NODE_NETNS=$NODE_NETNS
PARTITION=debug
SLURMCTLD_PORT=$SLURMCTLD_PORT
SLURMD_PORT=$SLURMD_PORT
LOGIN_HOST=$LOGIN_HOST
LOGIN_PORT=$LOGIN_PORT
SSH_USER=root
SSH_KEY=$SSH_KEY
KNOWN_HOSTS=$KNOWN_HOSTS
LAPTOP_NETNS=$LAPTOP_NETNS
LAPTOP_LOGIN_HOST=$LAPTOP_LOGIN_HOST
LAPTOP_SUBNET=$LAPTOP_SUBNET_PREFIX.0/30
BRIDGE=$BRIDGE
BRIDGE_IP=$BRIDGE_IP
NETNS_PREFIX=$TAG
SUBNET=$SUBNET_PREFIX.0/24
BIN_DIR=$BIN_DIR
CALL_LOG=$DIR/slurm-calls.log
MUNGE_SOCKET=$MUNGE_SOCKET
TESTBED_DIR=$DIR
EOF
  mv "$tmp" "$DIR/cluster.env"
}

show_log_tails() {
  local f
  for f in "$DIR"/log/*.log; do
    [[ -f "$f" ]] || continue
    log "---- tail of $f"
    tail -n 15 "$f" >&2 || true
  done
}

on_up_exit() {
  local rc=$?
  ((rc == 0)) && return 0
  log "up failed (exit $rc); logs follow, then everything created is removed"
  show_log_tails
  cmd_down "$DIR" || true
  exit "$rc"
}

cmd_up() {
  local started=$SECONDS i
  mkdir -p "$DIR"
  DIR=$(cd "$DIR" && pwd -P)
  [[ "$DIR" =~ ^[A-Za-z0-9/._+-]+$ ]] || die "DIR must not contain spaces or special characters: $DIR"
  [[ -e "$DIR/.created" || -e "$DIR/cluster.env" ]] && die "$DIR already holds a cluster; use a fresh dir"
  ensure_packages
  mkdir -p /run/netns
  : >"$DIR/.created"
  trap on_up_exit EXIT

  # names: retry the tag until none of its names exists (another cluster might hold it)
  for ((i = 0; i < 50; i++)); do
    TAG=$(printf '%04x' $(rand 65536))
    [[ "$TAG" =~ ^[0-9] ]] && continue     # keep names starting with a letter (hostnames)
    ip link show "hb$TAG" >/dev/null 2>&1 && continue
    ls /run/netns/"$TAG"* >/dev/null 2>&1 && continue
    break
  done
  CLUSTER_NAME="hpco$TAG"
  BRIDGE="hb$TAG"
  SUBNET_PREFIX=$(pick_subnet)
  LAPTOP_SUBNET_PREFIX=$(pick_subnet "$SUBNET_PREFIX")
  BRIDGE_IP="$SUBNET_PREFIX.1"
  LAPTOP_NETNS="${TAG}lap"
  LAPTOP_LOGIN_HOST="$LAPTOP_SUBNET_PREFIX.1"
  LOGIN_HOST=127.0.0.1
  pick_port SLURMCTLD_PORT
  pick_port SLURMD_PORT
  pick_port LOGIN_PORT
  SLURM_CONF="$DIR/etc/slurm.conf"
  BIN_DIR="$DIR/bin"
  MUNGE_SOCKET="$DIR/munge/munge.socket"
  SSH_KEY="$DIR/ssh/id_ed25519"
  KNOWN_HOSTS="$DIR/ssh/known_hosts"
  NODES=""; NODE_ADDRS=""; NODE_NETNS=""
  for ((i = 1; i <= NODE_COUNT; i++)); do
    NODES+="${NODES:+,}c${TAG}n$i"
    NODE_ADDRS+="${NODE_ADDRS:+,}$SUBNET_PREFIX.$((10 + i))"
    NODE_NETNS+="${NODE_NETNS:+,}${TAG}n$i"
  done
  log "cluster $CLUSTER_NAME: nodes $NODES on $SUBNET_PREFIX.0/24, ports ctld=$SLURMCTLD_PORT slurmd=$SLURMD_PORT ssh=$LOGIN_PORT"

  mkdir -p "$DIR"/{etc,state,spool,run,log,bin}
  write_slurm_conf "$NODE_ADDRS"
  write_wrappers
  start_munge
  setup_network
  add_hosts_lines
  start_slurm
  start_sshd
  write_env
  trap - EXIT
  log "up in $((SECONDS - started))s; env in $DIR/cluster.env"
  cat "$DIR/cluster.env"
}

# ---------------------------------------------------------------------------------------------
# down: only what DIR/.created names, in an order that lets jobs and daemons end cleanly

cmd_down() {
  local d=$1 ns link marker
  [[ -d "$d" ]] || { log "no such dir $d; nothing to do"; return 0; }
  DIR=$(cd "$d" && pwd -P)
  [[ -f "$DIR/.created" ]] || { log "nothing recorded in $DIR; nothing to do"; return 0; }
  SLURM_CONF="$DIR/etc/slurm.conf"

  # 1. cancel jobs while slurmctld still runs, so steps end through SLURM
  if pid_of "$DIR/run/slurmctld.pid" slurmctld >/dev/null; then
    SLURM_CONF=$SLURM_CONF timeout 10 scancel --quiet --full --user=root 2>/dev/null || true
    local deadline=$((SECONDS + 5))
    while ((SECONDS < deadline)) && [[ -n "$(SLURM_CONF=$SLURM_CONF timeout 5 squeue -h -t R,CG,PD -o %i 2>/dev/null)" ]]; do
      sleep 0.2
    done
  fi
  # 2. daemons, together (slurmctld alone needs ~5 s to save its state); munged last, since
  #    the others may still authenticate through it while they shut down
  stop_daemons sshd slurmd slurmctld
  stop_daemons munged
  # 3. whatever still runs inside our namespaces (job steps survive slurmd with linuxproc)
  while read -r ns; do
    [[ -n "$ns" ]] || continue
    kill_netns_procs "$ns"
  done < <(recorded netns)
  # 4. namespaces (their eth0 ends go with them) and host-side links
  while read -r ns; do
    [[ -n "$ns" && -e /run/netns/$ns ]] || continue
    ip netns del "$ns" && log "deleted netns $ns"
  done < <(recorded netns)
  while read -r link; do
    [[ -n "$link" ]] || continue
    ip link show "$link" >/dev/null 2>&1 || continue
    ip link del "$link" && log "deleted link $link"
  done < <(recorded link)
  # 5. our /etc/hosts lines, matched by their exact marker
  while read -r marker; do
    [[ -n "$marker" ]] || continue
    if grep -q "  # $marker\$" /etc/hosts; then
      # drop exactly the lines ending in our marker (awk, unlike grep -v, exits 0 on no output)
      edit_hosts awk -v m="  # $marker" 'substr($0, length($0) - length(m) + 1) != m'
      log "removed /etc/hosts lines of $marker"
    fi
  done < <(recorded hosts)
  log "down done for $DIR"
}

cmd_status() {
  local d=$1
  [[ -f "$d/cluster.env" ]] || die "no cluster.env in $d"
  local conf
  conf=$(sed -n 's/^SLURM_CONF=//p' "$d/cluster.env")
  echo "== sinfo"
  SLURM_CONF=$conf sinfo
  echo "== sinfo -N"
  SLURM_CONF=$conf sinfo -N -o '%N %T %O %e'
  echo "== squeue"
  SLURM_CONF=$conf squeue
}

main() {
  (($# == 2)) || usage
  [[ $(id -u) == 0 ]] || die "must run as root (namespaces, bridge, /etc/hosts)"
  DIR=$2
  case $1 in
    up) cmd_up ;;
    down) cmd_down "$DIR" ;;
    status) cmd_status "$DIR" ;;
    *) usage ;;
  esac
}

main "$@"
