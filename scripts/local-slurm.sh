#!/usr/bin/env bash
# A real single-node Slurm cluster on localhost, for the demo and for every test: Slurm 22.05
# (Debian 12's packages, on this machine), or with PTB_SLURM=24.11 (scripts/local-slurm-24.sh) a
# second one, Slurm 24.11 from Debian 13, in a root filesystem of its own beside the first.
#
#   scripts/local-slurm.sh up                 install (root, Debian) if needed, configure, start, wait until idle
#   scripts/local-slurm.sh down               cancel every job, stop the daemons this script started (by pid file)
#   scripts/local-slurm.sh status             what runs, and what sinfo says; exit 0 when the node is usable
#   scripts/local-slurm.sh stop-controller    stop slurmctld only (fault drills: "controller unreachable")
#   scripts/local-slurm.sh start-controller   start it again
#   scripts/local-slurm.sh heal               restart the controller if it holds GPUs for jobs that are gone (see cmd_heal)
#
# The node advertises four fake H100s (gres.conf points them at symlinks to /dev/null, because
# Slurm 22.05 silently drops file-less GPUs) and the feature h100; partitions gpu (default) and cpu.
# Accounting runs through slurmdbd and a local MariaDB, so that sacct is real.
# Environment: PTB_LOCAL_SLURM_NODB=1 skips slurmdbd/MariaDB (sacct then says accounting is disabled).
#
# Slurm 24.11 runs in $ROOT (a Debian 13 root made by mmdebstrap), its daemons chrooted there, on
# ports 7817-7819 (22.05: 6817-6819), with its own munge, MariaDB (port 3307), spool and state. The
# folders jobs and ptb share (/tmp, /root, /home, /work, and the top folders of this checkout and of the
# current directory) are bind-mounted at the same paths inside, so
# that a batch script, a results folder or a checkout has one path on both sides. Its client
# commands run through the wrappers in $ROOT_BIN (`bin` prints that folder): put it first on PATH.
set -u

VERSION="${PTB_SLURM:-22.05}"
case "$VERSION" in
  22.05) ROOT="" PORTS=68 CLUSTER=localcluster DB_HOST=localhost DB_PORT=3306 ;;
  # Trixie's slurmdbd 24.11 fails its first query over MariaDB 11.8's socket (_check_mysql_concat_is_sane:
  # "null result"), not over TCP: its MariaDB listens on 127.0.0.1:3307 (the first one's has 3306).
  24.11) ROOT=/var/lib/ptb-local-slurm-24/rootfs PORTS=78 CLUSTER=localcluster2411 DB_HOST=127.0.0.1 DB_PORT=3307 ;;
  *) printf 'local-slurm: PTB_SLURM=%s: only 22.05 and 24.11 are known\n' "$VERSION" >&2; exit 2 ;;
esac
ROOT_BIN=/var/lib/ptb-local-slurm-24/bin
SHARED=(/tmp /root /home /work)
# The checkout this script belongs to and the folder it is run from may live elsewhere (a CI machine
# clones into /check/...): their top-level folders are shared too, or every job of the tests fails.
top_folder() { local t; t="/$(printf '%s' "$1" | cut -d/ -f2)"; [ "$t" != / ] && printf '%s' "$t"; }
for extra in "$(top_folder "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)")" "$(top_folder "$(pwd -P)")"; do
  [ -n "$extra" ] || continue
  case " ${SHARED[*]} " in *" $extra "*) ;; *) case "$extra" in /proc | /sys | /dev | /run | /var | /etc | /usr) ;; *) SHARED+=("$extra") ;; esac ;; esac
done
CLIENTS=(sinfo squeue sbatch scancel scontrol sacct sacctmgr srun salloc sattach sstat sprio sshare sdiag)
NODE=node01
# Paths as the daemons see them (inside $ROOT for 24.11); h PATH is the same file from this machine.
STATE=/run/ptb-local-slurm
LOGS=/var/log/ptb-local-slurm
SPOOL=/var/spool/ptb-local-slurm
FAKEGPU=/var/lib/ptb-local-slurm/fakegpu
CONF_DIR=/etc/slurm
MARKER="# Written by ptb-slurm scripts/local-slurm.sh: a single-node test cluster."
WITH_DBD=1
[ "${PTB_LOCAL_SLURM_NODB:-0}" = 1 ] && WITH_DBD=0

