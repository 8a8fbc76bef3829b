#!/usr/bin/env bash
# Builds the engines (OpenTofu, Terraform) from the Go module proxy and the
# stand-in hashicorp/aws provider into .tools/, skipping what is already at
# the pinned version. Usage: tools/build.sh [tofu] [terraform] [terraform18] [provider]
# terraform18 (Terraform 1.8, BUSL-licensed) is built for the migrate tests
# only and never shipped.
#
# Each build prints one line when it starts and one when it ends; everything
# `go build` says (hundreds of "go: downloading" lines on a cold cache) goes to
# .tools/logs/<name>.log, whose name is printed, and whose tail is shown if the
# build fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=versions.env
. "$root/tools/versions.env"
bin="$root/.tools/bin"
mirror="$root/.tools/mirror"
logs="$root/.tools/logs"
mkdir -p "$bin" "$logs"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tofu terraform terraform18 provider)

say() { printf '[tools %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# quietly NAME CMD... runs CMD with its output in the log of NAME; on failure
# it shows the log's last lines and where the whole log is.
quietly() {
  local name=$1 log="$logs/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    say "building $name failed; the last lines of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}

build_engine() { # name pkg version ldflags [module dir under tools/]
  local name=$1 pkg=$2 version=$3 ldflags=$4 dir=${5:-$1}
  if [ -x "$bin/$name" ] && "$bin/$name" version -json 2>/dev/null | grep -q "\"terraform_version\": *\"$version\""; then
    say "$name $version already built"
    return
  fi
  say "building $name $version from the Go module proxy (a cold build takes several minutes; log: ${logs#"$root/"}/$name.log)…"
  local start=$SECONDS
  quietly "$name" go -C "$root/tools/$dir" build -mod=readonly -trimpath -ldflags "$ldflags" -o "$bin/$name.tmp" "$pkg"
  mv "$bin/$name.tmp" "$bin/$name"
  say "$(env -u TF_CLI_CONFIG_FILE "$bin/$name" version 2>/dev/null | head -1) built in $((SECONDS - start))s"
}

build_provider() {
  local out="$bin/terraform-provider-aws_v$PROVIDER_VERSION"
  say "building stand-in provider hashicorp/aws $PROVIDER_VERSION (log: ${logs#"$root/"}/provider.log)"
  local start=$SECONDS
  quietly provider go -C "$root" build -trimpath -o "$out.tmp" ./internal/standin/cmd/terraform-provider-aws
  mv "$out.tmp" "$out"
  # An unpacked filesystem mirror under both registry host names, so a
  # configuration that names hashicorp/aws resolves on either engine.
  local host dir
  for host in registry.opentofu.org registry.terraform.io; do
    dir="$mirror/$host/hashicorp/aws/$PROVIDER_VERSION/linux_amd64"
    mkdir -p "$dir"
    cp "$out" "$dir/terraform-provider-aws_v$PROVIDER_VERSION.tmp"
    mv "$dir/terraform-provider-aws_v$PROVIDER_VERSION.tmp" "$dir/terraform-provider-aws_v$PROVIDER_VERSION"
  done
  cat >"$root/.tools/terraformrc.tmp" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.opentofu.org/hashicorp/aws", "registry.terraform.io/hashicorp/aws"]
  }
}
RC
  mv "$root/.tools/terraformrc.tmp" "$root/.tools/terraformrc"
  say "provider built in $((SECONDS - start))s; mirror at $mirror, CLI config at .tools/terraformrc"
}

for t in "${targets[@]}"; do
  case $t in
    tofu) build_engine tofu github.com/opentofu/opentofu/cmd/tofu "$TOFU_VERSION" "-s -w -X github.com/opentofu/opentofu/version.dev=no" ;;
    terraform) build_engine terraform github.com/hashicorp/terraform "$TERRAFORM_VERSION" "-s -w" ;;
    terraform18) build_engine terraform1.8 github.com/hashicorp/terraform "$TERRAFORM18_VERSION" "-s -w -X github.com/hashicorp/terraform/version.dev=no" terraform18 ;;
    provider) build_provider ;;
    *) echo "tools/build.sh: unknown target $t (want tofu, terraform, terraform18 or provider)" >&2; exit 2 ;;
  esac
done
