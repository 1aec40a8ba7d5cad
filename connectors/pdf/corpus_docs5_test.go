package pdf

import (
	"fmt"
	"strings"
)

// corpus5 is the fifth round: letters naming invoices in prose (en, es,
// de) and layouts the earlier rounds lacked: Skonto columns with a
// percentage, debit memos with reasons, invoice numbers with leading
// zeros, the payment date only in a header box, currencies with three
// decimals or none, a table without an invoice header, a footer total
// after a page break, and two payments in one file. Expectations were
// written from the document before the reader saw it.
func corpus5() []cdoc {
	return []cdoc{
		docEsProseLetter(), docDeProseLetter(), docEnProseCheckLetter(),
		docDeSkontoPercent(), docEnDebitMemoReasons(), docEnLeadingZeros(), docEsFechaValorBox(),
		docEnKWDThreeDecimals(), docEnJPYNoDecimals(), docEnNoInvoiceHeader(), docDeGesamtsummePage2(),
		docEnTwoAdvices(), docDeValutaBox(), docEnValueDateBesideDocDate(), docEsTotalPagadoPage2(), docEnProsePaidOnNoYear(),
		docEnInvoiceWithBlank(), docDeProseInHoeheVon(), docEsProseBracketsEuro(), docEnLoDiscPercentPage2(),
		docEnProseNoAmountsEach(), docDeTrailingMinusBelastung(), docEsCSVFechaValorTotalRow(),
		docEnProseOrderNumber(), docDeProseMonthName(),
		docEnXLSXKWDShownTwoDecimals(),
	}
}

func docEsProseLetter() cdoc {
	return cdoc{
		name: "c5_es_prose_letter_por_importe", via: "fpdf",
		sender: []string{"Ferretería Hermanos Ortiz S.L.", "Calle Mayor 12", "28013 Madrid"},
		head:   [][2]string{{"", "Madrid, 10 de marzo de 2026"}},
		text: []string{"Estimados señores:", "",
			"Les comunicamos que el 16 de marzo de 2026 hemos transferido el pago de las facturas",
			"F-2026-118 por importe de 1.450,00 EUR y F-2026-131 por importe de 320,50 EUR,",
			"en total 1.770,50 EUR, con referencia TRF-88123.",
			"Atentamente,", "Departamento de Contabilidad"},
		want: wantRem{"Ferretería Hermanos Ortiz S.L.", "2026-03-16", "TRF-88123", "EUR", "1770.50", []wl{
			L("F-2026-118", "", "", "", "", "1450.00"),
			L("F-2026-131", "", "", "", "", "320.50"),
		}},
	}
}

// docDeProseLetter: the sentence's date has no year ("am 17.03."): the
// letter's year is meant.
func docDeProseLetter() cdoc {
	return cdoc{
		name: "c5_de_prose_letter_ueber", via: "fpdf",
		sender: []string{"Bäckerei Sommer GmbH", "Hauptstraße 5", "79098 Freiburg"},
		head:   [][2]string{{"", "Datum: 18.03.2026"}},
		text: []string{"Sehr geehrte Damen und Herren,", "",
			"hiermit teilen wir Ihnen mit, dass wir die Rechnungen 2026-0311 über 2.380,00 EUR",
			"und 2026-0327 über 595,00 EUR am 17.03. überwiesen haben (Gesamtbetrag 2.975,00 EUR).",
			"Verwendungszweck: SOMMER-0317",
			"Mit freundlichen Grüßen", "Buchhaltung"},
		want: wantRem{"Bäckerei Sommer GmbH", "2026-03-17", "SOMMER-0317", "EUR", "2975.00", []wl{
			L("2026-0311", "", "", "", "", "2380.00"),
			L("2026-0327", "", "", "", "", "595.00"),
		}},
	}
}

// docEnProseCheckLetter: a cover letter for a check; a credit memo named
// in the sentence is subtracted, so its line is negative.
func docEnProseCheckLetter() cdoc {
	return cdoc{
		name: "c5_en_prose_check_letter_credit", via: "fpdf",
		sender: []string{"Harbour Marine Supplies Inc.", "400 Pier Road", "Portland, ME 04101"},
		head:   [][2]string{{"", "March 20, 2026"}},
		text: []string{"Dear Accounts Receivable,", "",
			"Our check no. 10482 dated March 19, 2026 covers invoice INV-20931 for $4,250.00",
			"and invoice INV-20958 for $1,100.00, less credit memo CM-3310 for $350.00.",
			"The total of the check is $5,000.00.",
			"Sincerely,", "Paul Novak, Controller"},
		want: wantRem{"Harbour Marine Supplies Inc.", "2026-03-19", "10482", "USD", "5000.00", []wl{
			L("INV-20931", "", "", "", "", "4250.00"),
			L("INV-20958", "", "", "", "", "1100.00"),
			L("CM-3310", "", "", "", "", "-350.00"),
		}},
	}
}

