package agent

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"
)

// Match rules: how a remittance line was tied to an open item, strongest
// first.
const (
	RuleExact      = "exact"      // the invoice number as printed equals the item's
	RuleNormalised = "normalised" // equal after case, separators, prefixes and leading zeros
	RuleAmount     = "amount"     // the number is unreadable or unknown; the amount names the item
	RuleReference  = "reference"  // a remittance without lines: invoice numbers in the payment reference
	RuleUnmatched  = "unmatched"  // no item found; a collector must look
)

// Match outcomes: what the payment does to the item.
const (
	OutcomePaid     = "paid"      // paid in full
	OutcomeDiscount = "discount"  // paid less a cash discount within terms
	OutcomeShortPay = "short_pay" // paid less a deduction: a task for a collector
	OutcomeOverPay  = "over_pay"  // more than the open amount
	OutcomeNone     = "none"      // unmatched
)

// MatchOptions are the tolerances of MatchRemittance.
type MatchOptions struct {
	// CustomerID limits the match to one customer's items when the payer is
	// known. Empty: the payer is inferred from the lines that match by
	// number, or from the payer's name.
	CustomerID string
	// DiscountPercent is the largest cash discount a gap may be read as,
	// as a fraction (0.03 for 3 %). Zero: a gap is never an inferred
	// discount, only a printed discount column counts.
	DiscountPercent decimal.Decimal
	// DiscountDays is the discount period: a discount is within terms when
	// the payment date is at most this many days after the invoice's issue
	// date. Zero: no period is checked.
	DiscountDays int
	// Tolerance is the difference still taken as equal (bank rounding,
	// e.g. 0.01). Zero: amounts must agree to the cent.
	Tolerance decimal.Decimal
}

// Match ties remittance lines to one open item and says why, so that a
// collector can accept or reject it without redoing the work.
type Match struct {
	// Lines are indexes into Remittance.Lines: several when the document
	// lists one invoice twice, none for a match found in the reference.
	Lines []int
	// Invoice is the number as the remittance printed it.
	Invoice string
	// Item is the matched open item (an element of the slice given to
	// MatchRemittance), nil when unmatched.
	Item *OpenItem
	Rule string
	// Fields are the facts that agreed: invoice, invoice_normalised,
	// invoice_similar, amount, invoice_date, customer, currency,
	// several_invoices.
	Fields     []string
	Confidence float64
	Outcome    string
	// Paid, Discount and Deduction settle the item: Paid + Discount +
	// Deduction = the item's open amount unless Outcome is over_pay.
	Paid            decimal.Decimal
	Discount        decimal.Decimal
	Deduction       decimal.Decimal
	DeductionReason string
	// Review is set when a person must decide: a short or over payment, a
	// discount outside terms, an unmatched line.
	Review bool
	// Note explains the match in one sentence for the review queue.
	Note string
}

// MatchRemittance ties the lines of r to open items. It tries, in order of
// strength, the exact number, the normalised number, and the amount; a line
// naming several invoices pays them together; the gap between open and paid
// becomes a discount (within terms) or a deduction to review. No item is
// matched twice, and the result does not depend on the order of the lines:
// candidates are ranked by score and by the lines' content, never by their
// position. Unmatched lines come back with Rule "unmatched".
func MatchRemittance(r *Remittance, open []OpenItem, opts MatchOptions) []Match {
	m := newMatcher(r, open, opts)
	m.byNumber()
	m.bySeveralNumbers()
	m.byAmount()
	m.byReference()
	return m.result()
}

// entry is one invoice of the remittance: the lines printing the same
// number, added up.
type entry struct {
	lines                            []int
	invoice                          string
	norm, core                       string
	paid, gross, discount, deduction *decimal.Decimal
	reason                           string
	date                             Date
	key                              string // content key for a stable order
	matched                          bool
	matches                          []Match
}

type matcher struct {
	r        *Remittance
	opts     MatchOptions
	items    []*OpenItem // candidates: invoices and credit notes in the currency
	used     map[*OpenItem]bool
	entries  []*entry
	payers   map[string]bool // customers the payer is believed to be
	docScale float64
	// coreCount counts the items per invoiceCore: a core is evidence only
	// when one item has it.
	coreCount map[string]int
}

