package agent

import (
	"sort"
	"strings"
)

// Invoice numbers in free text. A number is an invoice reference when a
// label says so ("invoice", "Rechnung Nr.", "factura nº", "Fra.", a table
// column "Invoice") or when its own shape does (INV-…, R-2026-…, F-…), and
// no nearer label calls it something else (PO, Bestellung, pedido,
// Lieferschein, albarán, quote, payment reference …).

// classifyRefLabel finds the labels as `\b(` + classifyRefLabels + `)\b\.?`
// would on the ASCII-lowered text.
var classifyRefLabel = classifyCompileWordAlt(classifyRefLabels)

const classifyRefLabels = "" +
	// invoice labels
	`invoices?|inv|rechnung(?:en)?|rechnungs-?nr|rechnungsnummer(?:n)?|re-?nr|re\.-nr|rg-?nr|rg\.-nr|rg|rechn|` +
	`facturas?|fra|fact|fac|n\.?\s?o\.?\s?(?:de\s)?factura|numero de factura|num\.? de factura|` +
	`beleg(?:nr|nummer|-nr)?|belegnummern|your ref(?:erence)?|ihre referenz|ihre rechnung(?:snummer)?|su referencia|su factura|` +
	// labels that make the following number something else
	`po|p\.o|purchase orders?|orders?|order no|bestellung(?:en)?|bestell-?nr|bestellnummer(?:n)?|auftrag|auftrags-?nr|auftragsnummer|` +
	`pedidos?|orden(?:es)? de compra|oc|lieferscheine?|lieferschein-?nr|ls-?nr|delivery notes?|delivery|dn|packing slip|albaran(?:es)?|` +
	`quotes?|quotation|angebot|angebots-?nr|angebotsnummer|presupuestos?|oferta|payments?|zahlung|zahlungsreferenz|zahlungs-?nr|` +
	`pagos?|transferencia|remittance|avis|avisnummer|ticket|case|customer|kunden-?nr|kundennummer|cliente|account|konto|vendor|` +
	`lieferant|proveedor|contract|vertrag|contrato|credit notes?|credit memo|gutschrift(?:en)?|gutschriftsnummer|nota de credito|abono|` +
	`iban|bic|tel|phone|fax|vat|ust-?id|cif|nif|mandate|mandat|cheque|check|scheck|tracking|sendungsnummer|seguimiento|rma|ref\. pago|lote|batch|serial|seriennummer`

var (
	classifyRefInvoiceLabel = lazyRegexp(`(?i)^(invoices?|inv|rechnung(?:en)?|rechnungs-?nr|rechnungsnummer(?:n)?|re-?nr|re\.-nr|rg-?nr|rg\.-nr|rg|rechn|facturas?|fra|fact|fac|n\.?\s?o\.?\s?(?:de\s)?factura|numero de factura|num\.? de factura|beleg(?:nr|nummer|-nr)?|belegnummern|your ref(?:erence)?|ihre referenz|ihre rechnung(?:snummer)?|su referencia|su factura)\.?$`)
	// Words that may stand between a label and its number.
	classifyRefFiller = lazyRegexp(`(?i)^(?:[#:(\-]|no\.?|nos\.?|nr\.?|nrn\.?|nro\.?|n\.?|n\.o\.?|number|numbers|num\.?|numero|numeros|nummer|nummern|de|ref\.?|reference|referencia|id|\(s\)|s)$`)
	classifyRefSep    = lazyRegexp(`(?i)^(?:[,;&+/]|and|und|sowie|y|e|as well as|or|oder|o|bzw\.?|u\.)$`)
	classifyRefToken  = lazyRegexp(`^#?([A-Za-z0-9][A-Za-z0-9\-/._]*)`)
	classifyRefPrefix = lazyRegexp(`\b(?:INV|INVOICE|RE|RG|RECH|R|F|FA|FAC|FACT|FRA|FV|FT)[-_/][0-9][0-9A-Za-z\-/_]*|\b(?:INV|RG|FRA|FAC|FV)[0-9]{3,}[0-9A-Za-z\-/_]*`)
	classifyRefAmount = lazyRegexp(`^\d{1,3}(?:[.,' ]\d{3})*[.,]\d{1,2}$|^\d{1,3}(?:[.,]\d{3})+$`)
	classifyRefDate   = lazyRegexp(`^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./]\d{1,2}\.?$`)
	classifyCellSplit = lazyRegexp(`\t+|\s*\|\s*|\s{2,}|\s*;\s*`)
	classifyCreditRow = lazyRegexp(`(?i)\b(credit|gutschrift|abono|nota de credito|storno)\b|(^|\s)-\s*\d[\d.,]*\s*$`)
	classifyTableStop = lazyRegexp(`(?i)\b(total|totals|summe|gesamt|gesamtbetrag|suma|importe total|sum)\b`)
)

