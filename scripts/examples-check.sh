#!/usr/bin/env bash
# make examples-check: every example, and every HCL snippet of README.md and
# the docs' templates, is formatted and valid against the provider built from
# this clone, for Terraform and for OpenTofu; then scripts/new-user-check.sh
# runs what the docs tell a new user to do (installation, the sandbox and its
# `terraform test` module, the README's example, the secrets advice, adoption)
# with the real CLI against the emulator program.
#
# Terraform is v$TERRAFORM_NEWEST_VERSION (the GNUmakefile's; the newest that
# scripts/ensure-cli.sh builds), so the examples that need 1.12 or later
# (import by resource identity) are validated too.
#
# Each directory under examples/ holding .tf files is validated on its own, as
# a user would copy it, and so is each snippet (docs/ is generated from
# templates/ and examples/, so those are its sources). dev_overrides make
# `init` unnecessary, so no registry is contacted. Snippets and the docs'
# resource and data-source examples that do not declare required_providers
# get, in a scratch copy, the declaration a real root module has: without it
# the CLI would look for hashicorp/cloudlx. A snippet marked
# <!-- fragment --> (part of a configuration) is only formatted: see
# scripts/md-blocks.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

clis=("$(scripts/ensure-cli.sh terraform "${TERRAFORM_NEWEST_VERSION:?set by the GNUmakefile}")" "$(scripts/ensure-cli.sh tofu)")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/dev-provider.sh
source scripts/dev-provider.sh "$work"
# shellcheck source=scripts/md-blocks.sh
source scripts/md-blocks.sh

echo "examples: $(basename "${clis[0]}") fmt -check -recursive examples"
"${clis[0]}" fmt -check -diff -recursive examples

# Query files (*.tfquery.hcl, for `terraform query`) are read only by Terraform
# 1.14 and later, which the Go module proxy does not serve: Terraform up to
# 1.13.3 and OpenTofu 1.12.6 neither format nor validate them (fmt -recursive
# and validate skip the extension). fmt on stdin still checks that each parses as
# HCL and is formatted; internal/provider's TestQueryExample checks its list
# blocks against the provider's list resource schema.
while IFS= read -r query; do
  if "${clis[0]}" fmt -check - <"$query" >/dev/null; then
    echo "examples: $(basename "${clis[0]}") fmt -check $query: ok (validate needs Terraform >= 1.14: skipped)"
  else
    echo "examples: $(basename "${clis[0]}") fmt -check $query: FAILED (not formatted, or not HCL)"
    "${clis[0]}" fmt - <"$query" | diff -u "$query" - || true
    exit 1
  fi
done < <(find examples -name '*.tfquery.hcl' | sort)

failed=0

# The snippets: each becomes a directory of its own, named after its file and
# line, validated below like an example.
mapfile -t docs < <(echo README.md; find templates -name '*.tmpl' | sort)
snippet_dirs=()
for doc in "${docs[@]}"; do
  blocks="$work/blocks/$doc"
  mkdir -p "$blocks"
  md_snippets "$doc" "$blocks"
  for block in "$blocks"/*.tf; do
    [[ -e $block ]] || continue
    file=$(basename "$block")
    label="$doc:${file%%.*}"
    if ! "${clis[0]}" fmt -check - <"$block" >/dev/null 2>&1; then
      echo "examples: $(basename "${clis[0]}") fmt -check $label: FAILED (not formatted, or not HCL)"
      "${clis[0]}" fmt - <"$block" 2>&1 | diff -u "$block" - | sed 's/^/    /' || true
      failed=1
      continue
    fi
    if [[ $file == *.fragment.tf ]]; then
      echo "examples: $(basename "${clis[0]}") fmt -check $label: ok (a fragment: not validated)"
      continue
    fi
    mkdir -p "$work/snippets/$label"
    cp "$block" "$work/snippets/$label/main.tf"
    snippet_dirs+=("$label")
  done
done

mapfile -t dirs < <(find examples -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)
[[ ${#dirs[@]} -gt 0 ]] || { echo "examples: no examples found" >&2; exit 1; }

for dir in "${dirs[@]}" "${snippet_dirs[@]}"; do
  scratch="$work/validate/$dir"
  mkdir -p "$scratch"
  if [[ -d "$root/$dir" ]]; then
    # Every file (a configuration may read one, such as customers.yaml), and
    # the terraform test files, which validate checks too (Terraform 1.6+).
    find "$root/$dir" -maxdepth 1 -type f -exec cp -t "$scratch/" {} +
    [[ ! -d "$root/$dir/tests" ]] || cp -r "$root/$dir/tests" "$scratch/"
  else
    cp "$work/snippets/$dir"/*.tf "$scratch/"
  fi
  if ! grep -q required_providers "$scratch"/*.tf; then
    cat >"$scratch/zz_required_providers.tf" <<'TF'
terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}
TF
  fi
  for cli in "${clis[@]}"; do
    name=$(basename "$cli")
    # An example that needs a newer CLI than this one (import blocks with
    # for_each need 1.7) is left to the other CLI: an older one cannot even
    # parse it, so it never gets as far as checking required_version.
    needs=$(sed -n 's/.*required_version *= *">= *\([0-9.]*\)".*/\1/p' "$scratch"/*.tf | head -n1)
    have=$("$cli" version | sed -n '1s/^[^0-9]*\([0-9][0-9.]*\).*/\1/p')
    if [[ -n "$needs" && "$(printf '%s\n' "$needs" "$have" | sort -V | head -n1)" != "$needs" ]]; then
      echo "examples: $name validate $dir: skipped, it needs >= $needs and this is $have"
      continue
    fi
    if out=$(cd "$scratch" && "$cli" validate -no-color 2>&1); then
      echo "examples: $name validate $dir: ok"
    else
      echo "examples: $name validate $dir: FAILED"
      echo "$out" | sed 's/^/    /'
      failed=1
    fi
  done
done

if [[ $failed -ne 0 ]]; then
  echo "examples: FAILED (see above)"
  exit 1
fi
scripts/new-user-check.sh
