#!/usr/bin/env bash
# Fetches the apigatewayv2 schema files of two machine-readable copies of
# hashicorp/aws's schema that TestSchemaMatchesCDKTF compares the stand-in
# against: @cdktf/provider-aws@21.22.1 (hashicorp/aws 6.25.0, the version
# the stand-in serves) and @cdktn/provider-aws@25.7.0 (hashicorp/aws
# 6.66.0). Each package is a tarball of tens of MB: only
# lib/apigatewayv2-api and lib/apigatewayv2-stage are kept, under
# .tools/cdktf/ (git-ignored). Usage: internal/standin/testdata/fetch-cdktf.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=
trap 'rm -rf "$tmp"' EXIT

fetch() { # scope version destdir
  local scope=$1 version=$2 dest="$root/.tools/cdktf/$3"
  if [ -f "$dest/lib/apigatewayv2-api/index.d.ts" ] && [ -f "$dest/lib/apigatewayv2-stage/index.d.ts" ]; then
    echo "fetch-cdktf: @$scope/provider-aws@$version already in $dest"
    return
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@$scope/provider-aws@$version" >/dev/null)
  mkdir -p "$tmp/out"
  tar -xzf "$tmp/$scope-provider-aws-$version.tgz" -C "$tmp/out" --strip-components=1 \
    package/lib/apigatewayv2-api package/lib/apigatewayv2-stage
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest"
  mv "$tmp/out" "$dest"
  echo "fetch-cdktf: extracted lib/apigatewayv2-api and lib/apigatewayv2-stage of @$scope/provider-aws@$version into $dest"
}

fetch cdktf 21.22.1 provider-aws-21.22.1
fetch cdktn 25.7.0 cdktn-provider-aws-25.7.0
