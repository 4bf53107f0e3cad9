#!/usr/bin/env bash
# make docs / make docs-check: renders docs/ with tfplugindocs from templates/,
# examples/ and the provider's own schema, entirely offline.
#
#   scripts/docs.sh generate   # rewrite docs/
#   scripts/docs.sh check      # fail, showing the diff, when docs/ is stale
#
# tfplugindocs would otherwise build the provider and find (or download) a
# Terraform CLI itself. Instead the local CLI exports the schema of a freshly
# built provider through dev_overrides, and tfplugindocs reads that file
# (--providers-schema skips its build and CLI steps). Rendering happens in a
# scratch copy, so `check` never touches the working tree and both modes
# produce exactly the same pages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mode=${1:-generate}
[[ $mode == generate || $mode == check ]] || { echo "usage: $0 generate|check" >&2; exit 2; }
command -v jq >/dev/null || { echo "docs: jq is required" >&2; exit 1; }

terraform=$(scripts/ensure-cli.sh terraform)
tfplugindocs=$(scripts/ensure-tool.sh tfplugindocs)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/dev-provider.sh
source scripts/dev-provider.sh "$work"

mkdir "$work/schema"
cat >"$work/schema/main.tf" <<'TF'
terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}
TF
(cd "$work/schema" && "$terraform" providers schema -json) >"$work/raw-schema.json"
# tfplugindocs looks the schema up by the provider's short name (or under the
# hashicorp namespace), not by its full registry address.
jq '.provider_schemas |= with_entries(select(.key | endswith("/cloudlx-community/cloudlx")) | .key = "cloudlx")' \
  "$work/raw-schema.json" >"$work/schema.json"
[[ $(jq '.provider_schemas | length' "$work/schema.json") == 1 ]] ||
  { echo "docs: the exported schema has no cloudlx-community/cloudlx provider" >&2; exit 1; }

site="$work/site"
mkdir "$site"
cp -r templates examples "$site/"
"$tfplugindocs" generate --provider-dir "$site" --provider-name cloudlx --rendered-provider-name CloudLX \
  --providers-schema "$work/schema.json" >"$work/generate.log" 2>&1 ||
  { cat "$work/generate.log" >&2; exit 1; }
"$tfplugindocs" validate --provider-dir "$site" --provider-name cloudlx \
  --providers-schema "$work/schema.json" >"$work/validate.log" 2>&1 ||
  { cat "$work/validate.log" >&2; exit 1; }

case "$mode" in
generate)
  rm -rf "$root/docs"
  cp -r "$site/docs" "$root/docs"
  echo "docs: regenerated docs/ ($(find docs -name '*.md' | wc -l) pages)"
  ;;
check)
  if ! diff -ru "$root/docs" "$site/docs" >"$work/docs.diff" 2>&1; then
    cat "$work/docs.diff"
    echo
    echo "docs: docs/ is stale; run 'make docs' and commit the result" >&2
    exit 1
  fi
  echo "docs: docs/ is up to date"
  ;;
esac
