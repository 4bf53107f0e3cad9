# Sourced by every script that runs go: exports GOTOOLCHAIN, the Go that builds,
# tests, lints and scans the provider, which is go.mod's toolchain line (a Go
# with the security fixes the provider needs). Machines start on their own Go
# with GOTOOLCHAIN=local, under which the go command ignores that line; with
# GOTOOLCHAIN exported, any Go since 1.21 fetches that release from the module
# proxy once. The GNUmakefile applies the same rule. A GOTOOLCHAIN naming a
# release already (`make vulncheck GOTOOLCHAIN=go1.26.8`) is kept.
if [[ ${GOTOOLCHAIN:-} != go1.* ]]; then
  GOTOOLCHAIN=$(sed -n 's/^toolchain //p' "$(dirname "${BASH_SOURCE[0]}")/../go.mod")
  [[ -n $GOTOOLCHAIN ]] || { echo "go-toolchain: go.mod has no toolchain line" >&2; exit 1; }
fi
export GOTOOLCHAIN
