#!/usr/bin/env bash
# Prints the path of a Terraform or OpenTofu CLI to test with, building it from
# its Go module when none is available. Builds are cached outside the clone
# (keyed by version), so a fresh clone on the same machine reuses them.
#
#   scripts/ensure-cli.sh terraform         # $TF_ACC_TERRAFORM_PATH, else terraform on PATH, else builds v$TERRAFORM_VERSION
#   scripts/ensure-cli.sh terraform 1.5.7   # that release: one of those two when it is that version, else builds it
#   scripts/ensure-cli.sh tofu              # tofu on PATH, else builds v$OPENTOFU_VERSION
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

case "$kind" in
terraform)
  if [[ -n "${2:-}" ]]; then
    # A given release (CI's matrix, the adoption tests' oldest Terraform).
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
  if [[ ! -x "$bin" ]]; then
    log "building Terraform v$terraform_version from its Go module (about 4 minutes, once)"
    mkdir -p "$(dirname "$bin")"
    # Build outside the project so its go.mod plays no part.
    (cd "$(mktemp -d)" && GOBIN="$(dirname "$bin")" cli_go install "github.com/hashicorp/terraform@v$terraform_version") >&2
  fi
  echo "$bin"
  ;;
tofu)
  if [[ -z "${FORCE_TOFU_BUILD:-}" ]] && command -v tofu >/dev/null 2>&1; then
    command -v tofu; exit 0
  fi
  bin="$cache/tofu-$opentofu_version/tofu"
  if [[ ! -x "$bin" ]]; then
    log "building OpenTofu v$opentofu_version from its Go module (about 7 minutes, once)"
    mkdir -p "$(dirname "$bin")"
    src=$(cd "$(mktemp -d)" && cli_go mod download -json "github.com/opentofu/opentofu@v$opentofu_version" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [[ -d "$src" ]] || { log "could not download the OpenTofu module"; exit 1; }
    # The module cache is read-only and OpenTofu's go.mod replaces hcl with a
    # fork, so it only builds as a main module: build a writable copy.
    work=$(mktemp -d)
    cp -r "$src/." "$work/"
    chmod -R u+w "$work"
    (cd "$work" && cli_go build -o "$bin.tmp" ./cmd/tofu) >&2
    mv "$bin.tmp" "$bin"
    rm -rf "$work"
  fi
  echo "$bin"
  ;;
*)
  log "unknown CLI $kind"; exit 2 ;;
esac