// docDeSkontoPercent: each line prints the Skonto rate beside its amount;
// the rate is no amount.
func docDeSkontoPercent() cdoc {
	return cdoc{
		name: "c5_de_skonto_percent_column", via: "fpdf",
		sender: []string{"Kessler Werkzeugbau GmbH", "Industriestraße 22", "73430 Aalen"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum:", "20.03.2026"}, {"Zahlungsreferenz:", "ZV-2026-0320"}, {"Währung:", "EUR"}},
		cols:   []string{"Rechnung", "Datum", "Brutto", "Skonto %", "Skonto", "Zahlbetrag"},
		align:  "LLRRRR", widths: []float64{1.2, 1, 1, 0.7, 0.8, 1},
		rows: [][]string{
			{"RE-26-1001", "02.03.2026", "1.190,00", "2,0", "23,80", "1.166,20"},
			{"RE-26-1014", "05.03.2026", "2.380,00", "2,0", "47,60", "2.332,40"},
			{"RE-26-1020", "06.03.2026", "595,00", "3,0", "17,85", "577,15"},
		},
		after: [][]string{{"Summe", "", "4.165,00", "", "89,25", "4.075,75"}},
		want: wantRem{"Kessler Werkzeugbau GmbH", "2026-03-20", "ZV-2026-0320", "EUR", "4075.75", []wl{
			L("RE-26-1001", "2026-03-02", "1190.00", "23.80", "", "1166.20"),
			L("RE-26-1014", "2026-03-05", "2380.00", "47.60", "", "2332.40"),
			L("RE-26-1020", "2026-03-06", "595.00", "17.85", "", "577.15"),
		}},
	}
}

// docEnDebitMemoReasons: debit memos and chargebacks printed negative with
// their reason in a description column.
func docEnDebitMemoReasons() cdoc {
	return cdoc{
		name: "c5_en_debit_memo_reason_text", via: "fpdf",
		sender: []string{"Great Lakes Grocers Inc.", "1200 Market St", "Cleveland, OH 44113"},
		title:  "Remittance Advice",
		head:   [][2]string{{"Payment Date:", "03/18/2026"}, {"EFT No:", "EFT-770213"}, {"Currency:", "USD"}},
		cols:   []string{"Document", "Date", "Description", "Amount"},
		align:  "LLLR", widths: []float64{1, 0.9, 2.2, 1},
		rows: [][]string{
			{"INV-88120", "02/10/2026", "Invoice", "3,400.00"},
			{"INV-88177", "02/17/2026", "Invoice", "1,250.00"},
			{"DM-5521", "03/02/2026", "Debit memo - short shipment", "-180.00"},
			{"CB-0917", "03/05/2026", "Chargeback - late delivery penalty", "-95.50"},
		},
		after: [][]string{{"", "", "Total", "4,374.50"}},
		want: wantRem{"Great Lakes Grocers Inc.", "2026-03-18", "EFT-770213", "USD", "4374.50", []wl{
			L("INV-88120", "2026-02-10", "", "", "", "3400.00"),
			L("INV-88177", "2026-02-17", "", "", "", "1250.00"),
			L("DM-5521", "2026-03-02", "", "", "", "-180.00"),
			L("CB-0917", "2026-03-05", "", "", "", "-95.50"),
		}},
	}
}

// docEnLeadingZeros: an export whose invoice cells are padded with blanks
// and keep their leading zeros: as printed, trimmed.
func docEnLeadingZeros() cdoc {
	return cdoc{
		name: "c5_en_csv_leading_zeros_padded", via: "csv", sep: ',',
		cols: []string{"Payment Ref", "Payment Date", "Invoice", "Invoice Amount", "Amount Paid", "Currency"},
		rows: [][]string{
			{"BP-55012", "2026-03-21", "  0004711 ", "1200.00", "1200.00", "USD"},
			{"BP-55012", "2026-03-21", "0000815   ", "75.25", "75.25", "USD"},
			{"BP-55012", "2026-03-21", " 00 1234", "300.00", "300.00", "USD"},
		},
		want: wantRem{"", "2026-03-21", "BP-55012", "USD", "1575.25", []wl{
			L("0004711", "", "1200.00", "", "", "1200.00"),
			L("0000815", "", "75.25", "", "", "75.25"),
			L("00 1234", "", "300.00", "", "", "300.00"),
		}},
	}
}

// docEsFechaValorBox: the payment date is only the value date in a box
// whose labels stand above their values.
func docEsFechaValorBox() cdoc {
	return cdoc{
		name: "c5_es_fecha_valor_box", via: "chromium",
		html: `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4}
body{font-family:"Liberation Sans",Arial,sans-serif;font-size:10pt;margin:0}
table{border-collapse:collapse;width:100%;margin-top:16px}td,th{border:1px solid #000;padding:4px 6px;text-align:left}
.n{text-align:right}</style></head><body>
<p><b>Distribuciones Levante S.A.</b><br>Avenida del Puerto 101<br>46023 Valencia</p>
<h2>Aviso de pago</h2>
<table><tr><th>Fecha valor</th><th>Nº de orden</th><th>Divisa</th></tr>
<tr><td>23/03/2026</td><td>OP-2026-00417</td><td>EUR</td></tr></table>
<table><tr><th>Factura</th><th>Fecha factura</th><th class="n">Importe</th><th class="n">Pagado</th></tr>
<tr><td>FV26-00981</td><td>12/02/2026</td><td class="n">2.904,00</td><td class="n">2.904,00</td></tr>
<tr><td>FV26-01022</td><td>19/02/2026</td><td class="n">871,20</td><td class="n">871,20</td></tr>
<tr><td colspan="3">Total pagado</td><td class="n">3.775,20</td></tr></table>
</body></html>`,
		want: wantRem{"Distribuciones Levante S.A.", "2026-03-23", "OP-2026-00417", "EUR", "3775.20", []wl{
			L("FV26-00981", "2026-02-12", "2904.00", "", "", "2904.00"),
			L("FV26-01022", "2026-02-19", "871.20", "", "", "871.20"),
		}},
	}
}

func docEnKWDThreeDecimals() cdoc {
	return cdoc{
		name: "c5_en_kwd_three_decimals", via: "fpdf",
		sender: []string{"Al-Salam Trading Co. W.L.L.", "Shuwaikh Industrial Area", "Kuwait City"},
		title:  "Payment Advice",
		head:   [][2]string{{"Payment Date:", "15/03/2026"}, {"Reference:", "KW-PAY-3391"}, {"Currency:", "KWD"}},
		cols:   []string{"Invoice No", "Invoice Date", "Amount", "Paid"},
		align:  "LLRR", widths: []float64{1.2, 1, 1, 1},
		rows: [][]string{
			{"NW-7001", "01/02/2026", "1,250.500", "1,250.500"},
			{"NW-7009", "08/02/2026", "310.125", "310.125"},
		},
		after: [][]string{{"Total", "", "1,560.625", "1,560.625"}},
		want: wantRem{"Al-Salam Trading Co. W.L.L.", "2026-03-15", "KW-PAY-3391", "KWD", "1560.625", []wl{
			L("NW-7001", "2026-02-01", "1250.500", "", "", "1250.500"),
			L("NW-7009", "2026-02-08", "310.125", "", "", "310.125"),
		}},
	}
}

func docEnJPYNoDecimals() cdoc {
	return cdoc{
		name: "c5_en_jpy_no_decimals", via: "fpdf",
		sender: []string{"Sakura Electronics K.K.", "2-1 Marunouchi", "Tokyo 100-0005"},
		title:  "Remittance Advice",
		head:   [][2]string{{"Payment Date:", "2026/03/25"}, {"Payment No.:", "SK-20260325"}, {"Currency:", "JPY"}},
		cols:   []string{"Invoice No.", "Invoice Date", "Invoice Amount", "Payment Amount"},
		align:  "LLRR", widths: []float64{1.2, 1, 1.1, 1.1},
		rows: [][]string{
			{"NW-J-1201", "2026/02/20", "1,250,000", "1,250,000"},
			{"NW-J-1217", "2026/02/27", "388,500", "388,500"},
		},
		after: [][]string{{"Total", "", "1,638,500", "1,638,500"}},
		want: wantRem{"Sakura Electronics K.K.", "2026-03-25", "SK-20260325", "JPY", "1638500", []wl{
			L("NW-J-1201", "2026-02-20", "1250000", "", "", "1250000"),
			L("NW-J-1217", "2026-02-27", "388500", "", "", "388500"),
		}},
	}
}

// docEnNoInvoiceHeader: the first column has no heading, but its cells
// are the invoices paid.
func docEnNoInvoiceHeader() cdoc {
	return cdoc{
		name: "c5_en_invoice_column_unheaded", via: "fpdf",
		sender: []string{"Cedar Point Hardware LLC", "77 Lakeshore Blvd", "Sandusky, OH 44870"},
		title:  "Payment Advice",
		head:   [][2]string{{"Payment Date:", "03/24/2026"}, {"Trace No:", "021000021-5583"}, {"Currency:", "USD"}},
		cols:   []string{"", "Date", "Gross", "Discount", "Net Paid"},
		align:  "LLRRR", widths: []float64{1.2, 1, 1, 1, 1},
		rows: [][]string{
			{"NW-3301", "03/04/2026", "800.00", "16.00", "784.00"},
			{"NW-3317", "03/09/2026", "1,150.00", "23.00", "1,127.00"},
			{"NW-3320", "03/10/2026", "240.00", "0.00", "240.00"},
		},
		after: [][]string{{"Total", "", "2,190.00", "39.00", "2,151.00"}},
		want: wantRem{"Cedar Point Hardware LLC", "2026-03-24", "021000021-5583", "USD", "2151.00", []wl{
			L("NW-3301", "2026-03-04", "800.00", "16.00", "", "784.00"),
			L("NW-3317", "2026-03-09", "1150.00", "23.00", "", "1127.00"),
			L("NW-3320", "2026-03-10", "240.00", "0.00", "", "240.00"),
		}},
	}
}

// docDeGesamtsummePage2: 40 lines over two pages, the total under the
// last one on page 2.
func docDeGesamtsummePage2() cdoc {
	var rows [][]string
	var lines []wl
	total := 0
	for i := 0; i < 40; i++ {
		if i == 30 {
			rows = append(rows, []string{"@break"})
		}
		cents := 10000 + i*2575
		total += cents
		inv := fmt.Sprintf("RG-2026-%04d", 300+i)
		day := 1 + i%28
		rows = append(rows, []string{inv, fmt.Sprintf("%02d.02.2026", day), deAmount(cents)})
		lines = append(lines, L(inv, fmt.Sprintf("2026-02-%02d", day), "", "", "", fmt.Sprintf("%d.%02d", cents/100, cents%100)))
	}
	return cdoc{
		name: "c5_de_gesamtsumme_page2", via: "fpdf",
		sender: []string{"Rheinland Logistik AG", "Hafenstraße 8", "47119 Duisburg"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum:", "26.03.2026"}, {"Belegnummer:", "ZA-2026-11873"}},
		cols:   []string{"Rechnungsnummer", "Rechnungsdatum", "Betrag EUR"},
		align:  "LLR", widths: []float64{1.4, 1.2, 1.2},
		rows:     rows,
		after:    [][]string{{"Gesamtsumme", "", deAmount(total)}},
		pageFoot: "Seite %d von %d",
		want:     wantRem{"Rheinland Logistik AG", "2026-03-26", "ZA-2026-11873", "EUR", fmt.Sprintf("%d.%02d", total/100, total%100), lines},
	}
}

// deAmount prints cents as German "1.234,56".
func deAmount(cents int) string {
	s := fmt.Sprintf("%d", cents/100)
	var b []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, '.')
		}
		b = append(b, s[i])
	}
	return fmt.Sprintf("%s,%02d", b, cents%100)
}