func newMatcher(r *Remittance, open []OpenItem, opts MatchOptions) *matcher {
	m := &matcher{r: r, opts: opts, used: map[*OpenItem]bool{}, payers: map[string]bool{}, docScale: 1}
	if r.Confidence > 0 && r.Confidence < 1 {
		m.docScale = 0.5 + 0.5*r.Confidence
	}
	for i := range open {
		it := &open[i]
		if it.DocType == DocPayment {
			continue // unapplied cash is not what a remittance pays
		}
		if opts.CustomerID != "" && it.CustomerID != opts.CustomerID {
			continue
		}
		if r.Currency != "" && it.Currency != "" && !strings.EqualFold(r.Currency, it.Currency) {
			continue
		}
		m.items = append(m.items, it)
	}
	// Items in key order, so every tie below breaks the same way whatever
	// order the ledger came in.
	sort.SliceStable(m.items, func(i, j int) bool { return itemLess(m.items[i], m.items[j]) })
	if opts.CustomerID != "" {
		m.payers[opts.CustomerID] = true
	}
	m.coreCount = map[string]int{}
	for _, it := range m.items {
		if c := invoiceCore(it.Invoice); c != "" {
			m.coreCount[c]++
		}
	}

	byInvoice := map[string]*entry{}
	for i, l := range r.Lines {
		inv := strings.TrimSpace(l.Invoice)
		var e *entry
		if inv != "" {
			e = byInvoice[inv]
		}
		if e == nil {
			e = &entry{invoice: inv, norm: NormaliseInvoice(inv), core: invoiceCore(inv)}
			if inv != "" {
				byInvoice[inv] = e
			}
			m.entries = append(m.entries, e)
		}
		e.lines = append(e.lines, i)
		e.paid = addOpt(e.paid, l.Paid)
		e.gross = addOpt(e.gross, l.Gross)
		e.discount = addOpt(e.discount, l.Discount)
		e.deduction = addOpt(e.deduction, l.Deduction)
		if l.DeductionReason != "" && !strings.Contains(e.reason, l.DeductionReason) {
			if e.reason != "" {
				e.reason += "; "
			}
			e.reason += l.DeductionReason
		}
		if e.date == 0 || (l.InvoiceDate != 0 && l.InvoiceDate < e.date) {
			e.date = l.InvoiceDate
		}
	}
	for _, e := range m.entries {
		e.key = entryKey(e)
	}
	sort.SliceStable(m.entries, func(i, j int) bool { return m.entries[i].key < m.entries[j].key })
	return m
}

// addOpt adds b to a where both may be unknown; one known side wins.
func addOpt(a, b *decimal.Decimal) *decimal.Decimal {
	switch {
	case b == nil:
		return a
	case a == nil:
		v := *b
		return &v
	}
	v := a.Add(*b)
	return &v
}

// entryKey is the entry's content, so that sorting by it orders entries the
// same way whatever the order of the lines.
func entryKey(e *entry) string {
	f := func(d *decimal.Decimal) string {
		if d == nil {
			return "~"
		}
		return d.String()
	}
	return strings.Join([]string{e.norm, e.invoice, f(e.paid), f(e.gross), f(e.discount), f(e.deduction), e.date.String(), e.reason}, "\x00")
}

// payment is what the entry says was paid: the paid column, else gross less
// discount and deduction, else nil.
func (e *entry) payment() *decimal.Decimal {
	if e.paid != nil {
		return e.paid
	}
	if e.gross == nil {
		return nil
	}
	p := *e.gross
	if e.discount != nil {
		p = p.Sub(*e.discount)
	}
	if e.deduction != nil {
		p = p.Sub(*e.deduction)
	}
	return &p
}

func itemLess(a, b *OpenItem) bool {
	if a.CustomerID != b.CustomerID {
		return a.CustomerID < b.CustomerID
	}
	if a.Invoice != b.Invoice {
		return a.Invoice < b.Invoice
	}
	if a.DocType != b.DocType {
		return a.DocType < b.DocType
	}
	return a.Entity < b.Entity
}

