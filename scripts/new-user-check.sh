#!/usr/bin/env bash
# Part of make examples-check: what the docs tell a new user to do, done as a
# new user would, with the real Terraform CLI:
#
#   1. Installation (README.md, docs/index.md): `make install` and
#      dev_overrides, then a filesystem mirror, `terraform init` through it and
#      `terraform providers lock` for two platforms. The commands are the
#      docs' own blocks (marked <!-- check: NAME -->, scripts/md-blocks.sh),
#      run in a copy of this clone with a scratch HOME and GOPATH.
#   2. The sandbox guide's `terraform test` block, verbatim, and its plan of a
#      misspelt realm name.
#   3. Against the emulator program, started as the sandbox guide says: the
#      README's example (apply, an empty plan, the guide's curl that changes it
#      behind Terraform's back, the plan that shows it, repair, destroy); the
#      secrets advice (a saved plan holds the client secret of an ephemeral
#      variable, or of the environment, nowhere); the adoption guide's routes 1, 2 and 4 over
#      customers "made in the portal".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=scripts/go-toolchain.sh
source scripts/go-toolchain.sh
# shellcheck source=scripts/emulator.sh
source scripts/emulator.sh
# shellcheck source=scripts/md-blocks.sh
source scripts/md-blocks.sh
for tool in jq curl unzip git; do
  command -v "$tool" >/dev/null || { echo "new-user: $tool is required" >&2; exit 1; }
done

terraform=$(scripts/ensure-cli.sh terraform)
tf_version=$("$terraform" version | sed -n '1s/^[^0-9]*\([0-9][0-9.]*\).*/\1/p')
at_least() { [[ "$(printf '%s\n' "$1" "$tf_version" | sort -V | head -n1)" == "$1" ]]; }
step() { printf '\nnew-user: %s\n' "$*"; }
fail() { echo "new-user: FAILED: $*" >&2; exit 1; }

# The docs' commands say `terraform`: this one.
mkdir -p "$work/path"
ln -s "$terraform" "$work/path/terraform"
export PATH="$work/path:$PATH" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

# A copy of the clone (tracked and new files, as they are now), so the docs'
# commands can write where they say without touching this one.
clone="$work/clone"
mkdir -p "$clone"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$clone"

# A scratch HOME (the docs write CLI configurations there) and GOPATH (where
# `make install` installs), with this machine's Go settings and caches kept.
for v in GOMODCACHE GOCACHE GOPROXY GOSUMDB GONOSUMDB GOPRIVATE GONOPROXY GOINSECURE GOFLAGS; do
  export "$v=$(go env "$v")"
done
export HOME="$work/home" GOPATH="$work/home/go"
unset GOBIN
mkdir -p "$HOME"

# run_blocks DIR FILE NAME... runs the named blocks of FILE in one shell in DIR.
run_blocks() {
  local dir=$1 file=$2 script="set -euo pipefail"$'\n'
  shift 2
  for name in "$@"; do script+="$(md_block "$file" "$name")"$'\n'; done
  (cd "$dir" && bash -c "$script")
}

# The installation blocks are in README.md and in the template of docs/index.md:
# the same commands in both.
install_blocks=(install-local dev-overrides dev-overrides-use mirror-build mirror-config mirror-use)
for name in "${install_blocks[@]}" registry-required-providers; do
  diff <(md_block README.md "$name") <(md_block templates/index.md.tmpl "$name") >/dev/null ||
    fail "the block $name differs between README.md and templates/index.md.tmpl"
done

step "installation: make install and dev_overrides, then terraform validate of the README's example"
quickstart="$work/quickstart"
mkdir -p "$quickstart"
md_block README.md quick-start >"$quickstart/main.tf"
# make install, the override file, then the README's example in its own directory.
script="set -euo pipefail"$'\n'
script+="$(md_block README.md install-local)"$'\n'"$(md_block README.md dev-overrides)"$'\n'
script+="cd \"$quickstart\""$'\n'"$(md_block README.md dev-overrides-use)"$'\n'
(cd "$clone" && bash -c "$script")
[[ -x "$GOPATH/bin/terraform-provider-cloudlx" ]] || fail "make install did not install $GOPATH/bin/terraform-provider-cloudlx"
dev_tfrc="$HOME/cloudlx-dev.tfrc"
[[ -f $dev_tfrc ]] || fail "the dev_overrides block did not write $dev_tfrc"

