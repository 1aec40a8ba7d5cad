package agent

import (
	"strings"
)

// The lexicon: how customers, banks and helpdesks say things in en/es/de.
// Patterns match the folded lower-case text (classifyFoldLower), so "März"
// is written "maerz" and "próximo" "proximo". Weights: 3 says the class on
// its own, 2 is strong but ambiguous alone, 1 only tips a balance.

type classifyPat struct {
	re     classifyRx
	w      int
	reason string // dispute reason
	// neg: drop the match when a negation stands right before or inside
	// it ("we have not paid", "noch nicht überwiesen").
	neg bool
	// notAfter: drop the match when the text right before it matches
	// (Spanish "se pagó" folds to "se pago", a past, not "I pay").
	notAfter *lazyRE
}

func classifyP(w int, expr string) classifyPat {
	return classifyPat{re: classifyCompile(expr), w: w}
}

func classifyPN(w int, expr string) classifyPat {
	return classifyPat{re: classifyCompile(expr), w: w, neg: true}
}

func classifyPR(w int, reason, expr string) classifyPat {
	return classifyPat{re: classifyCompile(expr), w: w, reason: reason}
}

// classifyNegation: Spanish "no" only counts before a verb form, as English
// "no" ("no worries, we'll pay") rarely negates what follows.
var classifyNegation = lazyRegexp(`\b(not|never|nicht|nie|niemals|kein|keine|keinen|nunca|jamas|unable|cannot|weder)\b|n't\b|\bno (hemos|he|se|ha|han|lo|la|las|los|le|les|vamos|podemos|podremos|pagaremos|estamos|es|fue|esta|tenemos|hay|nos|me)\b`)

const classifyPayObj = `(payment|payments|transfer|wire|remittance|funds|money|balance|invoice|invoices|amount)`

var classifyRemitPats = []classifyPat{
	classifyP(4, `\b(payment|remittance|credit|transfer) advi[cs]e\b|\bremittance (notice|note)\b|\bpayment notification\b|\bzahlungsavis(e)?\b|\b(zahlungsbenachrichtigung|zahlungsmitteilung|zahlungsanzeige|gutschriftsanzeige|gutschriftsavis)\b|\bueberweisungsavis\b|\bzahlungsavisierung\b|\baviso de (pago|transferencia|remesa|abono)\b|\bavisos de pago\b|\bnotificacion de (pago|transferencia)\b`),
	classifyPN(3, `\b(we|i) (have|has) (just |now |today |already |successfully |recently |meanwhile |finally |yesterday )*(paid|settled|transferred|remitted|wired|cleared|processed (the |your )?payment|sent (the |you |a |our )?(payment|funds|money|transfer|wire)|made (the |a |our )?(payment|transfer|wire)|initiated (the |a )?(payment|transfer)|released (the )?payment)\b`),
	classifyPN(3, `\b(we|i)'ve (just |now |today |already |finally )*(paid|settled|transferred|remitted|wired|sent (the |you )?(payment|funds|money)|made (the )?payment)\b`),
	classifyPN(3, `\b(payment|transfer|wire|remittance|funds|amount|invoices?|[a-z]{1,6}-[a-z0-9/-]*\d)\b[^.\n]{0,60}\b(has|have|was|were) (now |today |just |already |successfully |been )*(been )?(made|sent|executed|initiated|released|processed|remitted|transferred|completed|effected|credited|issued|paid|settled|wired|debited|submitted)\b`),
	classifyPN(3, `\b(we|i) (already |just |finally )?(paid|settled|transferred|wired|remitted)\b`),
	classifyPN(3, `(^|\n)\s*(just |already )?(paid|settled|transferred|wired|bezahlt|ueberwiesen|pagad[oa]|transferid[oa]|abonad[oa])\b[^\n]{0,12}\b(invoice|inv|the|it|this|today|yesterday|in full|rechnung|heute|gestern|factura|hoy|ayer)`),
	classifyPN(3, `\b(we|i) (sent|mailed|posted|wired|made|initiated|released|submitted|processed|issued|cut|scheduled and sent) (the |a |our |your |you |you the |you a |both |all )?(payment|payments|check|cheque|checks|transfer|wire|funds|money|ach|eft|bacs)\b`),
	classifyPN(3, `\b(check|cheque|payment|transfer|wire|ach|eft)\b[^.\n]{0,30}\b(was|were|has been|have been|got) (mailed|posted|sent|dispatched|issued|cut|released|wired)\b|\b(check|cheque|payment|transfer|wire|funds|money)\b[^.\n]{0,30}\b(went|has gone|have gone) (out|in the (mail|post)|into the (mail|post)|through)\b`),
	// a third party's system speaking: "Globex has made a payment to you",
	// "Stadtwerke X hat folgende Rechnungen beglichen"
	classifyPN(3, `\b(has|have) (just |now |today |already |successfully )*(made|sent|initiated|released|issued|remitted) (you )?(a |the |an )?(payment|transfer|wire|remittance)\b`),
	classifyPN(3, `\bhat\b[^.\n]{0,60}\b(ueberwiesen|bezahlt|beglichen|angewiesen|ausgeglichen|gezahlt)\b`),
	// Spanish impersonal past: "la factura se pagó el viernes"
	classifyPN(3, `\bse (pago|abono|transfirio|liquido|ingreso|saldo)\b`),
	classifyP(3, `\bremittance\b[^.\n]{0,30}\b(attached|enclosed|below|herewith|attachment)\b|\b(attached|enclosed|find|sending|here is|here's)\b[^.\n]{0,30}\bremittance\b`),
	classifyPN(3, `(^|\n)\s*(already |all )?(paid|bezahlt|ueberwiesen|beglichen|pagad[ao]s?|abonad[ao]s?|transferid[ao]s?)\s*[.!]*\s*(\n|$)`),
	classifyPN(3, `\b(zahlung|ueberweisung|geld|betrag)\b[^.\n]{0,20}\b(ist|sind) (heute |gestern |schon |bereits |jetzt |eben |vorhin |vorgestern )*(raus|unterwegs|rausgegangen|raus gegangen)\b`),
	classifyPN(3, `\b(realizamos|efectuamos|hicimos|pagamos|abonamos|transferimos|ordenamos|enviamos|liquidamos|ingresamos)\b[^.\n]{0,40}\b(ayer|anteayer|pasad[oa]|hace (\w+ )?(dias|semanas|meses)|hace (un|una) (mes|semana)|esta manana|con fecha)\b|\bya (os |le |les |se |te )?(lo |la |los |las )?(pagamos|abonamos|transferimos|ingresamos|liquidamos)\b|\b(ayer|anteayer|la semana pasada|el (lunes|martes|miercoles|jueves|viernes) pasado)\b[^.\n]{0,30}\b(realizamos|efectuamos|hicimos|pagamos|abonamos|transferimos|ordenamos|enviamos|liquidamos)\b|\b(hicimos|hice|pague|abone|transferi) (el pago|la transferencia|el ingreso|la factura)\b`),
	// a bank telling its customer that money came in
	classifyPN(4, `\b(ist|sind|wurde|wurden)\b[^.\n]{0,40}\b(gutschrift|zahlungseingang|geldeingang|zahlung|ueberweisung)\b[^.\n]{0,30}\b(eingegangen|gutgeschrieben|verbucht)\b|\b(gutschrift|zahlungseingang|geldeingang)\b[^.\n]{0,30}\b(ist|sind|wurde|wurden)\b[^.\n]{0,20}\b(eingegangen|gutgeschrieben|verbucht)\b|\bneue[rn]? (zahlungseingang|geldeingang)\b|\b(ach|wire|swift|sepa|incoming) (credit|transfer|payment) (received|posted)\b|\bcredit (has been )?posted to your\b|\b(ha|has) recibido (una |un )?(transferencia|abono|ingreso)\b|\b(abono|ingreso|transferencia) recibid[oa] en (su|tu) cuenta\b`),
	classifyP(3, `\b(proof|confirmation|evidence) of (payment|transfer|remittance)\b|\bpayment (confirmation|receipt|slip)\b|\b(wire|transfer|bank transfer|swift) (confirmation|receipt|copy)\b|\bmt ?103\b`),
	classifyP(3, `\b(you'?ve|you have) (received|got) (a )?(payment|money|funds)\b|\bhas sent you\b|\bsent you (a )?payment\b|\bpayment (received|sent|notification|completed|processed)\s*$`),
	classifyPN(3, `\b((wir|ich) (haben|habe)|(haben|habe) (wir|ich))\b[^.\n]{0,80}\b(ueberwiesen|bezahlt|beglichen|angewiesen|ausgeglichen|gezahlt|zur zahlung angewiesen|transferiert)\b`),
	classifyPN(3, `\b(wurde|wurden|ist|sind)\b[^.\n]{0,60}\b(ueberwiesen|bezahlt|beglichen|angewiesen|ausgeglichen|gezahlt|erfolgt|ausgefuehrt|getaetigt|veranlasst)( worden)?\b`),
	classifyPN(3, `\b(ueberweisung|zahlung|zahlungen)\b[^.\n]{0,40}\b(ausgefuehrt|getaetigt|erfolgt ist|veranlasst haben|angewiesen haben)\b`),
	classifyP(3, `\b(zahlungsbestaetigung|ueberweisungsbeleg|ueberweisungsbestaetigung|zahlungsnachweis|zahlungsbeleg|ausfuehrungsbestaetigung|sie haben (eine )?zahlung erhalten|hat ihnen\b[^.\n]{0,40}\b(gesendet|geschickt|ueberwiesen|gezahlt))\b`),
	classifyPN(3, `\bhemos (realizado|efectuado|ordenado|emitido|procesado|hecho|tramitado|enviado|cursado)\b[^.\n]{0,30}\b(pago|pagos|transferencia|transferencias|abono|ingreso)\b`),
	classifyPN(3, `\bhemos (pagado|abonado|transferido|liquidado|saldado|ingresado|cancelado la factura)\b`),
	classifyPN(3, `\b(se|le|les) (ha|han) (realizado|efectuado|abonado|transferido|pagado|ordenado|emitido|procesado|liquidado)\b`),
	classifyPN(3, `\b(ha|han) sido (pagad|abonad|transferid|liquidad|saldad|ordenad)[ao]s?\b|\b(fue|fueron) (pagad|abonad|transferid|liquidad)[ao]s?\b`),
	classifyPN(3, `\b(pago|pagos|transferencia|abono|factura|facturas|importe|deuda)\b[^.\n]{0,50}\b(ya )?(esta|estan|queda|quedan|quedo|quedaron) (ya )?(pagad|abonad|liquidad|saldad|transferid|hech|realizad|efectuad|enviad|ordenad)[ao]s?\b`),
	classifyP(3, `\b(justificante|comprobante|confirmacion|resguardo) de (pago|transferencia|la transferencia|abono|ingreso)\b|\bha recibido un pago\b|\b(te|le) ha (enviado|pagado)\b`),
	classifyPN(2, `\b(pago|transferencia|abono)s? (realizad|efectuad|emitid|ejecutad|procesad|ordenad)[ao]s?\b`),
	classifyP(2, `(^|\n)\s*(payment date|payment amount|amount paid|zahlungsdatum|zahlbetrag|zahlungsbetrag|fecha de pago|importe pagado|remittance information|verwendungszweck)\s*:|\bsepa[- ]?(credit transfer|ueberweisung|transferencia)\b|\b(value|valuta|wertstellung|fecha valor|execution date|ausfuehrungsdatum|fecha de ejecucion)\b`),
}

