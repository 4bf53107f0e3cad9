// Package provider maps between Terraform's framework and the CloudLX API
// client: schemas, plans and state on one side, cloudlx types on the other.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/iso"
)

var (
	_ provider.Provider                  = (*cloudlxProvider)(nil)
	_ provider.ProviderWithListResources = (*cloudlxProvider)(nil)
)

// Environment variables read when the matching attribute is not configured.
const (
	envEndpoint     = "CLOUDLX_ENDPOINT"
	envClientID     = "CLOUDLX_CLIENT_ID"
	envClientSecret = "CLOUDLX_CLIENT_SECRET"
	envAccessToken  = "CLOUDLX_ACCESS_TOKEN"
	// envCACertificatesFile names a PEM file, where the attribute holds the PEM itself.
	envCACertificatesFile = "CLOUDLX_CA_CERTIFICATES_FILE"
	// Comma-separated codes, where the attributes hold lists.
	envAdditionalCurrencyCodes = "CLOUDLX_ADDITIONAL_CURRENCY_CODES"
	envAdditionalCountryCodes  = "CLOUDLX_ADDITIONAL_COUNTRY_CODES"
)

const defaultRequestTimeout = "60s"

// New returns the provider factory for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &cloudlxProvider{version: version} }
}

type cloudlxProvider struct {
	version string
}

