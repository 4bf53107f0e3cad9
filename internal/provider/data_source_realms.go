package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// realmsCatalogue is the realm catalogue, which cloudlx_realms lists and the
// plan checks realms against.
var realmsCatalogue = catalogueKind{
	singular: "realm", plural: "realms", path: "/api/realms", usedBy: "`realms`", example: "Networking",
	list: func(ctx context.Context, c *cloudlx.Client) ([]catalogueEntry, error) {
		realms, err := c.ListRealms(ctx)
		entries := make([]catalogueEntry, len(realms))
		for i, r := range realms {
			entries[i] = catalogueEntry{id: r.ID, name: r.Name, description: r.Description}
		}
		return entries, err
	},
}

// newRealmsDataSource is cloudlx_realms; see catalogueDataSource.
func newRealmsDataSource() datasource.DataSource {
	return &catalogueDataSource{kind: realmsCatalogue}
}