var classifyPromisePats = []classifyPat{
	classifyPN(3, `\b(we|i)('ll|'d| will| shall| should| must| are going to| intend to| plan to| expect to| aim to| can| could| would| are planning to| hope to| want to| are able to| promise to| commit to)( be able to)?( \w+){0,2} (pay|settle|transfer|remit|wire|clear)\b`),
	classifyPN(3, `\b(we|i)('ll| will| shall| are going to| intend to| plan to| expect to| can| are planning to)( \w+){0,2} (make|send|release|process|arrange|initiate|schedule|effect|issue|execute|submit|approve)( the| a| your| our| full| partial| this| that| these)?( \w+)? `+classifyPayObj+`\b`),
	classifyPN(3, `\b(will|'ll|shall|should|is going to|are going to|is to|are to|would) be (paid|settled|transferred|remitted|wired|cleared)\b`),
	classifyPN(3, `\b(payment|payments|transfer|remittance|funds|invoice|invoices)\b[^.\n]{0,40}\b(will|shall|should) (be )?(released|processed|scheduled|made|executed|sent|initiated|issued|go out|leave|reach you|arrive|hit your account|be with you)\b`),
	classifyPN(3, `\b(is|are|has been|have been|was|were)( now)? (scheduled|planned|approved|released|queued|booked|earmarked|set up|lined up) (for|in|with)( the)? (payment|our|next|paying|transfer|execution|\d|monday|tuesday|wednesday|thursday|friday|today|tomorrow|[a-z]+ \d)`),
	classifyPN(3, `\b(get|gets|getting) (it |this |that |them |these |the invoices? |the balance |everything )?(paid|settled|processed|transferred|wired)\b|\bhave (it|this|that|them|these|the invoices?|the balance|everything) (paid|settled|processed|transferred|wired)\b|\bmake sure\b[^.\n]{0,30}\b(paid|settled|payment)\b`),
	classifyPN(3, `\b(will|'ll|shall|going to|plan to|intend to|expect to|are able to)( be able to)?( \w+){0,2} (pay|settle|transfer|remit|wire)\b|\b(will|'ll|shall|going to)( \w+){0,2} (release|make|send|process|issue|execute|initiate|schedule)( the| a| your| our| this| that| these| full| partial)?( \w+)? `+classifyPayObj+`\b`),
	// money on its way: alone a promise, after "we paid" only its arrival
	classifyPN(2, `\b(it|payment|check|cheque|transfer|funds|money|wire|ach|eft|amount)('ll| will| should| is going to)( \w+)? (hit|reach|arrive|be with you|be in your account|clear|show up|land)\b|\b(sollte|muesste|duerfte|wird)\b[^.\n]{0,40}\b(eingehen|ankommen|gutgeschrieben|bei ihnen sein)\b|\b(dinero|pago|transferencia|importe|abono)\b[^.\n]{0,30}\b(llegara|llegaran|deberia llegar|deberia estar|estara en su cuenta)\b`),
	classifyPN(3, `\b(it|payment|check|cheque|transfer|funds|money|wire|ach|eft)('ll| will| should| is going to| is due to| are due to)( \w+)? (go out|be sent|be released|be wired|be mailed|be posted|be processed|be paid|be made|leave)\b|\byou (will|'ll|should) (receive|get|see) (the |our |a |your )?(payment|funds|money|transfer|wire|check|cheque|remittance)\b|\b(is|are) due to be (paid|processed|made|released|sent|transferred)\b`),
	classifyPN(3, `\b(zahlung|ueberweisung|betrag|geld|restbetrag|rest|ausgleich)\b[^.\n]{0,30}\b(folgt|folgen|kommt|geht)\b[^.\n]{0,30}\b(morgen|uebermorgen|heute|am|bis|naechste|naechsten|kommende|kommenden|diese|diesen|ende|anfang|in|innerhalb|spaetestens|sofort|umgehend|zeitnah|raus|noch)\b|\b(payment|cheque|check|transfer) (to follow|follows|will follow)\b|\b(el pago|la transferencia) (llegara|saldra|se hara efectiv[oa]|se efectuara)\b`),
	classifyPN(3, `\b(will|'ll|shall|is going to|should)( \w+)? be (in|on|included in|part of|added to) (the |our |this |next |this week's |next week's |friday's |tomorrow's )?(\w+ )?(run|batch|cycle|payment list|proposal)\b|\b(ap|payment|pay|check|cheque|payables|weekly|supplier) (run|cycle|batch|proposal)\b|\b(zahlungsvorschlag|propuesta de pagos?)\b`),
	classifyPN(3, `\bwird\b[^.\n]{0,30}\b(erledigt|veranlasst)\b|\b(will|'ll) (be )?(take|taken) care of\b|\b(will|'ll) (sort|deal with|handle) (it|this|that)\b`),
	classifyPat{re: classifyCompile(`\b(te |os |le |les )?(lo |la |los |las )?(pago|abono|transfiero|ingreso|liquido|hago la transferencia|hago el ingreso|hago el pago)\b[^.\n]{0,30}\b(manana|hoy|pasado manana|el (lunes|martes|miercoles|jueves|viernes|dia \d+)|esta semana|sin falta|antes del)\b`), w: 3, neg: true, notAfter: classifySpanishSe},
	classifyP(3, `\bscheduled for payment\b|\b(approved|released|cleared) for payment\b|\b(next|upcoming|following|coming) (payment|pay) (run|cycle|batch|proposal)\b|\bpayment run\b|\bpromise to pay\b`),
	classifyPN(3, `\bwerden\b[^.\n]{0,60}\b(ueberweisen|bezahlen|zahlen|begleichen|anweisen|ausgleichen|veranlassen|freigeben|ueberwiesen|bezahlt|beglichen|angewiesen|ausgeglichen)\b`),
	classifyPN(3, `\bwird\b[^.\n]{0,60}\b(ueberwiesen|bezahlt|beglichen|angewiesen|ausgeglichen|gezahlt|freigegeben|veranlasst|erfolgen|ausgefuehrt)\b`),
	// "wir können die Rechnung erst Ende April begleichen"
	classifyPN(3, `\b((wir|ich) (koennen|kann|koennten|koennte)|(koennen|kann|koennten|koennte) (wir|ich))\b[^.\n]{0,60}\b(ueberweisen|bezahlen|zahlen|begleichen|anweisen|ausgleichen|freigeben)\b`),
	classifyPN(3, `\b(ueberweisen|bezahlen|zahlen|begleichen|veranlassen|gleichen|weisen)\b (wir|ich)\b|\b(wir|ich) (ueberweisen|bezahlen|zahlen|begleichen|veranlassen|ueberweise|bezahle|zahle|begleiche|veranlasse)\b[^.\n]{0,60}\b(am|bis|zum|morgen|uebermorgen|heute|naechste|naechsten|kommende|kommenden|diese|diesen|ende|anfang|mitte|in|innerhalb|spaetestens|sofort|umgehend|zeitnah|mit dem|im|ab|sobald|nach|vor|noch|gleich|direkt)\b`),
	classifyPN(3, `\b(zahlung|ueberweisung|begleichung|ausgleich|zahlungsfreigabe)\b[^.\n]{0,40}\b(ist|wird|wurde)\b[^.\n]{0,40}\b(geplant|vorgesehen|terminiert|eingeplant|avisiert|disponiert|eingestellt)\b`),
	classifyP(3, `\bzahllauf\b|\bzahlungslauf\b|\bzur zahlung (freigegeben|vorgesehen|eingeplant)\b|\berfolgt (die )?(zahlung|ueberweisung|begleichung)\b`),
	classifyPN(3, `\b(zahlung|ueberweisung|begleichung|ausgleich)\b[^.\n]{0,80}\berfolgt (am|bis|zum|spaetestens|voraussichtlich|in|mit|im|ende|morgen|heute|nach|innerhalb|kommende|kommenden|diese|diesen|naechste|naechsten|sofort|umgehend|zeitnah|kurzfristig)\b`),
	classifyPN(3, `\b(pagaremos|abonaremos|transferiremos|liquidaremos|saldaremos|ingresaremos|pagare|abonare)\b`),
	classifyPN(3, `\b(realizaremos|efectuaremos|haremos|enviaremos|emitiremos|ordenaremos|tramitaremos|procederemos|cursaremos|lanzaremos|podremos (realizar|hacer|efectuar))\b[^.\n]{0,40}\b(pago|pagos|transferencia|transferencias|abono|ingreso|liquidacion)\b`),
	classifyPN(3, `\bse (pagara|pagaran|abonara|abonaran|transferira|liquidara|liquidaran|saldara|realizara|efectuara|hara|ordenara|procesara|emitira)\b`),
	classifyPN(3, `\b(pago|pagos|transferencia|abono|factura|facturas|importe|deuda|saldo)\b[^.\n]{0,50}\b(sera|seran|quedara|quedaran|va a ser|van a ser) (pagad|abonad|transferid|liquidad|saldad|realizad|efectuad|incluid|programad|previst)[ao]s?\b|\b(pago|pagos|transferencia|abono|factura|facturas|importe)\b[^.\n]{0,50}\b(esta|estan|queda|quedan) (programad|previst|planificad)[ao]s?\b`),
	classifyPN(3, `\bvamos a (pagar|abonar|transferir|liquidar|realizar (el|la) (pago|transferencia)|hacer (el pago|la transferencia)|proceder al pago)\b|\bnos comprometemos a (pagar|abonar)\b|\bpodremos (pagar|abonar)\b`),
	// present tense for the near future: "I'm sending the check on Friday",
	// "mañana os hacemos la transferencia", "gebe ich am 20. März frei"
	classifyPN(3, `\b(i'm|i am|we're|we are) (sending|mailing|posting|paying|transferring|wiring|releasing|settling|making|processing|initiating|scheduling)\b[^.\n]{0,40}\b(check|cheque|payment|transfer|wire|funds|money|invoice|invoices|balance|it|them|amount)\b`),
	classifyPN(3, `\b(check|cheque|payment|transfer)\b[^.\n]{0,30}\b(is|will be) (in the mail|in the post|posted|mailed|on (its|the) way)\b`),
	classifyPN(3, `\b(gebe|geben|veranlasse|veranlassen|leite|leiten|stosse|stossen|weise|weisen)\b (ich|wir)\b[^.\n]{0,60}\b(frei|an|ein|zahlung|ueberweisung)\b|\b(ich|wir) (gebe|geben)\b[^.\n]{0,60}\bfrei\b`),
	classifyPN(3, `\b(tenemos previsto|esta previsto|tenemos pensado|tenemos (la )?intencion de|intentaremos|esperamos|prevemos|queremos|contamos con)\s+(pagar|abonar|transferir|liquidar|saldar|realizar el pago|hacer el pago|hacer la transferencia|realizar la transferencia|ordenar el pago)\b`),
	classifyPN(3, `\b(os |le |les |se la |se las |os la |os las |os lo |os los )?(pagamos|abonamos|transferimos|liquidamos|hacemos (la transferencia|el pago|el ingreso)|realizamos (el pago|la transferencia)|ordenamos (el pago|la transferencia))\b[^.\n]{0,40}\b(manana|hoy|el (lunes|martes|miercoles|jueves|viernes|dia|\d)|la (semana|proxima)|este|esta semana|antes|a final|a finales|a fin|en \d|en (un|dos|tres|cuatro|cinco) dias|pasado)`),
	classifyPN(3, `\b(manana|pasado manana|hoy mismo|el (lunes|martes|miercoles|jueves|viernes))\b[^.\n]{0,25}\b(os |le |les )?(pagamos|abonamos|transferimos|hacemos|realizamos|ordenamos|liquidamos)\b`),
	classifyP(3, `\b(proxima|siguiente) (remesa|tanda|ejecucion|ronda) de pagos\b|\bcompromiso de pago\b|\b(programad|previst|planificad)[ao]s? para (el )?(pago|el|su pago)\b`),
}