// candidate is a possible (entry, item) pair with its score.
type candidate struct {
	e      *entry
	it     *OpenItem
	rule   string
	fields []string
	score  float64
}

// assign takes candidates best first and keeps a pair only while both sides
// are free: a greedy assignment that depends on scores and content only.
func (m *matcher) assign(cands []candidate) {
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if a.e.key != b.e.key {
			return a.e.key < b.e.key
		}
		return itemLess(a.it, b.it)
	})
	for _, c := range cands {
		if c.e.matched || m.used[c.it] {
			continue
		}
		m.claim(c.e, c.it, c.rule, c.fields, c.score, c.e.payment(), c.e.invoice, false)
	}
}

// byNumber matches entries whose number names an item, exactly or
// normalised. An amount that agrees breaks ties between items sharing a
// number (an invoice and its credit note, two customers).
func (m *matcher) byNumber() {
	var cands []candidate
	for _, e := range m.entries {
		if e.invoice == "" {
			continue
		}
		for _, it := range m.items {
			rule, fields, score := numberRule(e.invoice, e.norm, e.core, it, m.coreCount)
			if rule == "" {
				continue
			}
			fields, score = m.amountFit(e, it, fields, score)
			cands = append(cands, candidate{e, it, rule, fields, score})
		}
	}
	m.assign(cands)
	m.inferPayers()
}

// numberRule compares one printed number with an item's.
func numberRule(inv, norm, core string, it *OpenItem, coreCount map[string]int) (string, []string, float64) {
	switch {
	case inv == strings.TrimSpace(it.Invoice):
		return RuleExact, []string{"invoice"}, 1.0
	case norm != "" && norm == NormaliseInvoice(it.Invoice):
		return RuleNormalised, []string{"invoice_normalised"}, 0.95
	case core != "" && len(core) >= 2 && core == invoiceCore(it.Invoice) && coreCount[core] == 1:
		// A core shared by two items (R-42 and G-42) says nothing.
		return RuleNormalised, []string{"invoice_normalised"}, 0.9
	}
	return "", nil, 0
}

// amountFit adds what the amounts say about a pair to its score: a small
// bonus when they agree so that among equal numbers the right item wins,
// and the sign (a credit line to a credit note).
func (m *matcher) amountFit(e *entry, it *OpenItem, fields []string, score float64) ([]string, float64) {
	p := e.payment()
	if p != nil {
		s := m.settle(e, it, *p)
		if s.outcome == OutcomePaid || s.outcome == OutcomeDiscount && !s.review {
			fields = append(fields, "amount")
			score += 0.02
		}
		if p.IsNegative() == it.OpenAmount.IsNegative() {
			score += 0.01
		}
	}
	if e.date != 0 && e.date == it.IssueDate {
		fields = append(fields, "invoice_date")
		score += 0.005
	}
	if m.payers[it.CustomerID] {
		score += 0.003
	}
	return fields, score
}

// inferPayers takes the customers of the number matches as the payer, for
// the amount rule: an amount alone must not reach another customer's items.
// Without any, the payer's printed name picks the customer.
func (m *matcher) inferPayers() {
	if m.opts.CustomerID != "" {
		return
	}
	for _, e := range m.entries {
		for _, mt := range e.matches {
			if mt.Item != nil {
				m.payers[mt.Item.CustomerID] = true
			}
		}
	}
	if len(m.payers) > 0 || m.r.Payer == "" {
		return
	}
	payer := companyKey(m.r.Payer)
	if payer == "" {
		return
	}
	for _, it := range m.items {
		if n := companyKey(it.CustomerName); n != "" && (n == payer || strings.Contains(n, payer) || strings.Contains(payer, n)) {
			m.payers[it.CustomerID] = true
		}
	}
}

