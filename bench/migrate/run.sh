#!/usr/bin/env bash
# Benchmarks for `apigw2tf migrate` (docs/benchmarks.md, section "migrate").
#
# Split one state of 1,000 stages (100 APIs of 10 stages, emulator synthetic
# account, discovered with --types api,stage: migrate moves APIs and stages;
# adopted with generate + tofu apply) into 10 per-team states:
#   1. ours: `apigw2tf migrate --write`, then `apigw2tf migrate verify`;
#      verify's time as a ratio to one bare plan of every side;
#   2. today's way: a `tofu state mv -state=… -state-out=…` loop over copies
#      of the same state, one call per resource (STATE_MV=skip leaves it out:
#      it takes about 20 minutes);
#   3. with TFMIGRATE=/path/to/tfmigrate (a binary you built; nothing here
#      fetches it, see docs/benchmarks.md): tfmigrate `multi_state` with
#      `xmv`, one migration file per team, on copies of the same state.
#
# Needs `make tools` (tofu and the stand-in provider). Usage:
#   bench/migrate/run.sh [work-dir]          # RUNS=5 runs of migrate --write
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
tofu="$root/.tools/bin/tofu"
[ -x "$tofu" ] && [ -f "$root/.tools/terraformrc" ] || { echo "run \`make tools\` first (needs $tofu and .tools/terraformrc)" >&2; exit 1; }
export TF_CLI_CONFIG_FILE="$root/.tools/terraformrc" CHECKPOINT_DISABLE=1 AWS_EC2_METADATA_DISABLED=true \
  AWS_ACCESS_KEY_ID=AKIDAPIGW2TFBENCH AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
bin="$work/apigw2tf"
(cd "$root" && go build -trimpath -o "$bin" ./cmd/apigw2tf)

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
"$bin" emulator --listen 127.0.0.1:0 --synthetic apis=100,stages=10,seed=3 >"$work/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  url=$(sed -n 's/^listening on //p' "$work/emulator.log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "emulator did not start; see $work/emulator.log" >&2; exit 1; }
export AWS_ENDPOINT_URL_APIGATEWAYV2="$url" AWS_ENDPOINT_URL_STS="$url"
measure() { # label command... ; GNU time: wall, user+sys CPU, peak RSS
  /usr/bin/time -f "$1: wall %es, cpu %Us user + %Ss sys, peak RSS %M KB" "${@:2}" >/dev/null
}

echo "== adopt: discover, generate, tofu apply"
rm -rf "$work/split" && mkdir -p "$work/split/all"
cd "$work/split"
"$bin" discover --endpoint-url "$url" --region us-east-1 --rate 0 --types api,stage -q -o inventory.json
"$bin" generate --inventory inventory.json --dir all >/dev/null
"$tofu" -chdir=all init -input=false >/dev/null
"$tofu" -chdir=all apply -input=false -auto-approve >/dev/null
echo "state: $("$tofu" -chdir=all state list | grep -c aws_apigatewayv2_stage) stages, $("$tofu" -chdir=all state list | grep -c aws_apigatewayv2_api) APIs"

# Ten teams, APIs dealt round-robin in inventory order.
python3 - <<'PY'
import json, os, shutil
inv = json.load(open("inventory.json"))
ids = [a["id"] for a in inv["apis"]]
lines = ["version: 1", "migrate:"]
for t in range(10):
    os.makedirs(f"team{t}", exist_ok=True)
    shutil.copy("all/providers.tf", f"team{t}/providers.tf")
    lines += [f"  - from: all", f"    to: team{t}", "    select:", "      api_ids: [" + ", ".join(ids[t::10]) + "]"]