var classifyDisputePats = []classifyPat{
	// duplicate claims; "send a duplicate" is a copy request and is not here
	classifyPR(4, DisputeDuplicate, `\b(is|was|appears to be|seems to be|looks like|are) (a |an )?(duplicate|duplicated)\b|\bduplicate (charge|charges|billing|invoicing|entry|booking)\b|\bduplicates (invoice|our|the|your|\w*-?\d+)\b|\bduplicated invoice\b|\b(billed|invoiced|charged) (us )?(twice|double|two times)\b|\bdouble[- ]?(billed|billing|charged|charge|invoiced|invoicing)\b|\b(already|previously) (been )?(billed|invoiced|charged)\b|\bsame (goods|delivery|services?|order|amount) (twice|again)\b`),
	classifyPR(4, DisputeDuplicate, `\bdoppelt (berechnet|fakturiert|in rechnung gestellt|abgerechnet|belastet|gestellt)\b|\b(doppelberechnung|doppelfakturierung|doppelrechnung|doppelte rechnung|doppelte berechnung)\b|\bzweimal (berechnet|in rechnung|fakturiert|abgerechnet)\b|\bbereits\b[^.\n]{0,50}\b(berechnet|fakturiert|in rechnung gestellt|abgerechnet)\b|\b(ist|handelt es sich um) (ein|eine) duplikat\b|\b(ist|sind) (doppelt|identisch mit (der |unserer |ihrer )?(rechnung|re\b|[a-z]{1,6}-[a-z0-9/-]*\d))`),
	classifyPR(4, DisputeDuplicate, `\bfactura(s)? duplicad[ao]s?\b|\b(esta|estan|es|son|se trata de) (un |una |unos |unas )?duplicad[ao]s?\b|\b(facturad|cobrad|cargad)[ao]s? (dos veces|por duplicado|doble)\b|\bduplicidad\b|\b(es|son) (identic[ao]s?|igual(es)?) (a|que) (la )?(factura|[a-z]{1,6}-[a-z0-9/-]*\d)|\bya (fue|ha sido|habia sido|estaba|se) (facturad|cobrad|incluid)|\bdoble (facturacion|cobro|cargo)\b`),
	classifyPR(3, DisputePrice, `\b(wrong|incorrect|different|higher|inflated|excessive) (unit )?(price|prices|pricing|rate|rates)\b|\bprices?\b[^.\n]{0,40}\b(is|are|was|were) (wrong|incorrect|too high|higher|not (correct|what we agreed|as agreed|the agreed))|\b(agreed|quoted|contract|contracted|negotiated|offered) (unit )?(price|rate|pricing)\b|\bovercharg|\bcharged (us )?(too much|more than)\b|\bmissing (the |our )?(agreed |contractual |volume |negotiated )?(discount|rebate)\b|\b(agreed|promised|negotiated|contractual) (discount|rebate)\b|\b(discount|rebate)\b[^.\n]{0,30}\b(not (been )?applied|missing|not deducted)`),
	classifyPR(3, DisputePrice, `\b(falsche[rn]?|abweichende[rn]?|ueberhoehte[rn]?|zu hohe[rn]?|hoehere[rn]?) (preis|preise|einzelpreis|stueckpreis|preisen)\b|\b(preis|preise|einzelpreis|stueckpreis)\b[^.\n]{0,40}\b(falsch|nicht korrekt|stimmt nicht|stimmen nicht|zu hoch|weicht|weichen|entspricht nicht|entsprechen nicht)|\b(vereinbarte[nr]?|angebotene[nr]?|vertraglich vereinbarte[nr]?|abgesprochene[nr]?) (preis|preise|konditionen|preisen)\b|\b(rabatt|skonto|nachlass)\b[^.\n]{0,30}\b(nicht|fehlt)|\b(fehlt|fehlen)\b[^.\n]{0,30}\b(rabatt|skonto|nachlass|preisnachlass)\b|\b(vereinbarte[nr]?|zugesagte[nr]?|vertragliche[nr]?) (rabatt|skonto|nachlass|preisnachlass)\b`),
	classifyPR(3, DisputePrice, `\bprecios? (incorrecto|erroneo|equivocado|distinto|diferente|superior|mas alto)s?\b|\bprecios?\b[^.\n]{0,40}\b(no es correcto|no son correctos|no coincide|no coinciden|no corresponde|es incorrecto|no es el acordado|es superior|es mas alto)|\bprecios? (acordado|pactado|ofertado|convenido|de la oferta|del presupuesto)s?\b|\bdescuento\b[^.\n]{0,30}\bno (se ha |ha sido )?aplicad|\bfalta (el |un |nuestro )?descuento\b|\bdescuento (acordado|pactado|convenido)\b`),
	classifyPR(3, DisputeQuantity, `\b(wrong|incorrect) (quantity|quantities|number of (items|units|pieces))\b|\bquantit(y|ies)\b[^.\n]{0,40}\b(wrong|incorrect|do not match|does not match|doesn't match|differ|higher than|more than)|\bonly (received|got|delivered|shipped) \d+|\b(received|delivered|shipped) only \d+|\b\d+ (units|pieces|pcs|items|boxes|cartons|pallets) (short|missing|less)\b|\b(short|partial)[- ]?(delivery|shipment|shipped)\b|\b(billed|invoiced|charged) (us )?for \d+\b[^.\n]{0,40}\b(but|while|whereas|only)\b`),
	classifyPR(3, DisputeQuantity, `\b(falsche|abweichende) (menge|mengen|stueckzahl|anzahl|liefermenge)\b|\b(menge|mengen|stueckzahl|anzahl|liefermenge)\b[^.\n]{0,40}\b(stimmt nicht|stimmen nicht|falsch|nicht korrekt|weicht ab|weichen ab|abweich)|\b(nur|lediglich) \d+\b[^.\n]{0,40}\b(geliefert|erhalten|bekommen|angekommen|eingegangen)\b|\b(teillieferung|minderlieferung|fehlmenge|mengendifferenz|unterlieferung)\b|\b\d+ (stueck|stk\.?|paletten|kartons|einheiten) (zu viel|fehlen|weniger)\b`),
	classifyPR(3, DisputeQuantity, `\bcantidad(es)? (incorrecta|erronea|equivocada|distinta|diferente)s?\b|\bcantidad(es)?\b[^.\n]{0,40}\b(no coincide|no coinciden|no es correcta|no corresponde|es incorrecta)|\b(solo|solamente|unicamente) (hemos )?(recibido|recibimos|llegaron|nos llegaron|entregaron|nos entregaron) \d+|\bentrega (parcial|incompleta)\b|\bfalta(n|ban)? \d+ (unidades|cajas|piezas|palets|bultos)\b`),
	classifyPR(3, DisputeNotReceived, `\b(never|not|not yet|haven't|have not|hasn't|has not|didn't|did not) (been )?(received|receive|got|get|taken delivery of)\b[^.\n]{0,30}\b(goods|items|products|material|materials|shipment|delivery|order|parts|service|services|equipment|merchandise|consignment|machine|pallets?)\b`),
	classifyPR(3, DisputeNotReceived, `\b(goods|items|products|materials?|shipment|delivery|order|parts|services?|equipment|merchandise|consignment)\b[^.\n]{0,40}\b(never|not|not yet|has not|have not|hasn't|haven't|were not|was not|wasn't|weren't)( yet)? (been )?(arrived|arrive|delivered|received|receive|provided|rendered|performed|shipped|turned up|show up)\b|\bnever (arrived|turned up|showed up|got delivered)\b`),
	classifyPR(3, DisputeNotReceived, `\b(ware|waren|lieferung|material|leistung|leistungen|bestellung|sendung|artikel|geraet|geraete|maschine|teile)\b[^.\n]{0,60}\b(nicht|nie|noch nicht|niemals|bis heute nicht)( bei uns)? (erhalten|geliefert|angekommen|eingegangen|erbracht|zugestellt|bekommen|eingetroffen)\b|\b(keine|nie eine) (lieferung|ware|leistung)\b[^.\n]{0,30}\b(erhalten|bekommen|erbracht|eingegangen)\b`),
	classifyPR(3, DisputeNotReceived, `\bno (hemos )?(recibido|recibimos|ha llegado|han llegado|llego|llegaron|se ha entregado|se han entregado|se entrego|nos ha llegado|nos han llegado)\b[^.\n]{0,40}\b(mercancia|mercaderia|material|materiales|pedido|envio|producto|productos|articulos|equipo|equipos|servicio|entrega|maquina|piezas)\b|\b(mercancia|mercaderia|material|pedido|envio|productos|articulos|servicio|equipo)\b[^.\n]{0,40}\bno (nos )?(ha|han|se ha|se han)? ?(llegado|sido entregad[oa]s?|recibido|sido prestado|prestado)\b|\bnunca (llego|llegaron|recibimos)\b`),
	classifyPR(3, DisputeDamaged, `\b(damaged|broken|defective|faulty|cracked|dented|scratched|unusable|not working|does not work|doesn't work|did not work|stopped working|poor quality|quality (issue|problem|defect)s?|defects?)\b`),
	classifyPR(3, DisputeDamaged, `\b(beschaedigt|beschaedigte[nrs]?|defekt|defekte[nrs]?|kaputt|zerbrochen|mangelhaft|mangelhafte[nrs]?|unbrauchbar|funktioniert nicht|funktionieren nicht|qualitaetsmangel|qualitaetsmaengel|maengel|transportschaden|bruchschaden|schaden)\b`),
	classifyPR(3, DisputeDamaged, `\b(danad[oa]s?|rot[oa]s?|defectuos[oa]s?|averiad[oa]s?|estropead[oa]s?|en mal estado|no funciona|no funcionan|roturas?|desperfectos?|mala calidad|golpead[oa]s?)\b`),
	classifyPR(3, DisputeMissingPO, `\b(missing|no|without( a| the)?|lacks?( the| a)?|does not (show|contain|include|have|state|quote|reference)|doesn't (show|contain|include|have|state|quote|reference)|not (quote|show|include|contain|reference)|omits?( the)?) (a |the |any )?(valid |correct |our )?(po|p\.o\.|purchase order|purchase-order|order)( number| no\.?| #| reference)?\b|\b(po|p\.o\.|purchase order)( number| no\.?| #| reference)? (is |was )?(missing|required|mandatory|not (stated|quoted|shown|included|provided|referenced|valid))\b`),
	classifyPR(3, DisputeMissingPO, `\b(ohne|fehlende[rn]?|keine|mangels|fehlt die|fehlt|fehlt eine)( die| eine| der| unsere| gueltige)? (bestellnummer|bestell-nr\.?|bestellnr\.?|po-nummer|po nummer|bestellreferenz|bestellangabe|einkaufsbestellnummer)\b|\b(bestellnummer|bestell-nr\.?|bestellnr\.?|po-nummer|bestellreferenz)\b[^.\n]{0,40}\b(fehlt|nicht angegeben|fehlend|nicht vorhanden|nicht enthalten|nicht aufgefuehrt|ist erforderlich|zwingend)`),
	classifyPR(3, DisputeMissingPO, `\b(sin|falta|falta el|faltan|no (aparece|figura|consta|incluye|indica|contiene|tiene|lleva|menciona|recoge)( el| la| nuestro| nuestra| ningun| ninguna)?)( numero de| n\. de| no de| referencia de)? (pedido|orden de compra|oc|po)\b|\b(numero de pedido|orden de compra|n\. de pedido)\b[^.\n]{0,40}\b(no (aparece|figura|consta|es correcto|es valido)|falta|es obligatori)`),
	classifyPR(3, DisputeOther, `\b(we|i) (dispute|contest|reject|do not accept|don't accept|cannot accept|can't accept|do not agree|don't agree|disagree|object to|are disputing|are contesting|refuse to pay)\b|\bnot (ordered|authorized|authorised|agreed)\b|\bnever (ordered|agreed)\b|\b(did not|didn't) (order|agree)\b|\b(will|can|shall) not (pay|be paying|settle)\b|\bwon't (pay|be paying|settle)\b|\bon hold\b[^.\n]{0,40}\b(until|pending)\b`),
	classifyPR(3, DisputeOther, `\b(invoice|invoices|rechnung|rechnungen|factura|facturas)\b[^.\n]{0,50}\b(has been|have been|was|were|is|wurde|wurden|ist|ha sido|han sido|fue|queda) (rejected|returned|declined|abgelehnt|zurueckgewiesen|zurueckgesandt|rechazad[ao]s?|devuelt[ao]s?)\b|\b(we|wir|hemos) (reject|rejected|lehnen|rechazamos|devolvemos)\b`),
	classifyPR(3, DisputeOther, `\b(total|amount|price|prices|quantity|quantities|invoice|sum|betrag|summe|preis|menge|rechnung|importe|precio|cantidad|factura)\b[^.\n]{0,50}\b(doesn't|does not|do not|don't|did not|didn't) (match|agree|correspond|reconcile|tally)\b|\bstimm(t|en) nicht (ueberein|mit)\b|\bno (coincide|coinciden|cuadra|cuadran|concuerda)\b`),
	classifyPR(2, DisputeOther, `\b(please|kindly) (correct|amend|adjust|fix|revise|reissue|re-issue|cancel|void)\b|\bbitte (korrigieren|berichtigen|stornieren)\b|\b(um|bitten um) (korrektur|berichtigung|stornierung)\b|\b(rogamos|por favor|les pedimos que) (corrijan|rectifiquen|corregir|rectificar|anulen|anular)\b`),
	classifyPR(3, DisputePrice, `\b(rate|rates|price|prices|pricing|fee|fees|charge|charges|cost|costs)\b[^.\n]{0,40}\b(higher|more|different|above|exceeds?|exceeding|not)\b[^.\n]{0,30}\b(contract|contracted|agreed|quote|quoted|quotation|offer|agreement|po|purchase order|order confirmation)\b|\b(preis|preise|stundensatz|satz|betrag|kosten)\b[^.\n]{0,40}\b(hoeher|abweich\w*|anders)\b[^.\n]{0,30}\b(vereinbart\w*|angebot\w*|vertrag\w*|auftragsbestaetigung|bestellung)\b|\b(precio|precios|tarifa|importe)\b[^.\n]{0,40}\b(superior|mayor|distint\w*|diferente)\b[^.\n]{0,30}\b(acordad\w*|pactad\w*|presupuest\w*|contrato|oferta|pedido)\b`),
	classifyPR(3, DisputeOther, `\bno corresponde(n)? a (nuestra empresa|nosotros|esta empresa)\b|\bnunca hemos (trabajado|comprado|contratado)\b|\b(is not|isn't|are not|aren't) (for|addressed to|ours|our company)\b|\bwrong (customer|company|entity|legal entity|addressee)\b|\bnicht (an uns|fuer uns)\b|\bbetrifft uns nicht\b|\b(we have never|we never) (worked|done business|bought|purchased)\b|\bnie (mit ihnen )?zusammengearbeitet\b`),
	classifyPR(3, DisputeOther, `\b(returned|sent back|are returning|will return|have returned|return(ing)?) (the |all |these |those |both )?(goods|items|products|parts|pallets?|machine|equipment|shipment|delivery|order|material)\b|\b(zurueckgeschickt|zurueckgesandt|retourniert|zuruecksenden|zurueckschicken|zurueckgeben)\b|\b(hemos devuelto|devolvemos|devolveremos|devolucion de la mercancia|les devolvemos)\b|\bissue (us )?(a )?credit\b`),
	// no proof that the goods arrived: the invoice is held until it comes
	classifyPR(3, DisputeOther, `\b(without|no|missing|need|needs|require|requires|lack of|pending|await\w*|send( us)?|provide)\b[^.\n]{0,40}\b(signed |valid )?(proof of delivery|pod|delivery (receipt|confirmation)|signed delivery note)\b|\b(ohne|fehlende[rn]?|kein(en)?|benoetigen|brauchen)\b[^.\n]{0,40}\b(abliefernachweis|liefernachweis|ablieferbeleg|lieferbestaetigung|unterschriebene[nr]? lieferschein|quittierte[nr]? lieferschein)\b|\b(sin|falta|necesitamos|no tenemos)\b[^.\n]{0,40}\b((prueba|justificante|comprobante|confirmacion) de entrega|albaran firmado)\b`),
	classifyPR(3, DisputeMissingPO, `\b(nur|only|solo|solamente|unicamente|exclusivamente)\b[^.\n]{0,50}\b(mit|with|con)( (gueltiger|valid|a valid|the|der|einer|un|el))? (bestellnummer|bestell-nr|po|po number|purchase order|purchase order number|numero de pedido|orden de compra|n\.o de pedido)\b`),
	classifyPR(3, DisputeOther, `\bshort[- ]?paid\b|\bshort[- ]?payment\b|\b(deduct|deducted|deducting|withhold|withheld|withholding)\b|\b(gekuerzt|kuerzen|abgezogen|einbehalten|abzug)\b|\b(descontad[oa]s?|descontamos|descontaremos|retenemos|retenido)\b`),
	classifyPR(3, DisputePrice, `\b(applied|charged|billed|used|invoiced)\b[^.\n]{0,20}\b(old|last year's|previous|wrong|outdated|\d{4}) (price|prices|rate|rates|price list|tariff|pricing)\b|\b(alte[nr]?|falsche[nr]?|veraltete[nr]?|vorjahres)(preisliste|preise|tarif| preisliste| preise| tarif| konditionen)\b|\b(aplicado|cobrado|facturado)\b[^.\n]{0,10}\b(la |el |las |los )?(tarifa|precio|tarifas|precios)\b[^.\n]{0,12}\b(anterior|antigu[oa]s?|incorrect[oa]s?|equivocad[oa]s?|de \d{4}|del ano pasado)\b`),
	classifyPR(3, DisputePrice, `\bpric(e|ing) (error|mistake|discrepancy|difference)\b|\bpreis(fehler|differenz|abweichung)\b|\berror (de|en el|en los) precios?\b`),
	classifyPR(2, DisputeOther, `\b(dispute|disputed|complaint|discrepancy|discrepancies)\b|\b(incorrect|wrong|erroneous|inaccurate) (invoice|invoicing|billing|charge|charges|amount|vat|tax|total|calculation)\b|\b(invoice|charge|amount|vat|total)\b[^.\n]{0,30}\b(is|are|seems|appears) (incorrect|wrong|too high)\b`),
	classifyPR(3, DisputeOther, `\b(widersprechen|reklamieren|beanstanden|bestreiten|lehnen\b[^.\n]{0,40}\bab|zurueckweisen|weisen\b[^.\n]{0,40}\bzurueck)\b|\b(reklamation|beanstandung|einspruch|widerspruch|unstimmigkeit|unstimmigkeiten)\b|\b(nicht|nie|niemals) (bestellt|beauftragt|vereinbart)\b|\b(bezahlen|zahlen|begleichen|ueberweisen) wir (das |dies |diese[nrs]? |den betrag |die rechnung |diesen betrag )?nicht\b|\b(nicht einverstanden|stimmen nicht zu|werden nicht (bezahlen|zahlen))\b`),
	classifyPR(2, DisputeOther, `\b(falsche|fehlerhafte|unrichtige|unkorrekte) rechnung\b|\brechnung\b[^.\n]{0,30}\b(ist )?(falsch|fehlerhaft|nicht korrekt|nicht richtig)\b|\b(betrag|summe|mwst|mehrwertsteuer)\b[^.\n]{0,30}\b(falsch|nicht korrekt|stimmt nicht)\b`),
	classifyPR(3, DisputeOther, `\b(reclamamos|reclamacion|disconformidad|rechazamos|no estamos de acuerdo|no aceptamos|no reconocemos|impugnamos|no procede|no corresponde pagar|no pagaremos|no vamos a pagar)\b|\bno (lo |la |los |las )?(hemos )?(pedido|solicitado|encargado|contratado)\b`),
	classifyPR(2, DisputeOther, `\bfactura(s)? (incorrecta|erronea|equivocada|mal emitida)s?\b|\bfacturas? rectificativas?\b|\b(importe|iva|total)\b[^.\n]{0,30}\b(incorrecto|erroneo|no es correcto)\b|\bincidencia\b`),
}

