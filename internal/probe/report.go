package probe

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

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
