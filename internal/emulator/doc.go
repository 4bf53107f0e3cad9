// Package emulator is an in-memory stand-in for the CloudLX REST API.
//
// A *Server is an http.Handler that answers the endpoints the provider uses with the
// shapes of CloudLX's public API documentation, Dingo-style error bodies included. Where
// that documentation is silent the answer is inferred, marked so below; the questions it
// leaves open, and the probe that answers them on an account, are in
// docs/guides/verify-your-account.md:
//
//	POST   /api/oauth2/access-token   client-credentials token (JSON, form or multipart body)
//	POST   /api/oauth2/refresh-token  refresh-token grant (rotates the refresh token)
//	GET    /api/customers             {"customers": [...], "num_results": n, "paginates": bool}
//	POST   /api/customers             create; 200 with the customer
//	GET    /api/customers/{id}        the bare customer
//	PATCH  /api/customers/{id}        partial update; 200 with the customer
//	DELETE /api/customers/{id}        204 (405 with Options.DisableDelete)
//	GET    /api/realms                {"realms": [...]} (inferred path)
//	GET    /api/sub-realms            {"sub_realms": [...]} (inferred path)
//
// Acceptance tests mount it on an httptest.Server; the cloudlx-emulator program serves it
// for demos and benchmarks. Options add what a real service does now and then (latency,
// throttling, 5xx, dropped connections, short-lived tokens, pagination, a missing DELETE,
// responses that differ in harmless ways) so the provider's handling of each can be tested.
// Other options play the wrong answers a provider must not believe: a proxy's HTML 404 for
// chosen routes (GatewayNotFoundRoutes), error bodies that echo the request's headers and
// body (EchoRequests), a list that ignores ?page (ListIgnoresPage), realms added to every
// customer (ImplicitRealms), redirects to another place (Redirect), customers that lack
// fields (PartialAnswers). A path the API does not serve (an endpoint ending in /api
// sends requests to /api/api/...) gets routing's JSON 404 under the route "METHOD (unknown)".
// Silent is an endpoint that accepts connections and never answers.
// Further Options play the other answers to the questions the docs leave open (a page size
// that ignores max_per_page, a PATCH that merges arrays or needs every field, realms added
// implicitly, currency or country locked, a form-only token endpoint, other catalogue
// paths), so cloudlx-probe and the provider can be tested against each.
// Every request is logged (Requests, Count, Counts) so tests can assert the exact traffic
// the provider causes, and InjectFault answers chosen requests with a chosen failure.
//
// The catalogue of realms and sub-realms is fixed: see Realms and SubRealms.
//
// All methods are safe for concurrent use.
package emulator