open("apigw2tf.yaml", "w").write("\n".join(lines) + "\n")
PY
mkdir -p ../statemv && cp all/terraform.tfstate ../statemv/all.tfstate
for t in $(seq 0 9); do "$tofu" -chdir="team$t" init -input=false >/dev/null; done
if [ -n "${TFMIGRATE:-}" ]; then
  # tfmigrate overrides the backend to local and expects the state
  # elsewhere (it is made for remote state): an explicit local backend with
  # the state files under ../tfmigrate/states stands in for S3.
  rm -rf ../tfmigrate && mkdir -p ../tfmigrate/states ../tfmigrate/migrations
  cp all/terraform.tfstate ../tfmigrate/states/all.tfstate
  for d in all team0 team1 team2 team3 team4 team5 team6 team7 team8 team9; do
    mkdir -p "../tfmigrate/$d" && cp "$d"/*.tf "$d/.terraform.lock.hcl" "../tfmigrate/$d/" 2>/dev/null || true
    printf 'terraform {\n  backend "local" {\n    path = "../states/%s.tfstate"\n  }\n}\n' "$d" >"../tfmigrate/$d/backend.tf"
    "$tofu" -chdir="../tfmigrate/$d" init -input=false >/dev/null
  done
fi

echo "== ours: migrate --write, then migrate verify"
# A second or so is too short for one sample: RUNS runs, each on a fresh
# copy of the adopted directories, then the one verify checks.
cd .. && rm -rf pristine && cp -a split pristine
for i in $(seq "${RUNS:-5}"); do
  rm -rf split && cp -a pristine split && sync
  (cd split && measure "migrate --write (reads 11 states, writes 12 files), run $i, load $(cut -d' ' -f1 /proc/loadavg)" "$bin" migrate --write --terraform-bin "$tofu")
done
cd split
start=$(date +%s.%N)
"$bin" migrate verify --terraform-bin "$tofu" | head -1
verify=$(echo "$(date +%s.%N) - $start" | bc)
echo "migrate verify: wall ${verify}s (plans 11 directories)"
start=$(date +%s.%N)
for d in all team0 team1 team2 team3 team4 team5 team6 team7 team8 team9; do
  "$tofu" -chdir="$d" plan -lock=false -input=false >/dev/null
done
plans=$(echo "$(date +%s.%N) - $start" | bc)
echo "one bare plan of every side: wall ${plans}s; verify / bare plans = $(echo "scale=2; $verify / $plans" | bc)"

if [ -n "${TFMIGRATE:-}" ]; then
  echo "== tfmigrate multi_state with xmv, one file per team, force = true (the configuration is not moved)"
  cd ../tfmigrate
  python3 - <<'PY'
import json
inv = json.load(open("../split/inventory.json"))
team = {a["id"]: n % 10 for n, a in enumerate(inv["apis"])}
st = json.load(open("states/all.tfstate"))
moves = {t: [] for t in range(10)}
for r in st["resources"]:
    for inst in r["instances"]:
        moves[team[inst["attributes"].get("api_id") or inst["attributes"]["id"]]].append(r["type"] + "." + r["name"])
for t, addrs in moves.items():
    acts = ",\n".join(f'    "xmv {a} {a}"' for a in addrs)
    open(f"migrations/team{t}.hcl", "w").write(f'migration "multi_state" "team{t}" {{\n  from_dir = "all"\n  to_dir   = "team{t}"\n  force    = true\n  actions = [\n{acts},\n  ]\n}}\n')
PY
  start=$(date +%s.%N)
  for t in $(seq 0 9); do
    TFMIGRATE_EXEC_PATH="$tofu" TFMIGRATE_LOG=WARN measure "tfmigrate apply migrations/team$t.hcl" "$TFMIGRATE" apply "migrations/team$t.hcl"
  done
  echo "tfmigrate: 10 files, wall $(echo "$(date +%s.%N) - $start" | bc)s; all keeps $("$tofu" -chdir=all state list | wc -l) resources"
  cd ../split
fi

[ "${STATE_MV:-}" = skip ] && exit 0
echo "== today: tofu state mv loop on a copy of the same state"
cd ../statemv
"$tofu" state list -state=all.tfstate >/dev/null
start=$(date +%s.%N)
n=0
python3 -c "
import json
inv = json.load(open('../split/inventory.json'))
ids = [a['id'] for a in inv['apis']]
team = {i: n % 10 for n, i in enumerate(ids)}
st = json.load(open('all.tfstate'))
for r in st['resources']:
    for inst in r['instances']:
        api = inst['attributes'].get('api_id') or inst['attributes']['id']
        print(team[api], r['type'] + '.' + r['name'])
" >moves.txt
while read -r t addr; do
  "$tofu" state mv -lock=false -state=all.tfstate -state-out="team$t.tfstate" "$addr" "$addr" >/dev/null
  n=$((n + 1))
done <moves.txt
echo "tofu state mv loop: $n calls, wall $(echo "$(date +%s.%N) - $start" | bc)s (no configuration written, nothing verified)"