// classifyConditional: payment waits for a correction ("once the credit
// note arrives", "send us a credit note and we'll pay the rest"), so only
// the undisputed part is promised.
// classifyCreditApplied: a credit note taken off the payment ("deducted
// credit note CN-44", "Gutschrift GS-31 verrechnet", "descontado el abono").
var classifyCreditApplied = classifyCompile(`\b(deduct|deducted|deducting|offset|netted|abgezogen|verrechnet|einbehalten|descontad[oa]s?|descontamos|compensad[oa]s?)\b( (the|your|our|den|die|ihre|el|la|su|vuestr[oa]) )?( ?(credit notes?|credit memos?|gutschrift(en)?|nota de (credito|abono)|abonos?))\b[^ .,\n]*|\b(credit notes?|credit memos?|gutschrift(en)?|nota de (credito|abono)|abono)\b[^.\n]{0,25}\b(deducted|offset|netted|abgezogen|verrechnet|descontad[oa]s?|compensad[oa]s?)\b`)

var classifyConditional = classifyCompile(`\b(once|as soon as|after|when|until|unless|sobald|nachdem|erst (nach|wenn)|bis|una vez|cuando|en cuanto|hasta que|tan pronto)\b[^.\n]{0,70}\b(credit note|credit memo|corrected invoice|correct invoice|revised invoice|new invoice|gutschrift|korrigierten? rechnung|berichtigten? rechnung|rechnungskorrektur|neuen? rechnung|nota de credito|nota de abono|factura (corregida|rectificativa|nueva)|nueva factura|rectificativa|replacement|ersatz|reposicion|(vollstaendige[nr]?|komplette[nr]?|restliche[nr]?) (lieferung|ware)|restlieferung|(complete|full|remaining|missing) (delivery|shipment|goods|items)|(entrega|mercancia) (completa|pendiente|restante))|\b(credit note|credit memo|corrected invoice|revised invoice|gutschrift|korrigierte rechnung|nota de credito|nota de abono|factura rectificativa)\b[^.\n]{0,60}\b(and|then|und|dann|y)\b[^.\n]{0,10}\b(we|i|wir|ich|pagaremos|abonaremos|os pagamos|le pagamos)\b[^.\n]{0,30}\b(pay|settle|zahlen|bezahlen|ueberweisen|begleichen|pagaremos|abonaremos|pagamos|abonamos)\b`)