type classifyRefHit struct {
	pos int
	ref string
}

// ExtractInvoiceRefs returns the invoice numbers written in text, as
// printed, in order of appearance, without duplicates; never nil.
func ExtractInvoiceRefs(text string) []string {
	hits, excluded := classifyRefScan(classifyFold(classifyCap(text)))
	return classifyRefOrder(hits, excluded)
}

// classifyInvoiceRefs is ExtractInvoiceRefs on the sender's own text, helped
// by the thread: a bare number that our subject or our quoted reminder
// calls an invoice, or one of the same family as a labelled one ("KIS-40371"
// next to "invoice KIS-40390"), is an invoice reference too.
func classifyInvoiceRefs(own, context string) []string {
	return classifyInvoiceRefsThread(own, context, [2]string{})
}

// classifyInvoiceRefsThread is classifyInvoiceRefs knowing the thread's
// subjects too: a dunning subject of ours ("Re: Overdue 55872") names the
// invoice in question without a label, and a sender who repeats that
// number in a sentence means the invoice.
func classifyInvoiceRefsThread(own, context string, subjects [2]string) []string {
	t := classifyFold(classifyCap(own))
	hits, excluded := classifyRefScan(t)
	families := map[string]bool{}
	for _, h := range hits {
		if f, ok := classifyRefFamily(h.ref); ok {
			families[f] = true
		}
	}
	have := map[int]bool{}
	for _, h := range hits {
		have[h.pos] = true
	}
	var known map[string]bool // read from the thread only when needed
	var named map[string]bool // our subjects' bare numbers, read when needed
	for _, m := range classifyRefWord.R().FindAllStringIndex(t, -1) {
		if excluded[m[0]] || have[m[0]] {
			continue
		}
		tok := classifyRefClean(t[m[0]:m[1]])
		if !classifyRefShape(tok) {
			continue
		}
		if f, fam := classifyRefFamily(tok); fam && families[f] {
			hits = append(hits, classifyRefHit{m[0], tok})
			continue
		}
		if known == nil {
			known = map[string]bool{}
			// The thread's most recent part names the invoices in
			// question; reading megabytes of history costs every message.
			for _, r := range ExtractInvoiceRefs(classifyCapTo(context, 4<<10)) {
				known[r] = true
			}
		}
		if known[tok] {
			hits = append(hits, classifyRefHit{m[0], tok})
			continue
		}
		if !classifySubjectNumberShape(tok) {
			continue
		}
		if named == nil {
			named = classifySubjectNumbers(subjects)
		}
		if named[tok] {
			hits = append(hits, classifyRefHit{m[0], tok})
		}
	}
	return classifyRefOrder(hits, excluded)
}

// classifySubjectNumberShape: four digits or more, and not a year.
func classifySubjectNumberShape(tok string) bool {
	digits := 0
	for i := 0; i < len(tok); i++ {
		if classifyIsDigit(tok[i]) {
			digits++
		}
	}
	return digits >= 4 && !(len(tok) == 4 && (strings.HasPrefix(tok, "19") || strings.HasPrefix(tok, "20")))
}

// classifySubjectNumbers returns the unlabelled numbers of those subjects
// that are ours come back ("Re:"), in the shape of document numbers and
// not called something else (PO, order, customer …) by a label. The
// sender's own subjects carry their payment and document numbers.
func classifySubjectNumbers(subjects [2]string) map[string]bool {
	named := map[string]bool{}
	for _, s := range subjects {
		if s == "" || !classifyIsReplySubject(s) {
			continue
		}
		t := classifyFold(classifyCapTo(s, 1<<10))
		_, excluded := classifyRefScan(t)
		for _, m := range classifyRefWord.R().FindAllStringIndex(t, -1) {
			if excluded[m[0]] {
				continue
			}
			if tok := classifyRefClean(t[m[0]:m[1]]); classifyRefShape(tok) && classifySubjectNumberShape(tok) {
				named[tok] = true
			}
		}
	}
	return named
}

