package agent

import (
	"strings"
)

// classifyAuto is the evidence that a machine answered: from headers
// (RFC 3834 and vendor fields), from the subject and from the text. 2 and
// more is decisive, 1 only suggestive.
type classifyAuto struct{ header, subject, text int }

var (
	classifyAutoSubjectStrong = classifyCompile(`\b(automatic reply|auto(matic)?[- ]?(reply|response|antwort)|autoreply|autoresponse|out of (the )?office|ooo\b|abwesenheitsnotiz|abwesenheit|abwesend|automatische antwort|automatische rueckantwort|respuesta automatica|fuera de (la )?oficina|ausencia|vacation reply|on vacation|on leave|urlaubsbedingt|im urlaub|de vacaciones)\b|^auto:`)
	classifyAutoSubjectTicket = classifyCompile(`\b(ticket|case|caso|incidencia|incidente|incident|vorgang|anfrage|solicitud|request|support)\b[^\n]{0,20}(#|nr\.?|no\.?|number|numero|id)?\s*:?\s*\[?#?[a-z]{0,5}-?\d{3,}|\[(#|ticket|case)[^\]]*\d+\]|\b(request received|we received your|eingangsbestaetigung|anfrage eingegangen|solicitud recibida|hemos recibido su|ticket (created|opened|erstellt))\b`)

	classifyAutoTextStrong = classifyCompile(
		// out of office, first person, now or ahead
		`\b(i am|i'm|i will be|i'll be|we are|i am currently|i'm currently)( currently| now)? (out of (the )?office|ooo|away( from (the )?office| from my desk)?|on (annual |parental |maternity |paternity |sick |business )?(leave|vacation|holiday|holidays)|travell?ing|not in the office|absent|off work|out until|out from)\b` +
			`|\bout of (the )?office (until|till|from|through|returning|and will|with (limited|no) access)\b|\b(limited|no) access to (my )?e-?mails?\b|\bi will (be back|return|respond|reply)( to (your|all) (e-?mail|message)s?)? (on|in|upon|when|after|as soon)\b|\bback in the office on\b|\bthank you for your (e-?mail|message)\b[^\n]{0,80}\b(out of|away|absent|on leave|vacation|holiday)\b` +
			// left the company / mailbox gone
			`|\b(has|have) left (the company|the organi[sz]ation|the firm|our company|\w+ (gmbh|ltd|inc|s\.?l|s\.?a|ag))\b|\bno longer (with|employed|working|works|at|part of) (us|the company|\w+)\b|\bis no longer (with|employed|at)\b|\b(i|he|she) (no longer|don't|doesn't|do not|does not) work (for|at|with|in)\b|\b(ich arbeite|er arbeitet|sie arbeitet) nicht mehr\b|\bya no (trabajo|trabaja)\b|\bthis (mailbox|email address|e-?mail account|address) is (no longer|not) (monitored|in use|active|being monitored|checked)\b` +
			// German
			`|\b(ich bin|bin ich|ich befinde mich|befinde ich mich)\b[^\n.]{0,60}\b(nicht im (buero|hause|haus)|abwesend|im urlaub|ausser haus|nicht erreichbar|in elternzeit|krank|auf (geschaefts)?reise|nicht am arbeitsplatz|im homeoffice nicht erreichbar)\b|\b(ab dem|ab|am) [^\n.]{0,30}\b(bin ich )?wieder (im buero|erreichbar|fuer sie da|zurueck|da)\b|\b(bin ich|ich bin) (ab|am|bis)\b[^\n.]{0,40}\bwieder\b|\bihre (e-mail|nachricht|mail) wird (nicht )?(weitergeleitet|automatisch)\b|\b(nicht mehr (im unternehmen|bei uns|fuer uns taetig|in unserem (hause|unternehmen)|beschaeftigt|taetig)|hat (das unternehmen|unser unternehmen|uns) verlassen|ist ausgeschieden)\b|\bdieses postfach wird nicht (mehr )?(ueberwacht|gelesen|bearbeitet|abgerufen)\b` +
			// Spanish
			`|\b(estoy|estare|me encuentro|nos encontramos|estamos)\b[^\n.]{0,30}\b(fuera de la oficina|de vacaciones|ausente|de baja|fuera de la empresa|de viaje|sin acceso al correo|fuera)\b|\b(volvere|regresare|me reincorporare|estare de vuelta|estare disponible|me incorporare)\b|\bno (me encuentro|estoy|estare|me encontrare) en la oficina\b|\ba mi (regreso|vuelta|retorno|reincorporacion)\b|\b(upon|on|after) my return\b|\bnach meiner rueckkehr\b|\b(i have|i've|i) retired\b|\bi am (now )?retired\b|\bich bin (jetzt |nun )?(in rente|im ruhestand|pensioniert)\b|\b(me he jubilado|estoy jubilad[oa])\b|\b(ya no (trabaja|forma parte|esta en|pertenece)|ha dejado (la empresa|de trabajar|de formar parte)|ha causado baja)\b|\beste buzon (ya )?no (se )?(esta siendo|es|esta) (monitorizado|revisado|atendido|operativo|activo)\b`)
	classifyAutoTextTicket = classifyCompile(
		`\bthis is an automat(ic|ed)(ally generated)? (response|reply|message|notification|acknowledg(e)?ment|confirmation)\b|\b(automated|automatic|auto-generated) (response|reply|message|acknowledg(e)?ment)\b|\bgenerated automatically\b` +
			`|\b(your|a) (request|ticket|case|inquiry|enquiry|message|e-?mail|query)\b[^\n.]{0,40}("[^"\n]{1,160}"|“[^”\n]{1,160}”)?[^\n.]{0,10}\b(has been|was|is being) (received|created|logged|opened|registered|assigned|forwarded to)\b|\b(ticket|case|reference) (number|no\.?|#|id)\s*:?\s*#?[a-z]{0,5}-?\d{3,}\b` +
			`|\b(please )?do not reply to this (e-?mail|message)\b|\bplease do not respond\b|\bone of our (agents|team members|colleagues|representatives) will\b` +
			`|\bautomatisch (generiert|erstellt|versendet|verschickt)e?\b|\bautomatische (antwort|benachrichtigung|eingangsbestaetigung|e-mail|nachricht)\b|\beingangsbestaetigung\b|\b(ihre|ihr) (anfrage|anliegen|nachricht|e-mail|ticket|mail)\b[^\n.]{0,40}\b(ist|wurde) (bei uns )?(eingegangen|erfasst|angelegt|erstellt|registriert|aufgenommen)\b|\b(ticketnummer|ticket-nr|vorgangsnummer|ticket #)\b|\bbitte antworten sie nicht (auf diese|direkt)\b` +
			`|\brespuesta automatica\b|\bmensaje (generado )?automatic[oa]\b|\bgenerado automaticamente\b|\b(su|tu) (solicitud|consulta|mensaje|correo|peticion|incidencia|caso)\b[^\n.]{0,40}\b(ha sido|fue|se ha|ha quedado) (recibid|registrad|cread|abiert|asignad)|\bnumero de (ticket|incidencia|caso|solicitud)\b|\bno responda a este (correo|mensaje)\b|\bacuse de recibo\b` +
			// helpdesks and AP inboxes answering every mail alike
			`|\bse ha (creado|registrado|abierto|generado) (el|la|un|una|su) (incidente|incidencia|ticket|caso|solicitud|peticion)\b|\bresponda a este correo sin (modificar|cambiar) el asunto\b|\b(we aim to|we endeavou?r to|we try to|we will|we'll|we strive to) (respond|reply|get back to you|answer)\b[^\n.]{0,40}\bwithin \d+ (hours|business days|working days|days)\b|\b(high|large) volume of (e-?mails|enquiries|inquiries|requests|queries)\b|\bplease do not re-?send\b`)
	classifyAutoTextWeak = classifyCompile(`\bwe will (get back to|respond to|contact) you (as soon as possible|shortly|within)\b|\bwir melden uns (so schnell wie moeglich|schnellstmoeglich|in kuerze|zeitnah|umgehend)\b|\bnos pondremos en contacto (con usted )?(lo antes posible|a la mayor brevedad|en breve)\b|\bin dringenden faellen\b|\bin urgent cases\b|\bfor urgent matters\b|\ben caso de urgencia\b|\bpara asuntos urgentes\b`)
	classifyNoReplyFrom  = lazyRegexp(`^(noreply|no-reply|donotreply|do-not-reply|do_not_reply|auto-?reply|autoresponder|notifications?|alerts?)@`)
)

