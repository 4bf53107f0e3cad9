package provider

import (
	"os"
	"strings"
)

// Logs nobody reads cost CPU. terraform-plugin-go, terraform-plugin-framework
// and tflog give a logger whose level variable is unset every level, so a
// provider process formats a JSON line for each trace event of every RPC
// (tens per resource) and Terraform parses and drops them when its own log is
// off. Unless the user asks for logs, the loggers are turned off before the
// provider serves: the SDK's trace events then return before formatting
// anything (terraform-plugin-log checks a subsystem's level first).

// logRequests are the variables through which a user asks for logs that can
// hold this provider's lines: Terraform shows provider logs for TF_LOG or
// TF_LOG_PROVIDER; the SDK levels and TF_LOG_PROVIDER_CLOUDLX select the
// provider's own loggers; terraform-plugin-testing writes the provider's logs
// for TF_LOG, TF_ACC_LOG_PATH (at TRACE) and TF_LOG_PATH_MASK. TF_LOG_PATH
// alone shows nothing in Terraform, but whoever sets it is about to read a log.
// TF_LOG_CORE is not one: it selects Terraform's own lines only.
var logRequests = []string{
	"TF_LOG", "TF_LOG_PROVIDER", providerLogLevelVar,
	"TF_LOG_SDK", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO",
	"TF_LOG_PATH", "TF_ACC_LOG_PATH", "TF_LOG_PATH_MASK",
}

// providerLogLevelVar sets the level of tflog, the provider's own logger:
// terraform-plugin-go names it after the last part of the provider address.
const providerLogLevelVar = "TF_LOG_PROVIDER_CLOUDLX"

// loggerLevelVars are the level variables of every logger in the provider
// process: the SDK root (terraform-plugin-go), its protocol subsystem, the
// framework subsystem and the provider's own.
var loggerLevelVars = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", providerLogLevelVar}

// unreadLogSettings returns the variables to set so that no logger formats
// anything, or nil when getenv shows that the user asked for logs: then every
// logger stays as the SDK sets it up. A level variable set to "off" asks for
// nothing.
func unreadLogSettings(getenv func(string) string) map[string]string {
	for _, name := range logRequests {
		v := strings.TrimSpace(getenv(name))
		if v != "" && !strings.EqualFold(v, "off") {
			return nil
		}
	}
	settings := make(map[string]string, len(loggerLevelVars))
	for _, name := range loggerLevelVars {
		settings[name] = "off"
	}
	return settings
}

// DisableUnreadLogs turns the SDK, framework and provider loggers off unless
// the environment asks for logs (see logRequests). Call it before
// providerserver.Serve: the loggers read their levels as each RPC starts.
func DisableUnreadLogs() error {
	for name, value := range unreadLogSettings(os.Getenv) {
		if err := os.Setenv(name, value); err != nil {
			return err
		}
	}
	return nil
}