// docEnTwoAdvices: one file holding two payment advices (two payment runs
// on different days). SPEC §4 reads one payment: a field the two do not
// share has no single value for the file, so it is null — as for lines in
// two currencies — and the total, which no one payment equals, is null
// too; every line of both is kept so each invoice can still be matched.
func docEnTwoAdvices() cdoc {
	return cdoc{
		name: "c5_en_two_advices_one_file", via: "chromium",
		html: `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4}
body{font-family:"Liberation Sans",Arial,sans-serif;font-size:10pt;margin:0}
table{border-collapse:collapse;width:100%}td,th{padding:3px 6px;text-align:left}.n{text-align:right}
.pb{page-break-before:always}</style></head><body>
<p><b>Summit Outdoor Retail Inc.</b><br>900 Alpine Way<br>Denver, CO 80202</p>
<h2>Remittance Advice</h2>
<p>Payment Date: 03/13/2026<br>Payment Number: 600118<br>Currency: USD</p>
<table><tr><th>Invoice</th><th>Invoice Date</th><th class="n">Amount Paid</th></tr>
<tr><td>NW-8801</td><td>02/11/2026</td><td class="n">1,400.00</td></tr>
<tr><td>NW-8815</td><td>02/14/2026</td><td class="n">600.00</td></tr>
<tr><td>Total</td><td></td><td class="n">2,000.00</td></tr></table>
<div class="pb"></div>
<p><b>Summit Outdoor Retail Inc.</b><br>900 Alpine Way<br>Denver, CO 80202</p>
<h2>Remittance Advice</h2>
<p>Payment Date: 03/20/2026<br>Payment Number: 600164<br>Currency: USD</p>
<table><tr><th>Invoice</th><th>Invoice Date</th><th class="n">Amount Paid</th></tr>
<tr><td>NW-8840</td><td>02/20/2026</td><td class="n">950.00</td></tr>
<tr><td>Total</td><td></td><td class="n">950.00</td></tr></table>
</body></html>`,
		want: wantRem{"Summit Outdoor Retail Inc.", "", "", "USD", "", []wl{
			L("NW-8801", "2026-02-11", "", "", "", "1400.00"),
			L("NW-8815", "2026-02-14", "", "", "", "600.00"),
			L("NW-8840", "2026-02-20", "", "", "", "950.00"),
		}},
	}
}