say() { printf 'local-slurm %s: %s\n' "$VERSION" "$*"; }
die() { printf 'local-slurm %s: %s\n' "$VERSION" "$*" >&2; exit 1; }
# A command of the cluster's Slurm (and munge, MariaDB): inside $ROOT for 24.11.
R() { if [ -n "$ROOT" ]; then chroot "$ROOT" "$@"; else "$@"; fi; }
h() { printf '%s%s' "$ROOT" "$1"; }

# A pid file counts only while its process is alive and has the expected name: pid files outlive daemons.
# Debian 13's daemons are slurmctld-wlm and friends: `scontrol reconfigure` re-executes slurmctld 24.11
# under that name (and a new pid, which it writes to the pid file).
alive() { # alive PIDFILE COMM
  local pid comm
  [ -s "$(h "$1")" ] || return 1
  pid=$(cat "$(h "$1")")
  comm=$(cat "/proc/$pid/comm" 2>/dev/null)
  [ "$comm" = "$2" ] || [ "$comm" = "$2-wlm" ]
}

stop_pidfile() { # stop_pidfile PIDFILE COMM
  local pid i
  if ! alive "$1" "$2"; then rm -f "$(h "$1")"; return 0; fi
  pid=$(cat "$(h "$1")")
  kill "$pid" 2>/dev/null
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$(h "$1")"; say "stopped $2 ($pid)"; return 0; }
    sleep 0.1
  done
  say "$2 ($pid) still alive after 15 s; sending SIGKILL"
  kill -9 "$pid" 2>/dev/null
  rm -f "$(h "$1")"
}

need_root() { [ "$(id -u)" = 0 ] || die "this needs root (it installs packages and starts system daemons). Run it with sudo, or as root."; }

# Slurm 24.11's root: Debian 13 with its Slurm, munge, slurmdbd and MariaDB, and what jobs run
# (uuidgen, python3, curl). Built beside, then moved in place: a half-built root is never used.
ROOT_PACKAGES=slurm-wlm,slurmdbd,munge,mariadb-server,uuid-runtime,python3,curl,procps,ca-certificates
install_root() {
  [ -x "$ROOT/usr/sbin/slurmctld" ] && return 0
  command -v mmdebstrap >/dev/null || {
    command -v apt-get >/dev/null || die "building Slurm 24.11's root needs mmdebstrap (Debian: apt-get install mmdebstrap)"
    say "installing mmdebstrap (apt-get)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null \
      || die "apt-get install mmdebstrap failed"
  }
  rm -rf "$ROOT.building"
  mkdir -p "$(dirname "$ROOT")"
  say "building $ROOT: Debian 13 (trixie) with $ROOT_PACKAGES (mmdebstrap; a few minutes the first time)"
  mmdebstrap --quiet --variant=apt --include="$ROOT_PACKAGES" trixie "$ROOT.building" http://deb.debian.org/debian >"$(dirname "$ROOT")/mmdebstrap.log" 2>&1 \
    || { tail -20 "$(dirname "$ROOT")/mmdebstrap.log" >&2; rm -rf "$ROOT.building"; die "mmdebstrap failed (log: $(dirname "$ROOT")/mmdebstrap.log)"; }
  mv "$ROOT.building" "$ROOT"
}

# The kernel's file systems and the shared folders, at the same paths inside the root (each once).
mount_root() {
  local d
  for d in /proc /sys /dev /dev/pts "${SHARED[@]}"; do
    [ -d "$d" ] || continue
    mkdir -p "$ROOT$d"
    mountpoint -q "$ROOT$d" || mount --bind "$d" "$ROOT$d" || die "could not bind-mount $d into $ROOT"
  done
  # The host's name resolution, so that localhost and the node's address agree on both sides.
  cp -f /etc/hosts "$ROOT/etc/hosts"
}

