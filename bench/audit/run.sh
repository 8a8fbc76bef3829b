#!/usr/bin/env bash
# Audit benchmark: about 1,000 managed stages (210 synthetic APIs, 5 stages
# each, less the quick-create ones) adopted into one directory, then, RUNS
# times each, in one run of this script:
#   bare   tofu plan -refresh-only -lock=false        (what any drift check costs)
#   plan   apigw2tf audit --mode plan  (init, plan -out, show -json, discovery, reports)
#   live   apigw2tf audit --mode live  (init, show -json of the state, discovery, reports)
# and prints the medians as a markdown table for docs/benchmarks.md.
# Needs `make tools` (tofu and the stand-in provider). Usage: bench/audit/run.sh [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-3}
tofu="$root/.tools/bin/tofu"
[ -x "$tofu" ] && [ -f "$root/.tools/terraformrc" ] || { echo "bench/audit: run \`make tools\` first" >&2; exit 1; }

work=$(mktemp -d)
emu_pid=
cleanup() { [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

(cd "$root" && go build -o "$work/apigw2tf" ./cmd/apigw2tf)
port=$((20000 + RANDOM % 20000))
"$work/apigw2tf" emulator --listen "127.0.0.1:$port" --synthetic apis=210,stages=5,seed=1 --log-level warn >/dev/null &
emu_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/_emulator/stats" >/dev/null && break; sleep 0.1; done

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
# time_cmd NAME CMD...: runs CMD RUNS times and prints the median seconds.
time_cmd() {
  local name=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1 rc=0
    t0=$(now)
    "$@" >/dev/null 2>"$work/$name.err" || rc=$?
    t1=$(now)
    # audit exits 2 on drift; the synthetic account only has quick-create
    # stages, which are no drift, so anything but 0 is a failure here.
    if [ "$rc" -ne 0 ]; then echo "bench/audit: $name exited $rc:" >&2; cat "$work/$name.err" >&2; exit 1; fi
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f\n", a[int((NR+1)/2)]}'
}

bare=$(time_cmd bare "$tofu" -chdir="$infra" plan -refresh-only -lock=false -input=false)
plan=$(time_cmd plan "$work/apigw2tf" audit --dir "$infra" --terraform-bin "$tofu" --region us-east-1 --rate 0 -q --format json,html --out-dir "$work/out-plan")
init=$(time_cmd init "$tofu" -chdir="$infra" init -input=false)
"$tofu" -chdir="$infra" plan -refresh-only -lock=false -input=false -out="$work/plan.tfplan" >/dev/null
show=$(time_cmd show "$tofu" -chdir="$infra" show -json "$work/plan.tfplan")
live=$(time_cmd live "$work/apigw2tf" audit --dir "$infra" --terraform-bin "$tofu" --mode live --region us-east-1 --rate 0 -q --format json,html --out-dir "$work/out-live")

echo "| $apis APIs, $stages stages, $("$tofu" version | head -1), median of $runs | seconds | vs bare plan |"
echo "|---|---:|---:|"
echo "| bare \`tofu plan -refresh-only -lock=false\` | $bare | 1.00x |"
echo "| (part) \`tofu init\` of the initialised directory | $init | $(echo "scale=3; $init / $bare" | bc -l)x |"
echo "| (part) \`tofu show -json\` of the plan | $show | $(echo "scale=3; $show / $bare" | bc -l)x |"
echo "| \`apigw2tf audit --mode plan\` | $plan | $(echo "scale=2; $plan / $bare" | bc -l)x |"
echo "| \`apigw2tf audit --mode live\` | $live | $(echo "scale=3; $live / $bare" | bc -l)x (plan mode / live mode = $(echo "scale=1; $plan / $live" | bc -l)x) |"