// docDeValutaBox: the payment date is only the Valuta in a box whose
// labels stand above their values; SAP document numbers keep their zeros.
func docDeValutaBox() cdoc {
	return cdoc{
		name: "c5_de_valuta_box_sap_zeros", via: "chromium",
		html: `<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:A4}
body{font-family:"Liberation Sans",Arial,sans-serif;font-size:10pt;margin:0}
table{border-collapse:collapse;width:100%;margin-top:16px}td,th{border:1px solid #000;padding:4px 6px;text-align:left}
.n{text-align:right}</style></head><body>
<p><b>Hansa Chemie Handels GmbH</b><br>Am Sandtorkai 12<br>20457 Hamburg</p>
<h2>Zahlungsavis</h2>
<table><tr><th>Valuta</th><th>Avis-Nr.</th><th>Währung</th></tr>
<tr><td>27.03.2026</td><td>AV-88412</td><td>EUR</td></tr></table>
<table><tr><th>Beleg-Nr.</th><th>Belegdatum</th><th class="n">Betrag</th></tr>
<tr><td>0090012345</td><td>04.03.2026</td><td class="n">4.760,00</td></tr>
<tr><td>0090012391</td><td>09.03.2026</td><td class="n">1.071,00</td></tr>
<tr><td colspan="2">Gesamtsumme</td><td class="n">5.831,00</td></tr></table>
</body></html>`,
		want: wantRem{"Hansa Chemie Handels GmbH", "2026-03-27", "AV-88412", "EUR", "5831.00", []wl{
			L("0090012345", "2026-03-04", "", "", "", "4760.00"),
			L("0090012391", "2026-03-09", "", "", "", "1071.00"),
		}},
	}
}