# Every mount under the root, deepest first: an earlier `up` run from another folder may have shared more.
unmount_root() {
  local d
  awk -v root="$ROOT/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r d; do
    umount -l "$d"
  done
  return 0
}

# ptb and the tests run Slurm 24.11's clients through these: each runs inside the root, in the same folder.
write_wrappers() {
  local c
  mkdir -p "$ROOT_BIN"
  for c in "${CLIENTS[@]}"; do
    write_if_changed "$ROOT_BIN/$c" 0755 <<WRAP || true
#!/bin/sh
# Slurm $VERSION's $c, run in the root of scripts/local-slurm.sh's second cluster (PTB_SLURM=$VERSION).
dir=\$PWD
[ -d "$ROOT\$dir" ] || dir=/
exec chroot $ROOT /usr/bin/env --chdir="\$dir" /usr/bin/$c "\$@"
WRAP
  done
}

install_packages() {
  local pkgs=() p
  if [ -n "$ROOT" ]; then install_root; return; fi
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sinfo >/dev/null || pkgs+=(slurm-wlm)
  command -v munged >/dev/null || pkgs+=(munge)
  if [ "$WITH_DBD" = 1 ]; then
    command -v slurmdbd >/dev/null || pkgs+=(slurmdbd)
    command -v mariadbd >/dev/null || pkgs+=(mariadb-server)
  fi
  [ ${#pkgs[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "Slurm is not installed and this is not a Debian-like system (no apt-get). Install slurm-wlm and munge by hand."
  say "installing ${pkgs[*]} (apt-get)"
  apt-get update -qq >/dev/null || die "apt-get update failed"
  # Debian's policy-rc.d keeps the packages from starting daemons themselves; this script starts them.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >"$LOGS/apt.log" 2>&1 \
    || { tail -20 "$LOGS/apt.log" >&2; die "apt-get install ${pkgs[*]} failed (log: $LOGS/apt.log)"; }
  for p in slurmctld slurmd sinfo munged; do command -v "$p" >/dev/null || die "$p is still missing after the install"; done
}

# Refuse to overwrite a real cluster's configuration: only a file carrying our marker is ours.
check_conf_ownership() {
  local f
  for f in "$(h $CONF_DIR/slurm.conf)" "$(h $CONF_DIR/gres.conf)" "$(h $CONF_DIR/slurmdbd.conf)"; do
    if [ -s "$f" ] && ! head -1 "$f" | grep -qF "$MARKER"; then
      die "$f exists and was not written by this script. This machine may belong to a real cluster: refusing to touch it. Move it away to use the local test cluster."
    fi
  done
}

write_if_changed() { # write_if_changed PATH MODE < content ; returns 0 when the file changed
  local tmp changed=1
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  chmod "$2" "$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; changed=1; else mv -f "$tmp" "$1"; changed=0; fi
  return $changed
}

write_config() {
  local changed=1 acct switch=""
  mkdir -p "$(h $CONF_DIR)"
  # 24.11 has no switch/none any more (no SwitchType is the same).
  [ "$VERSION" = 22.05 ] && switch="SwitchType=switch/none"
  if [ "$WITH_DBD" = 1 ]; then
    acct="JobAcctGatherType=jobacct_gather/linux
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=${PORTS}19
AccountingStorageTRES=gres/gpu"
  else
    acct="JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none"
  fi
  # Declared CPUs, memory and TmpDisk are those of a real H100 node, so that upstream-sized requests
  # (--cpus-per-task=16 --mem=128G --tmp=400G) are accepted; config_overrides lets slurmd believe them.
  write_if_changed "$(h $CONF_DIR/slurm.conf)" 0644 <<CONF && changed=0
$MARKER
# Slurm $VERSION
ClusterName=$CLUSTER
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
$switch
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
# Backfill every 2 s (default 30 s): a test waits for jobs that fit beside a blocked one.
SchedulerParameters=bf_interval=2
StateSaveLocation=$SPOOL/ctld
SlurmdSpoolDir=$SPOOL/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
SlurmctldPort=${PORTS}17
SlurmdPort=${PORTS}18
ReturnToService=2
$acct
JobCompType=jobcomp/filetxt
JobCompLoc=$LOGS/jobcomp.log
MinJobAge=300
DefMemPerCPU=256
MailProg=/bin/true
GresTypes=gpu
SlurmdParameters=config_overrides
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=64 Boards=1 SocketsPerBoard=2 CoresPerSocket=32 ThreadsPerCore=1 RealMemory=512000 TmpDisk=800000 Gres=gpu:h100:4 Features=h100 State=UNKNOWN
PartitionName=gpu Nodes=$NODE Default=YES MaxTime=2-00:00:00 State=UP
PartitionName=cpu Nodes=$NODE Default=NO MaxTime=1-00:00:00 State=UP
CONF
  write_if_changed "$(h $CONF_DIR/gres.conf)" 0644 <<CONF && changed=0
$MARKER
AutoDetect=off
NodeName=$NODE Name=gpu Type=h100 File=$FAKEGPU/nvidia[0-3]
CONF
  # 24.11's slurmd initialises a cgroup plugin even with proctrack/linuxproc and task/none, and finds no
  # cgroup file system in its root: the test cluster needs none.
  if [ -n "$ROOT" ]; then
    write_if_changed "$(h $CONF_DIR/cgroup.conf)" 0644 <<CONF && changed=0
$MARKER
CgroupPlugin=disabled
CONF
  fi
  if [ "$WITH_DBD" = 1 ]; then
    write_if_changed "$(h $CONF_DIR/slurmdbd.conf)" 0600 <<CONF && changed=0
$MARKER
AuthType=auth/munge
DbdHost=localhost
DbdPort=${PORTS}19
SlurmUser=root
DebugLevel=info
LogFile=$LOGS/slurmdbd.log
PidFile=$STATE/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=$DB_HOST
StoragePort=$DB_PORT
StorageUser=slurm
StoragePass=slurmpw
StorageLoc=slurm_acct_db
CONF
  fi
  return $changed
}

start_munge() {
  if R munge -n 2>/dev/null | R unmunge >/dev/null 2>&1; then return 0; fi
  if [ ! -s "$(h /etc/munge/munge.key)" ]; then
    R mungekey --create --keyfile=/etc/munge/munge.key || die "could not create /etc/munge/munge.key"
    R chown munge:munge /etc/munge/munge.key && chmod 0400 "$(h /etc/munge/munge.key)"
  fi
  mkdir -p "$(h /run/munge)" && R chown munge:munge /run/munge && chmod 0755 "$(h /run/munge)"
  touch "$(h $STATE/munged.pid)" && R chown munge "$STATE/munged.pid"
  R runuser -u munge -- /usr/sbin/munged --pid-file="$STATE/munged.pid" || die "munged did not start (see $(h /var/log/munge/munged.log))"
  R munge -n | R unmunge >/dev/null 2>&1 || die "munge does not answer after starting munged"
}

start_dbd() {
  local i net=()
  [ -n "$ROOT" ] && net=(--port="$DB_PORT" --bind-address=127.0.0.1)
  if ! R mariadb-admin ping >/dev/null 2>&1; then
    mkdir -p "$(h /run/mysqld)" && R chown mysql:mysql /run/mysqld
    [ -d "$(h /var/lib/mysql/mysql)" ] || R mariadb-install-db --user=mysql >"$(h $LOGS/mariadb-install.log)" 2>&1 || die "mariadb-install-db failed (log: $(h $LOGS/mariadb-install.log))"
    # mariadbd writes its pid file as the mysql user.
    touch "$(h $STATE/mariadbd.pid)" && R chown mysql "$STATE/mariadbd.pid"
    nohup chroot "${ROOT:-/}" /usr/sbin/mariadbd --user=mysql --pid-file="$STATE/mariadbd.pid" "${net[@]}" >"$(h $LOGS/mariadbd.log)" 2>&1 &
    for i in $(seq 1 300); do R mariadb-admin ping >/dev/null 2>&1 && break; sleep 0.1; done
    R mariadb-admin ping >/dev/null 2>&1 || die "MariaDB did not start within 30 s (log: $(h $LOGS/mariadbd.log))"
  fi
  R mariadb -e "CREATE USER IF NOT EXISTS 'slurm'@'$DB_HOST' IDENTIFIED BY 'slurmpw'; GRANT ALL ON slurm_acct_db.* TO 'slurm'@'$DB_HOST';" \
    || die "could not create the MariaDB user for slurmdbd"
  # Against a MariaDB just installed, trixie's slurmdbd 24.11 may still die of its first query
  # (_check_mysql_concat_is_sane, "null result"), and start the next time: three tries.
  local try
  for try in 1 2 3; do
    if ! alive "$STATE/slurmdbd.pid" slurmdbd; then
      R slurmdbd || die "slurmdbd did not start (log: $(h $LOGS/slurmdbd.log))"
    fi
    for i in $(seq 1 100); do
      (exec 3<>/dev/tcp/127.0.0.1/${PORTS}19) 2>/dev/null && return 0
      # Its pid file is written once it has forked: gone after 2 s is dead.
      [ "$i" -ge 20 ] && ! alive "$STATE/slurmdbd.pid" slurmdbd && break
      sleep 0.1
    done
    alive "$STATE/slurmdbd.pid" slurmdbd && break
    say "slurmdbd stopped before listening (try $try of 3; log: $(h $LOGS/slurmdbd.log))"
    sleep 1
  done
  for i in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/${PORTS}19) 2>/dev/null && return 0; sleep 0.1; done
  die "slurmdbd does not listen on ${PORTS}19 after 30 s (log: $(h $LOGS/slurmdbd.log))"
}

start_ctld() {
  local i
  alive "$STATE/slurmctld.pid" slurmctld && return 0
  R slurmctld || die "slurmctld did not start (log: $(h $LOGS/slurmctld.log))"
  for i in $(seq 1 100); do R scontrol ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "slurmctld does not answer scontrol ping after 10 s (log: $(h $LOGS/slurmctld.log))"
}

node_state() { R sinfo -h -n "$NODE" -o '%t' 2>/dev/null | head -1; }

wait_idle() {
  local i st=
  for i in $(seq 1 300); do
    st=$(node_state)
    case "$st" in
      idle|mix|mixed|alloc|allocated) return 0 ;;
      # A registration that went wrong once is saved as DRAIN and survives the fix: resume it.
      drain*|drng|inval|down*) R scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1 ;;
    esac
    sleep 0.1
  done
  die "node $NODE is not usable after 30 s (state: ${st:-unknown}; logs in $(h $LOGS))"
}

