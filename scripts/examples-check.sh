#!/usr/bin/env bash
# make examples-check: every example is formatted and valid against the
# provider built from this clone, for Terraform and for OpenTofu.
#
# Terraform is v$TERRAFORM_NEWEST_VERSION (the GNUmakefile's; the newest that
# scripts/ensure-cli.sh builds), so the examples that need 1.12 or later
# (import by resource identity) are validated too.
#
# Each directory under examples/ holding .tf files is validated on its own, as
# a user would copy it. dev_overrides make `init` unnecessary, so no registry
# is contacted. Snippet directories (the docs' resource and data-source
# examples) do not declare required_providers; without it the CLI would look
# for hashicorp/cloudlx, so a scratch copy gets the declaration a real root
# module has.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

clis=("$(scripts/ensure-cli.sh terraform "${TERRAFORM_NEWEST_VERSION:?set by the GNUmakefile}")" "$(scripts/ensure-cli.sh tofu)")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=scripts/dev-provider.sh
source scripts/dev-provider.sh "$work"

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

mapfile -t dirs < <(find examples -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)
[[ ${#dirs[@]} -gt 0 ]] || { echo "examples: no examples found" >&2; exit 1; }

failed=0
for dir in "${dirs[@]}"; do
  scratch="$work/validate/$dir"
  mkdir -p "$scratch"
  cp "$root/$dir"/*.tf "$scratch/"
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
exit $failed
