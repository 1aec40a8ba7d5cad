package portal

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// StatusRule maps a portal's status text to a status.
type StatusRule struct {
	Match  *regexp.Regexp
	Status agent.PortalStatus
}

// DefaultStatuses read the wording of the common portals in English, German
// and Spanish. Order matters: a refusal or a block wins over words that
// also appear in it ("Payment rejected"), and "not paid" must not read as
// paid. Go's \b is ASCII-only, so no pattern starts with an umlaut or accent.
// They are compiled on first use: every dunner process (one per remittance
// document, say) would otherwise pay for them at start.
var DefaultStatuses = sync.OnceValue(func() []StatusRule {
	return []StatusRule{
		{regexp.MustCompile(`(?i)\b(rejected|declined|returned to supplier|abgelehnt|zurückgewiesen|rechazad[ao]|devuelt[ao])\b`), agent.PortalRejected},
		{regexp.MustCompile(`(?i)\b(disputed?|in dispute|on hold|blocked|beanstandet|reklamiert|strittig|gesperrt|en disputa|disputad[ao]|bloquead[ao]|retenid[ao])\b`), agent.PortalDisputed},
		{regexp.MustCompile(`(?i)\b(not paid|unpaid|nicht bezahlt|unbezahlt|no pagad[ao]|impagad[ao])\b`), agent.PortalUnknown},
		{regexp.MustCompile(`(?i)\b(paid|payment sent|bezahlt|gezahlt|überwiesen|pagad[ao]|abonad[ao])\b`), agent.PortalPaid},
		{regexp.MustCompile(`(?i)\b(scheduled|payment run|zahlung geplant|zahlungslauf|zur zahlung vorgesehen|programad[ao])\b`), agent.PortalScheduled},
		{regexp.MustCompile(`(?i)\b(approved|genehmigt|freigegeben|aprobad[ao])\b`), agent.PortalApproved},
		{regexp.MustCompile(`(?i)\b(in review|under review|pending approval|awaiting approval|in prüfung|in bearbeitung|en revisi[oó]n|pendiente de aprobaci[oó]n)`), agent.PortalInReview},
		{regexp.MustCompile(`(?i)\b(received|submitted|registered|eingegangen|erhalten|erfasst|recibid[ao]|registrad[ao])\b`), agent.PortalReceived},
	}
})

// Classify maps a status text with rules, then DefaultStatuses.
func Classify(text string, rules []StatusRule) agent.PortalStatus {
	text = strings.TrimSpace(text)
	if text == "" {
		return agent.PortalUnknown
	}
	for _, set := range [][]StatusRule{rules, DefaultStatuses()} {
		for _, r := range set {
			if r.Match.MatchString(text) {
				return r.Status
			}
		}
	}
	return agent.PortalUnknown
}

var monthNames = map[string]time.Month{}

func init() {
	for i, names := range [][]string{
		{"jan", "january", "januar", "jänner", "ene", "enero"},
		{"feb", "february", "februar", "febrero"},
		{"mar", "march", "mär", "märz", "maerz", "marzo"},
		{"apr", "april", "abr", "abril"},
		{"may", "mai", "mayo"},
		{"jun", "june", "juni", "junio"},
		{"jul", "july", "juli", "julio"},
		{"aug", "august", "ago", "agosto"},
		{"sep", "sept", "september", "septiembre", "set", "setiembre"},
		{"oct", "october", "okt", "oktober", "octubre"},
		{"nov", "november", "noviembre"},
		{"dec", "december", "dez", "dezember", "dic", "diciembre"},
	} {
		for _, n := range names {
			monthNames[n] = time.Month(i + 1)
		}
	}
}

// dateRes are compiled on first use, like DefaultStatuses.
var dateRes = sync.OnceValue(func() [3]*regexp.Regexp {
	return [3]*regexp.Regexp{
		regexp.MustCompile(`\b(\d{1,4})[./-](\d{1,2})[./-](\d{2,4})\b`),
		regexp.MustCompile(`(?i)\b(\d{1,2})\.?\s+(?:de\s+)?([a-zäé]{3,10})\.?,?\s+(?:de\s+)?(\d{4})\b`),
		regexp.MustCompile(`(?i)\b([a-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b`),
	}
})

// ParseDate reads the first date in a portal's cell. format is the
// portal's numeric order, DMY (the default: Europe), MDY or YMD; ISO dates
// and dates with month names are read whatever it says.
func ParseDate(s, format string) (agent.Date, error) {
	s = strings.TrimSpace(s)
	res := dateRes()
	numericDate, wordDate, wordDateUS := res[0], res[1], res[2]
	if m := numericDate.FindStringSubmatch(s); m != nil {
		a, b, c := atoi(m[1]), atoi(m[2]), atoi(m[3])
		var y, mo, d int
		switch {
		case len(m[1]) == 4:
			y, mo, d = a, b, c
		case strings.EqualFold(format, "MDY"):
			mo, d, y = a, b, c
		case strings.EqualFold(format, "YMD"):
			y, mo, d = a, b, c
		default:
			d, mo, y = a, b, c
		}
		return makeDate(y, mo, d, s)
	}
	if m := wordDate.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[strings.ToLower(m[2])]; ok {
			return makeDate(atoi(m[3]), int(mo), atoi(m[1]), s)
		}
	}
	if m := wordDateUS.FindStringSubmatch(s); m != nil {
		if mo, ok := monthNames[strings.ToLower(m[1])]; ok {
			return makeDate(atoi(m[3]), int(mo), atoi(m[2]), s)
		}
	}
	return 0, fmt.Errorf("no date in %q", s)
}

func makeDate(y, m, d int, s string) (agent.Date, error) {
	if y < 100 {
		y += 2000
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, fmt.Errorf("no valid date in %q", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, fmt.Errorf("no valid date in %q", s)
	}
	return agent.DateOf(t), nil
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}