// docEnValueDateBesideDocDate: the advice's own date and the value date
// both labelled; the money moves on the value date.
func docEnValueDateBesideDocDate() cdoc {
	return cdoc{
		name: "c5_en_value_date_beside_document_date", via: "fpdf",
		sender: []string{"Baltic Timber Trading Ltd", "12 Quay Street", "Hull HU1 1PL"},
		title:  "Payment Advice",
		head:   [][2]string{{"Document date:", "27/03/2026"}, {"Value date:", "30/03/2026"}, {"Payment ref:", "BTT-PAY-2219"}},
		cols:   []string{"Invoice", "Invoice date", "Amount GBP"},
		align:  "LLR", widths: []float64{1.2, 1, 1},
		rows: [][]string{
			{"NW-60210", "02/03/2026", "2,145.00"},
			{"NW-60244", "06/03/2026", "655.40"},
		},
		after: [][]string{{"Total", "", "2,800.40"}},
		want: wantRem{"Baltic Timber Trading Ltd", "2026-03-30", "BTT-PAY-2219", "GBP", "2800.40", []wl{
			L("NW-60210", "2026-03-02", "", "", "", "2145.00"),
			L("NW-60244", "2026-03-06", "", "", "", "655.40"),
		}},
	}
}

// docEsTotalPagadoPage2: many lines, the "Total pagado" under the last one
// on the second page.
func docEsTotalPagadoPage2() cdoc {
	var rows [][]string
	var lines []wl
	total := 0
	for i := 0; i < 34; i++ {
		if i == 28 {
			rows = append(rows, []string{"@break"})
		}
		cents := 25000 + i*1310
		total += cents
		inv := fmt.Sprintf("FV-%05d", 1200+i*3)
		day := 1 + i%27
		rows = append(rows, []string{inv, fmt.Sprintf("%02d/02/2026", day), deAmount(cents)})
		lines = append(lines, L(inv, fmt.Sprintf("2026-02-%02d", day), "", "", "", fmt.Sprintf("%d.%02d", cents/100, cents%100)))
	}
	return cdoc{
		name: "c5_es_total_pagado_page2", via: "fpdf",
		sender: []string{"Conservas del Cantábrico S.A.", "Polígono Industrial Raos 4", "39011 Santander"},
		title:  "Relación de facturas pagadas",
		head:   [][2]string{{"Fecha de pago:", "31/03/2026"}, {"Nº de transferencia:", "TR-2026-03-0788"}},
		cols:   []string{"Nº Factura", "Fecha", "Importe EUR"},
		align:  "LLR", widths: []float64{1.3, 1.1, 1.2},
		rows:     rows,
		after:    [][]string{{"Total pagado", "", deAmount(total)}},
		pageFoot: "Página %d de %d",
		want:     wantRem{"Conservas del Cantábrico S.A.", "2026-03-31", "TR-2026-03-0788", "EUR", fmt.Sprintf("%d.%02d", total/100, total%100), lines},
	}
}