type providerModel struct {
	Endpoint       types.String `tfsdk:"endpoint"`
	ClientID       types.String `tfsdk:"client_id"`
	ClientSecret   types.String `tfsdk:"client_secret"`
	AccessToken    types.String `tfsdk:"access_token"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	BulkRefresh    types.Int64  `tfsdk:"bulk_refresh_threshold"`
	CACertificates types.String `tfsdk:"ca_certificates"`

	AdditionalCurrencyCodes types.List `tfsdk:"additional_currency_codes"`
	AdditionalCountryCodes  types.List `tfsdk:"additional_country_codes"`
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client   *cloudlx.Client
	refresh  *bulkRefresh      // answers customer reads, from one list load once there are many
	names    *nameGuard        // the duplicate-name check of plans that create a customer
	redactor *cloudlx.Redactor // masks this process's secrets in every diagnostic and log line
	log      *apiLogger
	// subRealmsTogether: this API refused one sub-realm set in a PATCH
	// without the other, and took both (see patchCustomer).
	subRealmsTogether atomic.Bool

	catalogues map[string]*cachedCatalogue // by API path: each read at most once per process
	// extraCodes are the codes the provider's additional_currency_codes and
	// additional_country_codes allow beyond the dated tables, by the table
	// they extend (iso.Currencies, iso.Countries).
	extraCodes map[*iso.Table]map[string]bool
}

// newProviderData is what Configure hands to resources and data sources; the
// redactor is the client's, which learns every token the client is issued.
func newProviderData(client *cloudlx.Client, logger *apiLogger, bulkRefreshThreshold int) *providerData {
	refresh := newBulkRefresh(client, bulkRefreshThreshold, logger)
	return &providerData{client: client, refresh: refresh, names: newNameGuard(client, refresh),
		redactor: client.Redactor(), log: logger, catalogues: newCatalogueCache()}
}

// redactorOrNil is the data's redactor, or nil before Configure ran.
func (d *providerData) redactorOrNil() *cloudlx.Redactor {
	if d == nil {
		return nil
	}
	return d.redactor
}

func (p *cloudlxProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cloudlx"
	resp.Version = p.version
}

func (p *cloudlxProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages customers of the CloudLX reseller platform. Authenticate with OAuth2 client " +
			"credentials (`client_id` and `client_secret`, created in the portal under *API Applications & Webhooks*) " +
			"or with an `access_token` issued elsewhere. Every setting can come from an environment variable instead.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the CloudLX portal, without `/api` (the provider adds `/api/...` itself; an endpoint ending in " +
					"`/api` is refused). Defaults to `" + cloudlx.DefaultEndpoint + "`, or the `" + envEndpoint +
					"` environment variable. Must use `https://`; plain `http://` is accepted only for a loopback host (an emulator or a local tunnel), " +
					"so credentials never cross a network in clear text.",
				Optional:   true,
				Validators: []validator.String{endpointValidator},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "OAuth2 client ID of an API client created in the portal. May also be set with `" + envClientID + "`.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "OAuth2 client secret belonging to `client_id`. May also be set with `" + envClientSecret + "`.",
				Optional:            true,
				Sensitive:           true,
			},
			"access_token": schema.StringAttribute{
				MarkdownDescription: "An access token issued elsewhere (for example read from a vault), used instead of client credentials. " +
					"It cannot be renewed, so runs longer than its lifetime fail; prefer client credentials. May also be set with `" + envAccessToken + "`.",
				Optional:  true,
				Sensitive: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a failed request is retried (default %d). Reads, updates, deletes and token "+
					"requests are retried on HTTP 5xx (except 501) and connection errors. A create is retried only on 503 or when "+
					"the connection could not be opened, because the API cannot tell a repeated create from a new customer. "+
					"Throttled requests (HTTP 429) are retried as the API asks without counting against this limit, until the "+
					"operation's `timeouts` run out. Waits grow exponentially from 0.5s to 30s with jitter and are never shorter than "+
					"the API's `Retry-After`. `0` disables all retries.", cloudlx.DefaultMaxRetries),
				CustomType: wholeInt64Type{},
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one HTTP attempt may take, as a Go duration such as `30s` or `2m` (default `" + defaultRequestTimeout + "`). " +
					"The resource's `timeouts` bound a whole operation including its retries.",
				Optional:   true,
				Validators: []validator.String{durationValidator},
			},
			"ca_certificates": schema.StringAttribute{
				MarkdownDescription: "PEM text of one or more CA certificates to trust in addition to the system's, for an " +
					"endpoint whose certificate a private CA signs or a network whose TLS-inspecting proxy re-signs traffic, " +
					"usually `file(\"corporate-ca.pem\")`. When unset, the file that `" + envCACertificatesFile + "` names is read " +
					"instead. Certificates are always verified: there is no setting to skip verification.",
				Optional: true,
			},
			"bulk_refresh_threshold": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many customers one plan or apply reads one by one before it loads the "+
					"customer list once (`GET /api/customers`, all pages) and refreshes the remaining customers from it (default %[1]d). "+
					"A plan of 500 customers then costs %[1]d GETs and one request per page of the list instead of 500 GETs. "+
					"The list only answers reads of the same run, for %[2]s at most. A customer missing from it is read on its own "+
					"(only that read can find it deleted), and a list that fails or is throttled falls back to one read per customer. "+
					"`0` reads every customer on its own, which costs fewer requests only when the account holds many more customers "+
					"than the configuration manages.",
					defaultBulkRefreshThreshold, listMaxAge),
				CustomType: wholeInt64Type{},
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			"additional_currency_codes": additionalCodesAttribute(&iso.Currencies, currencyCodeValidator, "currency_iso", envAdditionalCurrencyCodes, "XYZ"),
			"additional_country_codes":  additionalCodesAttribute(&iso.Countries, countryCodeValidator, "country_iso", envAdditionalCountryCodes, "XK"),
		},
	}
}

// additionalCodesAttribute is additional_currency_codes or
// additional_country_codes: the escape hatch for a code assigned after the
// provider's dated table.
func additionalCodesAttribute(table *iso.Table, form validator.String, usedBy, envVar, example string) schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: fmt.Sprintf("%[1]s %[2]s codes to accept in `cloudlx_customer`'s `%[3]s` besides those in the "+
			"provider's table (checked against the standard on %[4]s), such as `[\"%[5]s\"]`. A plan refuses a well-formed code "+
			"the table does not list, because CloudLX would refuse it at apply; use this for a code assigned since that CloudLX "+
			"already accepts, until a provider release lists it. Withdrawn codes stay refused. When unset, the comma-separated "+
			"`%[6]s` environment variable is read instead.", table.Standard, table.Kind, usedBy, iso.AsOf, example, envVar),
		ElementType: types.StringType,
		Optional:    true,
		Validators:  []validator.List{listvalidator.ValueStringsAre(form)},
	}
}