step "installation: a filesystem mirror, terraform init through it, providers lock for two platforms"
registry="$work/registry"
mkdir -p "$registry"
md_block README.md registry-required-providers >"$registry/main.tf"
script="set -euo pipefail"$'\n'
script+="$(md_block README.md mirror-build)"$'\n'"$(md_block README.md mirror-config)"$'\n'
script+="cd \"$registry\""$'\n'"$(md_block README.md mirror-use)"$'\n'
(cd "$clone" && bash -c "$script")
lock="$registry/.terraform.lock.hcl"
[[ -f $lock ]] || fail "terraform init wrote no .terraform.lock.hcl"
grep -q 'version *= "0.1.0"' "$lock" || fail "the lock file does not hold version 0.1.0 from the mirror:"$'\n'"$(cat "$lock")"
[[ $(grep -c '"h1:' "$lock") -eq 2 ]] || fail "the lock file should hold one checksum per platform (2):"$'\n'"$(cat "$lock")"
echo "new-user: the lock file holds cloudlx-community/cloudlx 0.1.0 with checksums for 2 platforms"

# From here on, the provider as the dev_overrides section installed it.
export TF_CLI_CONFIG_FILE="$dev_tfrc"

step "sandbox guide: terraform test of examples/sandbox-test against the emulator"
if at_least 1.6; then
  out=$(run_blocks "$clone" templates/guides/sandbox.md.tmpl sandbox-terraform-test 2>&1) ||
    { echo "$out"; fail "the sandbox guide's terraform test block"; }
  echo "$out" | tail -n 3
  grep -q '2 passed, 0 failed' <<<"$out" || fail "terraform test did not pass its 2 runs"
else
  echo "new-user: skipped, terraform test needs Terraform >= 1.6 and this is $tf_version"
fi

# The emulator as the sandbox guide starts it for scripts (make emulator in
# the clone above built it), with its default credentials.
start_sandbox() {
  start_emulator "$clone/bin/cloudlx-emulator" "$work/emulator-$1.log" "${@:2}"
  export CLOUDLX_ENDPOINT=$endpoint CLOUDLX_CLIENT_ID=test-client-id CLOUDLX_CLIENT_SECRET=test-client-secret
}
# tf runs a terraform command with -input=false -no-color (before its other arguments).
tf() { terraform "$1" -input=false -no-color "${@:2}"; }
# plan_exit DIR WANT: a plan in DIR must exit with WANT (-detailed-exitcode).
plan_exit() {
  local code=0
  (cd "$1" && tf plan -detailed-exitcode >"$work/plan.out" 2>&1) || code=$?
  [[ $code -eq $2 ]] || { cat "$work/plan.out"; fail "the plan in $1 exited $code, want $2"; }
}

step "sandbox guide: a realm name the catalogue lacks fails the plan, naming the customer and the name"
start_sandbox typo
code=0
out=$(run_blocks "$clone" templates/guides/sandbox.md.tmpl sandbox-typo 2>&1) || code=$?
[[ $code -ne 0 ]] || { echo "$out"; fail "the plan with a misspelt realm name succeeded"; }
# On one line, without the colours and the frame of a terminal's output:
# Terraform wraps it.
flat=$(tr '\n' ' ' <<<"$out" | sed 's/\x1b\[[0-9;]*m//g; s/[│╷╵]//g' | tr -s ' ')
for want in 'Error: Unknown realm name' 'with data.cloudlx_realms.customer["typo"]' \
  'no realm in CloudLX'"'"'s catalogue is named "Netwroking". Did you mean "Networking"?' \
  'The known realms are: "Compute", "Default", "Networking", "Security", "Storage", "Voice".'; do
  grep -qF "$want" <<<"$flat" || { echo "$out"; fail "the plan's error lacks: $want"; }
done
stop_emulator
echo "new-user: ok"

step "the README's example against the emulator: apply, a change behind Terraform's back, repair, destroy"
start_sandbox quickstart
(cd "$quickstart" && tf apply -auto-approve >/dev/null)
plan_exit "$quickstart" 0
run_blocks "$quickstart" templates/guides/sandbox.md.tmpl sandbox-curl sandbox-drift >/dev/null
plan_exit "$quickstart" 2
grep -q 'Acme (renamed in the portal)' "$work/plan.out" || fail "the plan does not show the rename made with curl"
(cd "$quickstart" && tf apply -auto-approve >/dev/null)
plan_exit "$quickstart" 0
stats=$(run_blocks "$quickstart" templates/guides/sandbox.md.tmpl sandbox-stats)
[[ $(jq '.counts["PATCH /api/customers/{id}"]' <<<"$stats") == 2 ]] ||
  fail "the emulator should have answered 2 PATCHes (the guide's and the repair), its stats say: $stats"
