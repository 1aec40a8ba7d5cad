package mailparse

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// forwarded sets m.Forwarded when the sender passed on someone else's
// message: attached as message/rfc822, or inline under a client's banner
// ("---------- Forwarded message ---------", "Begin forwarded message:",
// "-------- Weitergeleitete Nachricht --------", "Mensaje reenviado") or,
// in a "Fwd:/WG:/RV:" message, under an Outlook header block.
func (p *parser) forwarded(m *agent.InboundMessage, b body) {
	fwd := agent.IsForwardSubject(m.Subject)
	if len(b.attached) > 0 {
		own := agent.StripQuoted(m.Text)
		if fwd || len([]rune(strings.TrimSpace(own))) < 200 {
			m.Forwarded = b.attached[0]
			return
		}
	}
	if f := inlineForward(m.Text, fwd, m.Date); f != nil {
		m.Forwarded = f
	}
}

var (
	fwdBanner = regexp.MustCompile(`(?i)^[-=_ ]*(forwarded message|weitergeleitete nachricht|mensaje reenviado|message transféré|begin forwarded message|anfang der weitergeleiteten (nachricht|e-mail)|inicio del mensaje reenviado|forwarded by .*)[-=_ :]*$`)
	// Only a forward makes these the forwarded message; in a reply they
	// introduce the quote.
	origBanner = regexp.MustCompile(`(?i)^[-=_ ]*(original message|ursprüngliche nachricht|originalnachricht|original-nachricht|mensaje original|nachricht im original)[-=_ :]*$`)
	hdrLine    = regexp.MustCompile(`(?i)^[>\s]*\*?(from|von|de|sent|gesendet|enviado|enviado el|date|datum|fecha|to|an|para|cc|subject|betreff|asunto|reply-to|antwort an)\*?\s*:\*?\s*(.*)$`)
	fromKey    = regexp.MustCompile(`(?i)^(from|von|de)$`)
	timeRe     = regexp.MustCompile(`(?i)\b(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|a\.\s?m\.|p\.\s?m\.)?`)
	zoneRe     = regexp.MustCompile(`([+-])(\d{2}):?(\d{2})\b`)
)

// inlineForward parses the forwarded message out of the text, or nil.
func inlineForward(text string, fwdSubject bool, outer time.Time) *agent.InboundMessage {
	// The banners need one of these words; most replies have none, and
	// a long quoted thread is not worth splitting into lines for nothing.
	mayFwd := containsAnyFold(text, "forward", "weitergeleitet", "reenviado", "transf")
	mayOrig := fwdSubject && containsAnyFold(text, "original", "urspr")
	if !mayFwd && !fwdSubject {
		return nil
	}
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		t := strings.TrimSpace(strings.TrimLeft(l, "> "))
		if t == "" {
			continue
		}
		if mayFwd && fwdBanner.MatchString(t) || mayOrig && origBanner.MatchString(t) {
			start = i + 1
			break
		}
		if fwdSubject && isHeaderBlock(lines, i) {
			start = i
			break
		}
	}
	if start < 0 {
		return nil
	}
	f := &agent.InboundMessage{Headers: map[string][]string{}}
	i := start
	for i < len(lines) && strings.TrimSpace(strings.TrimLeft(lines[i], "> ")) == "" {
		i++
	}
	seen := 0
	for ; i < len(lines); i++ {
		raw := strings.TrimSpace(strings.TrimLeft(lines[i], "> "))
		if raw == "" {
			break
		}
		m := hdrLine.FindStringSubmatch(raw)
		if m == nil {
			if seen == 0 {
				break
			}
			continue // a wrapped header value
		}
		seen++
		key, val := strings.ToLower(m[1]), strings.TrimSpace(m[2])
		switch {
		case fromKey.MatchString(key):
			f.From = addrRe.FindAllString(val, -1)
			f.Headers["From"] = []string{val}
		case key == "to" || key == "an" || key == "para":
			f.To = addrRe.FindAllString(val, -1)
		case key == "cc":
			f.Cc = addrRe.FindAllString(val, -1)
		case key == "subject" || key == "betreff" || key == "asunto":
			f.Subject = val
			f.Headers["Subject"] = []string{val}
		case key == "date" || key == "datum" || key == "fecha" || key == "sent" || key == "gesendet" || strings.HasPrefix(key, "enviado"):
			f.Date = headerDate(val, outer)
		}
	}
	if seen == 0 {
		return nil
	}
	var rest []string
	quoted := true
	for _, l := range lines[i:] {
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(strings.TrimSpace(l), ">") {
			quoted = false
		}
		rest = append(rest, l)
	}
	if quoted {
		for j, l := range rest {
			rest[j] = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(l), ">"), " ")
		}
	}
	f.Text = strings.TrimSpace(strings.Join(rest, "\n"))
	if f.Text == "" {
		return nil
	}
	// A forward of a forward: the innermost message is the content.
	if inner := inlineForward(f.Text, agent.IsForwardSubject(f.Subject), f.Date); inner != nil && len(agent.StripQuoted(f.Text)) < 40 {
		return inner
	}
	return f
}