// docEnProsePaidOnNoYear: the payment sentence's date has no year ("on
// 14 March"): the letter's year is meant.
func docEnProsePaidOnNoYear() cdoc {
	return cdoc{
		name: "c5_en_prose_paid_on_no_year", via: "fpdf",
		sender: []string{"Wexford Farm Supplies Ltd", "Ferrybank", "Wexford Y35 X2K1"},
		head:   [][2]string{{"", "Date: 16 March 2026"}},
		text: []string{"Dear Sirs,", "",
			"We paid invoice 88120 for EUR 3,400.00 and invoice 88177 for EUR 1,250.00 on 14 March",
			"by SEPA credit transfer.",
			"Yours faithfully,", "Niamh Byrne"},
		want: wantRem{"Wexford Farm Supplies Ltd", "2026-03-14", "", "EUR", "4650.00", []wl{
			L("88120", "", "", "", "", "3400.00"),
			L("88177", "", "", "", "", "1250.00"),
		}},
	}
}

// docEnInvoiceWithBlank: invoice numbers printed with a blank inside are
// kept as printed.
func docEnInvoiceWithBlank() cdoc {
	return cdoc{
		name: "c5_en_invoice_number_with_blank", via: "fpdf",
		sender: []string{"Prairie Feed & Grain Co.", "18 Elevator Rd", "Wichita, KS 67202"},
		title:  "Remittance Advice",
		head:   [][2]string{{"Payment Date:", "03/27/2026"}, {"Check No:", "20733"}},
		cols:   []string{"Invoice #", "Invoice Date", "Invoice Amt", "Paid Amt"},
		align:  "LLRR", widths: []float64{1.3, 1, 1, 1},
		rows: [][]string{
			{"INV 004711", "03/02/2026", "$1,980.00", "$1,980.00"},
			{"INV 004738", "03/05/2026", "$412.75", "$412.75"},
		},
		after: [][]string{{"Total", "", "$2,392.75", "$2,392.75"}},
		want: wantRem{"Prairie Feed & Grain Co.", "2026-03-27", "20733", "USD", "2392.75", []wl{
			L("INV 004711", "2026-03-02", "1980.00", "", "", "1980.00"),
			L("INV 004738", "2026-03-05", "412.75", "", "", "412.75"),
		}},
	}
}

// docDeProseInHoeheVon: a credit note subtracted in the sentence
// ("abzüglich der Gutschrift"), the payment date later in the paragraph.
func docDeProseInHoeheVon() cdoc {
	return cdoc{
		name: "c5_de_prose_in_hoehe_von_gutschrift", via: "fpdf",
		sender: []string{"Elektro Brandt KG", "Lindenweg 9", "04109 Leipzig"},
		head:   [][2]string{{"", "Datum: 24.03.2026"}},
		text: []string{"Sehr geehrte Damen und Herren,", "",
			"wir haben die Rechnung Nr. 4500123 in Höhe von 1.785,00 EUR abzüglich der Gutschrift",
			"Nr. G-2207 in Höhe von 119,00 EUR per Überweisung beglichen. Der Betrag",
			"wurde am 23.03.2026 angewiesen.",
			"Mit freundlichen Grüßen", "Elektro Brandt KG"},
		want: wantRem{"Elektro Brandt KG", "2026-03-23", "", "EUR", "1666.00", []wl{
			L("4500123", "", "", "", "", "1785.00"),
			L("G-2207", "", "", "", "", "-119.00"),
		}},
	}
}