var classifyOtherPats = []classifyPat{
	// money to come back to them: an overpayment, a double payment, a
	// credit balance; weighs more than the "we paid" it tells of
	classifyP(4, `\b(refund|reimburse|repay|pay back|return|send back)\b[^.\n]{0,50}\b(overpayment|overpaid|double payment|duplicate payment|credit balance|excess payment)\b|\b(overpaid|paid\b[^.\n]{0,30}\b(twice|by mistake|in error))\b`+
		`|\b(rueckerstattung|erstatten|zurueckueberweisen|zurueckzahlen|rueckueberweisung)\b[^.\n]{0,50}\b(ueberzahlung|doppelzahlung|doppelt|guthaben|zu viel)\b|\b(doppelt|zweimal|versehentlich|irrtuemlich) (bezahlt|ueberwiesen|gezahlt|beglichen)\b|\bueberzahlung\b`+
		`|\b(devolver|devuelvan|devolucion|reembolsar|reembolsen|reembolso|reintegrar|reintegro)\b[^.\n]{0,50}\b(pago duplicado|pagado de mas|pagamos de mas|exceso|saldo a nuestro favor|duplicado)\b|\b(pagado|pagamos|abonamos|transferimos|abonado) (dos veces|por duplicado|por error|de mas)\b`),
	classifyP(3, `\b(send|resend|re-send|forward|provide|email|e-mail|share|need|require|request|get|receive|mail)( us| me)?( again)?( with)?( a| the| another| an)? (copy|copies|duplicate|pdf|scan|re-?issue|reprint)( of)?( the| your| this| that| these)?( invoice| invoices| bill)?\b|\b(copy|copies) of (the |your |this |these |that |all )?(invoice|invoices|bill|bills)\b|\binvoice cop(y|ies)\b`),
	classifyP(3, `\b(invoice|invoices|bill)\b[^.\n]{0,40}\b(not|never) (been )?(received|got|reached us|arrived|come through)\b|\b(haven't|have not|did not|didn't|never) (received|got|seen)\b[^.\n]{0,30}\b(invoice|invoices|bill)\b|\b(can't|cannot|could not|couldn't|unable to) (find|locate)\b[^.\n]{0,40}\binvoice|\bre-?send\b[^.\n]{0,30}\binvoice`),
	classifyP(3, `\b(rechnungskopie|rechnungskopien|rechnungsduplikat|kopie der rechnung|duplikat der rechnung|kopie (von |der |unserer |ihrer |einer )?rechnung|kopien der rechnungen)\b|\brechnung(en)?\b[^.\n]{0,20}\b(erneut|nochmals|noch einmal|nochmal|bitte)\b[^.\n]{0,20}\b(senden|schicken|zusenden|zuschicken|zukommen|uebermitteln)\b|\b(senden|schicken|uebermitteln|zukommen lassen)\b[^.\n]{0,40}\b(kopie|duplikat)\b`),
	classifyP(3, `\brechnung(en)?\b[^.\n]{0,40}\b(nicht|nie|noch nicht) (erhalten|bekommen|eingegangen|vorliegen|zugegangen)\b|\b(liegt|liegen) (uns )?(nicht|noch nicht|leider nicht) vor\b|\b(keine|nie eine) rechnung\b[^.\n]{0,30}\b(erhalten|bekommen)\b`),
	classifyP(3, `\b(copia|copias|duplicado)( de)?( la| las| dicha| esta)? (factura|facturas)\b|\b(reenviar|reenvien|reenvie|reenvias|enviar de nuevo|volver a enviar|remitir|remitirnos|envien|enviarnos|nos envien|mandar|mandarnos|hacernos llegar)\b[^.\n]{0,40}\b(factura|facturas|copia)\b|\bno (hemos )?(recibido|recibimos|tenemos|encontramos|localizamos|nos ha llegado|nos han llegado|nos llego)\b[^.\n]{0,30}\b(la |las |dicha |esta |ninguna )?factura`),
	classifyP(3, `\b(before|so that|so|in order to|until|unless) (we|i) (can|could|are able to|may) (pay|process|release|book)\b|\bdamit wir\b[^.\n]{0,30}\b(zahlen|ueberweisen|bezahlen|buchen)\b|\bpara (poder )?(pagar|abonar|realizar el pago|contabilizar)\b|\b(send|provide|need|require|complete|fill in)\b[^.\n]{0,30}\b(w-?9|w-?8\w*|tax form|vat certificate|bank (confirmation )?letter|supplier form|vendor form|onboarding form|formular|formulario|certificado)\b`),
	classifyP(3, `\bpayment link\b|\bpay (by|with|via) (credit )?card\b|\b(zahlungslink|per kreditkarte zahlen|mit karte zahlen)\b|\b(enlace|link) de pago\b|\bpagar con tarjeta\b`),
	classifyP(3, `\b(balance|saldo) (confirmation|confirmations|certificate|verification|reconciliation)\b|\bconfirm (the |our |your )?(open |outstanding |current )?(balance|balances|saldo)\b|\b(statement of account|account statement|statement of (open|outstanding) items|customer statement|open items? (list|report|statement)|list of (open|outstanding) (items|invoices)|(current|latest|updated|up-to-date) statement|audit(or)?s?'? confirmation)\b`),
	classifyP(3, `\b(saldenbestaetigung|saldenbestaetigungen|saldenabstimmung|saldenabgleich|saldobestaetigung|kontoabstimmung|kontenabstimmung|kontoauszug|offene[- ]posten[- ]liste|op-liste|auflistung der offenen posten|aufstellung (der|aller|ueber die|unserer) offenen posten)\b|\b(bestaetigen|bestaetigung)\b[^.\n]{0,40}\b(saldo|saldos|salden)\b`),
	classifyP(3, `\b(confirmacion|certificado|conciliacion|circularizacion|certificacion) de (saldos?|cuentas?|partidas)\b|\b(extracto|estado) de (la )?cuenta(s)?\b|\bconfirmar (el|nuestro|su|vuestro) saldo\b|\b(relacion|listado|detalle) de (facturas|partidas) (pendientes|abiertas)\b`),
}

