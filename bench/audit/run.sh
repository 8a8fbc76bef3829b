#!/usr/bin/env bash
# Audit benchmark: about 1,000 managed stages (210 synthetic APIs, 5 stages
# each, less the quick-create ones) adopted into one directory, then, RUNS
# times each, in one run of this script:
#   bare   tofu plan -refresh-only -lock=false        (what any drift check costs)
#   plan   apigw2tf audit --mode plan  (plan, state read, discovery, reports)
#   live   apigw2tf audit --mode live  (show -json of the state, discovery, reports)
# and prints the medians as a markdown table for docs/benchmarks.md.
#
# PROFILE says how the emulator answers once the account is adopted:
#   local    at once: the engine's CPU is all there is (the worst case for
#            apigw2tf's relative overhead)
#   latency  30 ms on average per call (20 ms + up to 20 ms jitter), as an
#            AWS control plane answers at best, with no quota
#   quota    at once, but 10 requests/s with a burst of 40 per account and
#            region, the control-plane quota AWS is said to apply; audits
#            then discover at their default rate, which is the same
# Needs `make tools` (tofu and the stand-in provider).
# Usage: bench/audit/run.sh [RUNS] [PROFILE]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
profile=${2:-local}
case $profile in
local) emu_flags=() audit_rate=(--rate 0) ;;
latency) emu_flags=(--latency 20ms --jitter 20ms) audit_rate=(--rate 0) ;;
quota) emu_flags=(--rate 10 --burst 40) audit_rate=() ;;
*) echo "bench/audit: profile \"$profile\" is not local, latency or quota" >&2; exit 2 ;;
esac
tofu="$root/.tools/bin/tofu"
[ -x "$tofu" ] && [ -f "$root/.tools/terraformrc" ] || { echo "bench/audit: run \`make tools\` first" >&2; exit 1; }

work=$(mktemp -d)
emu_pid=
cleanup() { [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

(cd "$root" && go build -o "$work/apigw2tf" ./cmd/apigw2tf)
port=$((20000 + RANDOM % 20000))
# start_emulator FLAGS...: the synthetic account is generated from its seed,
# so a restart with other flags serves the same APIs and stages.
start_emulator() {
  "$work/apigw2tf" emulator --listen "127.0.0.1:$port" --synthetic apis=210,stages=5,seed=1 --log-level warn "$@" >/dev/null &
  emu_pid=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/_emulator/stats" >/dev/null && return; sleep 0.1; done
  echo "bench/audit: the emulator did not start" >&2; exit 1
}
start_emulator

export AWS_ACCESS_KEY_ID=AKIDAPIGW2TFBENCH AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
  AWS_ENDPOINT_URL_APIGATEWAYV2="http://127.0.0.1:$port" AWS_ENDPOINT_URL_STS="http://127.0.0.1:$port" \
  AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  TF_CLI_CONFIG_FILE="$root/.tools/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

infra="$work/infra"
mkdir -p "$infra"
"$work/apigw2tf" discover --region us-east-1 --rate 0 -q -o "$work/inventory.json"
"$work/apigw2tf" generate --inventory "$work/inventory.json" --dir "$infra" >/dev/null
"$tofu" -chdir="$infra" init -input=false >/dev/null
"$tofu" -chdir="$infra" apply -input=false -auto-approve >/dev/null
stages=$("$tofu" -chdir="$infra" state list | grep -c '^aws_apigatewayv2_stage\.' || true)
apis=$("$tofu" -chdir="$infra" state list | grep -c '^aws_apigatewayv2_api\.' || true)
now() { date +%s.%N; }
# time_once NAME WANT_RC CMD...: runs CMD once and adds its seconds to
# NAME's list; any other exit code stops the benchmark. The commands
# compared take turns, round by round, so a change in the machine's load
# (2 shared vCPUs) falls on all of them alike.
time_once() {
  local name=$1 want=$2 t0 t1 rc=0; shift 2
  t0=$(now)
  "$@" >/dev/null 2>"$work/$name.err" || rc=$?
  t1=$(now)
  if [ "$rc" -ne "$want" ]; then echo "bench/audit: $name exited $rc, want $want; the end of its output:" >&2; tail -n 30 "$work/$name.err" >&2; exit 1; fi
  echo "$t1 - $t0" | bc -l >>"$work/$name.times"
}
median() { sort -n "$work/$1.times" | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]}'; }

# The engine-only parts do not depend on the profile: time them first.
"$tofu" -chdir="$infra" plan -refresh-only -lock=false -input=false -out="$work/plan.tfplan" >/dev/null
for _ in $(seq "$runs"); do
  time_once show 0 "$tofu" -chdir="$infra" show -json "$work/plan.tfplan"
  time_once state 0 "$tofu" -chdir="$infra" show -json
done

# Adoption ran at full speed; the measurements run under the profile.
kill "$emu_pid"; wait "$emu_pid" 2>/dev/null || true
start_emulator "${emu_flags[@]}"

audit=("$work/apigw2tf" audit --dir "$infra" --terraform-bin "$tofu" --region us-east-1 "${audit_rate[@]}" -q --format json,html)
# The synthetic account has no drift (its quick-create stages are none), so
# the audits must exit 0 here.
for _ in $(seq "$runs"); do
  time_once bare 0 "$tofu" -chdir="$infra" plan -refresh-only -lock=false -input=false
  time_once plan 0 "${audit[@]}" --out-dir "$work/out-plan"
  time_once live 0 "${audit[@]}" --mode live --out-dir "$work/out-live"
done
# One stage edited in the console: plan mode now shows the plan too.
id=$(grep -m1 -o 'id = "[a-z0-9]*/[^"$]*"' "$infra/imports.tf" | cut -d'"' -f2)
aws --endpoint-url "http://127.0.0.1:$port" apigatewayv2 update-stage --region us-east-1 --api-id "${id%%/*}" --stage-name "${id#*/}" --description "edited in the console" >/dev/null
for _ in $(seq "$runs"); do
  time_once bare-drift 0 "$tofu" -chdir="$infra" plan -refresh-only -lock=false -input=false
  time_once drift 2 "${audit[@]}" --out-dir "$work/out-drift"
done
bare=$(median bare) plan=$(median plan) live=$(median live) show=$(median show) state=$(median state)
bare_drift=$(median bare-drift) drift=$(median drift)

ratio() { echo "scale=3; $1 / $2" | bc -l | sed 's/^\./0./'; }
echo "| $apis APIs, $stages stages, $("$tofu" version | grep -m1 '^OpenTofu'), profile $profile, median of $runs | seconds | vs bare plan |"
echo "|---|---:|---:|"
echo "| bare \`tofu plan -refresh-only -lock=false\` | $bare | 1.000x |"
echo "| (engine alone) \`tofu show -json\` of the plan file | $show | $(ratio "$show" "$bare")x |"
echo "| (engine alone) \`tofu show -json\` of the state | $state | $(ratio "$state" "$bare")x |"
echo "| \`apigw2tf audit --mode plan\`, no drift | $plan | **$(ratio "$plan" "$bare")x** |"
echo "| \`apigw2tf audit --mode plan\`, one stage drifted (its bare plan: $bare_drift s) | $drift | $(ratio "$drift" "$bare_drift")x |"
echo "| \`apigw2tf audit --mode live\` | $live | $(ratio "$live" "$bare")x; plan mode / live mode = **$(echo "scale=1; $plan / $live" | bc -l)x** |"