cmd_up() {
  local t0=$SECONDS changed=1
  need_root
  [ -z "$ROOT" ] && mkdir -p "$LOGS"
  install_packages
  [ -n "$ROOT" ] && { mount_root; write_wrappers; }
  mkdir -p "$(h $STATE)" "$(h $LOGS)" "$(h $SPOOL/ctld)" "$(h $SPOOL/d)" "$(h $FAKEGPU)"
  check_conf_ownership
  write_config && changed=0
  for i in 0 1 2 3; do ln -sfn /dev/null "$(h $FAKEGPU)/nvidia$i"; done
  if [ $changed = 0 ] && { alive "$STATE/slurmctld.pid" slurmctld || alive "$STATE/slurmd.pid" slurmd; }; then
    say "configuration changed: restarting the Slurm daemons"
    stop_pidfile "$STATE/slurmd.pid" slurmd
    stop_pidfile "$STATE/slurmctld.pid" slurmctld
    stop_pidfile "$STATE/slurmdbd.pid" slurmdbd
  fi
  start_munge
  [ "$WITH_DBD" = 1 ] && start_dbd
  start_ctld
  alive "$STATE/slurmd.pid" slurmd || R slurmd -N "$NODE" || die "slurmd did not start (log: $(h $LOGS/slurmd.log))"
  wait_idle
  say "up in $((SECONDS - t0)) s: $(R sinfo -h -o '%P %a %l %D %t %G %f' | tr '\n' ';' | sed 's/;$//')"
}