// bySeveralNumbers splits a number cell like "R-1, R-2 / R-3" (one payment
// for many invoices) and matches each part; the payment is spread over
// them, oldest item first.
func (m *matcher) bySeveralNumbers() {
	for _, e := range m.entries {
		if e.matched || e.invoice == "" {
			continue
		}
		parts := splitInvoices(e.invoice)
		if len(parts) < 2 {
			continue
		}
		var found []*OpenItem
		var rules []string
		for _, p := range parts {
			var best *OpenItem
			bestRule, bestScore := "", 0.0
			for _, it := range m.items {
				if m.used[it] || contains(found, it) {
					continue
				}
				rule, _, score := numberRule(p, NormaliseInvoice(p), invoiceCore(p), it, m.coreCount)
				if rule != "" && score > bestScore {
					best, bestRule, bestScore = it, rule, score
				}
			}
			if best == nil {
				found = nil
				break // all or nothing: a half-read list is for a person
			}
			found = append(found, best)
			rules = append(rules, bestRule)
		}
		if len(found) < 2 {
			continue
		}
		m.spread(e, found, rules, parts)
	}
}

func contains(s []*OpenItem, it *OpenItem) bool {
	for _, x := range s {
		if x == it {
			return true
		}
	}
	return false
}

// spread settles several items from one payment: each in full, in due-date
// order, and what is missing falls on the last.
func (m *matcher) spread(e *entry, items []*OpenItem, rules, parts []string) {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := items[order[a]], items[order[b]]
		if x.DueDate != y.DueDate {
			return x.DueDate < y.DueDate
		}
		return itemLess(x, y)
	})
	p := e.payment()
	var left decimal.Decimal
	if p != nil {
		left = *p
	}
	for k, i := range order {
		it := items[i]
		pay := it.OpenAmount
		if p != nil && (k == len(order)-1 || pay.GreaterThan(left)) {
			pay = left
		}
		left = left.Sub(pay)
		conf := 0.9
		if rules[i] == RuleExact {
			conf = 0.95
		}
		var pp *decimal.Decimal
		if p != nil {
			pp = &pay
		}
		m.claim(e, it, rules[i], []string{"invoice", "several_invoices"}, conf, pp, parts[i], k < len(order)-1)
	}
}

// byAmount matches what numbers could not: an entry whose amount equals the
// open amount of exactly one free item of the payer, and that item is the
// only candidate of exactly one entry, so no choice is made by order. A
// printed number within one character of the item's raises the confidence.
func (m *matcher) byAmount() {
	type pair struct {
		e  *entry
		it *OpenItem
	}
	var pairs []pair
	perItem := map[*OpenItem]int{}
	for _, e := range m.entries {
		if e.matched {
			continue
		}
		p := e.payment()
		if p == nil {
			continue
		}
		var hits []*OpenItem
		for _, it := range m.items {
			if m.used[it] || !m.payerOK(it) {
				continue
			}
			if m.amountNames(e, it, *p) {
				hits = append(hits, it)
			}
		}
		if len(hits) != 1 {
			continue
		}
		pairs = append(pairs, pair{e, hits[0]})
		perItem[hits[0]]++
	}
	for _, pr := range pairs {
		if perItem[pr.it] != 1 {
			continue
		}
		fields := []string{"amount"}
		score := 0.6
		if len(m.payers) == 0 {
			score = 0.5 // the payer is not known: any customer's item could be meant
		} else {
			fields = append(fields, "customer")
		}
		if pr.e.invoice != "" && similar(pr.e.norm, NormaliseInvoice(pr.it.Invoice)) {
			fields = append(fields, "invoice_similar")
			score += 0.15
		}
		if pr.e.date != 0 && pr.e.date == pr.it.IssueDate {
			fields = append(fields, "invoice_date")
			score += 0.1
		}
		m.claim(pr.e, pr.it, RuleAmount, fields, score, pr.e.payment(), pr.e.invoice, false)
	}
}

func (m *matcher) payerOK(it *OpenItem) bool {
	return len(m.payers) == 0 || m.payers[it.CustomerID]
}

// amountNames reports whether an entry's amounts single out the item: the
// payment, the gross, or the payment plus a printed discount equals the open
// amount.
func (m *matcher) amountNames(e *entry, it *OpenItem, p decimal.Decimal) bool {
	if m.eq(p, it.OpenAmount) {
		return true
	}
	if e.gross != nil && (m.eq(*e.gross, it.OpenAmount) || it.Amount != nil && m.eq(*e.gross, *it.Amount)) {
		return true
	}
	return false
}