// docEsProseBracketsEuro: amounts in brackets with the euro sign after
// them, a reference with a slash.
func docEsProseBracketsEuro() cdoc {
	return cdoc{
		name: "c5_es_prose_brackets_euro_sign", via: "fpdf",
		sender: []string{"Aceitunas del Sur S.L.", "Carretera de Utrera km 3", "41089 Dos Hermanas (Sevilla)"},
		head:   [][2]string{{"", "Sevilla, 25 de marzo de 2026"}},
		text: []string{"Muy señores nuestros:", "",
			"Por la presente les informamos de que con fecha 24 de marzo de 2026 hemos abonado las facturas",
			"A-1021 (2.178,00 €), A-1034 (605,00 €) y A-1040 (363,00 €),",
			"mediante transferencia bancaria con referencia 2026/0324-77.",
			"Atentamente,", "Administración"},
		want: wantRem{"Aceitunas del Sur S.L.", "2026-03-24", "2026/0324-77", "EUR", "3146.00", []wl{
			L("A-1021", "", "", "", "", "2178.00"),
			L("A-1034", "", "", "", "", "605.00"),
			L("A-1040", "", "", "", "", "363.00"),
		}},
	}
}

// docEnLoDiscPercentPage2: gross, discount rate, discount amount and net
// on every line, 30 lines over two pages, "Total remitted" at the end.
func docEnLoDiscPercentPage2() cdoc {
	var rows [][]string
	var lines []wl
	total := 0
	for i := 0; i < 30; i++ {
		if i == 24 {
			rows = append(rows, []string{"@break"})
		}
		gross := 50000 + i*1700
		disc := gross * 2 / 100
		net := gross - disc
		total += net
		inv := fmt.Sprintf("NW-%d", 71000+i*7)
		c := func(v int) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }
		en := func(v int) string {
			return strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(deAmount(v), ".", "#"), ",", "."), "#", ",")
		}
		rows = append(rows, []string{inv, en(gross), "2.00", en(disc), en(net)})
		lines = append(lines, L(inv, "", c(gross), c(disc), "", c(net)))
	}
	en := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(deAmount(total), ".", "#"), ",", "."), "#", ",")
	return cdoc{
		name: "c5_en_lo_disc_percent_total_remitted_page2", via: "lo-html",
		sender: []string{"Northern Lights Outfitters Inc.", "55 Harbour St", "Toronto, ON M5J 2L1"},
		title:  "Remittance Advice",
		head:   [][2]string{{"Payment Date:", "2026-03-28"}, {"Payment Number:", "EFT-0032871"}, {"Currency:", "CAD"}},
		cols:   []string{"Invoice", "Gross", "Disc %", "Disc Amt", "Net"},
		align:  "LRRRR", widths: []float64{1.2, 1, 0.7, 1, 1},
		rows:  rows,
		after: [][]string{{"Total remitted", "", "", "", en}},
		want:  wantRem{"Northern Lights Outfitters Inc.", "2026-03-28", "EFT-0032871", "CAD", fmt.Sprintf("%d.%02d", total/100, total%100), lines},
	}
}

// docEnProseNoAmountsEach: one amount for several invoices named in the
// sentence; what each got is not said, and the letter's date is the
// payment's ("today").
func docEnProseNoAmountsEach() cdoc {
	return cdoc{
		name: "c5_en_prose_one_amount_several_invoices", via: "fpdf",
		sender: []string{"Kestrel Print Solutions Ltd", "Unit 4, Riverside Park", "Leeds LS10 1AB"},
		head:   [][2]string{{"", "Date: 27 March 2026"}},
		text: []string{"Dear Sir or Madam,", "",
			"We have today remitted GBP 5,300.00 in settlement of invoices 2026-118 and 2026-131.",
			"Yours faithfully,", "Accounts Payable"},
		want: wantRem{"Kestrel Print Solutions Ltd", "2026-03-27", "", "GBP", "5300.00", []wl{
			L("2026-118", "", "", "", "", ""),
			L("2026-131", "", "", "", "", ""),
		}},
	}
}