cmd_down() {
  local ids i
  need_root
  # A running job's slurmstepd and payload outlive slurmd: cancel every job first.
  if alive "$STATE/slurmctld.pid" slurmctld && R scontrol ping >/dev/null 2>&1; then
    ids=$(R squeue -h -o %A 2>/dev/null | sort -u)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086 # one id per word
      R scancel $ids
      for i in $(seq 1 100); do [ -z "$(R squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
    fi
  fi
  stop_pidfile "$STATE/slurmd.pid" slurmd
  stop_pidfile "$STATE/slurmctld.pid" slurmctld
  stop_pidfile "$STATE/slurmdbd.pid" slurmdbd
  stop_pidfile "$STATE/mariadbd.pid" mariadbd
  stop_pidfile "$STATE/munged.pid" munged
  [ -n "$ROOT" ] && [ -d "$ROOT" ] && unmount_root
  say "down"
}

cmd_status() {
  local name st rc=0
  for name in munged mariadbd slurmdbd slurmctld slurmd; do
    if alive "$STATE/$name.pid" "$name"; then st="running (pid $(cat "$(h $STATE/$name.pid)"))"; else st="not started by this script"; fi
    printf '%-10s %s\n' "$name" "$st"
  done
  [ -n "$ROOT" ] && printf '%-10s %s\n' root "$ROOT (clients: $ROOT_BIN)"
  if [ -n "$ROOT" ] && [ ! -x "$ROOT/usr/bin/scontrol" ]; then
    echo "controller: not installed (up builds it)"; rc=1
  elif R scontrol ping >/dev/null 2>&1; then
    R sinfo -o '%P %a %l %D %t %G %f'
    case "$(node_state)" in idle|mix|mixed|alloc|allocated) ;; *) rc=1 ;; esac
  else
    echo "controller: not reachable"; rc=1
  fi
  return $rc
}

