package probe

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cloudlx-community/terraform-provider-cloudlx/internal/cloudlx"
)

// Report is the probe's answer: findings for people, Answers for machines.
type Report struct {
	Findings []Finding
	Answers  Answers
	// LeftBehind names the customer the write questions could not delete, if any.
	LeftBehind string

	red *cloudlx.Redactor
}

// Finding is one open question answered.
type Finding struct {
	Question string
	Answer   string
	Evidence []Evidence
	Provider string // what the provider does with this answer
}

// Evidence is one exchange a finding rests on.
type Evidence struct {
	Method, Path string
	Note         string // what was sent, when the path does not say ("JSON body")
	Status       int    // 0: no answer
	Excerpt      string // the relevant part of the answer, redacted
}

// Answers is the machine-readable report (cloudlx-probe -json). Every key is
// present; null means the probe could not tell. Write is present only with -write.
type Answers struct {
	Token      TokenAnswers     `json:"token"`
	List       ListAnswers      `json:"list"`
	NotFound   NotFoundAnswers  `json:"not_found"`
	Catalogues CatalogueAnswers `json:"catalogues"`
	Write      *WriteAnswers    `json:"write,omitempty"`
}

// TokenAnswers is what the token endpoint answered: its token_type and
// expires_in, and whether a JSON and a form-encoded request each got a token.
// All null when an access token was configured (no token was requested).
type TokenAnswers struct {
	TokenType    *string `json:"token_type"`
	ExpiresIn    *int64  `json:"expires_in"`
	JSONAccepted *bool   `json:"json_accepted"`
	FormAccepted *bool   `json:"form_accepted"`
}

// ListAnswers is how GET /api/customers pages: whether it is split into pages,
// and whether max_per_page=1 is honoured (asked only with two customers or more).
type ListAnswers struct {
	Paginates        *bool `json:"paginates"`
	PageSizeHonoured *bool `json:"page_size_honoured"`
}

// NotFoundAnswers is the answer to a GET of a customer id that does not exist:
// its status, and whether its body is JSON.
type NotFoundAnswers struct {
	Status   *int  `json:"status"`
	JSONBody *bool `json:"json_body"`
}

// CatalogueAnswers names the paths that answered the realm and sub-realm
// catalogues (null: none of the candidates did).
type CatalogueAnswers struct {
	RealmsPath    *string `json:"realms_path"`
	SubRealmsPath *string `json:"sub_realms_path"`
}

// WriteAnswers is what the write questions found on the customer created for
// them: whether PATCH is partial and replaces arrays, whether it takes one
// sub-realm set without the other, which realms the API
// adds by itself, whether currency and country can change, and whether DELETE
// works.
type WriteAnswers struct {
	PatchPartial  *bool `json:"patch_partial"`
	ArraysReplace *bool `json:"arrays_replace"`
	// SubRealmSetAlone: a PATCH may carry one sub-realm set without the other.
	SubRealmSetAlone *bool   `json:"sub_realm_set_alone"`
	ImplicitRealms   []int64 `json:"implicit_realms"` // null: unknown; []: none
	CurrencyMutable  *bool   `json:"currency_mutable"`
	CountryMutable   *bool   `json:"country_mutable"`
	DeleteSupported  *bool   `json:"delete_supported"`
}

// WriteText prints the report for people: each question, its answer, the
// evidence and what the provider does with the answer.
func (r *Report) WriteText(w io.Writer, header string) error {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i, f := range r.Findings {
		fmt.Fprintf(&b, "\n%d. %s\n", i+1, f.Question)
		fmt.Fprintf(&b, "   answer:   %s\n", f.Answer)
		for j, e := range f.Evidence {
			label := "evidence:"
			if j > 0 {
				label = "         "
			}
			line := e.Method + " " + e.Path
			if e.Note != "" {
				line += " (" + e.Note + ")"
			}
			status := "no answer"
			if e.Status != 0 {
				status = fmt.Sprint(e.Status)
			}
			fmt.Fprintf(&b, "   %s %s -> %s", label, line, status)
			if e.Excerpt != "" {
				fmt.Fprintf(&b, ": %s", oneLine(e.Excerpt))
			}
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "   provider: %s\n", f.Provider)
	}
	if r.LeftBehind != "" {
		fmt.Fprintf(&b, "\nThe customer %s was left behind: remove it in the portal.\n", r.LeftBehind)
	}
	// Everything was redacted as it was collected; once more as a whole, so
	// no value the server chose (a token_type, a message) can carry a secret out.
	_, err := io.WriteString(w, r.red.Redact(b.String()))
	return err
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// WriteJSON prints Answers, indented.
func (r *Report) WriteJSON(w io.Writer) error {
	out, err := json.MarshalIndent(r.Answers, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, r.red.Redact(string(out))+"\n")
	return err
}