func isHeaderBlock(lines []string, i int) bool {
	m := hdrLine.FindStringSubmatch(strings.TrimSpace(lines[i]))
	if m == nil || !fromKey.MatchString(m[1]) {
		return false
	}
	n := 0
	for j := i + 1; j < len(lines) && j <= i+8; j++ {
		if mm := hdrLine.FindStringSubmatch(strings.TrimSpace(lines[j])); mm != nil && !fromKey.MatchString(mm[1]) {
			n++
		}
	}
	return n >= 2
}

// headerDate reads the date of a quoted header block in the many forms
// clients write it ("Tue, Mar 3, 2026 at 10:15 AM", "Dienstag, 3. März
// 2026 10:15", "martes, 3 de marzo de 2026 10:15"). Without a zone the
// forwarder's own is the best guess.
func headerDate(s string, outer time.Time) time.Time {
	if t, err := mail.ParseDate(s); err == nil {
		return t
	}
	if t := looseDate(s); !t.IsZero() {
		return t
	}
	d, ok := agent.FindDate(s)
	if !ok {
		return time.Time{}
	}
	loc := time.UTC
	if !outer.IsZero() {
		loc = outer.Location()
	}
	if z := zoneRe.FindStringSubmatch(s); z != nil {
		h, _ := strconv.Atoi(z[2])
		mi, _ := strconv.Atoi(z[3])
		off := h*3600 + mi*60
		if z[1] == "-" {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	hour, min := 12, 0
	if m := timeRe.FindStringSubmatch(s); m != nil {
		hour, _ = strconv.Atoi(m[1])
		min, _ = strconv.Atoi(m[2])
		ampm := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(m[4], ".", ""), " ", ""))
		if ampm == "pm" && hour < 12 {
			hour += 12
		} else if ampm == "am" && hour == 12 {
			hour = 0
		}
	}
	return d.Time(loc).Add(time.Duration(hour)*time.Hour + time.Duration(min)*time.Minute)
}

// containsAnyFold reports whether s holds one of subs (lower-case ASCII)
// in any case, without lowering all of s (which is slow once s has a
// single non-ASCII letter).
func containsAnyFold(s string, subs ...string) bool {
	for _, sub := range subs {
		if indexFold(s, sub) >= 0 {
			return true
		}
	}
	return false
}

// indexFold finds sub (lower-case ASCII) in s in any case: each case of
// its first letter is looked for once per occurrence, not rescanned.
func indexFold(s, sub string) int {
	lo, up := sub[0], sub[0]-'a'+'A'
	next := func(c byte, from int) int {
		if j := strings.IndexByte(s[from:], c); j >= 0 {
			return from + j
		}
		return len(s)
	}
	l, u := next(lo, 0), next(up, 0)
	for {
		i := min(l, u)
		if i+len(sub) > len(s) {
			return -1
		}
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
		if i == l {
			l = next(lo, i+1)
		} else {
			u = next(up, i+1)
		}
	}
}