func (m *matcher) eq(a, b decimal.Decimal) bool {
	return a.Sub(b).Abs().LessThanOrEqual(m.opts.Tolerance)
}

// byReference reads a remittance without lines: the payment reference often
// lists the invoices ("RE 4711 4712"). Each number found is matched and the
// total spread over them.
func (m *matcher) byReference() {
	if len(m.r.Lines) > 0 || m.r.PaymentReference == "" {
		return
	}
	var found []*OpenItem
	var rules, parts []string
	for _, tok := range splitInvoices(m.r.PaymentReference) {
		for _, it := range m.items {
			if m.used[it] || contains(found, it) {
				continue
			}
			if rule, _, _ := numberRule(tok, NormaliseInvoice(tok), invoiceCore(tok), it, m.coreCount); rule != "" {
				found = append(found, it)
				rules = append(rules, rule)
				parts = append(parts, tok)
				break
			}
		}
	}
	if len(found) == 0 {
		return
	}
	e := &entry{invoice: m.r.PaymentReference, paid: m.r.Total}
	m.entries = append(m.entries, e)
	m.spread(e, found, rules, parts)
	for i := range e.matches {
		e.matches[i].Rule = RuleReference
		e.matches[i].Confidence *= 0.85
		e.matches[i].Fields = []string{"payment_reference"}
	}
}