var classifyRefWord = lazyRegexp(`\b[A-Za-z0-9][A-Za-z0-9\-/._]*`)

// classifyRefFamily is the shape of a prefixed number ("KIS-99999"): only
// numbers with a letter prefix form families, bare digits are too common.
func classifyRefFamily(tok string) (string, bool) {
	if tok == "" || !(tok[0] >= 'A' && tok[0] <= 'Z' || tok[0] >= 'a' && tok[0] <= 'z') {
		return "", false
	}
	digits := 0
	b := []byte(tok)
	for i, c := range b {
		if classifyIsDigit(c) {
			b[i] = '9'
			digits++
		}
	}
	return string(b), digits >= 3
}

// classifyRefScan finds labelled, tabled and prefixed invoice numbers, and
// the positions of numbers that a label calls something else.
func classifyRefScan(t string) ([]classifyRefHit, map[int]bool) {
	var hits []classifyRefHit
	excluded := map[int]bool{}
	for _, m := range classifyRefLabel.findAll(t) {
		label := t[m[0]:m[1]]
		inv := classifyRefInvoiceLabel.R().MatchString(strings.TrimSpace(label))
		for _, h := range classifyRefChain(t, m[1]) {
			if inv {
				hits = append(hits, h)
			} else {
				excluded[h.pos] = true
			}
		}
	}
	hits = append(hits, classifyRefTable(t)...)
	for _, m := range classifyRefPrefixes(t) {
		tok := classifyRefClean(t[m[0]:m[1]])
		if len(tok) >= 5 && classifyRefShape(tok) && !excluded[m[0]] && !classifyRefInside(t, m[0]) {
			hits = append(hits, classifyRefHit{m[0], tok})
		}
	}
	for i, n := 0, len(hits); i < n; i++ {
		hits = append(hits, classifyRefShorthand(t, hits[i])...)
	}
	return hits, excluded
}

// classifyRefShorthand reads a list that repeats only the last digits
// ("RE-2026-501, -502 und -503"): each "-NNN" with as many digits as the
// number before it ends in names the number with that ending replaced.
func classifyRefShorthand(t string, h classifyRefHit) []classifyRefHit {
	dash := strings.LastIndexByte(h.ref, '-')
	if dash <= 0 || !strings.HasPrefix(t[h.pos:], h.ref) {
		return nil
	}
	tail := len(h.ref) - dash - 1
	if tail == 0 || tail > 8 || strings.Trim(h.ref[dash+1:], "0123456789") != "" {
		return nil
	}
	var out []classifyRefHit
	pos := h.pos + len(h.ref)
	for len(out) < 40 {
		for pos < len(t) && t[pos] == ' ' {
			pos++
		}
		w := classifyRefNextWord(t, pos)
		if w == "" || !classifyRefSep.R().MatchString(w) {
			return out
		}
		pos += len(w)
		for pos < len(t) && t[pos] == ' ' {
			pos++
		}
		e := pos + 1
		for e < len(t) && classifyIsDigit(t[e]) {
			e++
		}
		if pos >= len(t) || t[pos] != '-' || e-pos-1 != tail || e < len(t) && classifyIsWordByte(t[e]) {
			return out
		}
		out = append(out, classifyRefHit{pos, h.ref[:dash] + t[pos:e]})
		pos = e
	}
	return out
}

