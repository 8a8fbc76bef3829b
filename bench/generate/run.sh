#!/usr/bin/env bash
# Benchmarks for `apigw2tf generate` (docs/benchmarks.md, section "generate").
#
# 1. Generate from an inventory of 20,000+ stages (4,200 APIs, emulator
#    synthetic account): wall time, CPU time and peak RSS of a fresh run and
#    of a rerun over its own output.
# 2. The same ~500 imports two ways: ours (generate, then verify) against
#    `tofu plan -generate-config-out` from import blocks alone: lines of
#    configuration, whether the result plans clean without edits, wall time.
#
# Needs `make tools` (tofu and the stand-in provider). Usage:
#   bench/generate/run.sh [work-dir]
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
emulator() { # spec logfile -> sets url; runs in this shell so the trap can stop it
  "$bin" emulator --listen 127.0.0.1:0 --synthetic "$1" >"$2" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    url=$(sed -n 's/^listening on //p' "$2")
    [ -n "$url" ] && return
    sleep 0.1
  done
  echo "emulator did not start; see $2" >&2; exit 1
}
measure() { # label command... ; GNU time: wall, user+sys CPU, peak RSS
  /usr/bin/time -f "$1: wall %es, cpu %Us user + %Ss sys, peak RSS %M KB" "${@:2}" >/dev/null
}

echo "== generate: 20,000 stages from an inventory file"
emulator apis=4200,stages=5,seed=1 "$work/emulator-big.log"
"$bin" discover --endpoint-url "$url" --region us-east-1 --rate 0 -q -o "$work/big.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('inventory: %d APIs, %d stages, %d skipped, %d bytes' % (len(d['apis']), sum(len(a['stages']) for a in d['apis']), len(d['skipped']), len(open(sys.argv[1],'rb').read())))" "$work/big.json"
for i in 1 2 3; do
  rm -rf "$work/big" && mkdir "$work/big"
  measure "fresh run $i" "$bin" generate --inventory "$work/big.json" --dir "$work/big"
done
before=$(sha256sum "$work/big/imports.tf")
measure "rerun over its own output" "$bin" generate --inventory "$work/big.json" --dir "$work/big"
[ "$before" = "$(sha256sum "$work/big/imports.tf")" ] && echo "rerun output byte-identical" || echo "rerun output CHANGED"
echo "output: $(wc -c <"$work/big/imports.tf") bytes, $(wc -l <"$work/big/imports.tf") lines"

echo "== side by side: ~500 imports, ours versus tofu plan -generate-config-out"
emulator apis=105,stages=4,seed=2 "$work/emulator-500.log"
"$bin" discover --endpoint-url "$url" --region us-east-1 --rate 0 -q -o "$work/500.json"
rm -rf "$work/ours" "$work/tofu" && mkdir "$work/ours" "$work/tofu"
start=$(date +%s.%N)
"$bin" generate --inventory "$work/500.json" --dir "$work/ours" >/dev/null
"$bin" verify --dir "$work/ours" --terraform-bin "$tofu" | tee "$work/ours.verify" | head -1 || true
end=$(date +%s.%N)
echo "ours: $(grep -c '^import {' "$work/ours/imports.tf") imports, $(grep -vc '^import {\|^  to \|^  id \|^  provider \|^}$\|^$\|^#' "$work/ours/imports.tf" || true) lines of resource configuration ($(wc -l <"$work/ours/imports.tf") in imports.tf with import blocks), generate+verify wall $(echo "$end - $start" | bc)s"

# The same import blocks and provider configuration, without resource blocks.
cp "$work/ours/providers.tf" "$work/tofu/"
awk '/^import \{/{p=1} p{print} /^\}/{if(p){print ""}; p=0}' "$work/ours/imports.tf" >"$work/tofu/imports.tf"
start=$(date +%s.%N)
(cd "$work/tofu" && "$tofu" init -input=false >/dev/null && "$tofu" plan -input=false -no-color -generate-config-out=generated.tf >"$work/tofu.plan.log" 2>&1) ||
  echo "tofu plan -generate-config-out exited non-zero: $(grep -c '^Error: ' "$work/tofu.plan.log") errors, first: $(grep -m1 -A8 '^Error: ' "$work/tofu.plan.log" | tr -s ' \n' ' ')"
end=$(date +%s.%N)
echo "tofu -generate-config-out: $(wc -l <"$work/tofu/generated.tf") lines of resource configuration, wall $(echo "$end - $start" | bc)s"
echo "does tofu's generated configuration plan clean without edits?"
"$bin" verify --dir "$work/tofu" --terraform-bin "$tofu" >"$work/tofu.verify" 2>&1 && echo yes || echo "no: verify exit $?, $(grep -c 'Error: ' "$work/tofu.verify") errors, $(grep -c '^  aws_' "$work/tofu.verify") resources with changes; see $work/tofu.verify"
