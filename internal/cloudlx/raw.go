package cloudlx

import (
	"context"
	"net/http"
)

// RawRequest is one request sent exactly as given, for tools that study the API
// itself rather than use it (cloudlx-probe): what the typed calls decide for their
// callers (the token, the encoding, retries of a 401) is the caller's here.
type RawRequest struct {
	Method      string
	Path        string // "/api/customers?max_per_page=1"
	Body        []byte
	ContentType string // sent with a body; default application/json
	// Token is sent as the bearer token; empty sends no Authorization header.
	Token string
	// Create marks a POST that creates something: it is retried only when the
	// answer proves it was not processed, as CreateCustomer's POST.
	Create bool
}

// RawResponse is the final answer to a RawRequest.
type RawResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// Raw sends req with this client's endpoint, Accept and User-Agent headers,
// transport and retries (429, 5xx and connection errors, as for the typed calls),
// and returns the final answer whatever its status. Errors are redacted.
func (c *Client) Raw(ctx context.Context, req RawRequest) (RawResponse, error) {
	policy := policyIdempotent
	if req.Create {
		policy = policyCreate
	}
	contentType := req.ContentType
	if contentType == "" {
		contentType = jsonContent
	}
	ctx = context.WithValue(ctx, rawKey, true)
	ans, err := c.send(ctx, req.Method, req.Path, req.Body, contentType, req.Token, policy)
	if err != nil {
		return RawResponse{}, c.redactor.Error(err)
	}
	return RawResponse{Status: ans.status, Header: ans.header, Body: ans.body}, nil
}