# Slurm 22.05 sometimes keeps a node's GPUs allocated after their jobs have ended (seen after a
# controller restart followed by cancellations: AllocTRES=gres/gpu=4 with no job running). Every
# later GPU job then pends on Resources. A controller restart recomputes the allocation.
cmd_heal() {
  local active alloc
  need_root
  R scontrol ping >/dev/null 2>&1 || return 0
  # Jobs cancelled by the previous test file may still be completing: give them a few seconds.
  for _ in $(seq 1 15); do
    [ "$(R squeue -h -t COMPLETING -o %i 2>/dev/null | wc -l)" = 0 ] && break
    sleep 1
  done
  active=$(R squeue -h -t RUNNING,COMPLETING,CONFIGURING,SUSPENDED -o %i 2>/dev/null | wc -l)
  alloc=$(R scontrol show node "$NODE" 2>/dev/null | grep -o 'AllocTRES=[^ ]*')
  if [ "$active" = 0 ] && printf '%s' "$alloc" | grep -q 'gres/gpu='; then
    say "no job runs but the controller still allocates GPUs ($alloc): restarting it"
    stop_pidfile "$STATE/slurmctld.pid" slurmctld
    start_ctld
    wait_idle
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  stop-controller) need_root; stop_pidfile "$STATE/slurmctld.pid" slurmctld ;;
  start-controller) need_root; start_ctld; wait_idle; say "controller up" ;;
  heal) cmd_heal ;;
  bin) [ -n "$ROOT" ] && echo "$ROOT_BIN" ;;
  *) echo "usage: [PTB_SLURM=22.05|24.11] $0 up|down|status|stop-controller|start-controller|heal|bin" >&2; exit 2 ;;
esac
