package agent

import (
	"strings"

	"github.com/emersion/go-msgauth/authres"
)

type classifyBounceInfo struct {
	recipient, action, status, diagnostic string
	confidence                            float64
}

var (
	classifyBounceSubject = classifyCompile(`undelivered mail|undeliverable|undelivered|delivery status notification|delivery (has )?failed|delivery failure|mail delivery failed|failure notice|returned mail|returned to sender|delivery delayed|delayed mail|warning: could not send|message not delivered|nondelivery|non-delivery|unzustellbar|nicht zustellbar|zustellungsfehler|zustellung (fehlgeschlagen|verzoegert)|unzustellbare|no se pudo entregar|no se puede entregar|no entregado|entrega (fallida|retrasada)|error de entrega|notificacion de estado de entrega|mensaje no entregado|retraso en la entrega|non remis|non distribuibile|onbestelbaar|niet bezorgd`)
	classifyBounceBody    = classifyCompile(`this is the qmail-send program|i'm afraid i wasn't able to deliver|this message was created automatically by mail delivery software|could not be delivered to one or more (of its )?recipients|the following address(\(es\)|es)? failed|delivery (has )?failed to these recipients|your message (couldn't|could not|wasn't|was not|can't|cannot) be delivered|your message wasn't delivered|address not found|the email account that you tried to reach does not exist|this is the mail system at host|i'm sorry to have to inform you that your message could not|delivery to the following recipients? (failed|was delayed|has been delayed)|message could not be delivered|recipient address rejected|user unknown|mailbox unavailable|no such user|mailbox (not found|full|is full)|there was a temporary problem delivering|this is a warning only|still being retried|will retry|has not yet been delivered|delivery is delayed|die zustellung an folgende empfaenger|konnte nicht (an|zugestellt)|nicht zugestellt werden|wurde\b[^\n]{0,60}\bnicht zugestellt|zustellungsfehler bei|not listed in (the )?(domino|public) (directory|address book)|nicht im (oeffentlichen )?(domino-)?(verzeichnis|adressbuch)|ist fehlgeschlagen|empfaengeradresse|error en la entrega a (estos|los siguientes) destinatarios|no se pudo entregar|no se ha podido entregar|no se puede entregar|no ha podido ser entregado|la entrega del mensaje se ha retrasado|the recipient's (mailbox|email)|remote server returned|could not deliver your message|n'a pas pu etre remis|impossible de remettre|non e stato possibile recapitare|kon niet worden bezorgd`)
	classifyBounceDelay   = classifyCompile(`\(delay\)|delayed|warning only|temporary problem|still being retried|will (continue to )?retry|retrying|has not yet been delivered|not been delivered yet|verzoegert|noch nicht zugestellt|wird weiterhin versucht|retrasad|retraso|todavia no se ha entregado|se seguira intentando`)
	classifyDaemonFrom    = lazyRegexp(`^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|microsoftexchange[0-9a-f]*|mail delivery|maildelivery|mdaemon|bounce|bounces)\b`)
	classifyEmailRe       = lazyRegexp(`[a-z0-9][a-z0-9._%+\-=']*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}`)
	classifyStatusRe      = lazyRegexp(`\b([245]\.\d{1,3}\.\d{1,3})\b`)
	classifyDiagRe        = lazyRegexp(`(?m)^.*\b(said|returned|error|fehler|diagnostic)\b.*\b[45]\d\d\b.*$|^.*\b[45]\d\d[ -][45]\.\d{1,3}\.\d{1,3}\b.*$`)
)

