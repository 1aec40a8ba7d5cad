package ledger

import "strings"

// role is what an FBL5N column means to Dunner.
type role uint8

const (
	rNone role = iota
	rStatus
	rAccount
	rName
	rReference
	rDocNo
	rDocType
	rDocDate
	rDueDate
	rAmountLC // local (company-code) currency
	rCurrencyLC
	rAmountDC // document currency
	rCurrencyDC
	rClearingDoc
	rClearingDate
	rDunningBlock
	numRoles
)

var roleNames = [numRoles]string{
	"", "status", "account", "name", "reference", "document number", "document type", "document date",
	"net due date", "amount in local currency", "local currency", "amount in document currency",
	"document currency", "clearing document", "clearing date", "dunning block",
}

// headerSynonyms maps normalised FBL5N headers (see normHeader) to roles:
// the long and short field labels SAP GUI prints in German and English,
// which vary with release, layout and column width.
var headerSynonyms = map[string]role{}

func init() {
	add := func(r role, names ...string) {
		for _, n := range names {
			headerSynonyms[n] = r
		}
	}
	add(rStatus, "s", "st", "stat", "status", "icon", "ampel", "statusicon", "itemstatus", "postenstatus")
	add(rAccount, "konto", "account", "customer", "kunde", "kundennummer", "kundennr", "kdnr", "debitor",
		"debitorennr", "debitorennummer", "customerno", "customernumber", "custno", "accountno", "accountnumber",
		"acct", "kto", "kontonr", "kontonummer", "kunnr")
	add(rName, "name", "name1", "kundenname", "customername", "nameofcustomer", "accountname", "debitorname")
	add(rReference, "referenz", "reference", "ref", "referenznummer", "referenceno", "referencenumber",
		"xblnr", "referenzbelegnummer")
	add(rDocNo, "belegnummer", "belegnr", "beleg", "documentno", "documentnumber", "docno", "docnumber",
		"document", "docnr", "belnr", "dokumentnummer", "docmntno", "documentnr")
	add(rDocType, "belegart", "ba", "documenttype", "doctype", "type", "typ", "docty", "blart", "art", "bart")
	add(rDocDate, "belegdatum", "belegdat", "documentdate", "docdate", "docdt", "bldat", "invoicedate",
		"rechnungsdatum")
	add(rDueDate, "nettofaelligkeit", "nettofaelligk", "nettofaell", "nettofaelligkeitsdatum", "netduedate",
		"netduedt", "netdue", "duenet", "duedate", "faelligkeit", "faelligkeitsdatum", "faelligam",
		"faellig", "nettofaelligkeitdatum", "netdued")
	add(rAmountLC, "betraginhw", "betraghw", "betrinhw", "betrghw", "betraginhauswaehrung",
		"amountinlocalcurrency", "amountinlc", "amtinloccur", "amtinloccurr", "amountlc", "lcamount",
		"amountinloccurr", "amountinloccurrency", "amtinlc", "amountinloccur", "dmbtr")
	add(rCurrencyLC, "hauswaehrung", "hwaehr", "hwaehrung", "hwae", "hw", "localcurrency", "lcurr", "lcur",
		"loccurr", "loccur", "lc", "localcrcy", "lcrcy", "lccurrency")
	add(rAmountDC, "betraginbw", "betragbw", "betrinbw", "betrgbw", "betraginbelegwaehrung",
		"amountindoccurr", "amountindoccurrency", "amountindocumentcurrency", "amountindc", "amtindoccur",
		"amtindoccurr", "amountdc", "dcamount", "amtindc", "wrbtr", "amount", "betrag", "amt")
	add(rCurrencyDC, "waehrung", "belegwaehrung", "bwaehr", "bwaehrung", "waehr", "documentcurrency",
		"doccurrency", "doccurr", "doccur", "curr", "currency", "crcy", "waers", "doccrcy", "dcurr", "cur")
	add(rClearingDoc, "ausgleichsbeleg", "ausglbel", "ausglbeleg", "ausgleichsbel", "clearingdocument",
		"clearingdoc", "clrngdoc", "clrdoc", "augbl", "clearingdocno")
	add(rClearingDate, "ausgleich", "ausgleichsdatum", "ausgldat", "ausgldatum", "clearing", "clearingdate",
		"clrngdate", "clrdate", "augdt")
	add(rDunningBlock, "mahnsperre", "msp", "mahnsp", "mahnspe", "dunningblock", "dunnblock", "dunnblk",
		"dunningblk", "dunblk", "mansp", "dunnblck")
}

// normHeader folds a header to lower-case ASCII letters and digits: "Net due
// dt." → "netduedt", "Nettofälligkeit" → "nettofaelligkeit".
func normHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		}
	}
	return b.String()
}

// classifyHeader finds the role of a header: the synonym table first, then
// word parts, for the abbreviations a narrow column gets.
func classifyHeader(h string) role {
	n := normHeader(h)
	if n == "" {
		return rNone
	}
	if r, ok := headerSynonyms[n]; ok {
		return r
	}
	has := func(parts ...string) bool {
		for _, p := range parts {
			if strings.Contains(n, p) {
				return true
			}
		}
		return false
	}
	local := has("hw", "loc", "haus", "lc")
	switch {
	case has("mahnsp", "dunningbl", "dunnbl"):
		return rDunningBlock
	case has("faellig", "faell", "netdue", "duenet", "duedate"):
		return rDueDate
	case has("ausgl", "clearing", "clrng"):
		if has("dat", "date", "dt") {
			return rClearingDate
		}
		return rClearingDoc
	case has("betrag", "betr", "amount", "amt"):
		if local {
			return rAmountLC
		}
		return rAmountDC
	case has("waehr", "curr", "crcy"):
		if local {
			return rCurrencyLC
		}
		return rCurrencyDC
	case has("belegdat", "docdate", "documentdate"):
		return rDocDate
	case has("belegnr", "belegnummer", "documentno", "documentnumber", "docno"):
		return rDocNo
	case has("belegart", "documenttype", "doctype"):
		return rDocType
	case has("referenz", "reference"):
		return rReference
	}
	return rNone
}
