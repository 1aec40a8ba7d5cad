package ledger

import (
	"fmt"
	"io"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// Customer master columns (§2b).
const (
	kID = iota
	kName
	kLanguage
	kTimezone
	kPolicy
	kReview
	kDoNotDun
	kCollector
	kContacts
	numKCols
)

var customerCols = [numKCols]string{
	"customer_id", "name", "language", "timezone", "policy", "review", "do_not_dun", "collector", "contacts",
}

// ReadCustomers parses the customer master CSV of §2b, read like a ledger
// CSV (encodings, separators, quoting). Empty cells leave fields unset so the
// config and the defaults can fill them. Columns Dunner does not know
// (addresses, phone numbers, …) are ignored: master-data exports carry many.
func ReadCustomers(r io.Reader, name string) ([]agent.CustomerRecord, error) {
	raw, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading customers %s: %w", name, err)
	}
	errs := &agent.InputError{}
	recs := readCustomers(decodeText(raw), name, errs)
	if err := finish(errs); err != nil {
		return nil, err
	}
	return recs, nil
}

func readCustomers(text []byte, name string, errs *agent.InputError) []agent.CustomerRecord {
	t := openTable(text, name, errs)
	if t == nil {
		return nil
	}
	var idx [numKCols]int
	for i := range idx {
		idx[i] = -1
	}
	for i, h := range t.header {
		k := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(h))
		for c, n := range customerCols {
			if k != n {
				continue
			}
			if idx[c] >= 0 {
				errs.Add(name, t.line, h, "column appears twice (columns %d and %d)", idx[c]+1, i+1)
			} else {
				idx[c] = i
			}
		}
	}
	if idx[kID] < 0 {
		errs.Add(name, t.line, "customer_id", "required column missing (header has: %s)", strings.Join(t.header, string(t.sep)))
		return nil
	}
	var out []agent.CustomerRecord
	first := map[string]int{}
	for {
		rec, line, ok := t.next()
		if !ok {
			break
		}
		n := len(errs.Problems)
		get := func(c int) (string, int, string) {
			if idx[c] < 0 {
				return "", line, customerCols[c]
			}
			return strings.TrimSpace(rec[idx[c]]), t.fieldLine(idx[c]), t.header[idx[c]]
		}
		bad := func(c int, format string, args ...any) {
			_, at, label := get(c)
			errs.Add(name, at, label, format, args...)
		}
		cr := agent.CustomerRecord{Line: line}
		cr.ID, _, _ = get(kID)
		if cr.ID == "" {
			bad(kID, "missing: every customer needs one")
		} else if l, dup := first[cr.ID]; dup {
			bad(kID, "customer %s is on lines %d and %d", cr.ID, l, line)
		} else {
			first[cr.ID] = line
		}
		cr.Name, _, _ = get(kName)
		cr.Policy, _, _ = get(kPolicy)
		cr.Collector, _, _ = get(kCollector)
		if v, _, _ := get(kLanguage); v != "" {
			cr.Language = strings.ToLower(v)
			if !agent.ValidLanguage(cr.Language) {
				bad(kLanguage, "unsupported language %q (want one of %s)", v, strings.Join(agent.Languages, ", "))
			}
		}
		if v, _, _ := get(kTimezone); v != "" {
			if _, err := agent.LoadZone(v); err != nil {
				bad(kTimezone, "%v (want an IANA name like Europe/Berlin)", err)
			}
			cr.Timezone = v
		}
		if v, _, _ := get(kReview); v != "" {
			cr.Review = strings.ToLower(v)
			switch cr.Review {
			case agent.ReviewAlways, agent.ReviewNever, agent.ReviewDefault:
			default:
				bad(kReview, "unknown review mode %q (want always, never or default)", v)
			}
		}
		if v, _, _ := get(kDoNotDun); v != "" {
			b, ok := parseBool(v)
			if !ok {
				bad(kDoNotDun, "not a yes/no value: %q (want yes, no, true, false, 1, 0 or x)", v)
			}
			cr.DoNotDun = &b
		}
		if v, _, _ := get(kContacts); v != "" {
			cs, problems := parseContacts(v)
			for _, p := range problems {
				bad(kContacts, "%s", p)
			}
			cr.Contacts = cs
		}
		if len(errs.Problems) == n {
			out = append(out, cr)
		}
	}
	return out
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "yes", "y", "true", "1", "x":
		return true, true
	case "no", "n", "false", "0":
		return false, true
	}
	return false, false
}

// parseContacts reads "role:email;role:email". A bare address is a billing
// contact, the role every notice goes to.
func parseContacts(v string) ([]agent.Contact, []string) {
	var cs []agent.Contact
	var problems []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' || r == '\n' || r == '\r' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		role, email := "billing", part
		if i := strings.IndexByte(part, ':'); i >= 0 {
			role, email = strings.ToLower(strings.TrimSpace(part[:i])), strings.TrimSpace(part[i+1:])
			if !validRole(role) {
				problems = append(problems, fmt.Sprintf("contact %q: the role before ':' must be a word like billing or escalation", part))
				continue
			}
		}
		if !looksLikeEmail(email) {
			problems = append(problems, fmt.Sprintf("contact %q: %q is not an email address", part, email))
			continue
		}
		cs = append(cs, agent.Contact{Role: role, Email: email})
	}
	return cs, problems
}

func validRole(r string) bool {
	if r == "" {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// looksLikeEmail accepts local@domain.tld with no blanks or brackets; the
// mail server is the judge of the rest.
func looksLikeEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 1 || at != strings.LastIndexByte(s, '@') || strings.ContainsAny(s, " \t<>()[]\\,;:\"") {
		return false
	}
	domain := s[at+1:]
	if len(domain) < 3 || !strings.Contains(domain, ".") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
	}
	return true
}
