package soak

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The values the generator draws from: all valid for the emulator and the
// provider's validators, so that every configuration it writes is one a user
// could apply.
var (
	currencies = []string{"USD", "EUR", "GBP", "CHF", "SEK", "JPY"}
	countries  = []string{"US", "GB", "DE", "FR", "CH", "SE", "JP"}
	realmIDs   = []int64{1, 2, 3, 4, 5, 7}
	subRealms  = []int64{301, 313, 328, 340, 355, 362}
)

// Fleet size bounds (the issue: 3-12 customers).
const (
	minFleet = 3
	maxFleet = 12
)

// admin is a customer's admin_user as configured.
type admin struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

// spec is one customer as the configuration declares it. Lists keep the order
// the configuration writes them in (a reorder step changes only that).
type spec struct {
	Name     string  `json:"name"`
	Currency string  `json:"currency"`
	Country  string  `json:"country"`
	Realms   []int64 `json:"realms"`
	Shown    []int64 `json:"shown"`
	Enabled  []int64 `json:"enabled"`
	Admin    *admin  `json:"admin"`
	// DeletionPolicy is deletion_policy ("" is the default, "DELETE"), and
	// AllowDuplicate the duplicate-name guard's escape hatch: written only
	// when the provider under test has them (capabilities).
	DeletionPolicy string `json:"deletion_policy,omitempty"`
	AllowDuplicate bool   `json:"allow_duplicate_name,omitempty"`
}

// The resource arguments of issue 22's lifecycle (the duplicate guard's
// setting is named in this one place: its name was not settled when the soak
// learnt it).
const (
	deletionPolicyAttr = "deletion_policy"
	allowDuplicateAttr = "allow_duplicate_name"
)

// policy is the deletion_policy a spec asks for, its default spelt out.
func (s spec) policy() string {
	if s.DeletionPolicy == "" {
		return "DELETE"
	}
	return s.DeletionPolicy
}

func (s spec) clone() spec {
	s.Realms = slices.Clone(s.Realms)
	s.Shown = slices.Clone(s.Shown)
	s.Enabled = slices.Clone(s.Enabled)
	if s.Admin != nil {
		a := *s.Admin
		s.Admin = &a
	}
	return s
}

// config is the Terraform configuration the harness writes: the fleet (one
// for_each resource keyed by customer key), the moved blocks written so far,
// and an import block while an import step runs.
type config struct {
	// Caps says which optional arguments the provider under test has: the
	// configuration passes them only then.
	Caps    capabilities
	Fleet   map[string]spec
	Moves   [][2]string // from key, to key, in the order they were written
	Imports []importBlock
	NextKey int // keys are never reused, so a moved block's "from" never comes back
}

type importBlock struct {
	Key      string
	ID       int64
	Identity bool // import { identity = { id = N } } instead of id = "N"
}

// newKey returns a key no customer has had before.
func (c *config) newKey() string {
	c.NextKey++
	return fmt.Sprintf("c%02d", c.NextKey)
}

// keys returns the fleet's keys, sorted.
func (c *config) keys() []string { return slices.Sorted(maps.Keys(c.Fleet)) }

// moveTarget follows the moved blocks from key to the address it ends at.
func (c *config) moveTarget(key string) string {
	for range len(c.Moves) + 1 {
		next := ""
		for _, m := range c.Moves {
			if m[0] == key {
				next = m[1]
			}
		}
		if next == "" {
			return key
		}
		key = next
	}
	return key
}

// address is the resource address of a fleet key.
func address(key string) string { return fmt.Sprintf("cloudlx_customer.fleet[%q]", key) }

// mainTF is the configuration's fixed part. The fleet comes from
// terraform.tfvars.json, so that a config step changes data, not HCL; lists
// are list(number) there, so that the order written reaches the provider.
const mainTF = `terraform {
  required_providers {
    cloudlx = {
      source = "cloudlx-community/cloudlx"
    }
  }
}

# Endpoint and credentials come from CLOUDLX_* environment variables.
provider "cloudlx" {}

variable "customers" {
  type = map(object({
    name     = string
    currency = string
    country  = string
    realms   = list(number)
    shown    = list(number)
    enabled  = list(number)
    admin = optional(object({
      email      = string
      first_name = string
      last_name  = string
    }))
    deletion_policy      = optional(string)
    allow_duplicate_name = optional(bool)
  }))
}

resource "cloudlx_customer" "fleet" {
  for_each           = var.customers
  name               = each.value.name
  currency_iso       = each.value.currency
  country_iso        = each.value.country
  realms             = each.value.realms
  shown_sub_realms   = each.value.shown
  enabled_sub_realms = each.value.enabled
  admin_user         = each.value.admin
%s}
`

// files returns the configuration's files by name.
func (c *config) files() map[string]string {
	vars, _ := json.MarshalIndent(map[string]any{"customers": c.Fleet}, "", "  ")
	var extra strings.Builder
	for _, m := range c.Moves {
		fmt.Fprintf(&extra, "\nmoved {\n  from = %s\n  to   = %s\n}\n", address(m[0]), address(m[1]))
	}
	for _, im := range c.Imports {
		if im.Identity {
			fmt.Fprintf(&extra, "\nimport {\n  to       = %s\n  identity = { id = %d }\n}\n", address(im.Key), im.ID)
		} else {
			fmt.Fprintf(&extra, "\nimport {\n  to = %s\n  id = \"%d\"\n}\n", address(im.Key), im.ID)
		}
	}
	var lifecycle strings.Builder
	if c.Caps.deletionPolicy {
		fmt.Fprintf(&lifecycle, "  %s = each.value.deletion_policy\n", deletionPolicyAttr)
	}
	if c.Caps.allowDuplicate {
		fmt.Fprintf(&lifecycle, "  %s = each.value.allow_duplicate_name\n", allowDuplicateAttr)
	}
	return map[string]string{
		"main.tf":               fmt.Sprintf(mainTF, lifecycle.String()),
		"blocks.tf":             extra.String(),
		"terraform.tfvars.json": string(vars) + "\n",
	}
}
