package provider

// The cloudlx_customer resource's schema, and the operation timeouts it
// documents, apart from the lifecycle in resource_customer.go (as cloudflare v5
// splits schema, model and resource): the schema is what users read in the
// docs, the lifecycle is what talks to the API.

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Operation timeouts when the configuration sets none. They bound a whole
// operation, retries and Retry-After waits included.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
)

// timeoutDescription documents one operation's timeout and its default.
func timeoutDescription(operation string, def time.Duration) string {
	return fmt.Sprintf("How long %s may take, retries and `Retry-After` waits included, as a duration such as `30s` or `15m` "+
		"(default `%dm`).", operation, int(def.Minutes()))
}

func (r *customerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	positiveIDs := []validator.Set{setvalidator.ValueInt64sAre(int64validator.AtLeast(1))}
	emptySet := setdefault.StaticValue(types.SetValueMust(types.Int64Type, nil))
	resp.Schema = schema.Schema{
		MarkdownDescription: "A customer of the CloudLX reseller platform: its name, currency, country, the realms it can access " +
			"and the sub-realms it can see and use.",
		Attributes: map[string]schema.Attribute{
			"id": schema.Int64Attribute{
				MarkdownDescription: "The customer's numeric ID in CloudLX.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The customer's name.",
				Required:            true,
				Validators:          []validator.String{trimmedValidator},
			},
			"currency_iso": schema.StringAttribute{
				MarkdownDescription: "The customer's default currency, as an uppercase ISO 4217 code such as `USD`, `EUR` or `GBP`. A code missing from the provider's dated table fails the plan (with a suggestion such as `GBP` for `GPB`), unless the provider's `additional_currency_codes` allows it.",
				Required:            true,
				Validators:          []validator.String{currencyCodeValidator},
			},
			"country_iso": schema.StringAttribute{
				MarkdownDescription: "The customer's country, as an uppercase ISO 3166-1 alpha-2 code such as `US`, `GB` or `DE`. A code missing from the provider's dated table fails the plan, unless the provider's `additional_country_codes` allows it.",
				Required:            true,
				Validators:          []validator.String{countryCodeValidator},
			},
			"realms": schema.SetAttribute{
				MarkdownDescription: "IDs of the realms the customer can access, at least one (see the `cloudlx_realms` data source). Order does not matter.",
				ElementType:         types.Int64Type,
				CustomType:          idSetType,
				Required:            true,
				Validators: append([]validator.Set{nonEmptyValidator{fix: "A customer needs access to at least one realm: " +
					"find their ids with the cloudlx_realms data source."}}, positiveIDs...),
			},
			"shown_sub_realms": schema.SetAttribute{
				MarkdownDescription: "IDs of the sub-realms the customer can see. Defaults to none; sub-realms added in the portal show as drift.",
				ElementType:         types.Int64Type,
				CustomType:          idSetType,
				Optional:            true,
				Computed:            true,
				Default:             emptySet,
				Validators:          positiveIDs,
			},
			"enabled_sub_realms": schema.SetAttribute{
				MarkdownDescription: "IDs of the sub-realms the customer can use. Each must also be in `shown_sub_realms`. Defaults to none.",
				ElementType:         types.Int64Type,
				CustomType:          idSetType,
				Optional:            true,
				Computed:            true,
				Default:             emptySet,
				Validators:          positiveIDs,
			},
			"admin_user": schema.SingleNestedAttribute{
				MarkdownDescription: "The customer's first portal user, created together with the customer. It is sent only when the " +
					"customer is created and the API never returns it: changing it later changes nothing in CloudLX (the plan warns), " +
					"and an imported customer has none in state.",
				Optional: true,
				Attributes: map[string]schema.Attribute{
					"email": schema.StringAttribute{
						MarkdownDescription: "The user's email address.",
						Required:            true,
						Validators:          []validator.String{emailValidator},
					},
					"first_name": schema.StringAttribute{
						MarkdownDescription: "The user's first name.",
						Required:            true,
						Validators:          []validator.String{trimmedValidator},
					},
					"last_name": schema.StringAttribute{
						MarkdownDescription: "The user's last name.",
						Required:            true,
						Validators:          []validator.String{trimmedValidator},
					},
					"role_group": schema.StringAttribute{
						MarkdownDescription: "The user's role group. Defaults to `Admin`.",
						Optional:            true,
						Computed:            true,
						Default:             stringdefault.StaticString("Admin"),
						Validators:          []validator.String{trimmedValidator},
					},
				},
			},
			"deletion_policy": schema.StringAttribute{
				MarkdownDescription: deletionPolicyDescription,
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(deletionPolicyDelete),
				Validators:          []validator.String{deletionPolicyValidator},
			},
			"allow_duplicate_name": schema.BoolAttribute{
				MarkdownDescription: allowDuplicateNameDescription,
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},
			"currency": schema.ObjectAttribute{
				MarkdownDescription: currencyDescription,
				AttributeTypes:      currencyType.AttrTypes,
				Computed:            true,
			},
			"country": schema.ObjectAttribute{
				MarkdownDescription: countryDescription,
				AttributeTypes:      countryType.AttrTypes,
				Computed:            true,
			},
			"realm_details": schema.ListAttribute{
				MarkdownDescription: realmDetailsDescription,
				ElementType:         realmDetailType,
				Computed:            true,
			},
			"sub_realm_details": schema.ListAttribute{
				MarkdownDescription: subRealmDetailsDescription,
				ElementType:         subRealmDetailType,
				Computed:            true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: timeoutDescription("creating the customer", defaultCreateTimeout),
				ReadDescription:   timeoutDescription("reading the customer, which happens in every plan and refresh,", defaultReadTimeout),
				UpdateDescription: timeoutDescription("updating the customer", defaultUpdateTimeout),
				DeleteDescription: timeoutDescription("deleting the customer", defaultDeleteTimeout),
			}),
		},
	}
}
