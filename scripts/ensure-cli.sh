#!/usr/bin/env bash
# Prints the path of a Terraform or OpenTofu CLI to test with, building it from
# its Go module when none is available. Builds are cached outside the clone
# (keyed by version), so a fresh clone on the same machine reuses them.
#
#   scripts/ensure-cli.sh terraform          # $TF_ACC_TERRAFORM_PATH, else terraform on PATH, else builds v$TERRAFORM_VERSION
#   scripts/ensure-cli.sh terraform 1.13.3   # that release: one of those two when it is that version, else builds it
#   scripts/ensure-cli.sh tofu               # tofu on PATH, else builds v$OPENTOFU_VERSION
#
# Two runs may start at once (make -j, two clones, CI's parallel steps): each
# cache entry is built under a lock (flock on <entry>.lock) into a temporary
# directory and moved into place, so a run sees either no binary or a whole one.
set -euo pipefail

kind=${1:?usage: ensure-cli.sh terraform [VERSION] | tofu}
cache=${CLOUDLX_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-cloudlx}
terraform_version=${TERRAFORM_VERSION:-1.5.7}
opentofu_version=${OPENTOFU_VERSION:-1.12.6}

log() { echo "ensure-cli: $*" >&2; }
# The CLIs are test fixtures, never shipped: they are built with this machine's
# own Go setup (GOTOOLCHAIN unset, whatever the GNUmakefile exported), as
# before the provider pinned its toolchain, so their cache stays keyed by the
# CLI version alone and caches built before the pin stay valid. GOFLAGS is
# cleared for the same reason: the project's settings play no part.
cli_go() { env -u GOTOOLCHAIN GOFLAGS= go "$@"; }

# module_dir MODULE@VERSION downloads a module and prints its (read-only)
# directory in the module cache. Run outside the project: its go.mod plays no part.
module_dir() {
  local dir
  dir=$(cd "$scratch" && cli_go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d "$dir" ]] || { log "could not download the module $1"; exit 1; }
  echo "$dir"
}

# writable_copy DIR prints a writable copy of a module's directory: the module
# cache is read-only, and a module whose go.mod has replace directives only
# builds as the main module.
writable_copy() {
  local work="$scratch/src"
  cp -r "$1/." "$work/"
  chmod -R u+w "$work"
  echo "$work"
}

# locked_build BIN BUILD... runs BUILD (a function given the temporary path to
# write the binary to) unless BIN exists, holding BIN's lock, then moves the
# result to BIN. A run that waited for the lock finds BIN built and returns.
locked_build() {
  local bin=$1 fd; shift
  [[ -x "$bin" ]] && return
  mkdir -p "$(dirname "$bin")"
  exec {fd}>"$(dirname "$bin").lock"
  if ! flock -n "$fd"; then
    log "waiting for another run building $bin"
    flock "$fd"
  fi
  if [[ ! -x "$bin" ]]; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    mkdir -p "$scratch/src" "$scratch/bin"
    "$@" "$scratch/bin/$(basename "$bin")"
    # /tmp may be another file system than the cache: copy next to $bin
    # first, so that the last step is an atomic rename.
    cp "$scratch/bin/$(basename "$bin")" "$bin.tmp.$$"
    mv "$bin.tmp.$$" "$bin"
  fi
  exec {fd}>&-
}

build_terraform() {
  local out=$1 src work
  src=$(module_dir "github.com/hashicorp/terraform@v$terraform_version")
  if ! grep -q '^replace ' "$src/go.mod"; then
    # Up to 1.11 the module installs as it is.
    log "building Terraform v$terraform_version from its Go module (about 4 minutes, once)"
    (cd "$scratch" && GOBIN="$(dirname "$out")" cli_go install "github.com/hashicorp/terraform@v$terraform_version") >&2
    return
  fi
  # From 1.12, go.mod replaces the cloud state-store backends (azurerm, consul,
  # cos, gcs, kubernetes, oci, oss, pg, s3) and internal/legacy with nested
  # modules that the module zip lacks, so it neither installs nor builds as
  # published. Those backends store state in cloud services; no test here uses
  # one (the local backend and the others stay). Dropped from the backend
  # table (internal/backend/init/init.go: imports and entries) and from go.mod
  # (require and replace lines), it builds. version.dev=no as in a release
  # build, else `terraform version` says -dev.
  log "building Terraform v$terraform_version from its Go module, without the cloud state backends (about 5 minutes, once)"
  work=$(writable_copy "$src")
  local backends='azure|consul|cos|gcs|kubernetes|oci|oss|pg|s3'
  sed -E -i \
    -e "\#\"github.com/hashicorp/terraform/internal/backend/remote-state/($backends)\"#d" \
    -e '/^[[:space:]]*"(azurerm|consul|cos|gcs|kubernetes|oci|oss|pg|s3)":[[:space:]]*func\(\)/d' \
    "$work/internal/backend/init/init.go"
  sed -E -i "\#github.com/hashicorp/terraform/internal/(backend/remote-state/($backends)|legacy)[[:space:]]#d" "$work/go.mod"
  (cd "$work" && cli_go build -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$out" .) >&2
}

build_tofu() {
  local out=$1 src work
  log "building OpenTofu v$opentofu_version from its Go module (about 7 minutes, once)"
  src=$(module_dir "github.com/opentofu/opentofu@v$opentofu_version")
  # OpenTofu's go.mod replaces hcl with a fork, so it only builds as the main module.
  work=$(writable_copy "$src")
  (cd "$work" && cli_go build -o "$out" ./cmd/tofu) >&2
}

case "$kind" in
terraform)
  if [[ -n "${2:-}" ]]; then
    # A given release (CI's matrix, `make test`'s default, the adoption tests' oldest Terraform).
    terraform_version=$2
    for found in "${TF_ACC_TERRAFORM_PATH:-}" "$(command -v terraform || true)"; do
      [[ -n "$found" && -x "$found" ]] || continue
      if [[ "$(CHECKPOINT_DISABLE=1 "$found" version 2>/dev/null | head -n1)" == "Terraform v$terraform_version" ]]; then
        echo "$found"; exit 0
      fi
    done
  else
    if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" && -x "${TF_ACC_TERRAFORM_PATH}" ]]; then
      echo "$TF_ACC_TERRAFORM_PATH"; exit 0
    fi
    if [[ -z "${FORCE_TERRAFORM_BUILD:-}" ]] && command -v terraform >/dev/null 2>&1; then
      command -v terraform; exit 0
    fi
  fi
  bin="$cache/terraform-$terraform_version/terraform"
  locked_build "$bin" build_terraform
  echo "$bin"
  ;;
tofu)
  if [[ -z "${FORCE_TOFU_BUILD:-}" ]] && command -v tofu >/dev/null 2>&1; then
    command -v tofu; exit 0
  fi
  bin="$cache/tofu-$opentofu_version/tofu"
  locked_build "$bin" build_tofu
  echo "$bin"
  ;;
*)
  log "unknown CLI $kind"; exit 2 ;;
esac