// docDeTrailingMinusBelastung: debit lines with a reason text and a
// trailing minus.
func docDeTrailingMinusBelastung() cdoc {
	return cdoc{
		name: "c5_de_trailing_minus_belastung", via: "fpdf",
		sender: []string{"Drogeriemarkt Vogt GmbH", "Marktplatz 3", "90402 Nürnberg"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum:", "25.03.2026"}, {"Avisnummer:", "AV-26-4410"}, {"Währung:", "EUR"}},
		cols:   []string{"Beleg", "Datum", "Text", "Betrag"},
		align:  "LLLR", widths: []float64{1.1, 1, 2, 1},
		rows: [][]string{
			{"RE-7701", "02.03.2026", "Rechnung", "2.500,00"},
			{"BL-0091", "10.03.2026", "Belastung Fehlmenge", "84,50-"},
			{"BL-0094", "11.03.2026", "Rückbelastung Skonto", "25,00-"},
		},
		after: [][]string{{"", "", "Zahlbetrag", "2.390,50"}},
		want: wantRem{"Drogeriemarkt Vogt GmbH", "2026-03-25", "AV-26-4410", "EUR", "2390.50", []wl{
			L("RE-7701", "2026-03-02", "", "", "", "2500.00"),
			L("BL-0091", "2026-03-10", "", "", "", "-84.50"),
			L("BL-0094", "2026-03-11", "", "", "", "-25.00"),
		}},
	}
}

// docEsCSVFechaValorTotalRow: the value date on every row and a total row
// at the end, which is no line.
func docEsCSVFechaValorTotalRow() cdoc {
	return cdoc{
		name: "c5_es_csv_fecha_valor_total_row", via: "csv", sep: ';',
		cols: []string{"Fecha valor", "Factura", "Fecha factura", "Importe"},
		rows: [][]string{
			{"30/03/2026", "FAC-2026-0412", "02/03/2026", "1.512,50"},
			{"30/03/2026", "FAC-2026-0430", "06/03/2026", "847,00"},
			{"", "Total pagado", "", "2.359,50"},
		},
		want: wantRem{"", "2026-03-30", "", "", "2359.50", []wl{
			L("FAC-2026-0412", "2026-03-02", "", "", "", "1512.50"),
			L("FAC-2026-0430", "2026-03-06", "", "", "", "847.00"),
		}},
	}
}

// docEnProseOrderNumber: an order named "for" an amount in the same
// sentence is no invoice.
func docEnProseOrderNumber() cdoc {
	return cdoc{
		name: "c5_en_prose_order_number_not_invoice", via: "fpdf",
		sender: []string{"Bluewater Aquatics Inc.", "14 Marina Drive", "San Diego, CA 92101"},
		head:   [][2]string{{"", "Date: March 30, 2026"}},
		text: []string{"Hello,", "",
			"On March 29, 2026 we paid invoice INV-9001 ($1,500.00) by ACH. It relates to our",
			"purchase order 4500-7781 for $1,500.00.",
			"Regards,", "Dana Whitfield"},
		want: wantRem{"Bluewater Aquatics Inc.", "2026-03-29", "", "USD", "1500.00", []wl{
			L("INV-9001", "", "", "", "", "1500.00"),
		}},
	}
}

func docDeProseMonthName() cdoc {
	return cdoc{
		name: "c5_de_prose_brackets_month_name", via: "fpdf",
		sender: []string{"Weingut Scherer OHG", "Rebenweg 4", "67098 Bad Dürkheim"},
		head:   [][2]string{{"", "Bad Dürkheim, 31. März 2026"}},
		text: []string{"Sehr geehrte Damen und Herren,", "",
			"die Rechnungen 26-1001 (1.190,00 €) und 26-1002 (595,00 €) haben wir am 26. März 2026 bezahlt.",
			"Mit freundlichen Grüßen", "Weingut Scherer OHG"},
		want: wantRem{"Weingut Scherer OHG", "2026-03-26", "", "EUR", "1785.00", []wl{
			L("26-1001", "", "", "", "", "1190.00"),
			L("26-1002", "", "", "", "", "595.00"),
		}},
	}
}

// docEnXLSXKWDShownTwoDecimals: a spreadsheet's number format shows two
// decimals, but the cells hold the dinar's three; the value is the amount.
func docEnXLSXKWDShownTwoDecimals() cdoc {
	return cdoc{
		name: "c5_en_xlsx_kwd_shown_two_decimals", via: "xlsx",
		cols: []string{"Payment Date", "Invoice", "Currency", "Amount Paid"},
		rows: [][]string{
			{"@2026-03-15", "NW-7101", "KWD", "#310.125"},
			{"@2026-03-15", "NW-7102", "KWD", "#1250.5"},
		},
		want: wantRem{"", "2026-03-15", "", "KWD", "1560.625", []wl{
			L("NW-7101", "", "", "", "", "310.125"),
			L("NW-7102", "", "", "", "", "1250.500"),
		}},
	}
}
