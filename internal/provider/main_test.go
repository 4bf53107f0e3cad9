package provider

import (
	"os"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
)

func TestMain(m *testing.M) {
	// The in-process provider of the acceptance tests logs as the binary does
	// (see main.go): nothing unless TF_LOG or another log setting asks.
	if err := DisableUnreadLogs(); err != nil {
		panic(err)
	}
	code := m.Run()
	clitest.RemoveProvider() // built by the tests that drive the CLI themselves
	os.Exit(code)
}
