#!/usr/bin/env bash
# Prints the path of a development tool, building it from its Go module when
# the cache lacks it. Builds are cached outside the clone (keyed by version),
# like the CLIs of scripts/ensure-cli.sh, so a fresh clone reuses them.
#
#   scripts/ensure-tool.sh golangci-lint   # v$GOLANGCI_LINT_VERSION, built from its own module
#   scripts/ensure-tool.sh tfplugindocs    # the version (and dependencies) pinned in tools/go.mod
#   scripts/ensure-tool.sh govulncheck     # v$GOVULNCHECK_VERSION (set by the GNUmakefile)
#   scripts/ensure-tool.sh vulndb          # the directory of the Go vulnerability database
#                                          # built from golang.org/x/vulndb@$VULNDB_VERSION
#   scripts/ensure-tool.sh actionlint      # v$ACTIONLINT_VERSION (set by the GNUmakefile)
#   scripts/ensure-tool.sh goreleaser      # v$GORELEASER_VERSION (set by the GNUmakefile)
#
# Two runs may start at once: each cache entry is built under a lock (flock on
# <entry>.lock) into a temporary path and moved into place, so a run sees
# either no tool or a whole one.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/go-toolchain.sh
source scripts/go-toolchain.sh

tool=${1:?usage: ensure-tool.sh golangci-lint|tfplugindocs|govulncheck|vulndb|actionlint|goreleaser}
cache=${CLOUDLX_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-cloudlx}

log() { echo "ensure-tool: $*" >&2; }

# lock OUT holds OUT's lock (OUT.lock, released when the script exits) and
# returns 1 when OUT is there already; a run that waited for another building
# OUT finds it built.
lock() {
  local out=$1 fd
  [[ -e "$out" ]] && return 1
  mkdir -p "$(dirname "$out")"
  exec {fd}>"$out.lock"
  if ! flock -n "$fd"; then
    log "waiting for another run building $out"
    flock "$fd"
  fi
  [[ ! -e "$out" ]]
}

# go_install OUT PACKAGE@VERSION HOW_LONG builds a command from its own Go
# module into OUT, unless OUT is there already. Its own module, not
# tools/go.mod: the authors of golangci-lint advise against sharing a go.mod,
# whose resolution would change the tool's dependencies. Built outside the
# project (a scratch directory, GOFLAGS cleared) so that the project's go.mod
# and settings play no part.
go_install() {
  local out=$1 pkg=$2 how_long=$3 work
  lock "$out" || return 0
  log "building ${pkg%@*} ${pkg##*@} from its Go module ($how_long, once)"
  work=$(mktemp -d)
  (cd "$work" && GOFLAGS= GOBIN="$work/bin" go install "$pkg") >&2
  # Next to OUT first, so that the last step is a rename on one file system.
  cp "$work/bin/"* "$out.tmp.$$"
  mv "$out.tmp.$$" "$out"
  rm -rf "$work"
}

case "$tool" in
golangci-lint)
  # Built by the Go it checks the code with (it type-checks that Go's standard
  # library), so the cache key names that Go too.
  version=${GOLANGCI_LINT_VERSION:-2.15.0}
  out="$cache/golangci-lint-$version-$(go env GOVERSION)/golangci-lint"
  go_install "$out" "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$version" "a few minutes"
  ;;
tfplugindocs)
  pkg=github.com/hashicorp/terraform-plugin-docs
  version=$(cd tools && GOFLAGS= go list -m -f '{{.Version}}' "$pkg")
  # Keyed by tools/go.mod too: a dependency upgraded there (for a fix) is
  # upgraded in the binary.
  deps=$(sha256sum tools/go.mod | cut -c1-12)
  out="$cache/tfplugindocs-$version-$deps/tfplugindocs"
  if lock "$out"; then
    log "building tfplugindocs $version from tools/go.mod (about a minute, once)"
    (cd tools && GOFLAGS= go build -o "$out.tmp.$$" "$pkg/cmd/tfplugindocs") >&2
    mv "$out.tmp.$$" "$out"
  fi
  ;;
govulncheck)
  # Like golangci-lint, built by the Go whose standard library it scans.
  version=${GOVULNCHECK_VERSION:?set by the GNUmakefile}
  out="$cache/govulncheck-$version-$(go env GOVERSION)/govulncheck"
  go_install "$out" "golang.org/x/vuln/cmd/govulncheck@v$version" "about a minute"
  ;;
actionlint)
  # Checks .github/workflows. It reads no Go code, so any Go may build it.
  version=${ACTIONLINT_VERSION:?set by the GNUmakefile}
  out="$cache/actionlint-$version/actionlint"
  go_install "$out" "github.com/rhysd/actionlint/cmd/actionlint@v$version" "about a minute"
  ;;
goreleaser)
  # Builds the release (.goreleaser.yml) in `make release-check` and in
  # .github/workflows/release.yml, which installs this same version.
  version=${GORELEASER_VERSION:?set by the GNUmakefile}
  out="$cache/goreleaser-$version/goreleaser"
  go_install "$out" "github.com/goreleaser/goreleaser/v2@v$version" "several minutes"
  ;;
vulndb)
  # The module golang.org/x/vulndb holds every report of the Go vulnerability
  # database (data/osv) and the command that indexes them into the database
  # govulncheck reads (cmd/indexdb), so the database is built offline and
  # pinned like any module. Prints the database's directory.
  version=${VULNDB_VERSION:?set by the GNUmakefile}
  out="$cache/vulndb-$version"
  if lock "$out"; then
    log "building the vulnerability database from golang.org/x/vulndb@$version (a few minutes, once)"
    work=$(mktemp -d)
    src=$(cd "$work" && GOFLAGS= go mod download -json "golang.org/x/vulndb@$version" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [[ -d "$src/data/osv" ]] || { log "could not download golang.org/x/vulndb@$version"; exit 1; }
    go_install "$work/bin/indexdb" "golang.org/x/vulndb/cmd/indexdb@$version" "seconds"
    rm -rf "$out.tmp.$$"
    "$work/bin/indexdb" -vulns "$src/data/osv" -out "$out.tmp.$$" >&2
    mv "$out.tmp.$$" "$out"
    rm -rf "$work"
  fi
  ;;
*)
  log "unknown tool $tool"; exit 2 ;;
esac
echo "$out"
