package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// subRealmsCatalogue is the sub-realm catalogue, which cloudlx_sub_realms
// lists and the plan checks shown_sub_realms and enabled_sub_realms against.
var subRealmsCatalogue = catalogueKind{
	singular: "sub-realm", plural: "sub_realms", path: "/api/sub-realms",
	usedBy: "`shown_sub_realms` and `enabled_sub_realms`", example: "SD WAN",
	list: func(ctx context.Context, c *cloudlx.Client) ([]catalogueEntry, error) {
		subRealms, err := c.ListSubRealms(ctx)
		entries := make([]catalogueEntry, len(subRealms))
		for i, s := range subRealms {
			entries[i] = catalogueEntry{id: s.ID, name: s.Name, description: s.Description}
		}
		return entries, err
	},
}

// newSubRealmsDataSource is cloudlx_sub_realms; see catalogueDataSource.
func newSubRealmsDataSource() datasource.DataSource {
	return &catalogueDataSource{kind: subRealmsCatalogue}
}