// classifyBounce recognises delivery reports: RFC 3464 (multipart/report
// with message/delivery-status) and the free-text formats of qmail, Exim,
// Postfix, Exchange, Gmail and friends, in any of our languages.
func classifyBounce(m *InboundMessage) (classifyBounceInfo, bool) {
	ds := m.DeliveryStatus
	text := classifyCap(m.Text)
	folded := classifyFoldLower(text)
	if ds == "" && strings.Contains(folded, "final-recipient:") {
		ds = text // some MTAs paste the report fields into the text
	}
	ct := strings.ToLower(m.Header("Content-Type"))
	report := strings.HasPrefix(ct, "multipart/report") && !strings.Contains(ct, "disposition-notification")
	if ds != "" {
		b := classifyParseDSN(ds)
		switch b.action {
		case "failed", "delayed":
			b.confidence = 0.99
			if b.recipient == "" {
				b.confidence = 0.9
			}
			return b, true
		case "delivered", "relayed", "expanded":
			return classifyBounceInfo{}, false // a success notice is no bounce
		}
		if b.recipient != "" || report {
			// No Action field: a report that names a recipient still failed.
			b.action = "failed"
			if classifyBounceDelay.matchLower(classifyFoldLower(m.Subject + "\n" + text)) {
				b.action = "delayed"
			}
			b.confidence = 0.9
			return b, true
		}
	}

	from := ""
	if len(m.From) > 0 {
		from = strings.ToLower(m.From[0])
	}
	subj := classifyFoldLower(m.Subject)
	signals := 0
	daemon := classifyDaemonFrom.R().MatchString(from)
	if daemon {
		signals++
	}
	subjHit := classifyBounceSubject.matchLower(subj)
	if subjHit {
		signals++
	}
	if report {
		signals++
	}
	strongBody := strings.Contains(folded, "qmail-send program") || strings.Contains(folded, "created automatically by mail delivery software") || strings.Contains(folded, "this is the mail system at host")
	if !daemon && !subjHit && !report && !strongBody {
		// The body alone makes no bounce; most mail ends here without
		// the body expression reading a long quoted thread.
		return classifyBounceInfo{}, false
	}
	bodyHit := classifyBounceBody.matchLower(folded)
	if bodyHit {
		signals++
	}
	if signals < 2 && !strongBody || !bodyHit && !report && !subjHit {
		return classifyBounceInfo{}, false
	}
	b := classifyBounceInfo{action: "failed", confidence: 0.85}
	if classifyBounceDelay.matchLower(subj + "\n" + folded) {
		b.action = "delayed"
	}
	b.recipient = classifyBounceRecipientFromText(folded, m)
	if b.recipient != "" {
		b.confidence = 0.93
	}
	if s := classifyStatusRe.R().FindString(folded); s != "" {
		b.status = s
	}
	if d := classifyDiagRe.R().FindString(text); d != "" {
		b.diagnostic = strings.TrimSpace(d)
	}
	return b, true
}

// classifyParseDSN reads the per-recipient fields of an RFC 3464 report
// and picks the first failed recipient, else the first delayed one.
func classifyParseDSN(ds string) classifyBounceInfo {
	ds = strings.ReplaceAll(ds, "\r\n", "\n")
	type rcpt struct{ final, orig, action, status, diag string }
	var rs []rcpt
	cur := rcpt{}
	flush := func() {
		if cur.final != "" || cur.orig != "" || cur.action != "" {
			rs = append(rs, cur)
		}
		cur = rcpt{}
	}
	var lines []string
	for _, l := range strings.Split(ds, "\n") {
		if (strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")) && len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) != "" {
			lines[len(lines)-1] += " " + strings.TrimSpace(l)
			continue
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			if strings.TrimSpace(l) == "" {
				flush()
			}
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "final-recipient":
			if cur.final != "" {
				flush()
			}
			cur.final = classifyDSNAddress(v)
		case "original-recipient":
			cur.orig = classifyDSNAddress(v)
		case "action":
			cur.action = strings.ToLower(strings.Fields(v + " x")[0])
		case "status":
			cur.status = strings.Fields(v + " x")[0]
		case "diagnostic-code":
			cur.diag = v
		}
	}
	flush()
	pick := -1
	for _, want := range []string{"failed", "delayed", ""} {
		for i, r := range rs {
			if r.action == want || want == "" && pick < 0 {
				pick = i
				break
			}
		}
		if pick >= 0 {
			break
		}
	}
	if pick < 0 {
		return classifyBounceInfo{}
	}
	r := rs[pick]
	b := classifyBounceInfo{action: r.action, status: r.status, diagnostic: r.diag}
	// The original recipient is the address we wrote to, the one our
	// contact list knows; the final one may be an alias's target.
	b.recipient = r.orig
	if b.recipient == "" {
		b.recipient = r.final
	}
	if b.action == "" && strings.HasPrefix(b.status, "4.") {
		b.action = "delayed"
	}
	return b
}

