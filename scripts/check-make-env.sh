#!/usr/bin/env bash
# Checks that the GNUmakefile sets TF_CLI_CONFIG_FILE only for the recipes
# that run a Terraform or OpenTofu CLI: `make build` and `make lint` must leave
# a contributor's own CLI configuration alone, and `make test-unit` (like every
# CLI target) must get scripts/cli.tfrc. Each recipe runs for real, with a
# stand-in for the command it would start that prints the variable instead.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mine="$work/my.terraformrc"
: >"$mine"
# Prints its TF_CLI_CONFIG_FILE into $work/seen.
printf '#!/bin/sh\necho "$TF_CLI_CONFIG_FILE" >"%s/seen"\n' "$work" >"$work/stand-in"
chmod +x "$work/stand-in"

expect() { # target, the value its recipe must see, make arguments...
  local target=$1 want=$2; shift 2
  rm -f "$work/seen"
  TF_CLI_CONFIG_FILE=$mine make --no-print-directory -s "$target" "$@" >/dev/null
  local got
  got=$(cat "$work/seen")
  [[ $got == "$want" ]] || { echo "check-make-env: make $target ran with TF_CLI_CONFIG_FILE=$got, want $want" >&2; exit 1; }
  echo "check-make-env: make $target ran with TF_CLI_CONFIG_FILE=$got"
}

# GO is the recipes' go command; golangci-lint is whatever ensure-tool.sh
# finds in the tools cache.
expect build "$mine" GO="$work/stand-in"
lint="$work/cache/golangci-lint-$(make -s --eval 'v: ; @echo $(GOLANGCI_LINT_VERSION)' v)-$(source scripts/go-toolchain.sh && go env GOVERSION)"
mkdir -p "$lint" && cp "$work/stand-in" "$lint/golangci-lint"
CLOUDLX_TOOLS_CACHE="$work/cache" expect lint "$mine"
expect test-unit "$PWD/scripts/cli.tfrc" GO="$work/stand-in"
