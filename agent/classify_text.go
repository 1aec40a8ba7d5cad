package agent

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// classifyFold transliterates the letters of en/es/de to ASCII ("März" →
// "Maerz", "próximo" → "proximo", "Nº" → "No") and normalises spaces and
// dashes. People type the same word with and without accents; matching the
// folded form lets one pattern cover both and keeps \b meaningful.
func classifyFold(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	if i == len(s) {
		return s // ASCII folds to itself; most mail is
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
			continue
		}
		if t, ok := classifyFoldMap[r]; ok {
			b.WriteString(t)
			continue
		}
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var classifyFoldMap = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "Ae", 'Ö': "Oe", 'Ü': "Ue", 'ß': "ss",
	'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'å': "a", 'Á': "A", 'À': "A", 'Â': "A",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'É': "E", 'È': "E", 'Ê': "E",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'Í': "I",
	'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o", 'Ó': "O", 'Ò': "O",
	'ú': "u", 'ù': "u", 'û': "u", 'Ú': "U",
	'ñ': "n", 'Ñ': "N", 'ç': "c", 'Ç': "C",
	'º': "o", '°': "o", 'ª': "a",
	'\u00a0': " ", '\u202f': " ", '\u2009': " ", '\u200b': "", '\ufeff': "", '\u00ad': "",
	'–': "-", '—': "-", '‑': "-", '‐': "-",
	'’': "'", '‘': "'", '´': "'", '“': "\"", '”': "\"", '„': "\"", '«': "\"", '»': "\"",
	'¿': " ", '¡': " ", '…': "...",
}

// classifyFoldLower is classifyFold in lower case, the form the lexicon is
// written in.
func classifyFoldLower(s string) string { return strings.ToLower(classifyFold(s)) }

var (
	classifyReplyPrefix   = lazyRegexp(`(?i)^\s*(re|aw|antw|antwort|sv|r|rif|odp|vs)\s*(\[\d+\])?\s*:`)
	classifyForwardPrefix = lazyRegexp(`(?i)^\s*(fwd?|wg|rv|tr|enc|fw|weitergeleitet|reenviado)\s*(\[\d+\])?\s*:`)
	classifyAnyPrefix     = lazyRegexp(`(?i)^\s*((re|aw|antw|sv|rif|fwd?|wg|rv|tr|enc)\s*(\[\d+\])?\s*:\s*)+`)
)

// classifyIsReplySubject reports "Re:"/"AW:" in front: the rest is ours.
func classifyIsReplySubject(s string) bool { return classifyReplyPrefix.R().MatchString(s) }

// classifyIsForwardSubject reports "Fwd:"/"WG:"/"RV:"/"TR:" in front.
func classifyIsForwardSubject(s string) bool {
	return classifyForwardPrefix.R().MatchString(strings.TrimLeft(s, "[ "))
}

// IsForwardSubject reports whether a subject marks a forwarded message
// (Fwd:, Fw:, WG:, RV:, TR:), for readers deciding what was forwarded.
func IsForwardSubject(s string) bool { return classifyIsForwardSubject(s) }

func classifyStripSubjectPrefixes(s string) string {
	return strings.TrimSpace(classifyAnyPrefix.R().ReplaceAllString(s, ""))
}

