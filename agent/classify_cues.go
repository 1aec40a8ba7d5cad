package agent

import (
	"strings"
)

// A second, coarser reading of the sender's text, sentence by sentence:
// does it speak of money, in which tense, negated, with a reason? The
// lexicon catches the ways of saying things we listed; this catches many
// we did not ("the payment went out on 10 June", "die erste Rate würden wir
// am 30.06. überweisen"). It only ever adds weight 2, so a listed phrase
// (weight 3 and more) still decides when both speak.

var (
	classifyCueMoney  = classifyCompile(`\b(pay|pays|paid|paying|payment|payments|settle|settled|settling|transfer|transferred|transfers|wire|wired|remit|remitted|remittance|money|funds|cheque|check|ach|bacs|instal?ments?|zahl\w*|bezahl\w*|gezahlt|ueberweis\w*|ueberwies\w*|beglich\w*|begleich\w*|geld|rate|raten|betrag|pago|pagos|pagar|pagad[oa]s?|pagamos|pagaremos|pagara|pagaran|abon\w*|transferencia\w*|transferid[oa]s?|ingreso|dinero|importe|deuda|plazos?)\b`)
	classifyCueFuture = classifyCompile(`\b(will|'ll|shall|going to|expect|expected|expecting|plan|planned|planning|scheduled|intend|should (have|get|receive|see|be)|werden|wird|werde|wuerden|wuerde|geplant|vorgesehen|voraussichtlich|demnaechst|\w+(aremos|eremos|iremos)|tomorrow|morgen|uebermorgen|pasado manana|sin falta|next week|naechste woche|semana que viene|proxima semana|pagara|pagaran|abonara|abonaran|transferira|realizara|efectuara|hara|saldra|previst[oa]s?|vamos a|tenemos previsto)\b`)
	classifyCuePast   = classifyCompile(`\b(paid|settled|transferred|wired|remitted|went out|went in the mail|sent|processed|cleared|completed|bezahlt|ueberwiesen|beglichen|gezahlt|rausgegangen|ausgefuehrt|erledigt|pagad[oa]s?|abonad[oa]s?|transferid[oa]s?|hech[oa]|realizad[oa]|efectuad[oa]|enviad[oa]|salio|quedo|hicimos|enviamos|mandamos|realizamos|efectuamos|transferimos|ordenamos)\b`)
	classifyCueNeg    = classifyCompile(`\b(not|never|nicht|nie|kein|keine|keinen|nunca|no)\b|n't\b`)
	classifyCueReason = classifyCompile(`\b(because|since|due to|as long as|until|weil|da die|da der|da das|denn|solange|porque|ya que|debido|hasta que)\b`)
	classifyCueIssue  = classifyCompile(`\bdisput\w*|\b(supposed to be|was meant to be|should have been) (included|free|covered|cheaper)\b|\bno tenemos constancia\b|\bno (nos )?consta\b|\b(have|has) no record of\b|\bnot aware of (any|this|the) (order|delivery|service)\b|\bist uns nicht bekannt\b|\bliegt (uns )?keine (bestellung|lieferung|beauftragung) vor\b|\bunvollstaendig\w*\b|\bes fehl(t|en)\b|\bfehl(t|en) (noch )?\d+\b|\bincomplet[oa]s?\b|\bno (estaba|esta|estaban|estan|era|iba) incluid[oa]s?\b|\bnicht (im angebot |im preis )?(enthalten|inbegriffen|vereinbart)\b|\b(was|were) not (included|agreed|quoted)\b|\b(wasn't|weren't) (included|agreed|quoted)\b|\bincomplete\b|\bmissing (items|parts|pieces|pallets|boxes)\b|\bnot (included|as described|as ordered)\b|\bwrong (items|parts|goods|product|products|article)\b|\bfalsche (ware|artikel|teile)\b|\b(mercancia|articulos|productos) equivocad`)
)

// classifyCueAnaphor: a pronoun that can stand for the money named in the
// sentence before ("Did you get our payment? We sent it on Monday.").
var classifyCueAnaphor = classifyCompile(`\b(it|them|la|lo|las|los|sie|es)\b`)

// classifyCueDid: verbs too general to mean paying on their own ("made",
// "initiated"), but that do with a pronoun for the money as their object.
var classifyCueDid = classifyCompile(`\b(made|initiated|released|mailed|posted|submitted|gemacht|veranlasst|freigegeben|angestossen)\b`)

// classifyCueSentence: a sentence, or 400 bytes of one that never ends.
var classifyCueSentence = lazyRegexp(`[^.!?\n]{1,400}[.!?]?`)

// classifyCues scores the lower-case, sentence-safe own text.
func classifyCues(t string) (remit, promise, dispute int) {
	moneyBefore := false
	for _, s := range classifyCueSentence.R().FindAllString(t, 200) {
		if classifyCueIssue.matchLower(s) {
			dispute = 2
		}
		if !classifyCueMoney.matchLower(s) {
			// A past deed whose object is the money just asked about
			// reports the payment; it is no less an advice for the
			// question in front of it.
			if moneyBefore && (classifyCuePast.matchLower(s) || classifyCueDid.matchLower(s)) && classifyCueAnaphor.matchLower(s) && !classifyCueNeg.matchLower(s) &&
				!strings.HasSuffix(strings.TrimSpace(s), "?") {
				remit = 2
			}
			moneyBefore = false
			continue
		}
		moneyBefore = true
		if strings.HasSuffix(strings.TrimSpace(s), "?") {
			continue
		}
		if classifyCueNeg.matchLower(s) && classifyCueReason.matchLower(s) {
			dispute = 2 // "not paid, because the delivery was incomplete"
			continue
		}
		// Tense and negation belong to clauses: "no podemos pagar esta
		// semana, lo haremos el día 15" promises in its second half.
		for _, c := range strings.Split(s, ",") {
			if classifyCueNeg.matchLower(c) {
				continue
			}
			switch {
			case classifyCueFuture.matchLower(c):
				promise = 2
			case classifyCuePast.matchLower(c):
				remit = 2
			}
		}
	}
	return remit, promise, dispute
}

// classifyCuePositions is where money is spoken of in the future tense,
// for choosing the promised date when only the cues saw a promise.
func classifyCuePositions(t string) []int {
	var pos []int
	for _, loc := range classifyCueSentence.R().FindAllStringIndex(t, 200) {
		s := t[loc[0]:loc[1]]
		if classifyCueMoney.matchLower(s) && classifyCueFuture.matchLower(s) && !strings.HasSuffix(strings.TrimSpace(s), "?") {
			pos = append(pos, loc[0])
		}
	}
	return pos
}
