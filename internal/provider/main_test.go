package provider

import (
	"os"
	"testing"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/clitest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	clitest.RemoveProvider() // built by the tests that drive the CLI themselves
	os.Exit(code)
}
