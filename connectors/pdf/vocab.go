package pdf

import (
	"strings"
	"sync"
	"unicode"
)

// fold lower-cases and strips accents so labels compare across spellings:
// "Nº Factura", "nº factura" and "No. factura"; "Kürzung" and "Kuerzung"
// are handled by listing both.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		// Most cells: nothing to fold but case, and ToLower returns s
		// itself when it is already lower case.
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'á', 'à', 'â', 'ã', 'å', 'ä':
			r = 'a'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'í', 'ì', 'î', 'ï':
			r = 'i'
		case 'ó', 'ò', 'ô', 'õ', 'ö', 'º', '°':
			r = 'o'
		case 'ú', 'ù', 'û', 'ü':
			r = 'u'
		case 'ñ':
			r = 'n'
		case 'ç':
			r = 'c'
		case 'ß':
			b.WriteString("ss")
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// labelKey folds a label for lookup: punctuation becomes blanks, blanks
// collapse. "Rechnungs-Nr.:" → "rechnungs nr", "Nº Factura" → "no factura".
func labelKey(s string) string {
	f := fold(s)
	var b strings.Builder
	space := false
	for _, r := range f {
		if r == '#' {
			// "Payment #", "Check #": the sign says "number"
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("no")
			space = true
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// Table columns.
const (
	colNone     = ""
	colInvoice  = "invoice"
	colDate     = "invoice_date"
	colGross    = "gross"
	colDiscount = "discount"
	colDeduct   = "deduction"
	colPaid     = "paid"
	colReason   = "reason"
	colType     = "type"
	colCurrency = "currency"
	colAmount   = "amount"    // "Amount", "Betrag", "Importe": gross when a paid column exists, else paid
	colRef      = "reference" // "Reference": the invoice when no invoice column
	colYourRef  = "yourref"   // "Your reference": the payee's number, the invoice unless one is named
	colDocNo    = "docno"     // "Belegnr.", "Document no.": the payer's number, the invoice when nothing else is
	colIgnore   = "ignore"    // known columns of no use here: due date, PO, open amount, description
)

// columnLabels maps folded header labels to columns, in English, German and
// Spanish, with the abbreviations that ERPs print.
var columnLabels = map[string]string{}

// fieldLabels maps folded labels of the document head to its fields.
var fieldLabels = map[string]string{}

// Head fields.
const (
	fieldPayer   = "payer"
	fieldPayee   = "payee" // recognised so it is not taken for the payer
	fieldDate    = "payment_date"
	fieldDateLow = "date" // a bare "Date": the payment date when nothing better is printed
	fieldRefLow  = "ourref"
	fieldRef     = "payment_reference"
	fieldCur     = "currency"
	fieldOther   = "other" // labelled but of no use: "Company code", "IBAN"
	fieldInfo    = "info"  // remittance information: the reference when nothing better; it may name the one invoice paid
	fieldTotal   = "total"
)

func init() {
	col := func(c string, labels ...string) {
		for _, l := range labels {
			columnLabels[labelKey(l)] = c
		}
	}
	col(colInvoice, "invoice", "invoice no", "invoice no.", "invoice number", "invoice #", "invoice nr", "inv", "inv no", "inv.no.",
		"inv #", "invoice ref", "invoice reference", "supplier invoice", "supplier invoice no", "vendor invoice", "vendor invoice no",
		"supplier invoice number", "vendor invoice number", "external invoice", "invoice credit note", "invoice credit memo",
		"bill no", "bill number", "your invoice", "your invoice no", "your document", "invoice id",
		"rechnung", "rechnungsnr", "rechnungsnr.", "rechnungsnummer", "rechnungs nr", "rechnungs-nr.", "re nr", "re-nr.", "rg nr", "rg.-nr.",
		"ihre rechnung", "ihre rechnungsnr", "ihre belegnr", "lieferantenrechnung", "lieferantenrechnungsnr",
		"ihre beleg nr", "rechnung nr", "rechnungsnr beleg", "rechnung gutschrift",
		"factura", "nº factura", "n factura", "no factura", "num factura", "núm factura", "número factura", "numero de factura",
		"número de factura", "n de factura", "nº de factura", "su factura", "fra", "nº fra", "factura nº", "factura n", "factura no", "no fra",
		"factura proveedor", "factura abono", "invoice num", "inv num", "supplier invoice num")
	// The payer's own document numbers: the invoice only when the table
	// names nothing better.
	col(colDocNo, "document", "document no", "document number", "doc no", "doc #", "doc number", "our ref", "our reference",
		"belegnr", "belegnr.", "belegnummer", "beleg", "beleg nr", "beleg-nr.", "dokument", "dokumentnr", "unsere referenz",
		"documento", "nº documento", "n documento", "num documento", "número documento", "nº doc", "nuestra referencia")
	col(colRef, "reference", "ref", "ref.", "ref no", "ref no.", "reference no", "reference number", "customer reference", "referenz",
		"referencia", "ref factura", "ref doc", "refdoc")
	// The payee's reference printed by the payer: the payee's invoice number.
	col(colYourRef, "your reference", "your ref", "your ref.", "your reference no", "your doc no", "ihre referenz", "ihr zeichen",
		"ihre ref", "ihre zeichen", "su referencia", "su ref", "su ref.", "su documento", "su nº factura", "su n factura",
		// Dynamics prints the vendor's own invoice number as the external document.
		"external document no", "external document number", "external doc no", "ext doc no", "external reference")
	col(colDate, "date", "invoice date", "inv date", "inv. date", "doc date", "document date", "bill date", "datum", "rechnungsdatum",
		"belegdatum", "re datum", "re-datum", "rg datum", "dokumentdatum", "fecha", "fecha factura", "fecha de factura",
		"fecha documento", "fecha emisión", "fecha de emisión", "fecha fra", "f factura", "fecha doc",
		// "Rechnung … vom …": the invoice's date in a column of its own
		"vom", "datum vom", "dated", "de fecha")
	col(colGross, "gross", "gross amount", "invoice amount", "inv amount", "inv. amount", "original amount", "document amount",
		"invoice total", "amount due", "gross amt", "brutto", "bruttobetrag", "rechnungsbetrag", "re betrag", "re-betrag",
		"belegbetrag", "rechnungssumme", "betrag brutto", "importe bruto", "importe factura", "total factura", "importe original",
		"importe documento", "importe fra", "bruto")
	col(colAmount, "amount", "amt", "betrag", "importe", "value", "wert", "valor", "sum", "summe")
	col(colDiscount, "discount", "discounts", "cash discount", "disc", "disc.", "discount taken", "discount amount", "early payment discount",
		"skonto", "skontobetrag", "skonto betrag", "abzug skonto", "rabatt", "descuento", "dto", "dto.", "dto pp", "descuento pronto pago",
		"pronto pago", "desc", "desc.", "dcto", "dcto.", "descuentos", "dto p p", "dto pronto pago", "desc p p", "descuento p p",
		"dcto pronto pago", "desc pronto pago", "skontoabzug", "cash disc", "disc taken", "discount amt", "descuento pp", "pmt disc", "pmt disc amount", "payment discount", "pmt discount", "payment discount amount", "disc amount")
	col(colDeduct, "deduction", "deductions", "deduction amount", "adjustment", "adjustments", "withholding", "withheld",
		"short pay", "short paid", "chargeback", "abzug", "abzüge", "abzuege", "kürzung", "kuerzung", "kürzungen", "einbehalt",
		"sonstige abzüge", "deducción", "deduccion", "deducciones", "retención", "retencion", "ajuste", "ajustes", "cargo",
		"irpf", "ret irpf", "retención irpf", "retencion irpf", "ret", "retenciones", "withholding tax", "wht", "tax withheld", "quellensteuer")
	col(colPaid, "paid", "amount paid", "paid amount", "net paid", "net amount", "net", "payment", "payment amount", "amount remitted",
		"remitted", "net payment", "amount paid net", "paid amt", "pay amount", "net amt",
		"zahlbetrag", "bezahlt", "gezahlt", "zahlung", "überwiesen", "ueberwiesen", "überweisungsbetrag", "auszahlungsbetrag",
		"nettobetrag", "netto", "zahlungsbetrag", "betrag gezahlt", "gezahlter betrag", "bezahlter betrag",
		"auszahlung", "ausgleichsbetrag", "überweisung", "ueberweisung", "amount settled", "settled amount",
		"importe abonado", "abonado", "importe transferido", "importe pagado", "pagado", "importe neto", "neto", "importe a pagar", "a pagar", "líquido", "liquido", "importe líquido",
		"pago", "importe pago", "total pagado", "neto pagado")
	col(colReason, "reason", "remark", "remarks", "comment", "comments", "note", "notes", "deduction reason", "reason code",
		"grund", "bemerkung", "bemerkungen", "kommentar", "abzugsgrund", "kürzungsgrund", "hinweis", "motivo", "observaciones",
		"observación", "comentario", "comentarios", "motivo deducción", "concepto")
	col(colType, "type", "doc type", "document type", "doc. type", "art", "belegart", "typ", "dokumentart", "tipo", "clase", "tipo doc", "tipo documento")
	col(colCurrency, "currency", "curr", "curr.", "ccy", "cur", "währung", "waehrung", "whrg", "wahrung", "moneda", "divisa", "mon")
	col(colIgnore, "due date", "due", "net due date", "fälligkeit", "fällig", "faellig", "nettofälligkeit", "fälligkeitsdatum", "vencimiento",
		"fecha vencimiento", "fecha de vencimiento", "vto", "po", "po number", "po no", "purchase order", "order", "order no", "bestellung",
		"bestellnr", "bestellnummer", "auftrag", "auftragsnr", "pedido", "nº pedido", "n pedido", "open amount", "open", "balance",
		"offen", "offener betrag", "saldo", "pendiente", "importe pendiente", "description", "text", "beschreibung", "buchungstext",
		"descripción", "descripcion", "detalle", "pos", "pos.", "position", "item", "line", "#", "nr", "no", "nº", "vat", "tax",
		"mwst", "ust", "iva", "steuer", "impuesto",
		"skontosatz", "skonto satz", "discount rate", "disc rate", "tipo retencion", "tipo de retencion", "buchungskreis", "company code",
		"sociedad", "payee", "payee name", "vendor", "supplier", "lieferant", "proveedor",
		"lfd", "lfd nr", "laufende nr", "line no", "base imponible", "base", "cuota iva", "still owing", "amount owing", "remaining", "restbetrag")

	fl := func(f string, labels ...string) {
		for _, l := range labels {
			fieldLabels[labelKey(l)] = f
		}
	}
	fl(fieldPayer, "payer", "paid by", "payor", "from", "remitter", "customer", "customer name", "sender", "ordering party",
		"originator", "debtor", "company", "zahler", "auftraggeber", "zahlungspflichtiger", "absender", "kunde", "kundenname",
		"ordenante", "pagador", "remitente", "cliente", "emisor", "deudor", "payer name", "name of payer", "ordering customer",
		"name des auftraggebers", "auftraggeber name", "nombre del ordenante")
	fl(fieldPayee, "payee", "paid to", "to", "pay to", "pay to the order of", "remit to", "account holder", "kontoinhaber", "titular", "titular de la cuenta", "beneficiary", "vendor", "supplier", "creditor", "recipient", "empfänger", "zahlungsempfänger",
		"begünstigter", "lieferant", "kreditor", "beneficiario", "proveedor", "destinatario", "acreedor", "vendor name", "supplier name",
		"lieferantennr", "vendor no", "vendor number", "supplier no", "nº proveedor", "kreditorennr", "vendor id")
	fl(fieldDate, "payment date", "date of payment", "value date", "pay date", "paid on", "payment made on", "check date", "cheque date",
		"transfer date", "execution date", "settlement date", "remittance date", "advice date", "date paid", "payment value date",
		"zahlungsdatum", "valuta", "valutadatum", "wertstellung", "ausführungsdatum", "ausfuehrungsdatum", "überweisungsdatum",
		"zahldatum", "zahlungstag", "buchungsdatum", "datum der zahlung", "avisdatum", "ausgleichsdatum", "clearing date",
		"fecha de pago", "fecha pago", "fecha valor", "fecha de ejecución", "fecha de transferencia", "fecha de abono", "fecha abono",
		"fecha del pago", "fecha de la transferencia", "fecha operación", "fecha de operación")
	// Labels of the head that hold none of its fields; listed so a shorter
	// label inside them ("Company" of "Company code") is not taken.
	fl(fieldOther, "company code", "company id", "customer no", "customer number", "customer id", "kundennr", "kundennummer",
		"debitorennr", "debitor", "nº cliente", "n cliente", "código cliente", "account", "account no", "account number", "konto",
		"kontonummer", "iban", "bic", "swift", "cuenta", "buchungskreis", "sociedad", "mandant", "customer account", "page", "seite", "página")
	fl(fieldDateLow, "date", "datum", "fecha")
	fl(fieldRef, "payment reference", "reference", "ref", "payment ref", "payment no", "payment number", "payment id", "remittance no",
		"remittance number", "remittance reference", "advice no", "advice number", "check no", "check number", "check #", "cheque no",
		"cheque number", "transaction id", "transaction reference", "transaction no", "eft no", "eft number", "eft reference",
		"bank reference", "end to end reference", "end to end id", "document no",
		"referenz", "zahlungsreferenz", "zahlungsnummer", "zahlungsnr", "zahlungsbeleg", "avisnummer", "avis nr",
		"belegnummer zahlung", "zahlungsbelegnr", "bankreferenz", "überweisungsreferenz",
		"referencia", "referencia de pago", "ref pago", "ref. pago", "nº de pago", "n de pago", "número de pago", "numero de pago",
		"nº pago", "referencia pago", "nº transferencia", "número de transferencia", "referencia transferencia", "nº remesa", "remesa",
		"belegnummer", "belegnr", "payment document", "payment document no", "payment doc", "payment doc no", "zahlungsbelegnummer",
		"ausgleichsbeleg", "trace number", "trace no", "ach trace", "ach trace number", "confirmation number", "confirmation no",
		"transaction number", "wire reference", "our payment ref", "our payment reference", "payment run", "zahllauf", "end to end referenz", "e2e referenz", "e2e reference", "referencia end to end", "documento de pago",
		"payment proposal", "payment proposal no", "zahlungsvorschlag", "propuesta de pago")
	// The payer's own reference: the payment's when nothing names it
	// better ("Our reference" beside "Payment No." is a file number).
	fl(fieldRefLow, "our reference", "our ref", "our ref.", "unsere referenz", "unser zeichen", "nuestra referencia", "nuestra ref")
	fl(fieldInfo, "verwendungszweck", "remittance information", "remittance info", "details of payment", "concepto",
		"concepto del pago", "unstructured remittance information")
	fl(fieldCur, "currency", "währung", "waehrung", "moneda", "divisa", "payment currency", "zahlungswährung")
	fl(fieldTotal, "total", "total amount", "total paid", "payment amount", "amount paid", "total payment", "amount", "grand total",
		"total remitted", "remittance amount", "remittance total", "check amount", "cheque amount", "net payment", "total net",
		"sum", "total sum", "totals", "net amount paid", "transfer amount", "amount transferred",
		"gesamt", "gesamtbetrag", "summe", "gesamtsumme", "endsumme", "zahlbetrag", "überweisungsbetrag", "ueberweisungsbetrag",
		"zahlungsbetrag", "betrag", "gesamt zahlbetrag", "summe zahlbetrag", "auszahlungsbetrag", "zahlungssumme",
		"importe total", "total pagado", "total general", "suma total", "total a pagar", "importe", "importe pagado",
		"importe de la transferencia", "importe transferencia", "suma", "total importe", "importe del pago", "total pago")
}

// A head label made of a payment rail and a number word ("BACS
// Reference", "SPEI Ref.", "Nº de transferencia") names the payment's
// reference however the payer's system words it.
var (
	refRailWords = map[string]bool{"bacs": true, "chaps": true, "fps": true, "ach": true, "eft": true, "sepa": true, "wire": true,
		"swift": true, "spei": true, "mt103": true, "bank": true, "transfer": true, "transaction": true, "payment": true,
		"remittance": true, "check": true, "cheque": true, "zahlung": true, "zahlungs": true, "uberweisung": true,
		"ueberweisung": true, "uberweisungs": true, "ueberweisungs": true, "transferencia": true, "pago": true, "remesa": true,
		"operacion": true, "transaccion": true, "orden": true, "giro": true}
	refNumberWords = map[string]bool{"reference": true, "ref": true, "no": true, "number": true, "nr": true, "nummer": true,
		"id": true, "referenz": true, "referencia": true, "trace": true, "numero": true, "num": true, "n": true}
)

// composedRef reads such a label; fillers ("de", "of") may stand between.
func composedRef(key string) bool {
	ws := strings.Fields(key)
	if len(ws) < 2 || len(ws) > 4 {
		return false
	}
	first, last := ws[0], ws[len(ws)-1]
	return refRailWords[first] && refNumberWords[last] || refNumberWords[first] && refRailWords[last]
}

// codeWords name a code rather than an amount.
var codeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"code", "codes", "key", "schlüssel", "schluessel", "kennzeichen", "código", "clave", "id"} {
		m[labelKey(w)] = true
	}
	return m
}()

// titleWords say that a document is a remittance advice.
var titleWords = []string{
	"remittance advice", "payment advice", "remittance", "payment notification", "notice of payment", "advice of payment",
	"payment details", "payment remittance", "remittance statement", "payment confirmation", "avis de paiement",
	"zahlungsavis", "zahlungsavise", "zahlungsankündigung", "zahlungsankuendigung", "zahlungsbenachrichtigung", "zahlungsmitteilung",
	"zahlungsinformation", "überweisungsavis", "ueberweisungsavis", "avis", "zahlungsanzeige",
	"aviso de pago", "aviso de transferencia", "notificación de pago", "notificacion de pago", "detalle de pago", "detalle del pago",
	"comunicación de pago", "comunicacion de pago", "remesa de pago", "aviso de remesa", "confirmación de pago", "relación de facturas pagadas",
	"credit advice", "gutschriftsanzeige", "gutschriftanzeige", "zahlungseingang", "eingangsavis", "aviso de abono", "abono en cuenta",
	"notificación de abono", "carta de pago",
}

// carryWords mark carried-forward subtotals between pages: never a line.
var carryWords = []string{
	"carried forward", "brought forward", "balance forward", "carry forward", "c/f", "b/f", "subtotal", "sub total", "sub-total",
	"page total", "übertrag", "uebertrag", "vortrag", "zwischensumme", "seitensumme", "summe seite",
	"suma y sigue", "suma anterior", "transporte", "a la vuelta", "de la vuelta", "suma parcial", "subtotal página",
}

// totalWords start a total line at the end of the table.
var totalWords = []string{
	"total", "totals", "grand total", "sum", "gesamt", "gesamtbetrag", "summe", "gesamtsumme", "endsumme", "zahlbetrag gesamt",
	"importe total", "total general", "suma total", "suma", "total pagado", "total paid", "payment total", "total payment",
	"amount paid", "zahlungsbetrag", "überweisungsbetrag", "total a pagar", "net payment", "total remitted",
}

// creditWords mark a credit note line. The first two are loose ("credit"
// may be a reason) and only count in the type and number cells.
var creditWords = []string{
	"credit", "gutschr", "credit note", "credit memo", "gutschrift", "abono", "nota de crédito", "nota de credito", "nota de abono",
	"factura rectificativa", "rectificativa", "storno", "devolución", "devolucion", "rückvergütung",
}

// langWords count toward the document's language.
var langWords = map[string]string{
	"invoice": "en", "payment": "en", "amount": "en", "date": "en", "paid": "en", "total": "en", "the": "en", "reference": "en",
	"advice": "en", "remittance": "en", "discount": "en", "your": "en", "we": "en", "following": "en", "invoices": "en",
	"rechnung": "de", "zahlung": "de", "betrag": "de", "datum": "de", "summe": "de", "gesamt": "de", "skonto": "de", "und": "de",
	"der": "de", "die": "de", "ihre": "de", "wir": "de", "zahlungsavis": "de", "rechnungsnr": "de", "belegnr": "de", "folgende": "de",
	"factura": "es", "pago": "es", "importe": "es", "fecha": "es", "el": "es", "la": "es", "de": "es", "descuento": "es",
	"facturas": "es", "su": "es", "aviso": "es", "pagado": "es", "transferencia": "es", "los": "es", "las": "es",
}

// containsWord reports whether the folded text has w as whole words.
func containsWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordByte(text[j-1])
		after := j+len(w) >= len(text) || !isWordByte(text[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
		if i >= len(text) {
			return false
		}
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}

func hasAny(text string, words []string) bool {
	for _, w := range words {
		if containsWord(text, foldedWord(w)) {
			return true
		}
	}
	return false
}

// foldedWords caches fold of the vocabulary: hasAny runs for every cell
// and would fold the same few hundred words again each time.
var foldedWords sync.Map

func foldedWord(w string) string {
	if f, ok := foldedWords.Load(w); ok {
		return f.(string)
	}
	f := fold(w)
	foldedWords.Store(w, f)
	return f
}