var (
	// "On Tue, 3 Mar 2026 at 10:00, Jane <jane@x> wrote:", "Am 03.03.2026
	// um 10:00 schrieb Jane:", "El mar, 3 mar 2026, Jane escribió:", and
	// the reversed "Jane <jane@x> schrieb am 03.03.2026:".
	classifyAttribution = lazyRegexp(`^(on|am|el|le|op|il|em)\b.{0,240}\b(wrote|writes|schrieb|schreibt|escribio|a ecrit|schreef|ha scritto|escreveu)\b[^:]{0,120}:\s*$` +
		`|\b(wrote|schrieb|escribio|a ecrit)\s*:\s*$` +
		`|\bschrieb am\b.{0,120}:\s*$`)
	classifyAttributionStart = lazyRegexp(`^(on|am|el|le)\s+\S`)
	// Lines from which on everything is the earlier message or a client's
	// footer: separators, forwarding banners, mobile signatures.
	classifyCutLine = lazyRegexp(`^(-{2,}\s*(original message|urspruengliche nachricht|originalnachricht|original-nachricht|mensaje original|forwarded message|weitergeleitete nachricht|mensaje reenviado|message d'origine|nachricht im original)\s*-{2,}` +
		`|-{3,}\s*(original|forwarded|weitergeleitet|reenviado)` +
		`|begin forwarded message:|anfang der weitergeleiteten (nachricht|e-mail):|inicio del mensaje reenviado:` +
		`|_{8,}\s*$|={10,}\s*$` +
		`|sent from my |sent from outlook|sent from mail for|sent from yahoo|sent from samsung|sent via |sent from the |get outlook for |von meinem .{1,40} gesendet|gesendet von meinem|gesendet von outlook|gesendet mit |enviado desde |enviado con |obtener outlook para |descargue outlook` +
		`|this (e-?mail|message|communication)( and any (files|attachments)( transmitted with it)?)? (is|are|may (contain|be)|contains) (strictly )?(confidential|privileged|intended)` +
		`|diese (e-mail|nachricht|mail)( und (alle|jegliche|ihre) anhaenge)? (enthaelt|ist|kann) (moeglicherweise )?(vertrauliche|vertraulich|rechtlich)` +
		`|este (mensaje|correo)( electronico)?( y (sus|cualquier) (archivos|anexos|adjuntos)( adjuntos)?)? (es|son|contiene|puede contener|va dirigido) ` +
		`|aviso legal:|disclaimer:|confidentiality notice)`)
	classifyGreeting   = lazyRegexp(`^(hi|hello|hey|dear|good (morning|afternoon)|hallo|guten (tag|morgen)|sehr geehrte|liebe|lieber|moin|servus|hola|estimad[oa]s?|buen(os|as) (dias|tardes)|apreciad[oa]s?)\b.{0,60}$`)
	classifyHeaderFrom = lazyRegexp(`^\*?(from|von|de|van|da)\s*:\*?\s*\S`)
	classifyHeaderMeta = lazyRegexp(`^\*?(sent|gesendet|enviado|enviado el|fecha|date|datum|to|an|para|subject|betreff|asunto|cc)\s*:`)
	classifyClosing    = lazyRegexp(`^(best|kind|warm|warmest|many|with best|with kind)?\s*(regards|wishes)\b|^(best|cheers|thanks|thank you|many thanks|thanks again|thanks and regards|sincerely|yours sincerely|yours faithfully|yours truly|br|rgds|regards)$` +
		`|^(mit )?(freundlichen|freundlichem|besten|beste|herzlichen|herzliche|viele|liebe|schoene)\s+gr(ue|u)ss?(en|e)?\b|^(mfg|vg|lg|gruss|gruesse|danke|vielen dank|besten dank|herzlichen dank)$` +
		`|^(un )?(cordial|afectuoso|atento)?\s*saludo(s)?( cordiales| atentos)?\b|^(atentamente|cordialmente|muchas gracias|gracias|saludos cordiales|reciba un cordial saludo|sin otro particular)$`)
)

// StripQuoted returns the sender's own text: quoted earlier messages
// (">" lines, "On … wrote:", "Am … schrieb …:", "El … escribió:", Outlook
// header blocks and separators), forwarding banners, mobile and "-- "
// signatures, closing formulas with the signature under them, and legal
// footers are removed. What remains is what the sender wrote now.
func StripQuoted(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	lines := strings.Split(text, "\n")
	var out []string
	content := 0 // non-empty own lines so far
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		t := strings.TrimSpace(raw)
		if strings.HasPrefix(t, ">") {
			continue
		}
		if t == "--" || strings.TrimRight(raw, "\r") == "-- " {
			break
		}
		f := strings.TrimSpace(classifyFoldLower(t))
		if classifyCutLine.R().MatchString(f) {
			break
		}
		if n := classifyAttributionLines(lines, i); n > 0 {
			// Bottom-posting: the quote is ">"-prefixed and the answer
			// follows it, so only drop the attribution and read on.
			j := i + n
			for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
				j++
			}
			if j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), ">") {
				i = j - 1
				continue
			}
			break
		}
		if classifyHeaderBlock(lines, i) {
			break
		}
		if content > 0 && classifyIsClosing(f) {
			break
		}
		if t != "" && !classifyGreeting.R().MatchString(f) {
			content++
		}
		out = append(out, strings.TrimRight(raw, " \t"))
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// classifyAttributionLines reports how many lines (1–3) starting at i form
// a reply attribution; clients wrap long ones.
func classifyAttributionLines(lines []string, i int) int {
	joined := ""
	for n := 1; n <= 3 && i+n <= len(lines); n++ {
		l := strings.TrimSpace(lines[i+n-1])
		if n > 1 && l == "" {
			return 0
		}
		joined = strings.TrimSpace(joined + " " + l)
		f := classifyFoldLower(joined)
		if len(f) > 400 {
			return 0
		}
		if classifyAttribution.R().MatchString(f) {
			// A sentence that merely ends in "wrote:" is rare; demand the
			// shape of an attribution (a date, an address or "On/Am/El").
			if n == 1 || classifyAttributionStart.R().MatchString(f) {
				return n
			}
		}
		if n == 1 && !classifyAttributionStart.R().MatchString(f) {
			return 0
		}
	}
	return 0
}