func (p *cloudlxProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	redactor := &cloudlx.Redactor{}
	defer redactDiagnostics(redactor, &resp.Diagnostics)
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	unknown := map[string]struct {
		value  interface{ IsUnknown() bool }
		envVar string
	}{
		"endpoint":        {cfg.Endpoint, envEndpoint},
		"client_id":       {cfg.ClientID, envClientID},
		"client_secret":   {cfg.ClientSecret, envClientSecret},
		"access_token":    {cfg.AccessToken, envAccessToken},
		"max_retries":     {cfg.MaxRetries, ""},
		"request_timeout": {cfg.RequestTimeout, ""},

		"bulk_refresh_threshold": {cfg.BulkRefresh, ""},
		"ca_certificates":        {cfg.CACertificates, envCACertificatesFile},

		"additional_currency_codes": {cfg.AdditionalCurrencyCodes, envAdditionalCurrencyCodes},
		"additional_country_codes":  {cfg.AdditionalCountryCodes, envAdditionalCountryCodes},
	}
	for name, u := range unknown {
		if !u.value.IsUnknown() {
			continue
		}
		resp.Diagnostics.Append(unknownProviderSetting(name, u.envVar))
	}
	if resp.Diagnostics.HasError() {
		return
	}

	endpoint := firstNonEmpty(cfg.Endpoint.ValueString(), os.Getenv(envEndpoint), cloudlx.DefaultEndpoint)
	clientID := firstNonEmpty(cfg.ClientID.ValueString(), os.Getenv(envClientID))
	clientSecret := firstNonEmpty(cfg.ClientSecret.ValueString(), os.Getenv(envClientSecret))
	accessToken := firstNonEmpty(cfg.AccessToken.ValueString(), os.Getenv(envAccessToken))
	redactor.Add(clientSecret)
	redactor.Add(accessToken)
	redactor.Add(endpointPassword(endpoint)) // refused below, and masked wherever it is shown
	for _, c := range []credentialSource{
		{attribute: "client_id", envVar: envClientID, fromEnv: cfg.ClientID.ValueString() == "", value: clientID},
		{attribute: "client_secret", envVar: envClientSecret, fromEnv: cfg.ClientSecret.ValueString() == "", secret: true, value: clientSecret},
		{attribute: "access_token", envVar: envAccessToken, fromEnv: cfg.AccessToken.ValueString() == "", secret: true, value: accessToken},
	} {
		if d := credentialWhitespace(c); d != nil {
			resp.Diagnostics.Append(d)
		}
	}

	if _, err := cloudlx.ParseEndpoint(endpoint); err != nil {
		summary, detail := "Invalid CloudLX endpoint", fmt.Sprintf("The endpoint (from the configuration or %s) is not usable: %s.", envEndpoint, err)
		if cloudlx.MaskURL(endpoint) != endpoint {
			// Not attached to the attribute: Terraform would print its
			// configuration line, password and all, under the error.
			resp.Diagnostics.AddError(summary, detail)
		} else {
			resp.Diagnostics.AddAttributeError(path.Root("endpoint"), summary, detail)
		}
	}
	hasCreds := clientID != "" || clientSecret != ""
	switch {
	case accessToken != "" && hasCreds:
		resp.Diagnostics.Append(conflictingCredentials())
	case accessToken == "" && !hasCreds:
		resp.Diagnostics.Append(missingCredentials())
	case accessToken == "" && clientID == "":
		resp.Diagnostics.AddAttributeError(path.Root("client_id"), "Missing CloudLX client_id",
			"client_secret is set but client_id is not. Set client_id or the "+envClientID+" environment variable.")
	case accessToken == "" && clientSecret == "":
		resp.Diagnostics.AddAttributeError(path.Root("client_secret"), "Missing CloudLX client_secret",
			"client_id is set but client_secret is not. Set client_secret or the "+envClientSecret+" environment variable.")
	}
	caCertificates := caCertificatesFrom(cfg.CACertificates, &resp.Diagnostics)
	extraCodes := map[*iso.Table]map[string]bool{
		&iso.Currencies: additionalCodes(ctx, cfg.AdditionalCurrencyCodes, &iso.Currencies, envAdditionalCurrencyCodes, &resp.Diagnostics),
		&iso.Countries:  additionalCodes(ctx, cfg.AdditionalCountryCodes, &iso.Countries, envAdditionalCountryCodes, &resp.Diagnostics),
	}
	if resp.Diagnostics.HasError() {
		return
	}

	timeout, _ := time.ParseDuration(firstNonEmpty(cfg.RequestTimeout.ValueString(), defaultRequestTimeout))
	retries := int64(cloudlx.DefaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		retries = cfg.MaxRetries.ValueInt64()
	}
	threshold := int64(defaultBulkRefreshThreshold)
	if !cfg.BulkRefresh.IsNull() {
		threshold = cfg.BulkRefresh.ValueInt64()
	}

	logger := newAPILogger(redactor)
	client, err := cloudlx.New(cloudlx.Config{
		Endpoint:       endpoint,
		ClientID:       clientID,
		ClientSecret:   clientSecret,
		AccessToken:    accessToken,
		UserAgent:      userAgent(p.version, req.TerraformVersion),
		MaxRetries:     int(retries),
		RequestTimeout: timeout,
		CACertificates: caCertificates,
		Logger:         logger,
		Redactor:       redactor,
	})
	if err != nil {
		resp.Diagnostics.AddError("Could not configure the CloudLX client", err.Error())
		return
	}
	logger.Debug(ctx, "configured the CloudLX client", map[string]any{
		"endpoint": endpoint, "client_id": clientID, "auth": authKind(accessToken), "max_retries": retries, "request_timeout": timeout.String(),
		"bulk_refresh_threshold": threshold,
	})

	data := newProviderData(client, logger, int(threshold))
	data.extraCodes = extraCodes
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// additionalCodes is the set of codes additional_currency_codes or
// additional_country_codes lists (its validator checked their form), or, when
// it is unset, the comma-separated codes of envVar, checked here.
func additionalCodes(ctx context.Context, configured types.List, table *iso.Table, envVar string, diags *diag.Diagnostics) map[string]bool {
	var codes []string
	if !configured.IsNull() {
		var elems []types.String
		diags.Append(configured.ElementsAs(ctx, &elems, false)...)
		for _, e := range elems {
			if e.IsUnknown() {
				diags.Append(unknownProviderSetting(setting(table), envVar))
				return nil
			}
			codes = append(codes, e.ValueString())
		}
	} else {
		for _, c := range strings.Split(os.Getenv(envVar), ",") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
		for _, c := range codes {
			if !table.WellFormed(c) || strings.ToUpper(c) != c {
				diags.AddError("Invalid "+envVar, fmt.Sprintf("%s holds %q, which is not an uppercase %s %s code of %d letters. "+
					"Set it to codes separated by commas, such as %s=%s.", envVar, c, table.Standard, table.Kind, table.Length,
					envVar, strings.Repeat("X", table.Length)))
			}
		}
	}
	set := map[string]bool{}
	for _, c := range codes {
		set[c] = true
	}
	return set
}

// setting names the provider attribute of a table's additional codes.
func setting(table *iso.Table) string {
	if table == &iso.Countries {
		return "additional_country_codes"
	}
	return "additional_currency_codes"
}

func authKind(accessToken string) string {
	if accessToken != "" {
		return "access_token"
	}
	return "client_credentials"
}

func userAgent(providerVersion, terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return fmt.Sprintf("terraform-provider-cloudlx/%s (+https://registry.terraform.io/providers/cloudlx-community/cloudlx) Terraform/%s",
		providerVersion, terraformVersion)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func (p *cloudlxProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newCustomerResource,
	}
}

// ListResources serve `terraform query` (Terraform 1.14+); older CLIs never ask for them.
func (p *cloudlxProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newCustomerListResource,
	}
}

func (p *cloudlxProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newCustomerDataSource,
		newCustomersDataSource,
		newRealmsDataSource,
		newSubRealmsDataSource,
	}
}

// providerDataFrom unpacks what Configure handed to a resource or data source.
func providerDataFrom(raw any, diags interface{ AddError(string, string) }) *providerData {
	if raw == nil {
		return nil // the provider is not configured yet (validation, or an early plan)
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider.", raw))
		return nil
	}
	return data
}