// classifyRefPrefixes returns the [start, end) of each match of
// classifyRefPrefix in t, as FindAllStringIndex would. The expression
// scans every byte of long quoted threads; its shape makes a direct reading
// simple: at a word start a run of letters that is one of the prefixes,
// then a separator and a digit (or, for some, three digits), then the
// longest run of reference characters.
func classifyRefPrefixes(t string) [][2]int {
	var out [][2]int
	for p := 0; p < len(t); p++ {
		if c := t[p]; c != 'I' && c != 'R' && c != 'F' || p > 0 && classifyIsWordByte(t[p-1]) {
			continue
		}
		k := p
		for k < len(t) && (t[k] >= 'A' && t[k] <= 'Z' || t[k] >= 'a' && t[k] <= 'z') {
			k++
		}
		e := -1
		switch w := t[p:k]; {
		case k+1 < len(t) && (t[k] == '-' || t[k] == '_' || t[k] == '/') && classifyIsDigit(t[k+1]):
			switch w {
			case "INV", "INVOICE", "RE", "RG", "RECH", "R", "F", "FA", "FAC", "FACT", "FRA", "FV", "FT":
				e = k + 2
			}
		case k+2 < len(t) && classifyIsDigit(t[k]) && classifyIsDigit(t[k+1]) && classifyIsDigit(t[k+2]):
			switch w {
			case "INV", "RG", "FRA", "FAC", "FV":
				e = k + 3
			}
		}
		if e < 0 {
			continue
		}
		for e < len(t) && (classifyIsWordByte(t[e]) || t[e] == '-' || t[e] == '/') {
			e++
		}
		out = append(out, [2]int{p, e})
		p = e - 1
	}
	return out
}

// classifyRefInside: the prefix stands inside a longer number
// ("2026-FA-0099"), which is read whole or not at all.
func classifyRefInside(t string, p int) bool {
	return p > 1 && (t[p-1] == '-' || t[p-1] == '/' || t[p-1] == '_') && classifyIsWordByte(t[p-2])
}

func classifyRefOrder(hits []classifyRefHit, excluded map[int]bool) []string {
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].pos < hits[j].pos })
	out := []string{}
	seen := map[string]bool{}
	for _, h := range hits {
		if excluded[h.pos] || seen[h.ref] {
			continue
		}
		seen[h.ref] = true
		out = append(out, h.ref)
	}
	return out
}

// classifyRefChain reads the numbers after a label: "Nr. 4711", "4711,
// 4712 und 4713", "(4711)". It stops at the first word that is neither a
// number, a filler nor a list separator.
func classifyRefChain(t string, pos int) []classifyRefHit {
	var out []classifyRefHit
	expectRef, crossed := true, false
	for steps := 0; steps < 40 && pos < len(t); steps++ {
		for pos < len(t) && (t[pos] == ' ' || t[pos] == '\t') {
			pos++
		}
		if pos >= len(t) {
			break
		}
		if t[pos] == '\n' {
			// A label at a line's end may name the number on the next
			// line; a list never goes on across lines.
			if len(out) > 0 || crossed {
				return out
			}
			crossed = true
			pos++
			continue
		}
		word := classifyRefNextWord(t, pos)
		switch {
		case expectRef && classifyRefFiller.R().MatchString(word):
			pos += len(word)
		case !expectRef && classifyRefSep.R().MatchString(word):
			pos += len(word)
			expectRef = true
		case !expectRef:
			return out
		default:
			m := classifyRefToken.R().FindStringSubmatchIndex(t[pos:])
			if m == nil {
				return out
			}
			tok := classifyRefClean(t[pos+m[2] : pos+m[3]])
			if sp := classifyRefSpaced(t[pos:]); sp != "" {
				tok, m[1] = sp, len(sp)
			}
			if !classifyRefShape(tok) {
				return out
			}
			out = append(out, classifyRefHit{pos + m[2], tok})
			pos += m[1]
			for pos < len(t) && t[pos] == ')' {
				pos++
			}
			expectRef = false
		}
	}
	return out
}

// classifyRefSpaced reads a number printed in blocks after its label
// ("factura FA 2026 118"): a short series code in capitals, then two or
// more groups of digits. Only a label makes the blocks one number.
var classifyRefSpacedRe = lazyRegexp(`^[A-Z]{1,4}(?: [0-9]{2,6}){2,3}\b`)

func classifyRefSpaced(t string) string {
	if len(t) == 0 || t[0] < 'A' || t[0] > 'Z' {
		return ""
	}
	return classifyRefSpacedRe.R().FindString(classifyCapTo(t, 40))
}

// classifyRefNextWord returns the next word at pos, splitting off what
// lists and labels glue to words: "#4711" and "(4711" start with a
// filler, "4711," and "Nr.:" end with one.
func classifyRefNextWord(t string, pos int) string {
	end := pos
	for end < len(t) && t[end] != ' ' && t[end] != '\t' && t[end] != '\n' {
		end++
	}
	w := t[pos:end]
	if len(w) > 1 && (w[0] == '#' || w[0] == '(' || w[0] == ',' || w[0] == ';') {
		return w[:1]
	}
	if len(w) > 1 && strings.ContainsAny(w[len(w)-1:], ":,;") {
		return w[:len(w)-1]
	}
	return w
}