var classifyFraudPats = []classifyRx{
	// another account than the one on file
	classifyCompile(`\b(account|iban)\b[^.\n]{0,30}\binstead of\b|\binstead of\b[^.\n]{0,40}\b(account|iban|one (you have )?on file)\b|\b(statt|anstatt)\b[^.\n]{0,40}\b(konto|kontos|iban|bankverbindung)\b|\ben (lugar|vez) de\b[^.\n]{0,40}\b(cuenta|iban)\b`),
	// money to an account given right here: "refund it to this account:"
	classifyCompile(`\b(refund|reimburse|repay|pay back|return|send|transfer|wire|remit|pay|credit)\b[^.\n]{0,60}\b(to|into) this (bank )?(account|iban)\b`),
	classifyCompile(`\b(from now on|going forward|with immediate effect|effective immediately|henceforth|in (the )?future)\b[^.\n]{0,80}\b(pay|payments|remit|remittances|transfers?|refunds?)\b[^.\n]{0,40}\b(iban|bank account|account (no|number)|account at|sort code)\b|\b(changed|switched|moved|changing|switching|moving) (our )?(bank|banks|banking|banking provider|house bank)\b`),
	classifyCompile(`\b(ab sofort|kuenftig|zukuenftig|in zukunft|ab jetzt|ab heute|mit sofortiger wirkung)\b[^.\n]{0,80}\b(auf|an)\b[^.\n]{0,30}\b(iban|konto|kontonummer|bankverbindung|bankkonto)\b|\b(hausbank|bank|bankinstitut|kreditinstitut)\b (gewechselt|geaendert|umgestellt)\b|\b(folgendes|nachstehendes|untenstehendes|unten stehendes|nachfolgendes) (konto|bankkonto)\b|\b(folgende|nachstehende|untenstehende|nachfolgende) (bankverbindung|kontoverbindung|iban)\b`),
	classifyCompile(`\b(a partir de (ahora|hoy|este momento|la fecha|este mes)|en adelante|desde (hoy|ahora)|en lo sucesivo)\b[^.\n]{0,80}\b(en|a) (la|nuestra|esta|el|nuestro) (cuenta|iban|numero de cuenta)\b`),
	// asked to send money to an account spelt out right there, whatever
	// words announce it ("should now be remitted to our account with
	// Barclays, sort code …", "deberá realizarse a la cuenta ES76 …")
	classifyCompile(`\b(please|kindly|should|must|shall|need to|needs to|are to|is to|to be)\b[^.\n]{0,80}\b(to|into) (our|my|the following|this) (bank )?(account|acct)\b[^.\n]{0,40}` + classifyAccountID +
		`|\b(please|kindly|should|must|shall|need to|needs to|are to|is to|to be)\b[^.\n]{0,80}\b(paid|remitted|transferred|sent|credited|made|refunded|wired|returned) (to|into) (our |the )?(sort code|iban|account (number|no))\b` +
		// "all future settlements should be remitted to:" and the account
		// on the lines below
		`|\b(future|further|subsequent|upcoming) (payments?|settlements?|remittances?|transfers?|refunds?|amounts?)\b[^.\n]{0,80}\b(should|must|shall|are to|need to|have to)\b[^.\n]{0,30}\b(made|paid|remitted|sent|transferred|credited|directed|wired) (to|into)\b[^.]{0,80}` + classifyAccountID +
		`|\b(por favor|rogamos|les pedimos|solicitamos|debera|deberan|debe|deben|deberia|deberian)\b[^.\n]{0,80}\b(a|en) (la|nuestra|esta) (siguiente |nueva )?cuenta\b[^.\n]{0,40}` + classifyAccountID +
		`|\b(bitte|kuenftig|zukuenftig|sollen|sollten|muessen|moechten)\b[^.\n]{0,80}\b(auf|an) (unser|unsere|das|folgendes|dieses) (bank)?(konto|iban)\b[^.\n]{0,40}` + classifyAccountID),
	// a new payee or account named as the one to pay from now on:
	// "payments should now be made out to Apex Holdings Ltd, account …"
	classifyCompile(`\b(payments?|remittances?|transfers?|funds|cheques?|checks?|invoices?|amounts?)\b[^.\n]{0,30}\b(should|must|shall|are to|is to|need to|needs to|have to|has to|can)( now| henceforth| from now on| going forward| in future| from today| with immediate effect) be (made|paid|remitted|transferred|sent|wired|issued|directed|addressed)( out| payable)? to\b[^.]{0,80}` + classifyAccountID),
	classifyCompile(`\b(bank|banking|account|payment|remittance|wire) (details|detail|information|info|instructions|data|account|connection)\b[^.\n]{0,60}\b(have|has|had) (recently )?(changed|been changed|been updated|been modified|been amended)\b`),
	classifyCompile(`\b(new|updated|changed|different|alternative|alternate|revised) (bank|banking|iban|remittance|wire|beneficiary) ?(details|account|information|instructions|number|data)?\b|\bnew (iban|account number|bank account|account details|payment (details|instructions)|beneficiary)\b`),
	classifyCompile(`\b(change|changed|changes|update|updated|updating|changing|amend|amended) (of |to |in )?(our|the|their|my|your records? (with|of) our) (bank|banking|account|payment|remittance|iban|beneficiary)`),
	classifyCompile(`\bplease (update|amend|change|note) (our|the)( new)? (account|bank|banking|iban)\b|\bupdate (your|the) (records|system|vendor master|supplier master|payment details)\b[^.\n]{0,40}\b(account|bank|iban)\b`),
	classifyCompile(`\b(pay|paid|remit|transfer|wire|refund|send|credit|return)\b[^.\n]{0,60}\b(to|into|in|on) (the |our |this |a |my )?(new|following|below|attached|different|another|updated|other|alternative) (bank )?(account|iban|bank|details)\b`),
	classifyCompile(`\b(no longer|not longer|stop) (use|using|valid|accept|in use|active)\b[^.\n]{0,40}\b(account|iban|bank)\b|\b(old|previous|former|current) (bank )?(account|iban)\b[^.\n]{0,40}\b(closed|no longer|invalid|not valid|not be used|inactive|frozen|under audit)|\bnot (to |into )?(the|our) (old|previous|former|usual|existing) (bank )?(account|iban|bank details)\b`),
	classifyCompile(`\bneue[rnsm]? (bankverbindung|kontoverbindung|iban|bankdaten|konto|kontonummer|kontodaten|bank|zahlungsverbindung)\b|\b(geaenderte|aktualisierte|andere)[rn]? (bankverbindung|kontoverbindung|bankdaten|iban|kontodaten)\b`),
	classifyCompile(`\b(bankverbindung|kontoverbindung|bankdaten|iban|konto|kontodaten)\b[^.\n]{0,60}\b(geaendert|aendert|aenderung|umgestellt|gewechselt|nicht mehr gueltig|ungueltig|nicht mehr verwenden|nicht mehr nutzen|aufgeloest|gesperrt)\b`),
	classifyCompile(`\b(aenderung|wechsel|umstellung) (unserer|der|ihrer|unseres|des) (bankverbindung|kontoverbindung|bankdaten|iban|bank|kontos|kontodaten)\b|\b(kontoaenderung|bankwechsel|kontowechsel)\b|\b(auf|an) (das|folgendes|unser neues|ein anderes|das neue|unten stehendes|nachfolgendes|untenstehende|folgende) (neue )?(konto|bankverbindung|iban)\b`),
	classifyCompile(`\bnuev[oa]s? (numero de cuenta|cuenta( bancaria| corriente)?|iban|datos bancarios|entidad bancaria|banco|cuenta de abono)\b|\bhemos cambiado (de|nuestra|nuestro|los) (banco|entidad|cuenta|datos bancarios|numero de cuenta)\b`),
	classifyCompile(`\b(cambio|cambiado|modificacion|actualizacion|modificado|actualizado|cambiar|modificar|actualizar) (de |en |nuestros |los |nuestra |la |el |sus |vuestros )*(datos bancarios|cuenta bancaria|numero de cuenta|banco|iban|entidad bancaria|cuenta de abono|domiciliacion bancaria)\b`),
	classifyCompile(`\b(a|en) (la|esta) (siguiente|nueva|otra) cuenta\b|\b(transferir|pagar|abonar|ingresar|realizar (el|los) pagos?|reembolsar|devolver|reintegrar)\b[^.\n]{0,50}\b(nueva|siguiente|otra|distinta) cuenta\b|\bcuenta (anterior|antigua)\b[^.\n]{0,40}\b(ya no|no es valida|cancelada|cerrada|bloqueada)`),
}