// classifyDSNAddress reads "rfc822; User@Example.com" as the bare address.
func classifyDSNAddress(v string) string {
	if t, a, ok := strings.Cut(v, ";"); ok {
		if !strings.EqualFold(strings.TrimSpace(t), "rfc822") && !strings.Contains(a, "@") {
			return ""
		}
		v = a
	}
	v = strings.ToLower(strings.Trim(strings.TrimSpace(v), "<>\"' "))
	if e := classifyEmailRe.R().FindString(v); e != "" {
		return e
	}
	return ""
}

// classifyBounceRecipientFromText finds the failed address in a free-text
// bounce: the first address that is neither the daemon's nor ours.
func classifyBounceRecipientFromText(folded string, m *InboundMessage) string {
	ours := map[string]bool{}
	for _, l := range [][]string{m.From, m.To, m.Cc} {
		for _, a := range l {
			ours[strings.ToLower(a)] = true
		}
	}
	// qmail and Postfix write "<user@host>:" at the start of a line.
	for _, l := range strings.Split(folded, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "<") {
			if i := strings.Index(l, ">:"); i > 0 {
				if a := classifyEmailRe.R().FindString(l[:i]); a != "" && !ours[a] {
					return a
				}
			}
		}
	}
	for _, a := range classifyEmailRe.R().FindAllString(folded, 50) {
		local, _, _ := strings.Cut(a, "@")
		if ours[a] || classifyDaemonFrom.R().MatchString(local) || strings.HasPrefix(local, "noreply") || strings.HasPrefix(local, "no-reply") {
			continue
		}
		return a
	}
	return ""
}

var classifyAuthRe = lazyRegexp(`(?i)\b(dkim|spf|dmarc)\s*=\s*([a-z]+)`)

// classifyAuthFailed reads Authentication-Results: a failing DMARC, or a
// failing SPF or DKIM without a passing DMARC, makes the sender doubtful.
func classifyAuthFailed(h map[string][]string) bool {
	var vals []string
	for k, v := range h {
		if strings.EqualFold(k, "Authentication-Results") {
			vals = append(vals, v...)
		}
	}
	if len(vals) == 0 {
		return false
	}
	results := map[string][]string{}
	for _, v := range vals {
		_, rs, err := authres.Parse(v)
		if err != nil || len(rs) == 0 {
			// The library's parser gives up on comments with ';' in them;
			// the method=result pairs are all we need anyway.
			for _, m := range classifyAuthRe.R().FindAllStringSubmatch(v, -1) {
				results[strings.ToLower(m[1])] = append(results[strings.ToLower(m[1])], strings.ToLower(m[2]))
			}
			continue
		}
		for _, r := range rs {
			switch r := r.(type) {
			case *authres.DKIMResult:
				results["dkim"] = append(results["dkim"], string(r.Value))
			case *authres.SPFResult:
				results["spf"] = append(results["spf"], string(r.Value))
			case *authres.DMARCResult:
				results["dmarc"] = append(results["dmarc"], string(r.Value))
			}
		}
	}
	has := func(method string, vals ...string) bool {
		for _, got := range results[method] {
			for _, v := range vals {
				if got == v {
					return true
				}
			}
		}
		return false
	}
	if has("dmarc", "fail") {
		return true
	}
	if has("dmarc", "pass") {
		return false
	}
	if has("dkim", "pass") && !has("spf", "fail", "softfail") {
		return false
	}
	return has("dkim", "fail", "permerror") || has("spf", "fail", "softfail", "permerror")
}
