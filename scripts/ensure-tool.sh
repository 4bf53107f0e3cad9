#!/usr/bin/env bash
# Prints the path of a development tool, building it from its Go module when
# the cache lacks it. Builds are cached outside the clone (keyed by version),
# like the CLIs of scripts/ensure-cli.sh, so a fresh clone reuses them.
#
#   scripts/ensure-tool.sh golangci-lint   # v$GOLANGCI_LINT_VERSION, built from its own module
#   scripts/ensure-tool.sh tfplugindocs    # the version pinned in tools/go.mod
set -euo pipefail
cd "$(dirname "$0")/.."

tool=${1:?usage: ensure-tool.sh golangci-lint|tfplugindocs}
cache=${CLOUDLX_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-cloudlx}

log() { echo "ensure-tool: $*" >&2; }

case "$tool" in
golangci-lint)
  # Built from its own module, not from tools/go.mod: golangci-lint's authors
  # advise against sharing a go.mod, whose resolution would change its deps.
  version=${GOLANGCI_LINT_VERSION:-2.15.0}
  bin="$cache/golangci-lint-$version/golangci-lint"
  if [[ ! -x "$bin" ]]; then
    log "building golangci-lint v$version from its Go module (a few minutes, once)"
    mkdir -p "$(dirname "$bin")"
    (cd "$(mktemp -d)" && GOFLAGS= GOBIN="$(dirname "$bin")" \
      go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$version") >&2
  fi
  ;;
tfplugindocs)
  pkg=github.com/hashicorp/terraform-plugin-docs
  version=$(cd tools && GOFLAGS= go list -m -f '{{.Version}}' "$pkg")
  bin="$cache/tfplugindocs-$version/tfplugindocs"
  if [[ ! -x "$bin" ]]; then
    log "building tfplugindocs $version from tools/go.mod (about a minute, once)"
    mkdir -p "$(dirname "$bin")"
    (cd tools && GOFLAGS= go build -o "$bin.tmp" "$pkg/cmd/tfplugindocs") >&2
    mv "$bin.tmp" "$bin"
  fi
  ;;
*)
  log "unknown tool $tool"; exit 2 ;;
esac
echo "$bin"