func classifyRefClean(s string) string {
	s = strings.TrimLeft(s, "#")
	return strings.TrimRight(s, ".-/_")
}

// classifyRefShape: at least three characters, a digit, and not an
// amount or a date.
func classifyRefShape(s string) bool {
	if len(s) < 3 || len(s) > 32 || !strings.ContainsAny(s, "0123456789") {
		return false
	}
	if classifyRefAmount.R().MatchString(s) || classifyRefDate.R().MatchString(s) {
		return false
	}
	return true
}

// classifyRefTable reads the invoice column of a table: a header line with
// an invoice label among several cells, then rows below it.
func classifyRefTable(t string) []classifyRefHit {
	var out []classifyRefHit
	lines := strings.Split(t, "\n")
	offset := 0
	offsets := make([]int, len(lines))
	for i, l := range lines {
		offsets[i] = offset
		offset += len(l) + 1
	}
	for i := 0; i < len(lines); i++ {
		cells := classifyCells(strings.TrimSpace(lines[i]))
		if len(cells) < 2 {
			continue
		}
		col := -1
		for j, c := range cells {
			c = strings.TrimSpace(c)
			if strings.ContainsAny(c, "0123456789") {
				continue // a value ("Factura F-1"), not a column title
			}
			if classifyRefInvoiceLabel.R().MatchString(c) || classifyRefHeaderCell(c) {
				col = j
				break
			}
		}
		if col < 0 {
			continue
		}
		rows := 0
		for k := i + 1; k < len(lines) && k <= i+200; k++ {
			l := strings.TrimSpace(lines[k])
			if l == "" {
				if rows > 0 {
					break
				}
				continue
			}
			if strings.Trim(l, "-=_|+ ") == "" {
				continue
			}
			if classifyTableStop.R().MatchString(l) {
				break
			}
			rc := classifyCells(l)
			if len(rc) < 2 || col >= len(rc) {
				break
			}
			if classifyCreditRow.R().MatchString(l) {
				continue // a credit note line is no invoice
			}
			cell := strings.TrimSpace(rc[col])
			tok := classifyRefClean(strings.Fields(cell + " x")[0])
			if !classifyRefShape(tok) {
				continue
			}
			rows++
			out = append(out, classifyRefHit{offsets[k] + strings.Index(lines[k], tok), tok})
		}
	}
	return out
}

// classifyCells splits a table row at classifyCellSplit. Most lines of a
// thread have no tab, bar, semicolon or double space, and so one cell;
// finding that out needs no expression.
func classifyCells(l string) []string {
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\t', '|', ';':
			return classifyCellSplit.R().Split(l, -1)
		case ' ', '\n', '\f', '\r':
			if i+1 < len(l) && classifyIsSpace(l[i+1]) {
				return classifyCellSplit.R().Split(l, -1)
			}
		}
	}
	return []string{l}
}

// classifyIsSpace is \s.
func classifyIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// classifyRefHeaderCell recognises column titles such as "Invoice No.",
// "Rechnungsnr.", "Nº Factura", "Your reference".
func classifyRefHeaderCell(c string) bool {
	f := strings.ToLower(c)
	for _, p := range []string{"your ", "ihre ", "ihr ", "su ", "vuestra ", "sus "} {
		f = strings.TrimPrefix(f, p)
	}
	for _, w := range []string{"invoice", "rechnung", "factura", "beleg", "your ref", "ihre ref", "su ref", "document no", "doc. no", "documento"} {
		if strings.HasPrefix(f, w) || strings.HasPrefix(f, "n.o "+w) || strings.HasPrefix(f, "no "+w) || strings.HasPrefix(f, "no. "+w) {
			if !strings.Contains(f, "date") && !strings.Contains(f, "datum") && !strings.Contains(f, "fecha") && !strings.Contains(f, "betrag") && !strings.Contains(f, "amount") && !strings.Contains(f, "importe") {
				return true
			}
		}
	}
	return false
}

// classifyASCIILower lower-cases A-Z only, so byte offsets stay valid for
// the original text.
func classifyASCIILower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
