#!/usr/bin/env bash
# Part of make test: `make test-live` and `make sweep` against the emulator
# *program*, started out of process, as they would run against a live account.
# The emulator starts holding a customer that is not the suite's ("Not Ours
# Ltd") and one an earlier run left behind (tf-acc-...); afterwards no request
# may have touched the first, it must still be there, and the sweep must have
# deleted every tf-acc- customer, the earlier run's included. It runs once with the
# emulator's default API (which, unlike the documented one, has DELETE), and once
# with an API without DELETE (as documented), realm 1 added to every
# customer and PATCH that merges arrays, where the tests that need those answers
# skip and the sweep lists what it cannot delete.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/go-toolchain.sh
source scripts/go-toolchain.sh
make=${MAKE:-make}
# shellcheck source=scripts/emulator.sh
source scripts/emulator.sh

go build -o "$work/cloudlx-emulator" ./internal/cmd/cloudlx-emulator

run_variant() {
  local label=$1; shift
  echo "==> live suite against the emulator program ($label)"
  local state="$work/state-$label.json"
  cat >"$state" <<JSON
{"version": 1, "next_id": 501, "customers": [
 {"id": 499, "input": {"name": "tf-acc-000000-left-by-an-earlier-run", "currency_iso": "GBP", "country_iso": "GB",
  "realms": [2], "shown_sub_realms": [], "enabled_sub_realms": []}, "admin_user": {}},
 {"id": 500, "input": {"name": "Not Ours Ltd", "currency_iso": "GBP", "country_iso": "GB",
  "realms": [2], "shown_sub_realms": [], "enabled_sub_realms": []}, "admin_user": {}}]}
JSON
  local secret
  secret=$(random_secret)
  start_emulator "$work/cloudlx-emulator" "$work/emulator-$label.log" -state-file "$state" \
    -client-id live-suite -client-secret "$secret" "$@"

  CLOUDLX_ENDPOINT=$endpoint CLOUDLX_CLIENT_ID=live-suite CLOUDLX_CLIENT_SECRET=$secret \
    "$make" --no-print-directory test-live | tee "$work/live-$label.out"
  CLOUDLX_ENDPOINT=$endpoint CLOUDLX_CLIENT_ID=live-suite CLOUDLX_CLIENT_SECRET=$secret \
    "$make" --no-print-directory sweep | tee "$work/sweep-$label.out"

  # The request log names every path the suite and the sweeper asked for.
  curl -fsS "$endpoint/_emulator/requests" >"$work/requests-$label.json"
  if grep -q '"path":"/api/customers/500"' "$work/requests-$label.json"; then
    echo "FAIL ($label): a request touched customer 500, which is not the suite's"; exit 1
  fi
  grep -q '"Not Ours Ltd"' "$state" || { echo "FAIL ($label): customer 500 is gone"; exit 1; }
  if grep -q 'SKIP' "$work/live-$label.out" && [[ $label == documented ]]; then
    echo "FAIL ($label): a test skipped against the emulator's default API"; exit 1
  fi
  stop_emulator
}

check_swept() {
  local label=$1 want=$2 state="$work/state-$1.json"
  local left
  left=$({ grep -o '"name": *"tf-acc-[^"]*"' "$state" || true; } | wc -l)
  [[ $left -eq $want ]] || { echo "FAIL ($label): $left tf-acc- customers left in the emulator, want $want"; exit 1; }
}

run_variant documented
grep -q 'deleted tf-acc-000000-left-by-an-earlier-run (id 499)' "$work/sweep-documented.out" || { echo "FAIL: the sweep did not delete the earlier run's customer"; exit 1; }
check_swept documented 0

run_variant no-delete -no-delete -implicit-realm 1 -patch-merges-arrays
grep -q -- '--- SKIP: TestAccLive_customerDeletedOutsideTerraform' "$work/live-no-delete.out" || { echo "FAIL: the DELETE test did not skip without DELETE"; exit 1; }
grep -q 'write.delete_supported = false' "$work/live-no-delete.out" || { echo "FAIL: the skip does not give the probe's finding"; exit 1; }
grep -q 'to remove in the portal: tf-acc-000000-left-by-an-earlier-run (id 499)' "$work/sweep-no-delete.out" || { echo "FAIL: the sweep did not list what it could not delete"; exit 1; }
echo "==> the live suite and the sweep behaved against both emulator variants"