# The example's deletion_policy = "PREVENT" refuses the destroy; as its error
# says, "DELETE" applied first lets the destroy through.
code=0
(cd "$quickstart" && tf destroy -auto-approve >"$work/destroy.out" 2>&1) || code=$?
[[ $code -ne 0 ]] && grep -q 'Error: CloudLX customer is protected from destroy' "$work/destroy.out" ||
  { cat "$work/destroy.out"; fail "the README's example (deletion_policy = \"PREVENT\") should refuse the destroy"; }
sed -i 's/deletion_policy = "PREVENT"/deletion_policy = "DELETE"/' "$quickstart/main.tf"
(cd "$quickstart" && tf apply -auto-approve >/dev/null && tf destroy -auto-approve >/dev/null)
stop_emulator
echo "new-user: ok"

step "secrets: a saved plan holds the client secret of an ephemeral variable, or of the environment, nowhere"
if at_least 1.10; then
  secret=$(random_secret)
  start_emulator "$clone/bin/cloudlx-emulator" "$work/emulator-secrets.log" -client-id my-client-id -client-secret "$secret"
  secrets="$work/secrets"
  mkdir -p "$secrets"
  md_block README.md ephemeral-secret >"$secrets/main.tf"
  cat >"$secrets/customer.tf" <<TF
resource "cloudlx_customer" "a" {
  name         = "Secret Keeping Ltd"
  currency_iso = "GBP"
  country_iso  = "GB"
  realms       = [2]
}
TF
  (
    cd "$secrets"
    export CLOUDLX_ENDPOINT=$endpoint TF_VAR_cloudlx_client_secret=$secret
    tf plan -out=saved.tfplan >/dev/null
    terraform show -json saved.tfplan >show.json
    unzip -p saved.tfplan >saved.contents
    ! grep -qF "$secret" saved.tfplan saved.contents show.json || fail "the secret is in the saved plan or its show -json"
    tf apply saved.tfplan >/dev/null # the variable set again, as the docs say
    tf destroy -auto-approve >/dev/null
  )
  # The other way: the secret in the environment, as the README's example takes it.
  (
    cd "$quickstart"
    export CLOUDLX_ENDPOINT=$endpoint CLOUDLX_CLIENT_ID=my-client-id CLOUDLX_CLIENT_SECRET=$secret
    tf plan -out=saved.tfplan >/dev/null
    terraform show -json saved.tfplan >show.json
    unzip -p saved.tfplan >saved.contents
    ! grep -qF "$secret" saved.tfplan saved.contents show.json || fail "the secret from the environment is in the saved plan or its show -json"
  )
  stop_emulator
  echo "new-user: ok"
else
  echo "new-user: skipped, ephemeral variables need Terraform >= 1.10 and this is $tf_version"
fi

# Customers "made in the portal": the emulator's state file, as the sandbox
# guide says (-state-file), with names HCL and YAML must escape and a name two
# customers share.
portal_state() {
  jq -n '{version: 1, next_id: 2001, customers: [
    {id: 2001, input: {name: "Portal One GmbH", currency_iso: "EUR", country_iso: "DE", realms: [2], shown_sub_realms: [313, 328], enabled_sub_realms: [313]}, admin_user: {}},
    {id: 2002, input: {name: "Quote \"Ltd\" & ${not} %{ref}", currency_iso: "USD", country_iso: "US", realms: [2, 7], shown_sub_realms: [], enabled_sub_realms: []}, admin_user: {}},
    {id: 2003, input: {name: "Twin Ltd", currency_iso: "GBP", country_iso: "GB", realms: [7], shown_sub_realms: [340], enabled_sub_realms: [340]}, admin_user: {}},
    {id: 2004, input: {name: "Twin Ltd", currency_iso: "GBP", country_iso: "GB", realms: [7], shown_sub_realms: [], enabled_sub_realms: []}, admin_user: {}},
    {id: 2005, input: {name: "株式会社 クラウド", currency_iso: "JPY", country_iso: "JP", realms: [3, 4], shown_sub_realms: [], enabled_sub_realms: []}, admin_user: {}}
  ]}' >"$1"
}
# writes_so_far: the requests that could have changed CloudLX, from the emulator's log.
writes_so_far() {
  curl -fsS "$endpoint/_emulator/requests" |
    jq -r '.requests[] | select(.method != "GET" and (.route | startswith("POST /api/oauth2/") | not)) | "\(.method) \(.path)"'
}