// claim records a match of e to it and settles the amounts.
func (m *matcher) claim(e *entry, it *OpenItem, rule string, fields []string, score float64, paid *decimal.Decimal, invoice string, partOfMany bool) {
	m.used[it] = true
	e.matched = true
	mt := Match{
		Lines:   append([]int(nil), e.lines...),
		Invoice: invoice,
		Item:    it,
		Rule:    rule,
		Fields:  dedupe(fields),
	}
	if score > 1 {
		score = 1
	}
	var s settlement
	if paid == nil {
		// The line names the invoice but prints no amount: it says the
		// invoice is paid, which a person should confirm.
		s = settlement{paid: it.OpenAmount, outcome: OutcomePaid}
		score *= 0.85
		mt.Note = "no amount printed; taken as paid in full"
	} else {
		s = m.settle(e, it, *paid)
		if partOfMany && s.outcome == OutcomeShortPay {
			s.review = true
		}
	}
	if s.review {
		score *= 0.9
	}
	mt.Confidence = round3(score * m.docScale)
	mt.Outcome, mt.Paid, mt.Discount, mt.Deduction, mt.DeductionReason, mt.Review = s.outcome, s.paid, s.discount, s.deduction, s.reason, s.review
	if mt.Note == "" {
		mt.Note = s.note
	}
	if mt.Note == "" {
		mt.Note = describe(&mt)
	}
	e.matches = append(e.matches, mt)
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		dup := false
		for _, y := range out {
			dup = dup || x == y
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// settlement is how a payment settles one item.
type settlement struct {
	paid, discount, deduction decimal.Decimal
	reason, outcome, note     string
	review                    bool
}

// settle splits the item's open amount into paid, discount and deduction.
// Amounts are compared on the item's side of zero so a credit note (open
// −100, paid −100) reads like an invoice.
func (m *matcher) settle(e *entry, it *OpenItem, paid decimal.Decimal) settlement {
	s := settlement{paid: paid, outcome: OutcomePaid}
	sign := decimal.NewFromInt(1)
	if it.OpenAmount.IsNegative() {
		sign = sign.Neg()
	}
	open := it.OpenAmount.Mul(sign)
	p := paid.Mul(sign)
	gap := open.Sub(p)
	if m.eq(gap, decimal.Zero) {
		return s
	}
	if gap.IsNegative() {
		s.outcome, s.review = OutcomeOverPay, true
		s.note = fmt.Sprintf("paid %s more than the open amount", gap.Neg().String())
		return s
	}
	disc, ded := decimal.Zero, decimal.Zero
	explicitDisc := e.discount != nil && !e.discount.IsZero()
	if explicitDisc {
		disc = e.discount.Abs()
	}
	if e.deduction != nil && !e.deduction.IsZero() {
		ded = e.deduction.Abs()
	}
	rest := gap.Sub(disc).Sub(ded)
	inTerms, why := m.inTerms(it)
	switch {
	case m.eq(rest, decimal.Zero):
	case rest.IsPositive() && !explicitDisc && m.opts.DiscountPercent.IsPositive() && inTerms &&
		rest.LessThanOrEqual(open.Mul(m.opts.DiscountPercent).Add(m.opts.Tolerance)):
		disc = rest
		s.note = "gap read as a cash discount within terms"
	case rest.IsPositive():
		ded = ded.Add(rest)
	default:
		// The printed columns give away more than the gap: they do not
		// add up, so a person checks the line.
		s.review = true
		s.note = "printed discount and deduction exceed the gap"
		if disc.GreaterThan(gap) {
			disc = gap
			ded = decimal.Zero
		} else {
			ded = gap.Sub(disc)
		}
	}
	if disc.IsPositive() {
		s.outcome = OutcomeDiscount
		over := m.opts.DiscountPercent.IsPositive() && disc.GreaterThan(open.Mul(m.opts.DiscountPercent).Add(m.opts.Tolerance))
		if !inTerms || over {
			s.review = true
			if over {
				why = "discount above the agreed rate"
			}
			s.note = why
		}
	}
	if ded.IsPositive() {
		s.outcome, s.review = OutcomeShortPay, true
		s.reason = e.reason
		if s.reason == "" {
			s.reason = "short payment"
		}
	}
	s.discount, s.deduction = disc.Mul(sign), ded.Mul(sign)
	return s
}

// inTerms checks the discount period against the payment date.
func (m *matcher) inTerms(it *OpenItem) (bool, string) {
	if m.opts.DiscountDays <= 0 || m.r.PaymentDate == 0 || it.IssueDate == 0 {
		return true, ""
	}
	if d := m.r.PaymentDate.Sub(it.IssueDate); d > m.opts.DiscountDays {
		return false, fmt.Sprintf("discount taken %d days after the invoice date, terms allow %d", d, m.opts.DiscountDays)
	}
	return true, ""
}

func describe(mt *Match) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s matched %s by %s (%s)", mt.Invoice, mt.Item.Invoice, mt.Rule, strings.Join(mt.Fields, ", "))
	switch mt.Outcome {
	case OutcomeDiscount:
		fmt.Fprintf(&b, "; discount %s", mt.Discount.String())
	case OutcomeShortPay:
		fmt.Fprintf(&b, "; short by %s: %s", mt.Deduction.String(), mt.DeductionReason)
	}
	return b.String()
}

// result lists every match and then every unmatched entry, in an order
// given by the items and the lines' content only.
func (m *matcher) result() []Match {
	var out []Match
	for _, e := range m.entries {
		if e.matched {
			out = append(out, e.matches...)
			continue
		}
		if len(e.lines) == 0 {
			continue
		}
		mt := Match{
			Lines: append([]int(nil), e.lines...), Invoice: e.invoice, Rule: RuleUnmatched,
			Outcome: OutcomeNone, Review: true, Note: "no open item found for this line",
		}
		if p := e.payment(); p != nil {
			mt.Paid = *p
		}
		out = append(out, mt)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Item == nil) != (b.Item == nil) {
			return a.Item != nil
		}
		if a.Item != nil {
			return itemLess(a.Item, b.Item)
		}
		return false // unmatched entries keep the entries' content order
	})
	return out
}