// classifyAccountID: an account spelt out (IBAN, sort code, a long number).
const classifyAccountID = `(\biban\b|\bsort code\b|\baccount (number|no)\b|\brouting\b|\bswift\b|\bbic\b|\b[a-z]{2}\d{2} ?\d{4}|\d{6,})`

type classifySig struct {
	remit, promise, dispute, other int
	promiseDated                   bool
	promised                       Date
	conditional                    bool
	disputeReason                  string
	fraud                          bool
	promisePos                     []int
}

// classifyScore sums what matched, strongest first: the best pattern gives
// its weight, each further distinct pattern adds one, capped so a long
// text cannot drown a short clear one.
func classifyScore(pats []classifyPat, t string) (score int, reason string, pos []int) {
	best, extra := 0, 0
	for _, p := range pats {
		if !p.re.may(t) {
			continue
		}
		locs := p.re.R().FindAllStringIndex(t, 8)
		hit := false
		for _, l := range locs {
			if p.neg && classifyNegated(t, l[0], l[1]) {
				continue
			}
			if p.notAfter != nil && p.notAfter.R().MatchString(t[max(0, l[0]-8):l[0]]) {
				continue
			}
			hit = true
			pos = append(pos, l[0])
		}
		if !hit {
			continue
		}
		if p.w > best {
			if best > 0 {
				extra++
			}
			best, reason = p.w, p.reason
		} else {
			extra++
		}
	}
	if best == 0 {
		return 0, "", nil
	}
	return best + min(extra, 2), reason, pos
}

