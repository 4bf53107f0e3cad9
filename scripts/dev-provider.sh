# Sourced by scripts that run a Terraform CLI against the provider in this
# clone without a registry: builds it into $1/bin and points TF_CLI_CONFIG_FILE
# at a dev_overrides configuration, so neither init nor a network is needed.
#
#   source scripts/dev-provider.sh "$work"
dev_provider_dir=${1:?usage: source scripts/dev-provider.sh WORKDIR}
# shellcheck source=scripts/go-toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/go-toolchain.sh"
go build -o "$dev_provider_dir/bin/terraform-provider-cloudlx" .
cat >"$dev_provider_dir/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "cloudlx-community/cloudlx" = "$dev_provider_dir/bin"
  }
  direct {}
}
disable_checkpoint = true
RC
export TF_CLI_CONFIG_FILE="$dev_provider_dir/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
