package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// echoWriter holds an answer back until the handler is done, and when it is an
// error (4xx or 5xx) adds the request to it (Options.EchoRequests). Successful
// answers pass through unchanged.
type echoWriter struct {
	http.ResponseWriter
	request string // describeRequest's text
	status  int
	body    bytes.Buffer
}

func (e *echoWriter) WriteHeader(code int) {
	if e.status == 0 {
		e.status = code
	}
}

func (e *echoWriter) Write(b []byte) (int, error) {
	if e.status == 0 {
		e.status = http.StatusOK
	}
	return e.body.Write(b)
}

// Unwrap lets http.ResponseController reach the connection to hijack it (a dropped
// connection answers nothing, so there is nothing to echo into).
func (e *echoWriter) Unwrap() http.ResponseWriter { return e.ResponseWriter }

// finish sends the answer, with the request echoed into an error's body.
func (e *echoWriter) finish() {
	if e.status == 0 {
		return // nothing written: the connection was dropped, or the client left
	}
	body := e.body.Bytes()
	if e.status >= 400 {
		body = echoInto(e.Header().Get("Content-Type"), body, e.request)
		e.Header().Del("Content-Length")
	}
	e.ResponseWriter.WriteHeader(e.status)
	_, _ = e.ResponseWriter.Write(body)
}

// echoInto adds request to an error body: to a JSON error's message (where clients
// show it), or in a <pre> before an HTML page's </body>.
func echoInto(contentType string, body []byte, request string) []byte {
	if strings.HasPrefix(contentType, "application/json") {
		var doc map[string]any
		if json.Unmarshal(body, &doc) == nil {
			msg, _ := doc["message"].(string)
			doc["message"] = strings.TrimSpace(msg + " " + request)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if enc.Encode(doc) == nil {
				return buf.Bytes()
			}
		}
	}
	pre := "<pre>" + html.EscapeString(request) + "</pre>\n"
	if i := bytes.LastIndex(body, []byte("</body>")); i >= 0 {
		return slices.Concat(body[:i], []byte(pre), body[i:])
	}
	return slices.Concat(body, []byte("\n"+request))
}

// describeRequest renders a request the way a debug page does: method, path and
// query, every header, and the body.
func describeRequest(r *http.Request, body []byte) string {
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "[request: %s %s;", r.Method, r.URL.RequestURI())
	for _, name := range names {
		for _, v := range r.Header[name] {
			fmt.Fprintf(&b, " %s: %s;", name, v)
		}
	}
	fmt.Fprintf(&b, " body: %s]", strconv.Quote(string(body)))
	return b.String()
}