// classifyHeaderBlock reports an Outlook-style quoted header block
// ("From:/Von:/De:" followed by "Sent:/Gesendet:/Enviado el:" and
// "To:/Subject:") starting at line i.
func classifyHeaderBlock(lines []string, i int) bool {
	if !classifyHeaderFrom.R().MatchString(classifyFoldLower(strings.TrimSpace(lines[i]))) {
		return false
	}
	meta := 0
	for j := i + 1; j < len(lines) && j <= i+8; j++ {
		l := classifyFoldLower(strings.TrimSpace(lines[j]))
		if l == "" {
			continue
		}
		if classifyHeaderMeta.R().MatchString(l) {
			meta++
			if meta >= 2 {
				return true
			}
		}
	}
	return false
}

func classifyIsClosing(f string) bool {
	f = strings.TrimRight(f, " ,.!-")
	if len(f) > 48 {
		return false
	}
	return classifyClosing.R().MatchString(f)
}

var classifyWordRe = lazyRegexp(`[\p{L}]+`)

var classifyStopwords = map[string][3]float64{}

func init() {
	add := func(lang int, words string) {
		for _, w := range strings.Fields(words) {
			v := classifyStopwords[w]
			v[lang] = 1
			classifyStopwords[w] = v
		}
	}
	// Words that are frequent in one language and rare in the others;
	// shared forms ("in", "an", "am", "es", "no", "a") are left out.
	add(0, `the and to of we you your our is are for will be have has this that with on please thank thanks
		invoice invoices payment paid it as not at by from would can kind regards dear hi hello i my me been was were
		which there they them its do does did could should shall here attached find let know if any all what when
		regarding account statement copy due amount received still best sincerely would like us into out office
		until back return week month today tomorrow friday monday just our per these those than then
		see below agreed`)
	add(1, `de la que el en los las por para con una su sus del al se lo le nos hemos estamos esta este estos
		gracias saludos factura facturas pago pagos muy como pero mas sin sobre usted ustedes les cuenta adjunto
		adjuntamos estimados estimado hola buenos dias favor atentamente cordial quedamos mes semana hoy manana
		viernes lunes pedido hay ha han fue son tenemos recibido enviado sido ya aun le todo cuando desde hasta
		nuestra nuestro vuestra dicha dicho mismo tambien solicitamos rogamos indicar importe
		abajo vease confirmado pagado pagada pagados pagadas abonado abonada transferencia`)
	add(2, `der die das und ist nicht wir sie ihre ihr ihnen mit fuer auf den dem des ein eine einen zu zur zum
		bitte danke vielen rechnung rechnungen zahlung gruesse gruessen haben wird werden sind noch bei vom von auch
		aus sehr geehrte geehrter hallo uns unser unsere unseren diese dieser dieses ich bis wie oder aber im ins
		dass freundlichen betrag ueberweisung ueberwiesen bereits heute morgen freitag montag woche monat anbei
		erhalten bezahlt kw wurde wurden koennen sollte mfg nach ueber leider
		siehe unten oben zahlungsavis`)
}

// DetectLanguage tells English, Spanish and German apart by frequent words
// and by letters only one of them uses. Too little evidence means "en".
func DetectLanguage(text string) string {
	var score [3]float64
	for _, r := range text {
		switch r {
		case 'ñ', 'Ñ', '¿', '¡':
			score[1] += 1.5
		case 'á', 'é', 'í', 'ó', 'ú', 'Á', 'É', 'Í', 'Ó', 'Ú':
			score[1] += 0.4
		case 'ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü', 'ß':
			score[2] += 0.6
		}
	}
	words := classifyWordRe.R().FindAllString(classifyFoldLower(text), 4000)
	for _, w := range words {
		if v, ok := classifyStopwords[w]; ok {
			score[0] += v[0]
			score[1] += v[1]
			score[2] += v[2]
		}
	}
	best := 0
	for i := 1; i < 3; i++ {
		if score[i] > score[best] {
			best = i
		}
	}
	if score[best] < 1 {
		return "en"
	}
	return [3]string{"en", "es", "de"}[best]
}
