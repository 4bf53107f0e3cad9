package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
)

// ProviderSchema and CustomerResourceSchema are the provider's configuration
// and cloudlx_customer schemas, for the benchmark's no-op provider, which
// serves exactly these (without their validators and plan modifiers) to
// measure what Terraform and the framework cost on their own.
func ProviderSchema(ctx context.Context) pschema.Schema {
	var resp provider.SchemaResponse
	(&cloudlxProvider{}).Schema(ctx, provider.SchemaRequest{}, &resp)
	return resp.Schema
}

// CustomerResourceSchema: see ProviderSchema.
func CustomerResourceSchema(ctx context.Context) rschema.Schema {
	var resp resource.SchemaResponse
	(&customerResource{}).Schema(ctx, resource.SchemaRequest{}, &resp)
	return resp.Schema
}
