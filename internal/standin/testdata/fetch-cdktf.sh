#!/usr/bin/env bash
# Fetches the two schema files of @cdktf/provider-aws (a machine-readable
# copy of hashicorp/aws's schema) that TestSchemaMatchesCDKTF compares the
# stand-in against. The package is a 37 MB tarball: only
# lib/apigatewayv2-api and lib/apigatewayv2-stage are kept, under
# .tools/cdktf/ (git-ignored). Usage: internal/standin/testdata/fetch-cdktf.sh
set -euo pipefail
version=21.22.1
root=$(cd "$(dirname "$0")/../../.." && pwd)
dest="$root/.tools/cdktf/provider-aws-$version"
if [ -f "$dest/lib/apigatewayv2-api/index.d.ts" ] && [ -f "$dest/lib/apigatewayv2-stage/index.d.ts" ]; then
  echo "fetch-cdktf: @cdktf/provider-aws@$version already in $dest"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@cdktf/provider-aws@$version" >/dev/null)
mkdir -p "$tmp/out"
tar -xzf "$tmp/cdktf-provider-aws-$version.tgz" -C "$tmp/out" --strip-components=1 \
  package/lib/apigatewayv2-api package/lib/apigatewayv2-stage
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$tmp/out" "$dest"
echo "fetch-cdktf: extracted lib/apigatewayv2-api and lib/apigatewayv2-stage into $dest"
