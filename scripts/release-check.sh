#!/usr/bin/env bash
# make release-check: the release as users get it, before a tag is pushed
# (and in .github/workflows/release.yml before the release is drafted).
#
#  1. Signs with a throwaway GPG key (gpg, in a scratch GNUPGHOME).
#  2. Builds a snapshot of HEAD with .goreleaser.yml and the pinned goreleaser,
#     twice, each in a fresh clone (new checkout times, new paths), and fails
#     unless the zips and SHA256SUMS are byte-identical: the release is
#     reproducible. Commit first: uncommitted changes are not in the clones.
#  3. Serves the snapshot through a registry over TLS on loopback
#     (internal/cmd/cloudlx-registry-stub) and runs its TestReleaseInstalls:
#     `terraform init` (and `tofu init`) install it, checksum and signature
#     verified, and plan against the emulator program; it also installs from a
#     filesystem mirror; a corrupted signature or zip fails init.
#
# RELEASE_CHECK_TARGETS=host (the default) builds this machine's platform
# only, a few minutes; =all builds every platform of the release (the release
# workflow's choice), many minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=scripts/go-toolchain.sh
source scripts/go-toolchain.sh
# shellcheck source=scripts/emulator.sh
source scripts/emulator.sh # $work, removed on exit, and start_emulator

log() { echo "release-check: $*"; }
targets=${RELEASE_CHECK_TARGETS:-host}
command -v gpg >/dev/null || { log "needs gpg (Debian and Ubuntu: apt-get install gnupg)"; exit 1; }
goreleaser=$(scripts/ensure-tool.sh goreleaser)
terraform=$(scripts/ensure-cli.sh terraform)
tofu=$(scripts/ensure-cli.sh tofu)
commit=$(git rev-parse HEAD)
[[ -z "$(git status --porcelain --untracked-files=no)" ]] ||
  log "uncommitted changes are not checked: this checks commit $commit"

log "a throwaway signing key"
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
# RSA: the Terraform Registry accepts RSA and DSA keys.
gpg --batch --quiet --passphrase '' --quick-gen-key "cloudlx release-check <release-check@example.invalid>" rsa3072 sign 1d
fingerprint=$(gpg --with-colons --list-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
key_id=$(gpg --with-colons --list-keys 2>/dev/null | awk -F: '$1 == "pub" { print $5; exit }')
gpg --armor --export "$fingerprint" >"$work/key.asc"

# snapshot DIR clones HEAD into DIR and builds the snapshot there (DIR/dist).
snapshot() {
  local dir=$1
  git clone --quiet --no-checkout "$root" "$dir"
  git -C "$dir" checkout --quiet --detach "$commit"
  if [[ "$targets" == host ]]; then
    local target
    case "$(go env GOARCH)" in
    amd64) target="$(go env GOOS)_amd64_v1" ;;
    arm64) target="$(go env GOOS)_arm64_v8.0" ;;
    *) log "no host target for $(go env GOARCH): use RELEASE_CHECK_TARGETS=all"; exit 1 ;;
    esac
    # targets, when set, replaces goos, goarch and ignore (goreleaser's builds).
    sed -i "/^  - id: provider\$/a\\    targets: [$target]" "$dir/.goreleaser.yml"
    grep -q "targets: \[$target\]" "$dir/.goreleaser.yml" ||
      { log ".goreleaser.yml has no '  - id: provider' build to limit to $target"; exit 1; }
  fi
  # GOTOOLCHAIN unset: .goreleaser.yml takes go.mod's toolchain line itself,
  # as in a maintainer's local run.
  (cd "$dir" && env -u GOTOOLCHAIN GPG_FINGERPRINT="$fingerprint" "$goreleaser" release --snapshot --clean)
}

log "building the snapshot of $commit ($targets targets) with $("$goreleaser" --version 2>&1 | awk '/^GitVersion:/ { print $2 }')"
t0=$(date +%s)
snapshot "$work/a"
log "built in $(($(date +%s) - t0))s; building it again in another clone"
t0=$(date +%s)
snapshot "$work/b"
log "built again in $(($(date +%s) - t0))s"
dist="$work/a/dist"
mapfile -t assets < <(cd "$dist" && ls -- *.zip *_SHA256SUMS)
[[ ${#assets[@]} -ge 2 ]] || { log "no zips and SHA256SUMS in $dist"; exit 1; }
differ=0
for f in "${assets[@]}"; do
  if ! cmp -s "$dist/$f" "$work/b/dist/$f"; then
    log "NOT REPRODUCIBLE: $f differs between the two builds"
    differ=1
  fi
done
[[ $differ -eq 0 ]] || exit 1
log "reproducible: ${#assets[@]} files byte-identical in both builds"
sed 's/^/release-check:   /' "$dist"/*_SHA256SUMS

log "installing it through a registry stub over TLS, with $("$terraform" version | head -n1) and $("$tofu" version | head -n1)"
go build -o "$work/cloudlx-emulator" ./internal/cmd/cloudlx-emulator
client_secret=$(random_secret)
start_emulator "$work/cloudlx-emulator" "$work/emulator.log" -client-id release-check -client-secret "$client_secret"
RELEASE_CHECK_DIST="$dist" RELEASE_CHECK_MANIFEST="$work/a/terraform-registry-manifest.json" \
  RELEASE_CHECK_GPG_KEY="$work/key.asc" RELEASE_CHECK_GPG_KEY_ID="$key_id" \
  CLOUDLX_ENDPOINT="$endpoint" CLOUDLX_CLIENT_ID=release-check CLOUDLX_CLIENT_SECRET="$client_secret" \
  TF_ACC_TERRAFORM_PATH="$terraform" TF_ACC_TOFU_PATH="$tofu" \
  go test ./internal/cmd/cloudlx-registry-stub -run '^TestReleaseInstalls$' -count=1 -v -timeout 20m
log "ok"