if at_least 1.7; then
  step "adoption route 1: import blocks with for_each, then the customers frozen into a file"
  portal_state "$work/route1.json"
  start_sandbox route1 -state-file "$work/route1.json"
  route1="$work/route1"
  mkdir -p "$route1"
  cp "$root"/examples/adoption/import-for-each/*.tf "$route1/"
  (cd "$route1" && tf apply -auto-approve >"$work/apply.out")
  grep -q 'Resources: 5 imported, 0 added, 0 changed, 0 destroyed.' "$work/apply.out" ||
    { cat "$work/apply.out"; fail "route 1's apply did not import the 5 customers"; }
  (cd "$route1" && terraform output -json adopted_customers >adopted.json && mv adopted.json customers.auto.tfvars.json)
  (cd "$route1" && tf apply -auto-approve >/dev/null) # step 3: the output becomes empty
  plan_exit "$route1" 0
  (cd "$route1" && tf apply -auto-approve >"$work/apply.out")
  ! sed -n '/^Outputs:/,$p' "$work/apply.out" | grep -q 'Portal One GmbH' ||
    { cat "$work/apply.out"; fail "route 1's applies still print the adopted customers in their outputs"; }
  [[ -z "$(writes_so_far)" ]] || fail "route 1 wrote to CloudLX: $(writes_so_far)"
  stop_emulator
  echo "new-user: ok"

  step "adoption route 4: into a configuration that already manages customers, realms by name"
  portal_state "$work/route4.json"
  start_sandbox route4 -state-file "$work/route4.json"
  route4="$work/route4"
  mkdir -p "$route4"
  cp "$root"/examples/adoption/existing-config/{main.tf,customers.yaml} "$route4/"
  # The repository as it was: it manages Acme Ltd.
  (cd "$route4" && tf apply -auto-approve >/dev/null)
  curl -fsS -X POST "$endpoint/_emulator/reset-stats"
  cp "$root"/examples/adoption/existing-config/adoption.tf "$route4/"
  (
    cd "$route4"
    tf apply -refresh-only -auto-approve >/dev/null
    terraform output -raw customers_yaml_to_add >>customers.yaml
  )
  for name in "Portal One GmbH" "Twin Ltd" "株式会社 クラウド"; do
    grep -qF "$name" "$route4/customers.yaml" || fail "the YAML to add lacks $name:"$'\n'"$(cat "$route4/customers.yaml")"
  done
  # The twins are not imported (a name two customers share): the repository
  # imports them by id itself. Here they go again, so the route adopts the 3 others.
  awk '/^"twin-ltd-/ {skip = 1; next} /^[^ ]/ {skip = 0} !skip' "$route4/customers.yaml" >"$work/yaml"
  cp "$work/yaml" "$route4/customers.yaml"
  (cd "$route4" && tf apply -auto-approve >"$work/apply.out")
  grep -q 'Resources: 3 imported, 0 added, 0 changed, 0 destroyed.' "$work/apply.out" ||
    { cat "$work/apply.out"; cat "$route4/customers.yaml"; fail "route 4's apply did not import the 3 customers"; }
  plan_exit "$route4" 0
  [[ -z "$(writes_so_far)" ]] || fail "route 4 wrote to CloudLX: $(writes_so_far)"
  # The output is down to the twins, and a change made in the portal shows.
  left=$(cd "$route4" && terraform output -raw customers_yaml_to_add)
  [[ $(grep -c '"name": "Twin Ltd"' <<<"$left") -eq 2 && $left != *Portal* ]] ||
    fail "the output should list the twins alone, it is:"$'\n'"$left"
  stop_emulator
  echo "new-user: ok"
else
  echo "new-user: adoption routes 1 and 4 skipped: import blocks with for_each need Terraform >= 1.7 and this is $tf_version"
fi

step "adoption route 2: generated configuration"
portal_state "$work/route2.json"
start_sandbox route2 -state-file "$work/route2.json"
route2="$work/route2"
mkdir -p "$route2"
cp "$root"/examples/adoption/generate-config/*.tf "$route2/"
(
  cd "$route2"
  tf apply -auto-approve >/dev/null
  terraform output -raw import_blocks >imports.tf
  tf plan -generate-config-out=generated.tf >/dev/null
  tf apply -auto-approve >"$work/apply.out"
)
grep -q 'Resources: 5 imported, 0 added, 0 changed, 0 destroyed.' "$work/apply.out" ||
  { cat "$work/apply.out"; fail "route 2 did not import the 5 customers"; }
plan_exit "$route2" 0
[[ -z "$(writes_so_far)" ]] || fail "route 2 wrote to CloudLX: $(writes_so_far)"
stop_emulator
echo "new-user: ok"

echo
echo "new-user: the docs' installation, sandbox, example, secrets advice and adoption routes work as written"
