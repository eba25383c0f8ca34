#!/usr/bin/env bash
# One-node Slurm smoke test: runs `ganvas train` as a batch job (ganvas-train.sbatch) on a
# throw-away cluster made on this machine (its own munged, slurmctld and slurmd, config and state
# in a temp folder; nothing in /etc is touched), then checks the job's output and checkpoint.
#
#   sudo bash build/cluster/slurm-smoke.sh            # needs Debian's slurm-wlm (apt-get install -y slurm-wlm)
#   GANVAS_SLURM_INSTALL=1 sudo bash build/cluster/slurm-smoke.sh   # installs it first if missing
#
# It says plainly when it skips (no slurm-wlm, not root, not Linux) and exits 0 then; a failure
# exits non-zero with the daemons' logs. CI (.ci/run) runs it after `npm test`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
skip() {
  echo "slurm-smoke: SKIPPED: $*"
  exit 0
}

[ "$(uname -s)" = Linux ] || skip "needs Linux (Slurm's daemons)"
[ "$(id -u)" = 0 ] || skip "starting munged, slurmctld and slurmd needs root"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  if [ "${GANVAS_SLURM_INSTALL:-0}" = 1 ] && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm; } >/dev/null 2>&1 ||
      skip "apt-get could not install slurm-wlm"
  else
    skip "slurm-wlm is not installed (Debian/Ubuntu: apt-get install -y slurm-wlm, or run with GANVAS_SLURM_INSTALL=1)"
  fi
fi

work=$(mktemp -d /tmp/ganvas-slurm-XXXXXX)
chmod 755 "$work"
export SLURM_CONF=$work/slurm.conf
host=$(hostname -s)
stop() {
  local pids=()
  for pid in "$work"/slurmd.pid "$work"/slurmctld.pid "$work"/munged.pid; do
    [ -f "$pid" ] && pids+=("$(cat "$pid")") && kill "${pids[-1]}" 2>/dev/null || true
  done
  # slurmctld saves its state as it exits: wait (up to 10 s) so the folder is not removed under it.
  for _ in $(seq 50); do
    local alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
}
fail() {
  echo "slurm-smoke: FAILED: $*" >&2
  for log in "$work"/*.log "$work"/job-*.out; do [ -f "$log" ] && { echo "--- $log" >&2; tail -n 40 "$log" >&2; }; done
  stop
  exit 1
}
trap stop EXIT

# munge: Slurm's authentication, on a socket and key of our own.
mkdir -p "$work/munge"
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.sock" \
  --pid-file="$work/munged.pid" --log-file="$work/munged.log" --seed-file="$work/munge/seed" ||
  fail "munged did not start"

mkdir -p "$work/slurmctld" "$work/slurmd"
cat >"$SLURM_CONF" <<CONF
ClusterName=ganvas-smoke
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.sock
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
StateSaveLocation=$work/slurmctld
SlurmdSpoolDir=$work/slurmd
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=smoke Nodes=ALL Default=YES MaxTime=30 State=UP
CONF
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 60); do
  state=$(sinfo -h -o %T 2>/dev/null | head -n1 || true)
  [ "$state" = idle ] && break
  sleep 1
done
[ "${state:-}" = idle ] || fail "the node did not come up (state: ${state:-none})"
echo "slurm-smoke: one-node cluster up ($(sinfo -h -o '%P %D %T %c CPUs'))"

# A tiny MNIST project (the bundled dataset), trained 6 steps by the batch job.
export GANVAS="node --import tsx $repo/src-main/cli/index.ts"
cd "$repo"
# shellcheck disable=SC2086
$GANVAS new "$work/project" --dataset mnist --ngf 8 --ndf 8 --z 16 --batch 16 --seed 3 >/dev/null 2>"$work/new.log" || fail "ganvas new failed"
job=$(sbatch --parsable --wait --chdir="$repo" --output="$work/job-%j.out" "$here/ganvas-train.sbatch" "$work/project" --steps 6) ||
  fail "the batch job failed"
out="$work/job-$job.out"
grep -q '"step":6' "$out" || fail "the job's output has no step 6"
[ -f "$work/project/checkpoints/step-00000006.ckpt" ] || fail "no checkpoint at step 6"
echo "slurm-smoke: PASSED: job $job ran ganvas train on $host to step 6 ($(grep -c '"step"' "$out") metric lines, checkpoint written)"
stop
trap - EXIT
# A daemon that outlived the wait may still write there: the test has passed, so only say so.
rm -rf "$work" 2>/dev/null || { sleep 2; rm -rf "$work" 2>/dev/null; } || echo "slurm-smoke: could not remove $work"

