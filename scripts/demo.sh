#!/usr/bin/env bash
# make demo: the provider doing its job against the bundled emulator, with the
# real Terraform CLI. Apply, a clean second plan, a change made behind
# Terraform's back and the plan that detects it, the repair, then destroy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
terraform=${TERRAFORM:-terraform}
# shellcheck source=scripts/emulator.sh
source scripts/emulator.sh

if [[ -t 1 ]]; then
  step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
else
  step() { printf '\n==> %s\n' "$*"; }
fi

client_id=demo-client
client_secret=$(random_secret)

step "Starting the CloudLX emulator on loopback (see the guide docs/guides/sandbox.md)"
start_emulator bin/cloudlx-emulator "$work/emulator.log" -state-file "$work/emulator.json" \
  -client-id "$client_id" -client-secret "$client_secret"
echo "emulator: $endpoint"
echo "the direct API calls below use CLOUDLX_ENDPOINT=$endpoint, CLOUDLX_CLIENT_ID=$client_id and"
echo "CLOUDLX_CLIENT_SECRET (a random secret for this run), as Terraform does"

# Use the provider just built, without a registry.
cat >"$work/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "cloudlx-community/cloudlx" = "$root/bin"
  }
  direct {}
}
disable_checkpoint = true
RC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1
export CLOUDLX_ENDPOINT="$endpoint" CLOUDLX_CLIENT_ID="$client_id" CLOUDLX_CLIENT_SECRET="$client_secret"
cp examples/demo/*.tf "$work/"
cd "$work"
tf() { "$terraform" "$@" -no-color -compact-warnings; }

echo "terraform: $("$terraform" version | head -n1)"

step "terraform apply: create two customers"
tf apply -auto-approve -input=false

step "terraform plan: nothing changed, so nothing to do"
set +e; tf plan -input=false -detailed-exitcode; code=$?; set -e
[[ $code -eq 0 ]] || { echo "demo: expected an empty plan, got exit code $code"; exit 1; }

acme_id=$("$terraform" output -json customer_ids | jq -r .acme)
step "Behind Terraform's back: rename customer $acme_id and enable sub-realm 328 with a direct API call"
# shown prints a command as you could type it (the secret and the token as the
# variables that hold them, never their values), then runs it.
shown() { printf '$ %s\n' "$1"; eval "$1"; }
shown "CUSTOMER_ID=$acme_id"
shown 'token=$(curl -sf -X POST "$CLOUDLX_ENDPOINT/api/oauth2/access-token" \
    -H "Accept: application/vnd.cloudlx.v1+json" -H "Content-Type: application/json" \
    -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$CLOUDLX_CLIENT_ID\",\"client_secret\":\"$CLOUDLX_CLIENT_SECRET\"}" |
    jq -r .access_token)'
shown 'curl -sf -X PATCH "$CLOUDLX_ENDPOINT/api/customers/$CUSTOMER_ID" \
    -H "Accept: application/vnd.cloudlx.v1+json" -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '"'"'{"name":"Acme (renamed in the portal)","shown_sub_realms":[313,328],"enabled_sub_realms":[313,328]}'"'"' |
    jq -c "{id, name, sub_realms: [.sub_realms[] | {id, has_access}]}"'
unset token

step "terraform plan: the drift is detected"
set +e; tf plan -input=false -detailed-exitcode; code=$?; set -e
[[ $code -eq 2 ]] || { echo "demo: expected the plan to show the drift, got exit code $code"; exit 1; }

step "terraform apply: put it back as the configuration says"
tf apply -auto-approve -input=false

step "terraform plan: clean again"
set +e; tf plan -input=false -detailed-exitcode; code=$?; set -e
[[ $code -eq 0 ]] || { echo "demo: expected an empty plan, got exit code $code"; exit 1; }

step "terraform destroy"
tf destroy -auto-approve -input=false

step "Requests the emulator answered"
shown 'curl -sf "$CLOUDLX_ENDPOINT/_emulator/stats" | jq -r ".counts | to_entries[] | \"\\(.value)\\t\\(.key)\"" | sort -k2'
echo
echo "demo: done"