// NormaliseInvoice reduces an invoice number to its letters and digits in
// upper case: "inv 2026/0042" and "INV-2026-0042" agree.
func NormaliseInvoice(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// invoicePrefixes are words that stand before a number without being part
// of it: "Invoice 4711", "RE-4711", "Rechnung Nr. 4711", "Fra. 4711".
var invoicePrefixes = map[string]bool{
	"INV": true, "INVOICE": true, "INVNO": true, "NO": true, "NR": true, "NUM": true, "NUMBER": true,
	"RE": true, "RG": true, "RN": true, "RECHNUNG": true, "RECHNUNGSNR": true, "RECHNR": true, "R": true,
	"FA": true, "FAC": true, "FACT": true, "FACTURA": true, "FRA": true, "F": true, "FV": true, "N": true,
	"DOC": true, "BELEG": true, "BELEGNR": true, "REF": true, "NRO": true, "Nº": true, "NO.": true,
}

// invoiceCore drops prefix words and leading zeros of every digit group:
// "RE-2026-0042" and "2026/42" both give "2026.42". Used only when the core
// is unique among the open items.
func invoiceCore(s string) string {
	var groups []string
	var cur []rune
	kind := 0 // 1 letters, 2 digits
	flush := func() {
		if len(cur) > 0 {
			groups = append(groups, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range strings.ToUpper(s) {
		k := 0
		switch {
		case unicode.IsLetter(r):
			k = 1
		case unicode.IsDigit(r):
			k = 2
		}
		if k != kind || k == 0 {
			flush()
		}
		kind = k
		if k != 0 {
			cur = append(cur, r)
		}
	}
	flush()
	// Drop leading letter groups that are prefixes; keep a letter group
	// that is part of the number (e.g. "2026A").
	for len(groups) > 1 && invoicePrefixes[groups[0]] && !isDigits(groups[0]) {
		groups = groups[1:]
	}
	for i, g := range groups {
		if isDigits(g) {
			g = strings.TrimLeft(g, "0")
			if g == "" {
				g = "0"
			}
			groups[i] = g
		}
	}
	hasDigit := false
	for _, g := range groups {
		hasDigit = hasDigit || isDigits(g)
	}
	if !hasDigit {
		return ""
	}
	return strings.Join(groups, ".")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// splitInvoices splits a cell or reference naming several invoices. Only
// tokens holding a digit count: "RE 4711 und 4712" gives 4711 and 4712, and
// a prefix standing alone is carried to the number after it.
func splitInvoices(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '+' || r == '&' || r == '|' || unicode.IsSpace(r) || r == '/'
	})
	var out []string
	for _, t := range f {
		t = strings.Trim(t, ".:#()[]")
		lower := strings.ToLower(t)
		if lower == "and" || lower == "und" || lower == "y" || lower == "e" {
			continue
		}
		hasDigit := false
		for _, r := range t {
			hasDigit = hasDigit || unicode.IsDigit(r)
		}
		if !hasDigit {
			continue
		}
		// "R-2026-0051 / 0052": a bare number as long as the last digit
		// group of the one before continues its series.
		if n := len(out); n > 0 && isDigits(t) {
			prev := out[n-1]
			i := len(prev)
			for i > 0 && prev[i-1] >= '0' && prev[i-1] <= '9' {
				i--
			}
			if i > 0 && len(prev)-i == len(t) {
				t = prev[:i] + t
			}
		}
		if len(t) >= 3 {
			out = append(out, t)
		}
	}
	return out
}

// similar reports whether two normalised numbers differ by at most one
// edit and are long enough for that to mean a misprint, not another
// invoice.
func similar(a, b string) bool {
	if a == b || len(a) < 5 || len(b) < 5 {
		return a == b && a != ""
	}
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > 1 || d < -1 {
		return false
	}
	// Edit distance ≤ 1, in one pass.
	i, j, edits := 0, 0, 0
	for i < len(ra) && j < len(rb) {
		if ra[i] == rb[j] {
			i++
			j++
			continue
		}
		edits++
		if edits > 1 {
			return false
		}
		switch {
		case len(ra) > len(rb):
			i++
		case len(ra) < len(rb):
			j++
		default:
			i++
			j++
		}
	}
	return edits+(len(ra)-i)+(len(rb)-j) <= 1
}

// companyKey reduces a company name to compare payer and customer names:
// lower case, legal forms and punctuation dropped.
func companyKey(s string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		switch w {
		case "gmbh", "ag", "kg", "co", "sl", "sa", "s", "l", "a", "ltd", "limited", "inc", "llc", "plc", "corp", "se", "sau", "slu", "the", "und", "and", "y":
			continue
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}