// classifyNegated looks for a negation inside a match or in the few words
// before it.
func classifyNegated(t string, start, end int) bool {
	from := max(0, start-24)
	for from > 0 && !classifyRuneStart(t[from]) {
		from--
	}
	window := t[from:end]
	// The preceding window must not cross a sentence end.
	if i := strings.LastIndexAny(t[from:start], ".!?\n"); i >= 0 {
		window = t[from+i+1 : end]
	}
	if classifyNegation.R().MatchString(window) {
		return true
	}
	// German puts the negation after the verb: "bezahlen wir nicht".
	return classifyNegAfter.R().MatchString(t[end:min(len(t), end+24)])
}

// classifySpanishSe is the impersonal "se" before a verb the fold has
// robbed of its accent: "se pagó" (past), never "I pay".
var classifySpanishSe = lazyRegexp(`\bse\s+$`)

var classifyNegAfter = lazyRegexp(`^\s*(\S+\s+){0,2}(nicht|not|keinesfalls)\b`)

var (
	classifyRemitAttach = lazyRegexp(`(remit|avis|advice|zahlungsavis|aviso|payment|zahlung|pago|transfer|ueberweisung|justificante|comprobante|swift|mt ?103|receipt|beleg|zahlungsbestaetigung|confirmacion)`)
	classifyPayWord     = lazyRegexp(`\b(paid|payment|payments|remitted|transferred|zahlung|zahlungen|bezahlt|ueberwiesen|beglichen|pago|pagos|pagado|abonado|transferido|transferencia)\b`)
	classifyAmountLine  = lazyRegexp(`\d[\d.,' ]*[.,]\d{2}\b`)
)

// classifySentences lower-cases folded text and turns the dots that do
// not end a sentence ("20.03.", "Nr. 4711", "am 20. März frei") into
// commas, so that patterns bounded by [^.\n] see whole sentences. A dot
// ends a sentence before a line break, the end, or a capital letter.
func classifySentences(folded string) string {
	b := []byte(folded)
	for i, c := range b {
		if c != '.' {
			continue
		}
		j := i + 1
		for j < len(b) && b[j] == ' ' {
			j++
		}
		if j >= len(b) || b[j] == '\n' {
			continue
		}
		if j > i+1 && b[j] >= 'A' && b[j] <= 'Z' && !classifyOrdinalDot(b, i) {
			continue
		}
		b[i] = ','
	}
	return strings.ToLower(string(b))
}

// classifyOrdinalDot: "20." and "20.03." are days, "Nr." and "z.B."
// abbreviations; a capital after them ("20. März", "Nr. R-12") starts no
// sentence.
func classifyOrdinalDot(b []byte, i int) bool {
	k := i
	for k > 0 && classifyIsDigit(b[k-1]) {
		k--
	}
	if n := i - k; n >= 1 && n <= 2 {
		return true
	}
	w := i
	for w > 0 && (b[w-1] >= 'a' && b[w-1] <= 'z' || b[w-1] >= 'A' && b[w-1] <= 'Z' || b[w-1] == '.') {
		w--
	}
	switch strings.ToLower(string(b[w:i])) {
	case "nr", "no", "nos", "inv", "fra", "fact", "re", "rg", "ca", "bzw", "z.b", "u.a", "inkl", "ggf", "evtl", "fa", "str", "tel", "mr", "mrs", "ms", "dr", "sr", "sra", "d", "dna", "i.a", "i.v", "vs", "approx":
		return true
	}
	return false
}

// classifyBlank replaces the sentences around the given spans by spaces,
// keeping every other byte where it was.
func classifyBlank(t string, spans [][]int) string {
	sentences := make([][]int, 0, len(spans))
	for _, sp := range spans {
		sentences = append(sentences, classifySentenceAround(t, sp[0], sp[1]))
	}
	return classifyBlankSpans(t, sentences)
}

// classifySentenceAround is the span of the sentence holding t[from:to].
func classifySentenceAround(t string, from, to int) []int {
	s := strings.LastIndexAny(t[:from], ".!?\n") + 1
	e := len(t)
	if k := strings.IndexAny(t[to:], ".!?\n"); k >= 0 {
		e = to + k
	}
	return []int{s, e}
}

// classifySignals reads the sender's own text once (t: lower case with
// sentence-safe dots; folded: the same with its dots, for dates) and
// reports the evidence for each class.
func classifySignals(t, folded string, atts []InboundAttachment, ref Date, usFirst bool) classifySig {
	var s classifySig
	var fraudSpans [][]int
	for _, re := range classifyFraudPats {
		if !re.may(t) {
			continue
		}
		for _, loc := range re.R().FindAllStringIndex(t, 4) {
			if !classifyNegated(t, loc[0], loc[0]) {
				s.fraud = true
				fraudSpans = append(fraudSpans, loc)
			}
		}
	}
	// "Please pay refunds into our new account" asks for money to move;
	// it is neither an advice nor a promise, and what it asks is the fraud
	// flag's business: the class comes from what else the sender says.
	money := classifyBlank(t, fraudSpans)
	s.other, _, _ = classifyScore(classifyOtherPats, money)
	money = classifyBlankSpans(money, classifyHabitSpans(money))
	s.remit, _, _ = classifyScore(classifyRemitPats, money)
	// A question may still be a dispute ("why were we charged twice?") or
	// a request ("could you resend it?"); it only promises nothing.
	s.promise, _, s.promisePos = classifyScore(classifyPromisePats, classifyBlankSpans(money, classifyQuestionSpans(money)))
	// Deducting our own credit note settles it; only a deduction the
	// sender makes on their own account is a short payment.
	s.dispute, s.disputeReason, _ = classifyScore(classifyDisputePats, classifyBlankSpans(t, classifyCreditApplied.findAllIndex(t)))
	cr, cp, cd := classifyCues(money)
	s.remit, s.dispute = max(s.remit, cr), max(s.dispute, cd)
	if s.promise < cp {
		s.promise = cp
		if len(s.promisePos) == 0 {
			s.promisePos = classifyCuePositions(money)
		}
	}
	if s.dispute > 0 && s.disputeReason == "" {
		s.disputeReason = DisputeOther
	}

	for _, a := range atts {
		n := classifyFoldLower(a.Name)
		if classifyRemitAttach.R().MatchString(n) && !strings.Contains(n, "invoice") && !strings.Contains(n, "rechnung") && !strings.Contains(n, "factura") {
			s.remit += 2
			break
		}
	}
	// An advice pasted as a table: several lines with an amount, in a text
	// that talks about payment.
	if classifyPayWord.R().MatchString(t) && s.promise == 0 {
		lines := 0
		for _, l := range strings.Split(folded, "\n") {
			if classifyAmountLine.R().MatchString(l) && len(strings.Fields(l)) >= 2 {
				lines++
			}
		}
		if lines >= 2 {
			s.remit++
		}
	}
	if classifyConditional.matchLower(t) {
		s.conditional = true
		s.dispute += 2
		if s.disputeReason == "" {
			s.disputeReason = DisputeOther
		}
	}
	if s.promise > 0 && ref != 0 {
		s.promised = classifyPickPromised(folded, ref, usFirst, s.promisePos)
		s.promiseDated = !s.promised.IsZero()
	}
	return s
}