func classifyAutoReply(m *InboundMessage, folded string) classifyAuto {
	var a classifyAuto
	if v := strings.ToLower(strings.TrimSpace(m.Header("Auto-Submitted"))); v != "" && v != "no" {
		a.header = 2
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autoresponder", "X-Mail-Autoreply", "X-Autogenerated"} {
		if m.Header(k) != "" {
			a.header = 2
		}
	}
	switch strings.ToLower(strings.TrimSpace(m.Header("Precedence"))) {
	case "auto_reply", "auto-reply":
		a.header = 2
	case "bulk", "junk", "list":
		a.header = max(a.header, 1)
	}
	if m.Header("X-Auto-Response-Suppress") != "" || strings.Contains(strings.ToLower(m.Header("X-Mailer")), "vacation") {
		a.header = max(a.header, 1)
	}
	if len(m.From) > 0 && classifyNoReplyFrom.R().MatchString(strings.ToLower(m.From[0])) {
		a.header = max(a.header, 1)
	}

	subj := classifyFoldLower(m.Subject)
	switch {
	case classifyAutoSubjectStrong.matchLower(subj):
		a.subject = 2
	case classifyAutoSubjectTicket.matchLower(subj):
		a.subject = 1
	}
	switch {
	case classifyAutoTextStrong.matchLower(folded):
		a.text = 3
	case classifyAutoTextTicket.matchLower(folded):
		a.text = 2
	case classifyAutoTextWeak.matchLower(folded):
		a.text = 1
	}
	return a
}
