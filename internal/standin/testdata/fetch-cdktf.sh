#!/usr/bin/env bash
# Fetches the apigatewayv2 schema files of two machine-readable copies of
# hashicorp/aws's schema that TestSchemaMatchesCDKTF compares the stand-in
# against: @cdktf/provider-aws@21.22.1 (hashicorp/aws 6.25.0, the version
# the stand-in serves) and @cdktn/provider-aws@25.7.0 (hashicorp/aws
# 6.66.0). Each package is a tarball of tens of MB: only the
# lib/apigatewayv2-* directories of the resources apigw2tf generates are
# kept, under .tools/cdktf/ (git-ignored). Usage: internal/standin/testdata/fetch-cdktf.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=
trap 'rm -rf "$tmp"' EXIT

kinds=(api stage integration route authorizer domain-name api-mapping vpc-link route-response integration-response model)

fetch() { # scope version destdir
  local scope=$1 version=$2 dest="$root/.tools/cdktf/$3" missing= k
  for k in "${kinds[@]}"; do
    [ -f "$dest/lib/apigatewayv2-$k/index.d.ts" ] || missing=1
  done
  if [ -z "$missing" ]; then
    echo "fetch-cdktf: @$scope/provider-aws@$version already in $dest"
    return
  fi
  local dirs=()
  for k in "${kinds[@]}"; do dirs+=("package/lib/apigatewayv2-$k"); done
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@$scope/provider-aws@$version" >/dev/null)
  mkdir -p "$tmp/out"
  tar -xzf "$tmp/$scope-provider-aws-$version.tgz" -C "$tmp/out" --strip-components=1 \
    "${dirs[@]}"
  mkdir -p "$(dirname "$dest")"
  rm -rf "$dest"
  mv "$tmp/out" "$dest"
  echo "fetch-cdktf: extracted lib/apigatewayv2-{$(IFS=,; echo "${kinds[*]}")} of @$scope/provider-aws@$version into $dest"
}

fetch cdktf 21.22.1 provider-aws-21.22.1
fetch cdktn 25.7.0 cdktn-provider-aws-25.7.0
