#!/usr/bin/env bash
# Sharded audit benchmark (issue 16), recorded in docs/benchmarks.md under
# "## shards". It serves a synthetic organization from `apigw2tf emulator`
# (no quota: the engines' CPU is what is measured), discovers it, generates
# one root module per account (assume_role into each member) and adopts
# every directory with tofu apply. Then it audits the whole organization:
#   - once, unsharded;
#   - as N = 2 and 4 shards (--shard I/N), run as processes one after
#     another on this machine, each timed; a cluster runs them at once.
# and merges each N's reports, which must hold the unsharded findings. It
# prints per N the sum of the shards, the largest shard and its ratio to
# the sum / N (the goal: within 1.2x), with each shard's accounts and weight
# from `apigw2tf shards`.
#
#   bench/shards/run.sh [ACCOUNTS] [APIS]   (default 40 accounts x 50 APIs x 5 stages)
#
# Environment: MODE (plan or live; default plan), PARALLEL (directories
# audited at once per process; default 4), SHARDS (default "2 4"), TYPES
# (what discover lists and generate adopts; default api,stage, the issue's
# "250 stages" per directory; "all" adds routes, integrations, authorizers).
# Needs tofu and the stand-in provider (`tools/build.sh provider`).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
accounts=${1:-40}
apis=${2:-50}
mode=${MODE:-plan}
parallel=${PARALLEL:-4}
shard_counts=${SHARDS:-2 4}
types=${TYPES:-api,stage}
[ "$types" = all ] && types=api,stage,authorizer,integration,route
base=100000000000
tofu="$root/.tools/bin/tofu"
[ -x "$tofu" ] && [ -f "$root/.tools/terraformrc" ] || { echo "bench/shards: run \`tools/build.sh provider\` first (tofu linked into .tools/bin)" >&2; exit 1; }

work=$(mktemp -d)
emu_pid=
cleanup() { [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

(cd "$root" && go build -o "$work/apigw2tf" ./cmd/apigw2tf)
bin="$work/apigw2tf"
"$bin" emulator --listen 127.0.0.1:0 --log-level warn \
  --synthetic "apis=$apis,stages=5,seed=1,accounts=$accounts,account=$base,regions=us-east-1" >"$work/emu.out" 2>"$work/emu.err" &
emu_pid=$!
url=
for _ in $(seq 600); do
  url=$(grep -o 'http://[0-9.:]*' "$work/emu.out" 2>/dev/null) && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench/shards: the emulator did not start" >&2; cat "$work/emu.err" >&2; exit 1; }

# A key that is not 12 digits acts as the management account; the
# providers reach each member through assume_role.
export AWS_ACCESS_KEY_ID=AKIDAPIGW2TFBENCH AWS_SECRET_ACCESS_KEY=bench AWS_SESSION_TOKEN= AWS_REGION=us-east-1 \
  AWS_ENDPOINT_URL_APIGATEWAYV2="$url" AWS_ENDPOINT_URL_STS="$url" \
  AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  TF_CLI_CONFIG_FILE="$root/.tools/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset AWS_PROFILE AWS_ENDPOINT_URL

inv="$work/inventory.json"
tmpl="$work/infra/{account_name}"
"$bin" discover --endpoint-url "$url" --region us-east-1 --rate 0 -q --types "$types" \
  --member-role-name OrganizationAccountAccessRole -o "$inv"
"$bin" generate --inventory "$inv" --dir-template "$tmpl" >/dev/null
# Adoption is set-up, not measured: two directories at a time.
adopt() { "$tofu" -chdir="$1" init -input=false >/dev/null && "$tofu" -chdir="$1" apply -input=false -auto-approve >/dev/null; }
export -f adopt
export tofu
t0=$(date +%s)
find "$work/infra" -mindepth 1 -maxdepth 1 -type d -print0 | xargs -0 -P 2 -I{} bash -c 'adopt "$1"' _ {}
adopted=$(( $(date +%s) - t0 ))
dirs=$(find "$work/infra" -mindepth 1 -maxdepth 1 -type d | wc -l)
stages=$(for d in "$work"/infra/*/; do "$tofu" -chdir="$d" state list; done | grep -c '^aws_apigatewayv2_stage\.' || true)

# seconds LABEL CMD...: runs CMD, prints its wall seconds; exit 0 (no drift)
# or 2 (drift) are results, anything else stops the benchmark.
seconds() {
  local label=$1 t0 t1 rc=0
  shift
  t0=$(date +%s.%N)
  "$@" >"$work/$label.log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then echo "bench/shards: $label exited $rc:" >&2; tail -n 30 "$work/$label.log" >&2; exit 1; fi
  echo "$t1 - $t0" | bc -l
}
audit=("$bin" audit --inventory "$inv" --dir-template "$tmpl" --terraform-bin "$tofu" --mode "$mode" --parallel "$parallel" -q --format json)
findings() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps(r["findings"], sort_keys=True)); print(r["summary"])' "$1"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo "organization: $accounts accounts x $apis APIs x 5 stages ($types), $dirs directories, $stages managed stages (adopted in ${adopted} s); $("$tofu" version | head -n1), --mode $mode, --parallel $parallel"
whole=$(seconds unsharded "${audit[@]}" --out-dir "$work/all")
printf '| unsharded | %.1f s | | | |\n' "$whole"
for n in $shard_counts; do
  "$bin" shards --inventory "$inv" --dir-template "$tmpl" --shards "$n" >"$work/plan-$n.txt"
  sum=0 largest=0 each=()
  mkdir -p "$work/shards-$n"
  for i in $(seq 0 $((n - 1))); do
    s=$(seconds "shard-$n-$i" "${audit[@]}" --shard "$i/$n" --out-dir "$work/shards-$n/shard-$i")
    each+=("$(printf '%.1f' "$s")")
    sum=$(echo "$sum + $s" | bc -l)
    largest=$(echo "if ($s > $largest) $s else $largest" | bc -l)
  done
  rc=0
  "$bin" report merge "$work/shards-$n" --format json --out-dir "$work/merged-$n" >/dev/null 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || { echo "bench/shards: merge of $n shards exited $rc" >&2; exit 1; }
  if [ "$(findings "$work/merged-$n/report.json")" != "$(findings "$work/all/report.json")" ]; then
    echo "bench/shards: the merge of $n shards differs from the unsharded report" >&2; exit 1
  fi
  weights=$(awk '/^SHARD/{on=1; next} on && NF==3 {printf "%s%s", sep, $3; sep="/"}' "$work/plan-$n.txt")
  printf '| N = %d | sum %.1f s | largest %.1f s (shards: %s) | sum / N %.1f s: largest **%.2fx** | weights %s |\n' \
    "$n" "$sum" "$largest" "${each[*]}" "$(echo "$sum / $n" | bc -l)" "$(echo "$largest * $n / $sum" | bc -l)" "$weights"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
