package agent

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp/syntax"
	"strings"
	"testing"
	"time"
)

func classifyZone(h int) *time.Location { return time.FixedZone("", h*3600) }

func TestStripQuoted(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "We will pay tomorrow.", "We will pay tomorrow."},
		{"gmail top-post", "Paid yesterday.\n\nOn Mon, Mar 9, 2026 at 9:00 AM AR <ar@x.example> wrote:\n> Please pay, it is overdue.\n> Thanks", "Paid yesterday."},
		{"gmail attribution wrapped", "Done.\n\nOn Mon, Mar 9, 2026 at 9:00 AM Kessler Receivables <\nreceivables@kessler.example> wrote:\n\n> overdue", "Done."},
		{"bottom-posting keeps the answer", "On 3 Mar 2026, at 10:00, AR <ar@x.example> wrote:\n> Is invoice 12 paid?\n\nYes, paid on Friday.", "Yes, paid on Friday."},
		{"interleaved", "> Will you pay invoice 1?\nYes, Friday.\n> And invoice 2?\nThat one is disputed.", "Yes, Friday.\nThat one is disputed."},
		{"german attribution", "Zahlung erfolgt morgen.\n\nAm 03.03.2026 um 10:00 schrieb Kessler <f@k.example>:\n> Mahnung", "Zahlung erfolgt morgen."},
		{"german reversed attribution", "Erledigt.\n\nKessler <f@k.example> schrieb am 03.03.2026 10:00:\n\nBitte zahlen Sie.", "Erledigt."},
		{"spanish attribution", "Pagaremos el viernes.\n\nEl mar, 3 mar 2026 a las 10:00, Cobros (<c@k.example>) escribió:\n> Recordatorio", "Pagaremos el viernes."},
		{"outlook english block", "We dispute this.\n\nFrom: AR <ar@x.example>\nSent: Monday, March 9, 2026 8:00 AM\nTo: Bob\nSubject: Reminder\n\nPlease pay.", "We dispute this."},
		{"outlook german block", "Bezahlt.\n\nVon: Kessler\nGesendet: Montag, 9. März 2026 08:00\nAn: Bob\nBetreff: Mahnung\n\nBitte zahlen.", "Bezahlt."},
		{"outlook spanish block", "Pagado.\n\nDe: Cobros\nEnviado el: lunes, 9 de marzo de 2026 8:00\nPara: Ana\nAsunto: Aviso\n\nPor favor pague.", "Pagado."},
		{"original message separator", "Ok.\n-----Original Message-----\nFrom: x\nplease pay", "Ok."},
		{"ursprüngliche nachricht", "Ok.\n-----Ursprüngliche Nachricht-----\nVon: x", "Ok."},
		{"mensaje original", "Vale.\n-----Mensaje original-----\nDe: x", "Vale."},
		{"underscore separator", "Fine.\n________________________________\nFrom: x\nSent: y", "Fine."},
		{"iphone", "Paid this morning.\n\nSent from my iPhone\n\n> On 3 Mar wrote", "Paid this morning."},
		{"german mobile", "Zahle morgen.\n\nVon meinem iPhone gesendet", "Zahle morgen."},
		{"spanish mobile", "Pago mañana.\n\nEnviado desde mi iPhone", "Pago mañana."},
		{"sig dash", "See attached.\n-- \nJohn Doe\nCFO, Acme\nPhone 555", "See attached."},
		{"closing with signature", "Hello,\n\nwe paid invoice 12.\n\nBest regards,\nJohn Doe\nAcme Inc.\nIBAN DE12 3456", "Hello,\n\nwe paid invoice 12."},
		{"german closing", "Hallo,\n\nwir zahlen am Freitag.\n\nMit freundlichen Grüßen\nMax Muster\nGeschäftsführer", "Hallo,\n\nwir zahlen am Freitag."},
		{"spanish closing", "Hola,\n\npagamos el lunes.\n\nUn saludo,\nAna", "Hola,\n\npagamos el lunes."},
		{"thanks line first is kept", "Thanks!\nWe will pay on Friday.", "Thanks!\nWe will pay on Friday."},
		{"greeting then thanks", "Hi Anna,\nThanks,\nwe paid.", "Hi Anna,\nThanks,\nwe paid."},
		{"disclaimer", "Paid.\n\nThis e-mail and any attachments are confidential and intended solely for the addressee.", "Paid."},
		{"forward banner", "FYI\n\n---------- Forwarded message ---------\nFrom: Bank\n\nPaid", "FYI"},
		{"crlf", "Paid.\r\n\r\nOn Mon, Mar 9, 2026 at 9:00 AM A <a@b.example> wrote:\r\n> x", "Paid."},
	}
	for _, c := range cases {
		if got := StripQuoted(c.in); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	cases := []struct{ in, want string }{
		{"We will pay the invoice next week, thank you.", "en"},
		{"Wir werden die Rechnung nächste Woche bezahlen.", "de"},
		{"Pagaremos la factura la semana que viene, gracias.", "es"},
		{"Danke!", "de"},
		{"¡Gracias!", "es"},
		{"Thanks!", "en"},
		{"", "en"},
		{"12345 67.89", "en"},
		{"Sehr geehrte Damen und Herren, anbei das Zahlungsavis.", "de"},
		{"Estimados señores: adjunto el justificante.", "es"},
		{"Die Rechnung R-2026-0042 wurde überwiesen.", "de"},
		{"La factura F-2026-118 está pagada.", "es"},
		{"Invoice INV-1 paid.", "en"},
		{"Ich bin bis 20.03. nicht im Büro.", "de"},
		{"Estoy fuera de la oficina hasta el lunes.", "es"},
	}
	for _, c := range cases {
		if got := DetectLanguage(c.in); got != c.want {
			t.Errorf("DetectLanguage(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestPromisedDate(t *testing.T) {
	// Tuesday 31 March 2026, 23:30 in New York: already April in UTC.
	lateNY := time.Date(2026, 3, 31, 23, 30, 0, 0, classifyZone(-5))
	// Wednesday 11 March 2026, 10:00 in Berlin.
	wed := time.Date(2026, 3, 11, 10, 0, 0, 0, classifyZone(1))
	// Friday 20 March 2026 in Madrid.
	fri := time.Date(2026, 3, 20, 9, 0, 0, 0, classifyZone(1))
	// Saturday 28 Feb 2026, 00:30 in Berlin: still February 27 in New York.
	earlyBerlin := time.Date(2026, 2, 28, 0, 30, 0, 0, classifyZone(1))
	cases := []struct {
		name string
		sent time.Time
		text string
		want string // "" = null
	}{
		{"tomorrow in sender's zone", lateNY, "We'll pay tomorrow.", "2026-04-01"},
		{"end of month in sender's zone", lateNY, "We will pay by the end of the month.", "2026-03-31"},
		{"today", lateNY, "We will pay today.", "2026-03-31"},
		{"next friday", wed, "We will pay next Friday.", "2026-03-13"},
		{"on friday", wed, "We'll pay on Friday.", "2026-03-13"},
		{"next friday said on a friday", fri, "Wir zahlen nächsten Freitag.", "2026-03-27"},
		{"el viernes said on a friday", fri, "Pagaremos el viernes.", "2026-03-27"},
		{"el proximo lunes", wed, "Pagaremos el próximo lunes.", "2026-03-16"},
		{"am montag", wed, "Wir überweisen am Montag.", "2026-03-16"},
		{"friday next week", wed, "We will pay Friday next week.", "2026-03-20"},
		{"naechste woche freitag", wed, "Wir zahlen nächste Woche Freitag.", "2026-03-20"},
		{"iso", wed, "Payment will be made on 2026-03-20.", "2026-03-20"},
		{"dotted", wed, "Wir zahlen am 20.03.2026.", "2026-03-20"},
		{"dotted no year", wed, "Wir zahlen am 20.3.", "2026-03-20"},
		{"dotted two-digit year", wed, "Wir zahlen am 20.03.26.", "2026-03-20"},
		{"slash day first", wed, "Pagaremos el 20/03/2026.", "2026-03-20"},
		{"slash no year", wed, "Pagaremos el 20/03.", "2026-03-20"},
		{"dash day first", wed, "Pagaremos el 20-03-2026.", "2026-03-20"},
		{"us slash unambiguous", time.Date(2026, 3, 11, 10, 0, 0, 0, classifyZone(-6)), "We will pay on 03/27/2026.", "2026-03-27"},
		{"us slash ambiguous from the americas", time.Date(2026, 3, 11, 10, 0, 0, 0, classifyZone(-6)), "We will pay on 04/05/2026.", "2026-04-05"},
		{"ambiguous slash from europe", wed, "We will pay on 04/05/2026.", "2026-05-04"},
		{"month day", wed, "We will pay on March 20.", "2026-03-20"},
		{"month day ordinal year", wed, "We will pay on March 20th, 2026.", "2026-03-20"},
		{"day month", wed, "We will pay on 20 March.", "2026-03-20"},
		{"day of month", wed, "We will pay on the 20th of March.", "2026-03-20"},
		{"german month", wed, "Wir zahlen am 20. März.", "2026-03-20"},
		{"german month without umlaut", wed, "Wir zahlen am 20. Maerz 2026.", "2026-03-20"},
		{"spanish month", wed, "Pagaremos el 20 de marzo.", "2026-03-20"},
		{"spanish month year", wed, "Pagaremos el 20 de marzo de 2026.", "2026-03-20"},
		{"weekday before date", wed, "We will pay on Friday, March 20.", "2026-03-20"},
		{"next year for early months", time.Date(2026, 12, 28, 10, 0, 0, 0, classifyZone(0)), "We will pay on January 5.", "2027-01-05"},
		{"in 3 days", wed, "We will pay in 3 days.", "2026-03-14"},
		{"in drei tagen", wed, "Wir zahlen in drei Tagen.", "2026-03-14"},
		{"en 3 dias", wed, "Pagaremos en 3 días.", "2026-03-14"},
		{"in two weeks", wed, "We will pay in two weeks.", "2026-03-25"},
		{"business days", wed, "Wir zahlen in 3 Werktagen.", "2026-03-16"},
		{"morgen", wed, "Wir zahlen morgen.", "2026-03-12"},
		{"guten morgen is no date", wed, "Guten Morgen, wir zahlen am Freitag.", "2026-03-13"},
		{"mañana", wed, "Pagamos mañana.", "2026-03-12"},
		{"esta mañana is no date", wed, "Esta mañana hablé con el banco; pagaremos el viernes.", "2026-03-13"},
		{"pasado mañana", wed, "Lo pagamos pasado mañana.", "2026-03-13"},
		{"übermorgen", wed, "Wir zahlen übermorgen.", "2026-03-13"},
		{"ende des monats", wed, "Die Rechnung wird Ende des Monats bezahlt.", "2026-03-31"},
		{"monatsende", wed, "Wir zahlen zum Monatsende.", "2026-03-31"},
		{"a final de mes", wed, "Se pagará a final de mes.", "2026-03-31"},
		{"fin de mes", wed, "Pagaremos a fin de mes.", "2026-03-31"},
		{"end of next month", wed, "We will pay at the end of next month.", "2026-04-30"},
		{"end of april", wed, "We will pay at the end of April.", "2026-04-30"},
		{"ende april", wed, "Wir zahlen Ende April.", "2026-04-30"},
		{"end of february leap handling", time.Date(2028, 2, 10, 9, 0, 0, 0, classifyZone(0)), "We will pay by the end of the month.", "2028-02-29"},
		{"end of month in berlin is not new york's", earlyBerlin, "Wir zahlen heute.", "2026-02-28"},
		{"invoice date is not the promise", wed, "Invoice 12 dated 15.02.2026 will be paid on 20.03.2026.", "2026-03-20"},
		{"german vom", wed, "Die Rechnung vom 12.02.2026 überweisen wir am 20.03.2026.", "2026-03-20"},
		{"past date only", wed, "We will pay the invoice from 02.03.2026.", ""},
		{"weekday with its day", wed, "Pagaremos el viernes 27.", "2026-03-27"},
		{"weekday with the day and ordinal", wed, "We will pay on Friday the 27th, as agreed.", "2026-03-27"},
		{"weekday with day and month", wed, "We will pay on Friday, 20 March.", "2026-03-20"},
		{"day of next month", wed, "Pagaremos el día 5 del mes que viene.", "2026-04-05"},
		{"the nth of next month", wed, "We will pay on the 5th of next month.", "2026-04-05"},
		{"am nten naechsten monats", wed, "Wir zahlen am 15. nächsten Monats.", "2026-04-15"},
		{"day only, already past this month", wed, "Die Zahlung erfolgt nach dem Zahllauf am 5.", "2026-04-05"},
		{"eom", wed, "We'll pay EOM.", "2026-03-31"},
		{"a weekday and a time", wed, "We will pay on Friday 10 am.", "2026-03-13"},
		{"calendar week", wed, "Wir zahlen in KW 14.", ""},
		{"week number", wed, "It will be paid in week 14.", ""},
		{"semana", wed, "Se pagará en la semana 14.", ""},
		{"next week", wed, "We will pay next week.", ""},
		{"nächste woche", wed, "Wir zahlen nächste Woche.", ""},
		{"la semana que viene", wed, "Pagaremos la semana que viene.", ""},
		{"soon", wed, "We will pay soon.", ""},
		{"in kürze", wed, "Wir zahlen in Kürze.", ""},
		{"pronto", wed, "Pagaremos pronto.", ""},
		{"within the next week", wed, "It will be paid within the next week.", ""},
		{"within 10 days", wed, "We will pay within 10 days.", ""},
		{"mid month", wed, "Wir zahlen Mitte April.", ""},
		{"principios", wed, "Pagaremos a principios de abril.", ""},
	}
	for _, c := range cases {
		got := Classify(&InboundMessage{Subject: "Re: reminder", Text: c.text, Date: c.sent})
		if got.Class != ClassPromise {
			t.Errorf("%s: class %s, want promise_to_pay (%q)", c.name, got.Class, c.text)
			continue
		}
		gd := ""
		if got.PromisedDate != nil {
			gd = got.PromisedDate.String()
		}
		if gd != c.want {
			t.Errorf("%s: promised %q, want %q (%q)", c.name, gd, c.want, c.text)
		}
	}
}

func TestExtractInvoiceRefs(t *testing.T) {
	cases := []struct{ in, want string }{
		{"We paid invoice 4711 today.", "4711"},
		{"Invoice No. 4711 and 4712", "4711,4712"},
		{"invoices 4711, 4712 and 4713", "4711,4712,4713"},
		{"Invoice #4711", "4711"},
		{"Invoice#: 4711", "4711"},
		{"inv. 4711", "4711"},
		{"INV-2026-0042 is paid", "INV-2026-0042"},
		{"Rechnungen RE-2026-501, -502 und -503", "RE-2026-501,RE-2026-502,RE-2026-503"},
		{"RE-2026-501, -5020 und -503", "RE-2026-501"},
		{"INV-2026-0301 - 200 EUR", "INV-2026-0301"},
		{"la factura FA 2026 118 está pagada", "FA 2026 118"},
		{"FA 2026 118 ist bezahlt", ""},
		{"Rechnung Nr. 4711 vom 12.03.2026 über 1.250,00 EUR", "4711"},
		{"Rechnungsnr.: R-2026-0042", "R-2026-0042"},
		{"Rechnungen 4711, 4712 und 4713", "4711,4712,4713"},
		{"Re.-Nr. 88123", "88123"},
		{"Rg. 5512", "5512"},
		{"factura nº F-2026-118", "F-2026-118"},
		{"Nº factura: 2026/118", "2026/118"},
		{"Fra. 26/0118 (pedido 4500-221)", "26/0118"},
		{"las facturas 101, 102 y 103", "101,102,103"},
		{"invoice 4711 (PO 4500012345)", "4711"},
		{"Rechnung 4711 zur Bestellung 4500012345", "4711"},
		{"PO 4500012345 and delivery note 8812", ""},
		{"Lieferschein LS-88120, Angebot 2026-77", ""},
		{"albarán ALB-20931 y presupuesto P-2026-044", ""},
		{"payment reference ZA-4711", ""},
		{"Zahlungsreferenz: ZA-4711", ""},
		{"referencia de pago TRF 88213004", ""},
		{"the invoice dated 12.03.2026", ""},
		{"invoice for 1,250.00 EUR", ""},
		{"invoice 12", ""},
		{"R-2026-0042 and F-2026-118", "R-2026-0042,F-2026-118"},
		{"credit note CN-0077 for invoice INV-1001", "INV-1001"},
		{"Invoice No.    Date        Amount\n90012345       02/02/2026  4,812.50\n90012377       02/09/2026  1,145.00\nTotal                      5,957.50", "90012345,90012377"},
		{"Your Invoice | Our PO | Amount\nn/a | PO-338 | 1.00\nKI-4401 | PO-339 | 980.40\nCN-7 (credit) | | -150.00", "KI-4401"},
		{"Belegnr.   Datum\nRE-2026-1170   10.02.2026\nGutschrift GS-2026-031   -410,00", "RE-2026-1170"},
		{"", ""},
	}
	for _, c := range cases {
		got := strings.Join(ExtractInvoiceRefs(c.in), ",")
		if got != c.want {
			t.Errorf("ExtractInvoiceRefs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if ExtractInvoiceRefs("nothing here") == nil {
		t.Error("ExtractInvoiceRefs must never return nil")
	}
}

func TestInvoiceRefsFromThread(t *testing.T) {
	cases := []struct{ own, context, want string }{
		// our subject labels the number; the customer writes it bare
		{"KIS-40850 is booked for payment.", "RE: Invoice KIS-40850 overdue", "KIS-40850"},
		// a number of the same family as a labelled one
		{"Invoice KIS-40390 is a duplicate of KIS-40371.", "", "KIS-40390,KIS-40371"},
		// bare digits form no family
		{"Invoice 4711 and PO 4712, order 4713.", "", "4711"},
		// labelled as something else, even when the thread knows it
		{"PO 4711 was the order.", "invoice 4711", ""},
	}
	for _, c := range cases {
		if got := strings.Join(classifyInvoiceRefs(c.own, c.context), ","); got != c.want {
			t.Errorf("classifyInvoiceRefs(%q, %q) = %q, want %q", c.own, c.context, got, c.want)
		}
	}
}

// TestClassifyPhrasings covers ways of saying things the corpus does not,
// one line each.
func TestInvoiceRefsFromReplySubject(t *testing.T) {
	cases := []struct{ own, subject, want string }{
		// our dunning subject names the number without a label
		{"I'll get a check out to you Monday for 55872.", "Re: Overdue 55872", "55872"},
		// years, short numbers and labelled numbers are no invoices
		{"We pay 2026 dues for 4711 and PO 88120.", "Re: Dues 2026, PO 88120, item 471", ""},
		// the sender's own subject carries their numbers
		{"Payment 2000145 covers everything.", "Payment advice 2000145", ""},
		// no subject, no guess
		{"Check for 55872 is out.", "", ""},
	}
	for _, c := range cases {
		if got := strings.Join(classifyInvoiceRefsThread(c.own, "", [2]string{c.subject}), ","); got != c.want {
			t.Errorf("classifyInvoiceRefsThread(%q, %q) = %q, want %q", c.own, c.subject, got, c.want)
		}
	}
}

func TestUnambiguousSlash(t *testing.T) {
	for _, c := range []struct {
		a, b int
		want bool
	}{{4, 15, true}, {15, 4, true}, {24, 7, false}, {7, 24, false}, {1, 2, false}, {3, 4, false}, {13, 13, false}, {4, 32, false}} {
		if got := classifyUnambiguousSlash(c.a, c.b); got != c.want {
			t.Errorf("classifyUnambiguousSlash(%d, %d) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestClassifyPhrasings(t *testing.T) {
	tue := time.Date(2026, 3, 10, 10, 0, 0, 0, classifyZone(1))
	wed := time.Date(2026, 4, 29, 18, 0, 0, 0, classifyZone(2))
	jun := time.Date(2026, 6, 15, 9, 0, 0, 0, classifyZone(2))
	cases := []struct {
		sent                    time.Time
		subj, text, class, date string
	}{
		{tue, "Re: reminder", "Hello, the amount will be wired to you on Thursday. Regards, Bob", ClassPromise, "2026-03-12"},
		{tue, "Re: reminder", "Payment for invoice 5512 is planned for 25 March.", ClassPromise, "2026-03-25"},
		{tue, "Re: reminder", "We are going to settle the balance by 31/03/2026.", ClassPromise, "2026-03-31"},
		{tue, "Re: reminder", "Funds were sent this morning, please check your account.", ClassRemittance, ""},
		{tue, "Re: reminder", "Payment was made on 5 March via BACS, ref 8812.", ClassRemittance, ""},
		{tue, "AW: Mahnung", "Der Betrag ist bereits am 02.03. an Sie überwiesen worden.", ClassRemittance, ""},
		{tue, "AW: Mahnung", "Wir begleichen die Rechnung bis spätestens 25.03.2026.", ClassPromise, "2026-03-25"},
		{tue, "AW: Mahnung", "Die Zahlung wird voraussichtlich Anfang April erfolgen.", ClassPromise, ""},
		{tue, "AW: Mahnung", "Bitte senden Sie uns die Rechnung nochmal zu, wir haben sie nicht erhalten.", ClassOther, ""},
		{tue, "AW: Mahnung", "Die gelieferten Teile sind defekt, wir senden sie zurück.", ClassDispute, ""},
		{tue, "AW: Mahnung", "Der Preis weicht von unserem Angebot ab. Wir bitten um Korrektur.", ClassDispute, ""},
		{tue, "RE: Recordatorio", "Ya hemos efectuado el pago, adjuntamos comprobante.", ClassRemittance, ""},
		{tue, "RE: Recordatorio", "El pago se hará efectivo el 15 de abril.", ClassPromise, "2026-04-15"},
		{tue, "RE: Recordatorio", "Os pagaremos la semana que viene.", ClassPromise, ""},
		{tue, "RE: Recordatorio", "La mercancía llegó rota, no vamos a pagar hasta que la repongan.", ClassDispute, ""},
		{tue, "RE: Recordatorio", "Esta factura ya la pagamos el mes pasado, está duplicada.", ClassDispute, ""},
		{tue, "RE: Recordatorio", "¿Podrían enviarnos un extracto de cuenta actualizado?", ClassOther, ""},
		{tue, "Re: reminder", "I'm not sure what this is for. Can you send me the invoice and the delivery note?", ClassOther, ""},
		{tue, "Re: reminder", "We never ordered these items and will return them.", ClassDispute, ""},
		{tue, "Re: reminder", "You charged us twice for the same shipment.", ClassDispute, ""},
		{tue, "Re: reminder", "The invoice total doesn't match the PO amount. Please correct.", ClassDispute, ""},
		{tue, "Re: reminder", "Thanks, I'll make sure this gets paid by end of next week.", ClassPromise, ""},
		{tue, "Re: reminder", "Check was mailed yesterday.", ClassRemittance, ""},
		{tue, "Re: reminder", "I am on maternity leave until June. Please contact accounts@x.example.", ClassAutoReply, ""},
		{tue, "Re: reminder", "Please note that I no longer work for ACME. Contact billing@acme.example instead.", ClassAutoReply, ""},
		{tue, "AW: Mahnung", "Ich bin ab 16.03. wieder im Haus.", ClassAutoReply, ""},
		{tue, "RE: Recordatorio", "Gracias por su correo. Estaré fuera hasta el 20 de marzo.", ClassAutoReply, ""},
		{tue, "Re: reminder", "Our bank has changed, please use the IBAN below for the refund.", ClassOther, ""},
		{tue, "Re: reminder", "We'll pay half now and the rest on April 30.", ClassPromise, "2026-04-30"},
		{tue, "Re: reminder", "Invoice approved; payment will be released on the 20th.", ClassPromise, "2026-03-20"},
		{tue, "AW: Mahnung", "Die Überweisung wurde heute von uns veranlasst.", ClassRemittance, ""},
		{tue, "AW: Mahnung", "Zahlung folgt übermorgen.", ClassPromise, "2026-03-12"},
		{tue, "RE: Recordatorio", "Realizamos el pago ayer por transferencia.", ClassRemittance, ""},
		{tue, "RE: Recordatorio", "Les haremos el ingreso antes del 31 de marzo.", ClassPromise, "2026-03-31"},
		{tue, "Re: reminder", "We will remit payment next Monday.", ClassPromise, "2026-03-16"},
		{tue, "Re: reminder", "Could you confirm our current balance with you as of 28 February?", ClassOther, ""},
		{tue, "Re: reminder", "The goods arrived damaged and we have rejected the delivery.", ClassDispute, ""},
		{tue, "AW: Mahnung", "Wir haben nur 8 von 10 Kartons erhalten.", ClassDispute, ""},
		{tue, "AW: Mahnung", "Bitte teilen Sie uns Ihre Bankverbindung mit, damit wir überweisen können.", ClassOther, ""},
		{tue, "Re: reminder", "Is this invoice for the March or April delivery?", ClassOther, ""},
		{wed, "Re: Invoice 7781", "Hi, accounts will release the payment for 7781 on May 4th. Cheers", ClassPromise, "2026-05-04"},
		{wed, "Question about invoice", "Hi, we received invoice INV-5523 but the hourly rate is higher than in our contract. Can you check?", ClassDispute, ""},
		{wed, "AW: Rechnung 2026-331", "Hallo, die Rechnung 2026-331 wurde von uns am 27.04. bezahlt. Bitte prüfen Sie Ihren Zahlungseingang.", ClassRemittance, ""},
		{wed, "AW: Offene Posten", "Servus, wir überweisen Ende der Woche alles. Gruß Sepp", ClassPromise, ""},
		{wed, "AW: Offene Posten", "Hallo, die Re.-Nr. 88123 und 88150 zahlen wir am Montag.", ClassPromise, "2026-05-04"},
		{wed, "RE: Factura 2026/0456", "Buenas, la factura 2026/0456 la abonamos el lunes que viene. Saludos", ClassPromise, "2026-05-04"},
		{wed, "RE: Factura", "Hola, no encontramos el pedido asociado a la factura 1180, ¿nos indicáis el número de pedido? Gracias", ClassOther, ""},
		{wed, "RE: Factura", "Buenas tardes, les comunico que la factura 1180 no corresponde a nuestra empresa. Nunca hemos trabajado con ustedes.", ClassDispute, ""},
		{wed, "Re: Overdue", "The machine you delivered has not worked since day one. We won't pay until it is fixed.", ClassDispute, ""},
		{wed, "Re: Overdue", "Hi - this one's on me, I forgot to approve it. It'll be paid tomorrow.", ClassPromise, "2026-04-30"},
		{wed, "Re: Overdue", "Hi,\n\nPaid.\n\nThanks", ClassRemittance, ""},
		{wed, "Re: Overdue", "We have transferred EUR 4.200,00 today for invoices 101 and 102.\n\nOn Mon, Apr 27, 2026 at 9:00 AM AR <ar@x.example> wrote:\n> Invoice 101 and 102 are disputed? Please pay by tomorrow.", ClassRemittance, ""},
		{wed, "Re: Reminder", "We will pay by the end of May.", ClassPromise, "2026-05-31"},
		{wed, "Re: Reminder", "Payment is due to be processed on 05/15/2026.", ClassPromise, "2026-05-15"},
		{wed, "AW: Erinnerung", "Wir zahlen Mitte Mai.", ClassPromise, ""},
		{wed, "AW: Erinnerung", "Die Rechnung wird am 6. Mai beglichen.", ClassPromise, "2026-05-06"},
		{wed, "AW: Erinnerung", "Wir können erst nach Eingang der Gutschrift zahlen.", ClassDispute, ""},
		{wed, "RE: Aviso", "Hola, pagaremos a principios de mayo.", ClassPromise, ""},
		{wed, "RE: Aviso", "Pagaremos el 30/04.", ClassPromise, "2026-04-30"},
		{wed, "RE: Aviso", "El importe se transferirá en 2 semanas.", ClassPromise, "2026-05-13"},
		{wed, "Re: Statement", "Please find our remittance attached for April.", ClassRemittance, ""},
		{wed, "Re: Statement", "Our records show a different balance. Can you send a statement so we can reconcile?", ClassOther, ""},
		{wed, "Re: Statement", "Could you send the invoices as PDF instead of paper?", ClassOther, ""},
		{wed, "Re: Reminder", "Sorry for the delay, it'll go out Friday.", ClassPromise, "2026-05-01"},
		{wed, "Re: Reminder", "Invoice 4410 was paid with check #2231 on April 20.", ClassRemittance, ""},
		{wed, "Re: Reminder", "Invoice 4410 - we returned the goods on April 2 (RMA 5531), please issue a credit.", ClassDispute, ""},
		{wed, "AW: Zahlungserinnerung", "Die Ware ist bis heute nicht eingetroffen.", ClassDispute, ""},
		{wed, "Duplicate invoice 5512", "Please cancel invoice 5512, it duplicates 5499.", ClassDispute, ""},
		{wed, "Copy please", "Please send us a duplicate of invoice 5512, ours got lost.", ClassOther, ""},
		{jun, "RE: Overdue invoice 9912", "Hello,\nwe have checked and the payment of 9912 went out on 10 June. Our bank ref is 55120.\nRegards", ClassRemittance, ""},
		{jun, "RE: Overdue invoice 9912", "Hi, please hold off - we are waiting for the customer to pay us. Expect payment around the 25th.", ClassPromise, ""},
		{jun, "RE: Overdue invoice 9912", "I have asked our finance team to prioritise it, you should have the money by Wednesday.", ClassPromise, "2026-06-17"},
		{jun, "AW: Mahnung 9912", "Guten Tag,\nwir haben die Rechnung nicht bezahlt, weil die Lieferung unvollständig war. Es fehlen 3 Paletten.", ClassDispute, ""},
		{jun, "AW: Mahnung 9912", "Die Zahlung ist heute rausgegangen.", ClassRemittance, ""},
		{jun, "AW: Mahnung 9912", "Können wir die Rechnung in drei Raten zahlen? Die erste Rate würden wir am 30.06. überweisen.", ClassPromise, "2026-06-30"},
		{jun, "RE: Factura 9912", "Buenos días, el pago está previsto para el 30 de junio.", ClassPromise, "2026-06-30"},
		{jun, "RE: Factura 9912", "Hola, la transferencia ya está hecha, os llegará en un par de días.", ClassRemittance, ""},
		{jun, "RE: Factura 9912", "Buenos días, ¿a qué corresponde esta factura? No tenemos constancia del servicio.", ClassDispute, ""},
		{jun, "Re: Payment reminder", "Thanks for the reminder. The invoice has been forwarded to our AP department for processing.", ClassOther, ""},
		{jun, "Re: Payment reminder", "We're disputing the freight charge of $250 on invoice 9912 - freight was supposed to be included.", ClassDispute, ""},
		{jun, "Re: Payment reminder", "Please stop sending reminders, this was settled by credit card on June 1st.", ClassRemittance, ""},
		{jun, "Re: Payment reminder", "Can you tell me which invoices are still open?", ClassOther, ""},
		{jun, "Re: Payment reminder", "Hi, we switched to a new ERP and payments are delayed. All open invoices will be paid by June 30.", ClassPromise, "2026-06-30"},
		{jun, "Re: Payment reminder", "Out of office until 22 June. For urgent matters contact finance@x.example.", ClassAutoReply, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Account 3321", "Hi Jo, our AP run is every Thursday; your invoice 77120 will be in this week's run.", ClassPromise, "2026-09-03"},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Account 3321", "Hi, I've chased our accounts team and they've confirmed it was paid on 28/08.", ClassRemittance, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Account 3321", "We have a credit of £500 on our account from the returned goods - please offset it against invoice 77120.", ClassDispute, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "AW: Rechnung 4410", "Hallo Frau Kaya, die Rechnung ist zur Zahlung freigegeben und geht mit dem nächsten Lauf am Freitag raus.", ClassPromise, "2026-09-04"},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "AW: Rechnung 4410", "Sehr geehrte Damen und Herren, bitte beachten Sie, dass wir Rechnungen nur mit Bestellnummer bearbeiten können.", ClassDispute, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "AW: Rechnung 4410", "Moin, ist schon lange bezahlt – bitte nochmal nachschauen!", ClassRemittance, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "AW: Rechnung 4410", "Hallo, wir haben die Ware zurückgeschickt, bitte schreiben Sie uns die Rechnung gut.", ClassDispute, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Factura 3390", "Hola Marta, esta semana no podemos pagar, lo haremos el día 15.", ClassPromise, "2026-09-15"},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Factura 3390", "Buenas, el cargo de portes no estaba incluido en el presupuesto que nos pasasteis.", ClassDispute, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Factura 3390", "Ya os lo pagamos hace dos semanas, mirad bien el extracto.", ClassRemittance, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Factura 3390", "¿Me mandas la factura en PDF? La necesito para el gestor.", ClassOther, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Statement", "All good, the two open items were paid last Friday.", ClassRemittance, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Statement", "We'd like to pay by card - can you send a payment link?", ClassOther, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Reminder", "Sorry! Will pay today.", ClassPromise, "2026-09-02"},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Reminder", "Your delivery driver damaged our gate, we are deducting the repair from your invoice.", ClassDispute, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "AW: Erinnerung", "Vielen Dank für den Hinweis, wird umgehend erledigt.", ClassPromise, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Recordatorio", "Perdona, se me pasó. Te lo ingreso mañana sin falta.", ClassPromise, "2026-09-03"},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Automatic reply: Reminder", "I'm out until 9/7 with no email access.", ClassAutoReply, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Reminder", "Invoice 77120 has been short paid by $120 because of the pricing error on line 2.", ClassDispute, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Reminder", "Please don't email this address anymore, I retired last month.", ClassAutoReply, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Reminder", "Hi, can you send me the W-9 form? We need it to set you up as a vendor before we can pay.", ClassOther, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "AW: Zahlungserinnerung", "Sehr geehrte Damen und Herren, bitte senden Sie uns eine aktuelle Aufstellung der offenen Posten.", ClassOther, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Recordatorio", "Hola, ¿podéis indicarme a qué pedido corresponde la factura? No la encuentro.", ClassOther, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Abwesend: Zahlungserinnerung", "Danke für Ihre E-Mail. Ich bin bis 20.5. in Elternzeit. Ihre Mail wird nicht gelesen.", ClassAutoReply, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "Re: Payment reminder", "Hello, I'm away on holiday returning 18th May. Please email finance@x.example for anything urgent.", ClassAutoReply, ""},
		{time.Date(2026, 9, 2, 11, 0, 0, 0, classifyZone(1)), "RE: Recordatorio", "En estos momentos no me encuentro en la oficina. Atenderé su correo a mi regreso el día 18.", ClassAutoReply, ""},
		{wed, "Duplikat", "Bitte schicken Sie uns ein Rechnungsduplikat für 5512.", ClassOther, ""},
		// asking for terms promises nothing; a promise with a tag question does
		{tue, "Re: reminder", "Is it OK if we pay invoice 5512 on Friday?", ClassOther, ""},
		{tue, "Re: reminder", "Hi Anna, could we settle 5512 at the end of April?", ClassOther, ""},
		{tue, "Re: reminder", "We'll pay 5512 on Friday, OK?", ClassPromise, "2026-03-13"},
		{tue, "AW: Mahnung", "Können wir, wie besprochen, erst am 30.04. zahlen?", ClassOther, ""},
		{tue, "AW: Mahnung", "Wir zahlen am Freitag. Passt das?", ClassPromise, "2026-03-13"},
		{tue, "RE: Recordatorio", "Hola, ¿podríamos pagar a finales de abril?", ClassOther, ""},
		// a house rule is neither a promise nor an advice; this invoice's turn is
		{tue, "Re: reminder", "We generally pay suppliers on 45-day terms.", ClassOther, ""},
		{tue, "AW: Mahnung", "Wir zahlen in der Regel zum Monatsende.", ClassOther, ""},
		{tue, "Re: reminder", "As always, we will pay on the last business day of the month.", ClassPromise, "2026-03-31"},
	}
	for _, c := range cases {
		got := Classify(&InboundMessage{Subject: c.subj, Text: c.text, Date: c.sent})
		gd := ""
		if got.PromisedDate != nil {
			gd = got.PromisedDate.String()
		}
		if got.Class != c.class || gd != c.date {
			t.Errorf("%q: got %s %q, want %s %q", c.text, got.Class, gd, c.class, c.date)
		}
	}
}

func TestClassifyDetails(t *testing.T) {
	sent := time.Date(2026, 3, 10, 10, 0, 0, 0, classifyZone(1))
	t.Run("dispute reasons", func(t *testing.T) {
		cases := []struct{ text, reason string }{
			{"The unit price is wrong, we agreed 41.75.", DisputePrice},
			{"We only received 8 of the 10 pallets.", DisputeQuantity},
			{"We never received the goods.", DisputeNotReceived},
			{"Two boxes arrived damaged.", DisputeDamaged},
			{"Invoice 12 is a duplicate of invoice 11.", DisputeDuplicate},
			{"The invoice does not show our PO number.", DisputeMissingPO},
			{"Die Bestellnummer fehlt auf der Rechnung.", DisputeMissingPO},
			{"Falta el número de pedido en la factura.", DisputeMissingPO},
			{"We dispute this invoice.", DisputeOther},
		}
		for _, c := range cases {
			got := Classify(&InboundMessage{Subject: "Re: x", Text: c.text, Date: sent})
			if got.Class != ClassDispute || got.DisputeReason != c.reason {
				t.Errorf("%q: %s/%s, want dispute/%s", c.text, got.Class, got.DisputeReason, c.reason)
			}
		}
	})
	t.Run("return date of an auto-reply", func(t *testing.T) {
		cases := []struct{ text, want string }{
			{"I am out of the office until March 20 and back on Monday, March 23.", "2026-03-23"},
			{"Ich bin bis zum 20.03.2026 nicht im Büro.", "2026-03-20"},
			{"Estoy de vacaciones hasta el 20 de marzo.", "2026-03-20"},
		}
		for _, c := range cases {
			got := Classify(&InboundMessage{Subject: "Automatic reply: x", Text: c.text, Date: sent, Headers: map[string][]string{"Auto-Submitted": {"auto-replied"}}})
			if got.Class != ClassAutoReply || got.ReturnDate == nil || got.ReturnDate.String() != c.want {
				t.Errorf("%q: %s %v, want auto_reply %s", c.text, got.Class, got.ReturnDate, c.want)
			}
		}
	})
	t.Run("promised amount", func(t *testing.T) {
		got := Classify(&InboundMessage{Subject: "Re: x", Text: "We will pay the remaining 1.250,50 EUR on Friday.", Date: sent})
		if got.PromisedAmount == nil || got.PromisedAmount.String() != "1250.5" || got.PromisedCurrency != "EUR" {
			t.Errorf("amount %v %s", got.PromisedAmount, got.PromisedCurrency)
		}
	})
	t.Run("content beats Auto-Submitted for payment advices", func(t *testing.T) {
		got := Classify(&InboundMessage{Subject: "Payment advice 77", Text: "Payment advice\n\nInvoice 4711 paid 100.00\nInvoice 4712 paid 200.00", Date: sent,
			Headers: map[string][]string{"Auto-Submitted": {"auto-generated"}, "Precedence": {"bulk"}}})
		if got.Class != ClassRemittance {
			t.Errorf("class %s", got.Class)
		}
	})
	t.Run("headers alone make an auto-reply", func(t *testing.T) {
		got := Classify(&InboundMessage{Subject: "Re: x", Text: "Thank you.", Date: sent, Headers: map[string][]string{"Auto-Submitted": {"auto-replied"}}})
		if got.Class != ClassAutoReply || len(got.InvoiceRefs) != 0 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("auth failure lowers trust but sets no fraud", func(t *testing.T) {
		m := &InboundMessage{Subject: "Copy", Text: "Please send a copy of invoice 4711.", Date: sent}
		pass := Classify(m)
		m.Headers = map[string][]string{"Authentication-Results": {"mx.example; dkim=fail header.d=a.example; spf=fail smtp.mailfrom=a.example; dmarc=fail header.from=a.example"}}
		fail := Classify(m)
		if !fail.AuthFailed || fail.FraudRisk || fail.Confidence >= pass.Confidence || fail.Class != pass.Class {
			t.Errorf("pass %+v\nfail %+v", pass, fail)
		}
	})
	t.Run("authentication results", func(t *testing.T) {
		cases := []struct {
			v    string
			fail bool
		}{
			{"mx; dkim=pass header.d=a; spf=pass; dmarc=pass", false},
			{"mx; dkim=fail; spf=pass; dmarc=pass", false},
			{"mx; dkim=pass; spf=softfail", true},
			{"mx; dmarc=fail (p=reject; dis=none) header.from=a", true},
			{"mx; spf=neutral", false},
			{"mx; dkim=permerror", true},
			{"garbage ;; = ;", false},
		}
		for _, c := range cases {
			if got := classifyAuthFailed(map[string][]string{"Authentication-Results": {c.v}}); got != c.fail {
				t.Errorf("%q: %v, want %v", c.v, got, c.fail)
			}
		}
	})
	t.Run("fraud", func(t *testing.T) {
		cases := []struct {
			text  string
			fraud bool
		}{
			{"Our bank details have changed, please pay to the new account below.", true},
			{"Please update our account: new IBAN DE12 3456.", true},
			{"Bitte beachten Sie unsere neue Bankverbindung.", true},
			{"Por favor, tomen nota de nuestro nuevo número de cuenta.", true},
			{"Please refund the credit into the following account: 12345678.", true},
			{"We paid from our usual account with IBAN DE12 3456.", false},
			{"Unsere Bankverbindung bleibt unverändert.", false},
			{"We will never change our bank details by email.", false},
			{"Please update our address in your records.", false},
		}
		for _, c := range cases {
			if got := Classify(&InboundMessage{Subject: "x", Text: c.text, Date: sent}); got.FraudRisk != c.fraud {
				t.Errorf("%q: fraud %v, want %v", c.text, got.FraudRisk, c.fraud)
			}
		}
	})
	t.Run("forwarded content decides", func(t *testing.T) {
		m := &InboundMessage{Subject: "Fwd: Zahlungsavis", Text: "FYI, see below.", Date: sent,
			Forwarded: &InboundMessage{Subject: "Zahlungsavis", Text: "Wir haben heute die Rechnung R-2026-0042 überwiesen."}}
		got := Classify(m)
		if got.Class != ClassRemittance || got.Language != "de" || strings.Join(got.InvoiceRefs, ",") != "R-2026-0042" {
			t.Errorf("%+v", got)
		}
	})
	t.Run("an auto-reply quoting our notice as an attachment", func(t *testing.T) {
		m := &InboundMessage{Subject: "Automatic reply: Payment reminder", Text: "I am out of the office until March 20.", Date: sent,
			Headers:   map[string][]string{"Auto-Submitted": {"auto-replied"}},
			Forwarded: &InboundMessage{Subject: "Payment reminder", Text: "Invoice 4711 is overdue. Please pay by March 16; we will pay attention to disputes."}}
		if got := Classify(m); got.Class != ClassAutoReply || len(got.InvoiceRefs) != 0 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("json shape", func(t *testing.T) {
		b, _ := json.Marshal(Classify(&InboundMessage{Subject: "x", Text: "hello", Date: sent}))
		want := `{"class":"other","language":"en","invoice_refs":[],"promised_date":null,"bounced_recipient":null,"fraud_risk":false,"confidence":0.5}`
		if string(b) != want {
			t.Errorf("got  %s\nwant %s", b, want)
		}
	})
	t.Run("nil and empty", func(t *testing.T) {
		for _, m := range []*InboundMessage{nil, {}} {
			c := Classify(m)
			if c.Class != ClassOther || c.InvoiceRefs == nil || c.Confidence < 0 || c.Confidence > 1 {
				t.Errorf("%+v", c)
			}
		}
	})
}

func TestClassifyBounceFields(t *testing.T) {
	m := &InboundMessage{
		From:    []string{"MAILER-DAEMON@mx.example"},
		To:      []string{"ar@us.example"},
		Subject: "Undelivered Mail Returned to Sender",
		Headers: map[string][]string{"Content-Type": {"multipart/report; report-type=delivery-status"}},
		DeliveryStatus: "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; a@x.example\nAction: delivered\n\n" +
			"Final-Recipient: rfc822; Bob@Y.example\nOriginal-Recipient: rfc822; Bob.Alias@Y.example\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unknown\n",
	}
	c := Classify(m)
	if c.Class != ClassBounce || c.BouncedRecipient == nil || *c.BouncedRecipient != "bob.alias@y.example" ||
		c.BounceAction != "failed" || c.BounceStatus != "5.1.1" || !strings.Contains(c.BounceDiagnostic, "550") {
		t.Errorf("%+v", c)
	}
	texts := []struct{ from, subject, text, want string }{
		{"postmaster@mail.example", "Delivery Status Notification (Failure)", "Delivery to the following recipient failed permanently:\n\n     Bob@Gone.example\n\nTechnical details of permanent failure: 550 5.1.1 user unknown", "bob@gone.example"},
		{"postmaster@orange.example", "Non remis : Rappel", "Le message n'a pas pu être remis aux destinataires suivants:\n\njean@x.example", "jean@x.example"},
		{"MAILER-DAEMON@x.example", "Returned mail: User unknown", "----- The following addresses had permanent fatal errors -----\n<a@b.example>", "a@b.example"},
		{"mailer-daemon@y.example", "Mail System Error - Returned Mail", "The mail system could not deliver your message to c@d.example: mailbox is full.", "c@d.example"},
	}
	for _, tc := range texts {
		c := Classify(&InboundMessage{From: []string{tc.from}, To: []string{"ar@us.example"}, Subject: tc.subject, Text: tc.text})
		if c.Class != ClassBounce || c.BouncedRecipient == nil || *c.BouncedRecipient != tc.want || len(c.InvoiceRefs) != 0 {
			t.Errorf("%s: %+v", tc.subject, c)
		}
	}
	success := &InboundMessage{Subject: "Delivery Status Notification (Success)", DeliveryStatus: "Final-Recipient: rfc822; a@x.example\nAction: delivered\nStatus: 2.0.0\n"}
	if c := Classify(success); c.Class == ClassBounce {
		t.Errorf("a success DSN is no bounce: %+v", c)
	}
}

// allClassifyRx lists every prefiltered expression, for soundness checks.
func allClassifyRx() []classifyRx {
	var out []classifyRx
	for _, g := range [][]classifyPat{classifyRemitPats, classifyPromisePats, classifyDisputePats, classifyOtherPats} {
		for _, p := range g {
			out = append(out, p.re)
		}
	}
	out = append(out, classifyFraudPats...)
	return append(out, classifyConditional, classifyAutoSubjectStrong, classifyAutoSubjectTicket, classifyAutoTextStrong,
		classifyAutoTextTicket, classifyAutoTextWeak, classifyBounceSubject, classifyBounceBody, classifyBounceDelay,
		classifyCueMoney, classifyCueFuture, classifyCuePast, classifyCueNeg, classifyCueReason, classifyCueIssue, classifyQuestionStart, classifyHabit, classifyHabitSpecific)
}

// TestPrefilterSound: the literal prefilter may only skip texts the
// expression cannot match.
func TestPrefilterSound(t *testing.T) {
	var texts []string
	files, _ := filepath.Glob("testdata/mail/*.eml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, classifySentences(classifyFold(string(b))))
	}
	if len(texts) == 0 {
		t.Fatal("no sample texts")
	}
	for _, r := range allClassifyRx() {
		for _, s := range texts {
			if r.R().MatchString(s) && !r.may(s) {
				t.Errorf("prefilter %v rejects a text %s matches", r.lits, r.expr)
				break
			}
		}
	}
	lits, ok := classifyRequired(classifyMustParse(`\b(we|i) (have|has) (paid|settled)\b`))
	if !ok || strings.Join(lits, ",") != "paid,settled" {
		t.Errorf("required literals %v %v", lits, ok)
	}
}

func classifyMustParse(expr string) *syntax.Regexp {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err)
	}
	return re.Simplify()
}
