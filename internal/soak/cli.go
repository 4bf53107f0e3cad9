package soak

// The soak's side of running the CLI: internal/clirun builds, identifies and
// runs it; this adds the soak's time bound and what it asks of a CLI.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clirun"
)

// BuildProvider builds the provider into dir (go build of this module's main
// package) and returns dir, for Config.ProviderDir.
func BuildProvider(ctx context.Context, dir string) (string, error) {
	if err := clirun.BuildProvider(ctx, dir); err != nil {
		return "", err
	}
	return dir, nil
}

// cli is the Terraform or OpenTofu executable under test.
type cli = clirun.CLI

// result is what one CLI command did.
type result = clirun.Result

// identityImport reports whether the CLI understands import blocks with an
// identity: Terraform and OpenTofu 1.12 and later.
func identityImport(c cli) bool { return c.AtLeast("1.12") }

// commandTimeout bounds one CLI command: a command that takes longer hangs.
const commandTimeout = 4 * time.Minute

// runCLI runs the CLI in dir with env (added to a clean environment).
func runCLI(ctx context.Context, c cli, dir string, env []string, args ...string) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	res, err := clirun.Run(clirun.Command(ctx, c, dir, env, args...))
	if ctx.Err() != nil {
		return res, fmt.Errorf("%s did not finish within %s", strings.Join(res.Args, " "), commandTimeout)
	}
	return res, err
}
