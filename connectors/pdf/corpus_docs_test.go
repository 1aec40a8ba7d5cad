package pdf

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// corpus lists the generalisation documents. Every expectation was written
// from the document as a person reads it, by SPEC §4, before the reader was
// run on it.
func corpus() []cdoc {
	return append([]cdoc{
		docDeSAP(), docDeSAPMulti(), docEnOracle(), docEnNetSuite(), docEnCoupa(), docEnBasware(), docEsRetencion(),
		docEsRelacionMulti(), docEnBankCredit(), docDeBankGutschrift(), docEnUSOrder(), docDeOnlyPaid(), docCHLabels(),
		docEnMultiCF(), docEsMXUSD(), docDeWrapped(), docEnWorkday(), docDeSkontoPct(), docEsLiquido(), docEnJDE(),
		docEnSAPNote(), docDeLOMulti(), docEsTipoAbono(), docEnDescWrap(), docDeCSVExport(), docEsCSV(), docEnCSVFlat(),
		docDeCSVComma(), docEnGBCSV(), docDeXLSX(), docEsXLSXText(), docEnXLSX(),
		docEnUSAmbiguous(), docDeWrappedHeader(), docEsLOMonthNames(), docEnGBOrdinals(), docDeTSVFlat(), docEsXLSXTipo(),
		docEnSubtotal(), docEnAdjustment(),
	}, append(append(append(corpus2(), corpus3()...), corpus4()...), corpus5()...)...)
}

func L(inv, date, gross, disc, ded, paid string) wl { return wl{inv, date, gross, disc, ded, paid} }

func docDeSAP() cdoc {
	return cdoc{
		name: "c_de_sap_zahlungsavis", via: "fpdf",
		sender: []string{"Bergmann Antriebstechnik AG", "Postfach 10 20 30", "80331 München"},
		title:  "Zahlungsavis",
		head: [][2]string{{"Zahlungsdatum", "14.03.2026"}, {"Belegnummer", "1500004711"}, {"Buchungskreis", "1000"},
			{"Unsere Kreditorennr.", "40001234"}, {"Währung", "EUR"}},
		text:   []string{"Sehr geehrte Damen und Herren, wir haben folgende Posten zum Ausgleich gebracht:"},
		cols:   []string{"Belegnr.", "Ihre Referenz", "Rechnungsdatum", "Bruttobetrag", "Skonto", "Abzug", "Zahlbetrag"},
		align:  "LLLRRRR",
		widths: []float64{1.1, 1.2, 1.1, 1.1, 0.8, 0.8, 1.1},
		rows: [][]string{
			{"5100001201", "RE-2026-0117", "15.01.2026", "1.000,00", "20,00", "", "980,00"},
			{"5100001202", "RE-2026-0123", "22.01.2026", "2.380,00", "47,60", "", "2.332,40"},
			{"5100001210", "GS-2026-0009", "02.02.2026", "150,00-", "", "", "150,00-"},
			{"5100001215", "RE-2026-0140", "09.02.2026", "595,00", "", "45,00", "550,00"},
		},
		after:    [][]string{{"Summe", "", "", "3.825,00", "67,60", "45,00", "3.712,40"}},
		pageFoot: "Seite %d von %d",
		want: wantRem{"Bergmann Antriebstechnik AG", "2026-03-14", "1500004711", "EUR", "3712.40", []wl{
			L("RE-2026-0117", "2026-01-15", "1000.00", "20.00", "", "980.00"),
			L("RE-2026-0123", "2026-01-22", "2380.00", "47.60", "", "2332.40"),
			L("GS-2026-0009", "2026-02-02", "-150.00", "", "", "-150.00"),
			L("RE-2026-0140", "2026-02-09", "595.00", "", "45.00", "550.00"),
		}},
	}
}

// de formats 1234.5 as 1.234,50 with SAP's trailing minus.
func deNum(d decimal.Decimal) string { return fmtNum(d, ".", ",", "trailing") }

func docDeSAPMulti() cdoc {
	c := cdoc{
		name: "c_de_sap_multipage", via: "fpdf",
		sender: []string{"Vogel Verpackungen GmbH", "Hafenstraße 3", "28217 Bremen"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum:", "16.03.2026"}, {"Zahlungsbeleg:", "1500004712"}, {"Währung:", "EUR"}},
		cols:   []string{"Belegnr.", "Rechnungsnr.", "Belegdatum", "Betrag", "Skonto", "Zahlbetrag"},
		align:  "LLLRRR", widths: []float64{1.1, 1.2, 1, 1.1, 0.8, 1.1},
		pageFoot: "Seite %d von %d", pageHead: "Zahlungsavis 1500004712 - Fortsetzung",
	}
	sum := decimal.Zero
	var lines []wl
	for k := 0; k < 34; k++ {
		g := dec(fmt.Sprintf("%d.%02d", 210+k*97%3000, (k*41)%100))
		disc := decimal.Zero
		no := fmt.Sprintf("VV-26-%04d", 300+k*7)
		if k%7 == 3 {
			disc = g.Mul(dec("0.02")).Round(2)
		}
		if k == 20 {
			g, no = dec("-87.50"), "GU-26-0014"
		}
		paid := g.Sub(disc)
		sum = sum.Add(paid)
		date := fmt.Sprintf("%02d.%02d.2026", 1+k%27, 1+k%2)
		ds, dw := "", ""
		if !disc.IsZero() {
			ds, dw = deNum(disc), disc.StringFixed(2)
		}
		c.rows = append(c.rows, []string{fmt.Sprintf("51000%05d", 1400+k), no, date, deNum(g), ds, deNum(paid)})
		lines = append(lines, L(no, fmt.Sprintf("2026-%02d-%02d", 1+k%2, 1+k%27), g.StringFixed(2), dw, "", paid.StringFixed(2)))
		if k == 21 {
			c.rows = append(c.rows, []string{"Übertrag", "", "", "", "", deNum(sum)}, []string{"@break"},
				[]string{"Übertrag", "", "", "", "", deNum(sum)})
		}
	}
	c.after = [][]string{{"Summe Zahlbetrag", "", "", "", "", deNum(sum)}}
	c.want = wantRem{"Vogel Verpackungen GmbH", "2026-03-16", "1500004712", "EUR", sum.StringFixed(2), lines}
	return c
}

func docEnOracle() cdoc {
	return cdoc{
		name: "c_en_oracle_payment_advice", via: "fpdf",
		sender: []string{"Globex Corporation", "4000 Commerce Drive", "Dallas, TX 75201"},
		title:  "Payment Advice",
		head: [][2]string{{"Payment Number:", "45012"}, {"Payment Date:", "14-MAR-2026"}, {"Payment Method:", "ACH"},
			{"Payment Currency:", "USD"}, {"Supplier:", "Northwind Supply Inc."}, {"Supplier Site:", "DALLAS-MAIN"}},
		cols:  []string{"Invoice Number", "Invoice Date", "Description", "Invoice Amount", "Discount Taken", "Amount Paid"},
		align: "LLLRRR", widths: []float64{1.2, 1, 1.7, 1.1, 1, 1.1},
		rows: [][]string{
			{"NW-88120", "12-JAN-2026", "Hydraulic pumps\nPO 4500012345", "12,400.00", "248.00", "12,152.00"},
			{"NW-88134", "19-JAN-2026", "Spare parts", "1,870.50", "0.00", "1,870.50"},
			{"NW-88160", "03-FEB-2026", "Freight charges\nJanuary 2026", "315.25", "0.00", "315.25"},
			{"NW-CM-0042", "10-FEB-2026", "Credit memo\nreturned goods", "-500.00", "0.00", "-500.00"},
		},
		after: [][]string{{"Payment Total", "", "", "", "", "13,837.75"}},
		want: wantRem{"Globex Corporation", "2026-03-14", "45012", "USD", "13837.75", []wl{
			L("NW-88120", "2026-01-12", "12400.00", "248.00", "", "12152.00"),
			L("NW-88134", "2026-01-19", "1870.50", "0.00", "", "1870.50"),
			L("NW-88160", "2026-02-03", "315.25", "0.00", "", "315.25"),
			L("NW-CM-0042", "2026-02-10", "-500.00", "0.00", "", "-500.00"),
		}},
	}
}

func docEnNetSuite() cdoc {
	return cdoc{
		name: "c_en_netsuite_bill_payment", via: "chromium",
		sender: []string{"Initrode Inc.", "77 Harbor Blvd", "Boston, MA 02110"},
		title:  "Bill Payment - Remittance Advice",
		head:   [][2]string{{"Vendor", "Northwind Supply Inc."}, {"Check #", "20817"}, {"Date", "3/14/2026"}, {"Amount", "$8,250.00"}},
		cols:   []string{"Date", "Type", "Ref No.", "Orig. Amt.", "Amt. Due", "Discount", "Payment"},
		align:  "LLLRRRR", widths: []float64{1, 1, 1.1, 1.1, 1.1, 0.9, 1.1},
		rows: [][]string{
			{"1/22/2026", "Bill", "INV-5521", "3,000.00", "3,000.00", "60.00", "2,940.00"},
			{"2/13/2026", "Bill", "INV-5588", "4,510.00", "4,510.00", "", "4,510.00"},
			{"2/20/2026", "Bill", "INV-5602", "1,200.00", "1,200.00", "", "1,200.00"},
			{"2/25/2026", "Bill Credit", "CR-0117", "-400.00", "-400.00", "", "-400.00"},
		},
		after: [][]string{{"Total", "", "", "", "", "", "$8,250.00"}},
		want: wantRem{"Initrode Inc.", "2026-03-14", "20817", "USD", "8250.00", []wl{
			L("INV-5521", "2026-01-22", "3000.00", "60.00", "", "2940.00"),
			L("INV-5588", "2026-02-13", "4510.00", "", "", "4510.00"),
			L("INV-5602", "2026-02-20", "1200.00", "", "", "1200.00"),
			L("CR-0117", "2026-02-25", "-400.00", "", "", "-400.00"),
		}},
	}
}

func docEnCoupa() cdoc {
	return cdoc{
		name: "c_en_coupa_currency_col", via: "fpdf",
		sender: []string{"Initech LLC", "500 Tech Park Way", "Austin, TX 78701"},
		title:  "Remittance Advice",
		head: [][2]string{{"Payer:", "Initech LLC"}, {"Payment Date:", "14 Mar 2026"}, {"Payment Reference:", "CP-2026-88120"},
			{"Supplier:", "Northwind Supply GmbH"}},
		cols:  []string{"Invoice #", "Invoice Date", "Currency", "Invoice Amount", "Discount", "Amount Paid"},
		align: "LLLRRR", widths: []float64{1.3, 1.1, 0.8, 1.2, 1, 1.2},
		rows: [][]string{
			{"NW-2026-0042", "31 Jan 2026", "EUR", "1,000.00", "20.00", "980.00"},
			{"NW-2026-0057", "06 Feb 2026", "EUR", "2,450.00", "", "2,450.00"},
			{"NW-2026-0061", "11 Feb 2026", "EUR", "730.40", "", "730.40"},
		},
		after: [][]string{{"Total", "", "EUR", "", "", "4,160.40"}},
		want: wantRem{"Initech LLC", "2026-03-14", "CP-2026-88120", "EUR", "4160.40", []wl{
			L("NW-2026-0042", "2026-01-31", "1000.00", "20.00", "", "980.00"),
			L("NW-2026-0057", "2026-02-06", "2450.00", "", "", "2450.00"),
			L("NW-2026-0061", "2026-02-11", "730.40", "", "", "730.40"),
		}},
	}
}

func docEnBasware() cdoc {
	return cdoc{
		name: "c_en_basware_our_your_ref", via: "fpdf",
		sender: []string{"Britannia Foods plc", "1 King's Road", "London SW3 4RP"},
		title:  "REMITTANCE ADVICE",
		head:   [][2]string{{"Date:", "05/03/2026"}, {"Payment Ref:", "BACS-000731"}, {"Supplier:", "Northwind Supply Ltd"}},
		cols:   []string{"Our Ref", "Your Ref", "Invoice Date", "Gross", "Deduction", "Net Paid"},
		align:  "LLLRRR", widths: []float64{1, 1, 1.1, 1.1, 1, 1.1},
		rows: [][]string{
			{"PI-77120", "NS/1182", "02/02/2026", "£1,440.00", "", "£1,440.00"},
			{"PI-77121", "NS/1190", "09/02/2026", "£2,016.00", "£96.00", "£1,920.00"},
			{"PI-77140", "NS/C/031", "11/02/2026", "£150.00 CR", "", "£150.00 CR"},
		},
		after: [][]string{{"Total Paid", "", "", "", "", "£3,210.00"}},
		want: wantRem{"Britannia Foods plc", "2026-03-05", "BACS-000731", "GBP", "3210.00", []wl{
			L("NS/1182", "2026-02-02", "1440.00", "", "", "1440.00"),
			L("NS/1190", "2026-02-09", "2016.00", "", "96.00", "1920.00"),
			L("NS/C/031", "2026-02-11", "-150.00", "", "", "-150.00"),
		}},
	}
}

func docEsRetencion() cdoc {
	return cdoc{
		name: "c_es_aviso_retencion", via: "fpdf",
		sender: []string{"Construcciones Levante S.A.", "Avda. del Puerto 120", "46023 Valencia"},
		title:  "Aviso de pago",
		head: [][2]string{{"Fecha de pago:", "14/03/2026"}, {"Nº de pago:", "PAG-2026-0311"}, {"Forma de pago:", "Transferencia"},
			{"Proveedor:", "Northwind Supply S.L."}},
		cols:  []string{"Nº factura", "Fecha factura", "Importe bruto", "Descuento pronto pago", "Retención", "Importe pagado"},
		align: "LLRRRR", widths: []float64{1.1, 1.1, 1.2, 1.6, 1, 1.2}, fontSize: 8,
		rows: [][]string{
			{"FA/2026/118", "15/01/2026", "1.210,00 €", "", "150,00 €", "1.060,00 €"},
			{"FA/2026/131", "29/01/2026", "3.025,00 €", "60,50 €", "", "2.964,50 €"},
			{"FA/2026/140", "05/02/2026", "605,00 €", "", "75,00 €", "530,00 €"},
		},
		after: [][]string{{"Total", "", "4.840,00 €", "60,50 €", "225,00 €", "4.554,50 €"}},
		want: wantRem{"Construcciones Levante S.A.", "2026-03-14", "PAG-2026-0311", "EUR", "4554.50", []wl{
			L("FA/2026/118", "2026-01-15", "1210.00", "", "150.00", "1060.00"),
			L("FA/2026/131", "2026-01-29", "3025.00", "60.50", "", "2964.50"),
			L("FA/2026/140", "2026-02-05", "605.00", "", "75.00", "530.00"),
		}},
	}
}

func esNum(d decimal.Decimal) string { return fmtNum(d, ".", ",", "") }

func docEsRelacionMulti() cdoc {
	c := cdoc{
		name: "c_es_relacion_multipage", via: "fpdf",
		sender: []string{"Hoteles Costa Brava S.L.", "Passeig del Mar 22", "17250 Platja d'Aro"},
		title:  "Relación de facturas pagadas",
		head:   [][2]string{{"Fecha de pago:", "14 de marzo de 2026"}, {"Referencia:", "TRF/2026/0877"}, {"Moneda:", "EUR"}},
		cols:   []string{"Factura", "Fecha", "Importe", "Dto. p.p.", "Importe pagado"},
		align:  "LLRRR", widths: []float64{1.2, 1, 1.2, 0.9, 1.2},
		pageFoot: "Página %d de %d", pageHead: "Relación de facturas pagadas (continuación)",
	}
	sum := decimal.Zero
	var lines []wl
	for k := 0; k < 40; k++ {
		g := dec(fmt.Sprintf("%d.%02d", 120+k*733%5000, (k*29)%100))
		disc := decimal.Zero
		if k%5 == 2 {
			disc = g.Mul(dec("0.01")).Round(2)
		}
		no := fmt.Sprintf("2026 %05d", 42+k*3)
		if k == 27 {
			g, no = dec("-312.50"), "AB 2026 0004"
		}
		paid := g.Sub(disc)
		sum = sum.Add(paid)
		ds, dw := "", ""
		if !disc.IsZero() {
			ds, dw = esNum(disc), disc.StringFixed(2)
		}
		c.rows = append(c.rows, []string{no, fmt.Sprintf("%02d-%02d-2026", 2+k%26, 1+k%2), esNum(g), ds, esNum(paid)})
		lines = append(lines, L(no, fmt.Sprintf("2026-%02d-%02d", 1+k%2, 2+k%26), g.StringFixed(2), dw, "", paid.StringFixed(2)))
		if k == 24 {
			c.rows = append(c.rows, []string{"Suma y sigue", "", "", "", esNum(sum)}, []string{"@break"},
				[]string{"Suma anterior", "", "", "", esNum(sum)})
		}
	}
	c.after = [][]string{{"Total pagado", "", "", "", esNum(sum)}}
	c.want = wantRem{"Hoteles Costa Brava S.L.", "2026-03-14", "TRF/2026/0877", "EUR", sum.StringFixed(2), lines}
	return c
}

func docEnBankCredit() cdoc {
	return cdoc{
		name: "c_en_bank_credit_advice", via: "fpdf",
		sender: []string{"Deutsche Handelsbank AG", "Kaiserstrasse 30", "60311 Frankfurt am Main"},
		title:  "Credit Advice",
		head: [][2]string{{"Account:", "DE44 5001 0517 5407 3249 31"}, {"Value Date:", "14 Mar 2026"}, {"Amount:", "EUR 1,960.00"},
			{"Ordering Customer:", "Müller Maschinenbau GmbH"}, {"Remittance Information:", "INVOICE R-2026-0042 DATED 31.01.2026"},
			{"Bank Reference:", "FT26073XK91L"}},
		want: wantRem{"Müller Maschinenbau GmbH", "2026-03-14", "FT26073XK91L", "EUR", "1960.00", []wl{
			L("R-2026-0042", "2026-01-31", "", "", "", "1960.00"),
		}},
	}
}

func docDeBankGutschrift() cdoc {
	return cdoc{
		name: "c_de_bank_gutschrift", via: "fpdf",
		sender: []string{"Sparkasse Musterstadt", "Marktplatz 1", "12345 Musterstadt"},
		title:  "Gutschriftsanzeige",
		head: [][2]string{{"Buchungstag:", "16.03.2026"}, {"Wertstellung:", "14.03.2026"}, {"Auftraggeber:", "Schmidt Logistik GmbH"},
			{"IBAN Auftraggeber:", "DE12 3004 0000 0123 4567 89"}, {"Verwendungszweck:", "RE 2026-00042 vom 31.01.2026"},
			{"Betrag:", "1.190,00 EUR"}, {"End-to-End-Referenz:", "E2E-SL-20260314-01"}},
		want: wantRem{"Schmidt Logistik GmbH", "2026-03-14", "E2E-SL-20260314-01", "EUR", "1190.00", []wl{
			L("2026-00042", "2026-01-31", "", "", "", "1190.00"),
		}},
	}
}

func docEnUSOrder() cdoc {
	return cdoc{
		name: "c_en_us_paid_first", via: "fpdf",
		sender: []string{"Vandelay Industries, Inc.", "129 West 81st Street", "New York, NY 10024"},
		title:  "Payment Remittance",
		head:   [][2]string{{"Payment Date:", "03/13/2026"}, {"EFT Number:", "EFT-0093321"}},
		cols:   []string{"Amount Paid", "Invoice Number", "Invoice Date", "Gross Amount", "Discount"},
		align:  "RLLRR", widths: []float64{1.1, 1.2, 1, 1.1, 1},
		rows: [][]string{
			{"$4,900.00", "VI-30012", "02/11/2026", "$5,000.00", "$100.00"},
			{"$1,234.56", "VI-30019", "02/17/2026", "$1,234.56", ""},
			{"-$150.00", "VI-CM-007", "02/20/2026", "-$150.00", ""},
			{"$689.10", "VI-30027", "03/02/2026", "$689.10", ""},
		},
		foot: []string{"Total payment: $6,673.66"},
		want: wantRem{"Vandelay Industries, Inc.", "2026-03-13", "EFT-0093321", "USD", "6673.66", []wl{
			L("VI-30012", "2026-02-11", "5000.00", "100.00", "", "4900.00"),
			L("VI-30019", "2026-02-17", "1234.56", "", "", "1234.56"),
			L("VI-CM-007", "2026-02-20", "-150.00", "", "", "-150.00"),
			L("VI-30027", "2026-03-02", "689.10", "", "", "689.10"),
		}},
	}
}

func docDeOnlyPaid() cdoc {
	return cdoc{
		name: "c_de_only_invoice_paid", via: "fpdf",
		sender: []string{"Hansa Logistik GmbH & Co. KG", "Am Sandtorkai 5", "20457 Hamburg"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Datum:", "14. März 2026"}, {"Avis-Nr.:", "AV-2026-0315"}},
		text:   []string{"Folgende Rechnungen haben wir heute überwiesen:"},
		cols:   []string{"Rechnung", "Betrag"},
		align:  "LR", widths: []float64{1, 1},
		rows: [][]string{
			{"2026 00042", "1.250,00 €"},
			{"2026 00057", "980,40 €"},
			{"2026 00061", "3.100,00 €"},
		},
		after: [][]string{{"Gesamt", "5.330,40 €"}},
		want: wantRem{"Hansa Logistik GmbH & Co. KG", "2026-03-14", "AV-2026-0315", "EUR", "5330.40", []wl{
			L("2026 00042", "", "", "", "", "1250.00"),
			L("2026 00057", "", "", "", "", "980.40"),
			L("2026 00061", "", "", "", "", "3100.00"),
		}},
	}
}

func docCHLabels() cdoc {
	return cdoc{
		name: "c_ch_currency_in_labels", via: "fpdf",
		sender: []string{"Bergbahnen Engadin AG", "Via Maistra 1", "7500 St. Moritz"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum:", "14. März 2026"}, {"Zahlungsreferenz:", "ZV-26-0311"}},
		cols:   []string{"Rechnung Nr.", "Datum", "Betrag CHF", "Abzug", "Zahlung CHF"},
		align:  "LLRRR", widths: []float64{1.2, 1, 1.1, 0.9, 1.1},
		rows: [][]string{
			{"R 26-1042", "30.01.2026", "12'480.00", "", "12'480.00"},
			{"R 26-1057", "06.02.2026", "3'310.55", "310.55", "3'000.00"},
			{"R 26-1063", "13.02.2026", "1'005.00", "", "1'005.00"},
		},
		after: [][]string{{"Total", "", "16'795.55", "310.55", "16'485.00"}},
		want: wantRem{"Bergbahnen Engadin AG", "2026-03-14", "ZV-26-0311", "CHF", "16485.00", []wl{
			L("R 26-1042", "2026-01-30", "12480.00", "", "", "12480.00"),
			L("R 26-1057", "2026-02-06", "3310.55", "", "310.55", "3000.00"),
			L("R 26-1063", "2026-02-13", "1005.00", "", "", "1005.00"),
		}},
	}
}

func enNum(d decimal.Decimal) string { return fmtNum(d, ",", ".", "") }

func docEnMultiCF() cdoc {
	c := cdoc{
		name: "c_en_multipage_carried_forward", via: "fpdf",
		sender: []string{"Contoso Manufacturing Ltd", "Unit 4, Riverside Park", "Leeds LS1 4AP"},
		title:  "Payment Advice",
		head:   [][2]string{{"Payment date:", "2026-03-14"}, {"Payment reference:", "CM-PAY-2026-0098"}, {"Currency:", "GBP"}},
		cols:   []string{"Document No.", "Doc. Date", "Your Reference", "Amount", "Disc.", "Net Amount"},
		align:  "LLLRRR", widths: []float64{1.1, 1, 1.3, 1.1, 0.8, 1.1},
		pageFoot: "Page %d of %d", pageHead: "Payment Advice CM-PAY-2026-0098 (continued)",
	}
	sum := decimal.Zero
	var lines []wl
	for k := 0; k < 60; k++ {
		g := dec(fmt.Sprintf("%d.%02d", 80+k*211%2500, (k*13)%100))
		disc := decimal.Zero
		if k%9 == 4 {
			disc = g.Mul(dec("0.025")).Round(2)
		}
		ref := fmt.Sprintf("NS-%05d", 8800+k*11)
		if k == 44 {
			g, ref = dec("-240.00"), "NS-CN-0193"
		}
		paid := g.Sub(disc)
		sum = sum.Add(paid)
		date := fmt.Sprintf("2026-%02d-%02d", 1+k%2, 1+k%28)
		ds := "0.00"
		if !disc.IsZero() {
			ds = enNum(disc)
		}
		c.rows = append(c.rows, []string{fmt.Sprintf("1900%06d", 5500+k), date, ref, fmtNum(g, ",", ".", "paren"), ds, fmtNum(paid, ",", ".", "paren")})
		lines = append(lines, L(ref, date, g.StringFixed(2), disc.StringFixed(2), "", paid.StringFixed(2)))
		if k == 23 || k == 47 {
			c.rows = append(c.rows, []string{"Carried forward", "", "", "", "", enNum(sum)}, []string{"@break"},
				[]string{"Brought forward", "", "", "", "", enNum(sum)})
		}
	}
	c.after = [][]string{{"Total", "", "", "", "", "£" + enNum(sum)}}
	c.want = wantRem{"Contoso Manufacturing Ltd", "2026-03-14", "CM-PAY-2026-0098", "GBP", sum.StringFixed(2), lines}
	return c
}

func docEsMXUSD() cdoc {
	return cdoc{
		name: "c_es_mx_usd_dot_decimal", via: "fpdf",
		sender: []string{"Grupo Industrial del Norte S.A. de C.V.", "Av. Constitución 1500", "Monterrey, N.L. 64000"},
		title:  "Aviso de pago",
		head:   [][2]string{{"Fecha de pago:", "14/03/2026"}, {"Referencia:", "SPEI-7781230"}, {"Beneficiario:", "Northwind Supply Inc."}},
		cols:   []string{"Factura", "Fecha", "Moneda", "Importe factura", "Descuento", "Importe pagado"},
		align:  "LLLRRR", widths: []float64{1, 1, 0.8, 1.2, 1, 1.2},
		rows: [][]string{
			{"A-10231", "02/02/2026", "USD", "$12,500.00", "$250.00", "$12,250.00"},
			{"A-10244", "13/02/2026", "USD", "$3,480.00", "", "$3,480.00"},
			{"NC-0031", "20/02/2026", "USD", "-$1,000.00", "", "-$1,000.00"},
		},
		after: [][]string{{"Total", "", "USD", "", "", "$14,730.00"}},
		want: wantRem{"Grupo Industrial del Norte S.A. de C.V.", "2026-03-14", "SPEI-7781230", "USD", "14730.00", []wl{
			L("A-10231", "2026-02-02", "12500.00", "250.00", "", "12250.00"),
			L("A-10244", "2026-02-13", "3480.00", "", "", "3480.00"),
			L("NC-0031", "2026-02-20", "-1000.00", "", "", "-1000.00"),
		}},
	}
}

func docDeWrapped() cdoc {
	return cdoc{
		name: "c_de_wrapped_text", via: "fpdf",
		sender: []string{"Schwarzwald Möbelwerke GmbH", "Talstraße 8", "79102 Freiburg"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum:", "13.03.2026"}, {"Zahlungsreferenz:", "2026-0313-01"}},
		text:   []string{"Alle Beträge in EUR."},
		cols:   []string{"Rechnungsnr.", "Rechnungsdatum", "Buchungstext", "Bruttobetrag", "Abzug", "Zahlbetrag"},
		align:  "LLLRRR", widths: []float64{1.1, 1.1, 1.8, 1.1, 0.8, 1.1},
		rows: [][]string{
			{"R-2026-0042", "31.01.2026", "Lieferung Buchenholz\nKW 4, Lieferschein 8812", "4.760,00", "", "4.760,00"},
			{"R-2026-0051", "07.02.2026", "Beschläge und\nKleinteile", "1.190,00", "119,00", "1.071,00"},
			{"R-2026-0063", "14.02.2026", "Fracht", "238,00", "", "238,00"},
		},
		after: [][]string{{"Summe", "", "", "6.188,00", "119,00", "6.069,00"}},
		want: wantRem{"Schwarzwald Möbelwerke GmbH", "2026-03-13", "2026-0313-01", "EUR", "6069.00", []wl{
			L("R-2026-0042", "2026-01-31", "4760.00", "", "", "4760.00"),
			L("R-2026-0051", "2026-02-07", "1190.00", "", "119.00", "1071.00"),
			L("R-2026-0063", "2026-02-14", "238.00", "", "", "238.00"),
		}},
	}
}

func docEnWorkday() cdoc {
	return cdoc{
		name: "c_en_workday_withholding", via: "chromium",
		sender: []string{"Umbrella Health Inc.", "1 Research Way", "Raleigh, NC 27601"},
		title:  "Payment Remittance",
		head: [][2]string{{"Payment ID", "PAY-000481"}, {"Payment Date", "2026-03-14"}, {"Payer", "Umbrella Health Inc."},
			{"Currency", "USD"}},
		cols:  []string{"Supplier Invoice", "Invoice Date", "Due Date", "Gross Amount", "Discount Amount", "Withholding", "Net Amount"},
		align: "LLLRRRR", widths: []float64{1.2, 1, 1, 1.1, 1.1, 1, 1.1},
		rows: [][]string{
			{"NWS-4410", "2026-01-20", "2026-02-19", "8,400.00", "168.00", "0.00", "8,232.00"},
			{"NWS-4431", "2026-02-03", "2026-03-05", "2,100.00", "0.00", "210.00", "1,890.00"},
			{"NWS-4435", "2026-02-06", "2026-03-08", "560.75", "0.00", "0.00", "560.75"},
		},
		after: [][]string{{"Total", "", "", "11,060.75", "168.00", "210.00", "10,682.75"}},
		want: wantRem{"Umbrella Health Inc.", "2026-03-14", "PAY-000481", "USD", "10682.75", []wl{
			L("NWS-4410", "2026-01-20", "8400.00", "168.00", "0.00", "8232.00"),
			L("NWS-4431", "2026-02-03", "2100.00", "0.00", "210.00", "1890.00"),
			L("NWS-4435", "2026-02-06", "560.75", "0.00", "0.00", "560.75"),
		}},
	}
}

func docDeSkontoPct() cdoc {
	return cdoc{
		name: "c_de_skonto_percent_column", via: "chromium",
		sender: []string{"Autohaus Brenner GmbH", "Ringstraße 44", "93047 Regensburg"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum", "14.03.2026"}, {"Referenz", "ZA-2026-0042"}},
		cols:   []string{"Rechnungs-Nr.", "Re.-Datum", "Rechnungsbetrag", "Skonto %", "Skontobetrag", "Überweisungsbetrag"},
		align:  "LLRRRR", widths: []float64{1.1, 1, 1.2, 0.8, 1, 1.3},
		rows: [][]string{
			{"2026-1001", "12.02.2026", "2.975,00 €", "2,00 %", "59,50 €", "2.915,50 €"},
			{"2026-1017", "20.02.2026", "1.428,00 €", "3,00 %", "42,84 €", "1.385,16 €"},
			{"2026-1022", "27.02.2026", "595,00 €", "", "", "595,00 €"},
		},
		after: [][]string{{"Summe", "", "4.998,00 €", "", "102,34 €", "4.895,66 €"}},
		want: wantRem{"Autohaus Brenner GmbH", "2026-03-14", "ZA-2026-0042", "EUR", "4895.66", []wl{
			L("2026-1001", "2026-02-12", "2975.00", "59.50", "", "2915.50"),
			L("2026-1017", "2026-02-20", "1428.00", "42.84", "", "1385.16"),
			L("2026-1022", "2026-02-27", "595.00", "", "", "595.00"),
		}},
	}
}

func docEsLiquido() cdoc {
	return cdoc{
		name: "c_es_liquido_parentheses", via: "chromium",
		sender: []string{"Hostelería Mediterránea S.L.", "Carrer de Balmes 101", "08008 Barcelona"},
		title:  "Relación de facturas pagadas",
		head: [][2]string{{"Pagador:", "Hostelería Mediterránea S.L."}, {"Fecha:", "14 de marzo de 2026"},
			{"Nº transferencia:", "TR-88-2026"}, {"Moneda:", "EUR"}},
		cols:  []string{"Documento", "Fecha doc.", "Vencimiento", "Importe", "Retención", "Líquido"},
		align: "LLLRRR", widths: []float64{1.2, 1, 1, 1.1, 1, 1.1},
		rows: [][]string{
			{"F-2026-0311", "05/01/2026", "04/02/2026", "2.420,00", "363,00", "2.057,00"},
			{"F-2026-0340", "19/01/2026", "18/02/2026", "1.210,00", "181,50", "1.028,50"},
			{"AB-2026-0007", "26/01/2026", "", "(242,00)", "", "(242,00)"},
		},
		after: [][]string{{"Total", "", "", "3.388,00", "544,50", "2.843,50"}},
		want: wantRem{"Hostelería Mediterránea S.L.", "2026-03-14", "TR-88-2026", "EUR", "2843.50", []wl{
			L("F-2026-0311", "2026-01-05", "2420.00", "", "363.00", "2057.00"),
			L("F-2026-0340", "2026-01-19", "1210.00", "", "181.50", "1028.50"),
			L("AB-2026-0007", "2026-01-26", "-242.00", "", "", "-242.00"),
		}},
	}
}

func docEnJDE() cdoc {
	return cdoc{
		name: "c_en_jde_trailing_minus", via: "chromium",
		sender: []string{"Pied Piper Holdings LLC", "5230 Newell Road", "Palo Alto, CA 94303"},
		title:  "PAYMENT ADVICE",
		head:   [][2]string{{"Check Number", "004512"}, {"Check Date", "03/14/2026"}, {"Check Amount", "$2,775.00"}},
		cols:   []string{"Invoice Number", "Invoice Date", "Gross Amount", "Discount", "Net Amount"},
		align:  "LLRRR", widths: []float64{1.2, 1, 1.1, 1, 1.1},
		rows: [][]string{
			{"10442", "01/28/2026", "1,500.00", "30.00", "1,470.00"},
			{"10458", "02/04/2026", "1,455.00", "", "1,455.00"},
			{"10460", "02/10/2026", "150.00-", "", "150.00-"},
		},
		after: [][]string{{"Total", "", "2,805.00", "30.00", "2,775.00"}},
		want: wantRem{"Pied Piper Holdings LLC", "2026-03-14", "004512", "USD", "2775.00", []wl{
			L("10442", "2026-01-28", "1500.00", "30.00", "", "1470.00"),
			L("10458", "2026-02-04", "1455.00", "", "", "1455.00"),
			L("10460", "2026-02-10", "-150.00", "", "", "-150.00"),
		}},
	}
}

func docEnSAPNote() cdoc {
	return cdoc{
		name: "c_en_sap_payment_advice_note", via: "lo-html",
		sender: []string{"Stark Components Ltd", "Dock Road 12", "Liverpool L3 4AF"},
		title:  "Payment advice note",
		head: [][2]string{{"Payment document", "2000051177"}, {"Payment date", "14.03.2026"}, {"Company code", "GB01"},
			{"Currency", "GBP"}},
		cols:  []string{"Document no.", "Your reference", "Doc. date", "Gross amount", "Cash discount", "Net amount"},
		align: "LLLRRR", widths: []float64{1.1, 1.1, 1, 1.1, 1, 1.1},
		rows: [][]string{
			{"1900044512", "INV 7781", "02.02.2026", "5,400.00", "108.00", "5,292.00"},
			{"1900044530", "INV 7794", "09.02.2026", "960.00", "", "960.00"},
			{"1900044548", "CN 0112", "16.02.2026", "300.00-", "", "300.00-"},
		},
		after: [][]string{{"Total", "", "", "6,060.00", "108.00", "5,952.00"}},
		want: wantRem{"Stark Components Ltd", "2026-03-14", "2000051177", "GBP", "5952.00", []wl{
			L("INV 7781", "2026-02-02", "5400.00", "108.00", "", "5292.00"),
			L("INV 7794", "2026-02-09", "960.00", "", "", "960.00"),
			L("CN 0112", "2026-02-16", "-300.00", "", "", "-300.00"),
		}},
	}
}

func docDeLOMulti() cdoc {
	c := cdoc{
		name: "c_de_lo_zwischensumme", via: "lo-html",
		sender: []string{"Kaiser Elektro GmbH", "Werkstraße 17", "44137 Dortmund"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Valutadatum:", "13.03.2026"}, {"Avisnummer:", "KE-AV-2026-077"}, {"Währung:", "EUR"}},
		cols:   []string{"Rechnungsnummer", "Rechnungsdatum", "Rechnungsbetrag", "Skonto", "Zahlbetrag"},
		align:  "LLRRR", widths: []float64{1.3, 1.1, 1.2, 0.9, 1.2},
		pageFoot: "Seite %d/%d",
	}
	sum := decimal.Zero
	var lines []wl
	for k := 0; k < 40; k++ {
		g := dec(fmt.Sprintf("%d.%02d", 300+k*389%7000, (k*61)%100))
		disc := g.Mul(dec("0.02")).Round(2)
		no := fmt.Sprintf("%d/%04d", 2026, 100+k*4)
		paid := g.Sub(disc)
		sum = sum.Add(paid)
		c.rows = append(c.rows, []string{no, fmt.Sprintf("%02d.%02d.2026", 1+k%28, 1+k%2), deNum(g), deNum(disc), deNum(paid)})
		lines = append(lines, L(no, fmt.Sprintf("2026-%02d-%02d", 1+k%2, 1+k%28), g.StringFixed(2), disc.StringFixed(2), "", paid.StringFixed(2)))
		if k == 29 {
			c.rows = append(c.rows, []string{"Zwischensumme", "", "", "", deNum(sum)}, []string{"@break"},
				[]string{"Vortrag", "", "", "", deNum(sum)})
		}
	}
	c.after = [][]string{{"Gesamtsumme", "", "", "", deNum(sum)}}
	c.want = wantRem{"Kaiser Elektro GmbH", "2026-03-13", "KE-AV-2026-077", "EUR", sum.StringFixed(2), lines}
	return c
}

func docEsTipoAbono() cdoc {
	return cdoc{
		name: "c_es_tipo_abono_positive", via: "lo-html",
		sender: []string{"Alimentación Cantábrica S.A.", "Calle Castilla 40", "39009 Santander"},
		title:  "Aviso de pago",
		head:   [][2]string{{"Fecha de pago:", "14-03-2026"}, {"Referencia:", "AP-2026-0099"}},
		cols:   []string{"Tipo", "Nº Documento", "Fecha", "Importe bruto", "Dto. pronto pago", "Importe neto"},
		align:  "LLLRRR", widths: []float64{0.8, 1.2, 1, 1.1, 1.1, 1.1},
		rows: [][]string{
			{"Factura", "FV26-00812", "14-01-2026", "3.630,00", "72,60", "3.557,40"},
			{"Factura", "FV26-00877", "28-01-2026", "1.815,00", "", "1.815,00"},
			{"Abono", "AV26-00031", "03-02-2026", "423,50", "", "423,50"},
		},
		after: [][]string{{"Total a pagar", "", "", "", "", "4.948,90 €"}},
		want: wantRem{"Alimentación Cantábrica S.A.", "2026-03-14", "AP-2026-0099", "EUR", "4948.90", []wl{
			L("FV26-00812", "2026-01-14", "3630.00", "72.60", "", "3557.40"),
			L("FV26-00877", "2026-01-28", "1815.00", "", "", "1815.00"),
			L("AV26-00031", "2026-02-03", "-423.50", "", "", "-423.50"),
		}},
	}
}

func docEnDescWrap() cdoc {
	return cdoc{
		name: "c_en_currency_in_headers", via: "lo-html",
		sender: []string{"Sterling Wood Partners LLP", "20 Fenchurch Street", "London EC3M 3BY"},
		title:  "Remittance Advice",
		head:   [][2]string{{"Payment Date:", "13/03/2026"}, {"Payment Reference:", "RA-55102"}},
		cols:   []string{"Invoice / Credit Note", "Date", "Description", "Amount (EUR)", "Deductions (EUR)", "Paid (EUR)"},
		align:  "LLLRRR", widths: []float64{1.2, 1, 1.6, 1, 1, 1},
		rows: [][]string{
			{"INV-2026-771", "14 Feb 2026", "Consulting services February", "4,500.00", "", "4,500.00"},
			{"INV-2026-780", "21 Feb 2026", "Travel expenses", "612.30", "12.30", "600.00"},
			{"CN-2026-015", "25 Feb 2026", "Credit note - service level", "-250.00", "", "-250.00"},
		},
		after: [][]string{{"Total", "", "", "4,862.30", "12.30", "4,850.00"}},
		want: wantRem{"Sterling Wood Partners LLP", "2026-03-13", "RA-55102", "EUR", "4850.00", []wl{
			L("INV-2026-771", "2026-02-14", "4500.00", "", "", "4500.00"),
			L("INV-2026-780", "2026-02-21", "612.30", "", "12.30", "600.00"),
			L("CN-2026-015", "2026-02-25", "-250.00", "", "", "-250.00"),
		}},
	}
}

func docDeCSVExport() cdoc {
	return cdoc{
		name: "c_de_sap_export_csv", via: "csv",
		title: "Zahlungsavis",
		head: [][2]string{{"Zahler", "Bergmann Antriebstechnik AG"}, {"Zahlungsdatum", "14.03.2026"}, {"Zahlungsbeleg", "1500004799"},
			{"Währung", "EUR"}, {"Zahlungsbetrag", "2.090,00"}},
		cols: []string{"Buchungskreis", "Belegnr.", "Referenz", "Belegdatum", "Betrag", "Skonto", "Zahlbetrag"},
		rows: [][]string{
			{"1000", "5100001301", "RE-2026-0201", "03.02.2026", "1.500,00", "30,00", "1.470,00"},
			{"1000", "5100001302", "RE-2026-0214", "10.02.2026", "820,00", "", "820,00"},
			{"1000", "5100001303", "GS-2026-0011", "12.02.2026", "-200,00", "", "-200,00"},
		},
		want: wantRem{"Bergmann Antriebstechnik AG", "2026-03-14", "1500004799", "EUR", "2090.00", []wl{
			L("RE-2026-0201", "2026-02-03", "1500.00", "30.00", "", "1470.00"),
			L("RE-2026-0214", "2026-02-10", "820.00", "", "", "820.00"),
			L("GS-2026-0011", "2026-02-12", "-200.00", "", "", "-200.00"),
		}},
	}
}

func docEsCSV() cdoc {
	return cdoc{
		name: "c_es_export_csv", via: "csv",
		head: [][2]string{{"Ordenante", "Distribuciones Norte S.L."}, {"Fecha de pago", "14/03/2026"}, {"Referencia", "REM-2026-0044"},
			{"Moneda", "EUR"}},
		cols: []string{"Nº Factura", "Fecha Factura", "Importe Bruto", "Descuento", "Retención", "Importe Pagado"},
		rows: [][]string{
			{"FA/2026/118", "15/01/2026", "1.210,00", "", "181,50", "1.028,50"},
			{"FA/2026/119", "15/01/2026", "605,00", "12,10", "", "592,90"},
			{"FA/2026/140", "05/02/2026", "2.420,00", "", "", "2.420,00"},
		},
		after: [][]string{{"Total", "", "4.235,00", "12,10", "181,50", "4.041,40"}},
		want: wantRem{"Distribuciones Norte S.L.", "2026-03-14", "REM-2026-0044", "EUR", "4041.40", []wl{
			L("FA/2026/118", "2026-01-15", "1210.00", "", "181.50", "1028.50"),
			L("FA/2026/119", "2026-01-15", "605.00", "12.10", "", "592.90"),
			L("FA/2026/140", "2026-02-05", "2420.00", "", "", "2420.00"),
		}},
	}
}

func docEnCSVFlat() cdoc {
	return cdoc{
		name: "c_en_flat_export_csv", via: "csv", sep: ',',
		cols: []string{"Payment Date", "Check Number", "Payee", "Invoice Number", "Invoice Date", "Invoice Amount", "Discount", "Amount Paid"},
		rows: [][]string{
			{"03/13/2026", "004512", "Northwind Supply Inc.", "INV-9001", "01/15/2026", "$1,234.56", "$24.69", "$1,209.87"},
			{"03/13/2026", "004512", "Northwind Supply Inc.", "INV-9017", "02/02/2026", "$980.00", "", "$980.00"},
			{"03/13/2026", "004512", "Northwind Supply Inc.", "CM-0102", "02/09/2026", "($120.00)", "", "($120.00)"},
		},
		after: [][]string{{"Total", "", "", "", "", "", "", "$2,069.87"}},
		want: wantRem{"", "2026-03-13", "004512", "USD", "2069.87", []wl{
			L("INV-9001", "2026-01-15", "1234.56", "24.69", "", "1209.87"),
			L("INV-9017", "2026-02-02", "980.00", "", "", "980.00"),
			L("CM-0102", "2026-02-09", "-120.00", "", "", "-120.00"),
		}},
	}
}

func docDeCSVComma() cdoc {
	return cdoc{
		name: "c_de_comma_separated_csv", via: "csv", sep: ',',
		title: "Zahlungsavis",
		head: [][2]string{{"Auftraggeber", "Kaiser Elektro GmbH"}, {"Valuta", "2026-03-14"}, {"Referenz", "KE-ZA-0314"},
			{"Währung", "EUR"}},
		cols: []string{"Rechnungsnummer", "Rechnungsdatum", "Bruttobetrag", "Skonto", "Zahlbetrag"},
		rows: [][]string{
			{"2026/0042", "2026-01-31", "1.000,00", "20,00", "980,00"},
			{"2026/0051", "2026-02-06", "2.500,00", "50,00", "2.450,00"},
			{"2026/0055", "2026-02-09", "125,50-", "", "125,50-"},
		},
		after: [][]string{{"Summe", "", "", "", "3.304,50"}},
		want: wantRem{"Kaiser Elektro GmbH", "2026-03-14", "KE-ZA-0314", "EUR", "3304.50", []wl{
			L("2026/0042", "2026-01-31", "1000.00", "20.00", "", "980.00"),
			L("2026/0051", "2026-02-06", "2500.00", "50.00", "", "2450.00"),
			L("2026/0055", "2026-02-09", "-125.50", "", "", "-125.50"),
		}},
	}
}

func docEnGBCSV() cdoc {
	return cdoc{
		name: "c_en_gb_cr_csv", via: "csv", sep: ',',
		title: "Remittance Advice",
		head: [][2]string{{"Payer", "Britannia Foods plc"}, {"Payment Date", "14 Mar 2026"}, {"Payment Reference", "BACS-000812"},
			{"Currency", "GBP"}},
		cols: []string{"Invoice No", "Invoice Date", "Invoice Amount", "Amount Paid"},
		rows: [][]string{
			{"NS-1201", "02 Feb 2026", "1,440.00", "1,440.00"},
			{"NS-1207", "09 Feb 2026", "2,016.00", "1,920.00"},
			{"NS-C-033", "11 Feb 2026", "150.00 CR", "150.00 CR"},
		},
		after: [][]string{{"Total", "", "", "3,210.00"}},
		want: wantRem{"Britannia Foods plc", "2026-03-14", "BACS-000812", "GBP", "3210.00", []wl{
			L("NS-1201", "2026-02-02", "1440.00", "", "", "1440.00"),
			L("NS-1207", "2026-02-09", "2016.00", "", "", "1920.00"),
			L("NS-C-033", "2026-02-11", "-150.00", "", "", "-150.00"),
		}},
	}
}

func docDeXLSX() cdoc {
	return cdoc{
		name: "c_de_xlsx_numeric", via: "xlsx",
		sender: []string{"Rheintal Zulieferteile GmbH"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum", "@2026-03-14"}, {"Belegnummer", "1500008812"}, {"Währung", "EUR"}},
		cols:   []string{"Belegnr.", "Rechnungsnr.", "Rechnungsdatum", "Bruttobetrag", "Skonto", "Abzug", "Zahlbetrag"},
		rows: [][]string{
			{"5100002001", "RE-2026-0301", "@2026-02-02", "#4760", "#95.2", "", "#4664.8"},
			{"5100002002", "RE-2026-0315", "@2026-02-09", "#1190", "", "#119", "#1071"},
			{"5100002003", "GS-2026-0020", "@2026-02-11", "#-238", "", "", "#-238"},
		},
		after: [][]string{{"Summe", "", "", "#5712", "#95.2", "#119", "#5497.8"}},
		want: wantRem{"Rheintal Zulieferteile GmbH", "2026-03-14", "1500008812", "EUR", "5497.80", []wl{
			L("RE-2026-0301", "2026-02-02", "4760.00", "95.20", "", "4664.80"),
			L("RE-2026-0315", "2026-02-09", "1190.00", "", "119.00", "1071.00"),
			L("GS-2026-0020", "2026-02-11", "-238.00", "", "", "-238.00"),
		}},
	}
}

func docEsXLSXText() cdoc {
	return cdoc{
		name: "c_es_xlsx_text_cells", via: "xlsx",
		sender: []string{"Bodegas del Duero S.A."},
		title:  "Aviso de pago",
		head:   [][2]string{{"Fecha de pago", "14/03/2026"}, {"Referencia", "BD-PAG-0311"}, {"Moneda", "EUR"}},
		cols:   []string{"Factura", "Fecha", "Importe bruto", "Descuento", "Importe pagado"},
		rows: [][]string{
			{"FA/2026/118", "31/01/2026", "1.000,00", "20,00", "980,00"},
			{"FA/2026/125", "06/02/2026", "650,00", "", "650,00"},
			{"AB/2026/004", "10/02/2026", "-312,50", "", "-312,50"},
		},
		after: [][]string{{"Total", "", "", "", "1.317,50"}},
		want: wantRem{"Bodegas del Duero S.A.", "2026-03-14", "BD-PAG-0311", "EUR", "1317.50", []wl{
			L("FA/2026/118", "2026-01-31", "1000.00", "20.00", "", "980.00"),
			L("FA/2026/125", "2026-02-06", "650.00", "", "", "650.00"),
			L("AB/2026/004", "2026-02-10", "-312.50", "", "", "-312.50"),
		}},
	}
}

func docEnXLSX() cdoc {
	return cdoc{
		name: "c_en_xlsx_currency_col", via: "xlsx",
		sender: []string{"Wayne Enterprises Inc."},
		title:  "Payment Advice",
		head:   [][2]string{{"Payment Date", "@2026-03-13"}, {"Payment Number", "PMT-2026-0415"}},
		cols:   []string{"Invoice Number", "Invoice Date", "Currency", "Invoice Amount", "Discount", "Amount Paid"},
		rows: [][]string{
			{"WE-5001", "@2026-02-01", "USD", "#10000", "#200", "#9800"},
			{"WE-5009", "@2026-02-12", "USD", "#2500.5", "", "#2500.5"},
			{"WE-CR-77", "@2026-02-20", "USD", "#-750", "", "#-750"},
		},
		after: [][]string{{"Total", "", "USD", "", "", "#11550.5"}},
		want: wantRem{"Wayne Enterprises Inc.", "2026-03-13", "PMT-2026-0415", "USD", "11550.50", []wl{
			L("WE-5001", "2026-02-01", "10000.00", "200.00", "", "9800.00"),
			L("WE-5009", "2026-02-12", "2500.50", "", "", "2500.50"),
			L("WE-CR-77", "2026-02-20", "-750.00", "", "", "-750.00"),
		}},
	}
}

func docEnUSAmbiguous() cdoc {
	return cdoc{
		name: "c_en_us_ambiguous_dates", via: "fpdf",
		sender: []string{"Cobalt Tools Inc.", "88 Mill Street", "Toledo, OH 43604"},
		title:  "Remittance Advice",
		head:   [][2]string{{"Payment Date:", "03/04/2026"}, {"Trace Number:", "7781023"}, {"Paid To:", "Northwind Supply Inc."}},
		cols:   []string{"Invoice No.", "Date", "Amount", "Paid"},
		align:  "LLRR", widths: []float64{1.2, 1, 1, 1},
		rows: [][]string{
			{"2026 00042", "01/05/2026", "$1,000.00", "$980.00"},
			{"2026 00051", "02/03/2026", "$2,500.00", "$2,500.00"},
			{"2026 00060", "02/10/2026", "($150.00)", "($150.00)"},
		},
		after: [][]string{{"TOTAL", "", "", "$3,330.00"}},
		want: wantRem{"Cobalt Tools Inc.", "2026-03-04", "7781023", "USD", "3330.00", []wl{
			L("2026 00042", "2026-01-05", "1000.00", "", "", "980.00"),
			L("2026 00051", "2026-02-03", "2500.00", "", "", "2500.00"),
			L("2026 00060", "2026-02-10", "-150.00", "", "", "-150.00"),
		}},
	}
}

func docDeWrappedHeader() cdoc {
	return cdoc{
		name: "c_de_hyphen_wrapped_header", via: "fpdf",
		sender: []string{"Lindner Haustechnik GmbH", "Gewerbering 9", "90409 Nürnberg"},
		title:  "Zahlungsavis",
		head:   [][2]string{{"Zahlungsdatum:", "14.03.26"}, {"Zahlungsnummer:", "88120"}, {"Währung:", "EUR"}},
		cols:   []string{"Rechnungs-\nnummer", "Rechnungs-\ndatum", "Brutto-\nbetrag", "Skonto-\nbetrag", "Zahl-\nbetrag"},
		align:  "LLRRR", widths: []float64{1.2, 1, 1.1, 1, 1.1},
		rows: [][]string{
			{"RE 2026/0042", "05.01.26", "1.190,00", "23,80", "1.166,20"},
			{"RE 2026/0049", "12.01.26", "2.380,00", "", "2.380,00"},
			{"GU 2026/0003", "20.01.26", "119,00-", "", "119,00-"},
		},
		after: [][]string{{"Summe", "", "3.451,00", "23,80", "3.427,20"}},
		want: wantRem{"Lindner Haustechnik GmbH", "2026-03-14", "88120", "EUR", "3427.20", []wl{
			L("RE 2026/0042", "2026-01-05", "1190.00", "23.80", "", "1166.20"),
			L("RE 2026/0049", "2026-01-12", "2380.00", "", "", "2380.00"),
			L("GU 2026/0003", "2026-01-20", "-119.00", "", "", "-119.00"),
		}},
	}
}

func docEsLOMonthNames() cdoc {
	c := cdoc{
		name: "c_es_lo_suma_y_sigue_months", via: "lo-html",
		sender: []string{"Transportes Galicia S.L.", "Rúa do Vilar 12", "15705 Santiago de Compostela"},
		title:  "Aviso de pago",
		head:   [][2]string{{"Fecha de pago:", "13 de marzo de 2026"}, {"Nº de pago:", "TG-2026-0313"}},
		cols:   []string{"Nº factura", "Fecha factura", "Importe bruto", "Descuento", "Importe pagado"},
		align:  "LLRRR", widths: []float64{1.2, 1.2, 1.1, 1, 1.1},
		pageFoot: "Página %d de %d",
	}
	months := []string{"ene", "feb"}
	sum := decimal.Zero
	var lines []wl
	for k := 0; k < 32; k++ {
		g := dec(fmt.Sprintf("%d.%02d", 150+k*517%4000, (k*17)%100))
		disc := decimal.Zero
		if k%6 == 1 {
			disc = g.Mul(dec("0.02")).Round(2)
		}
		paid := g.Sub(disc)
		sum = sum.Add(paid)
		no := fmt.Sprintf("FA/2026/%03d", 118+k*2)
		ds, dw := "0,00 €", "0.00"
		if !disc.IsZero() {
			ds, dw = esNum(disc)+" €", disc.StringFixed(2)
		}
		c.rows = append(c.rows, []string{no, fmt.Sprintf("%d %s 2026", 1+k%28, months[k%2]), esNum(g) + " €", ds, esNum(paid) + " €"})
		lines = append(lines, L(no, fmt.Sprintf("2026-%02d-%02d", 1+k%2, 1+k%28), g.StringFixed(2), dw, "", paid.StringFixed(2)))
		if k == 21 {
			c.rows = append(c.rows, []string{"Suma y sigue", "", "", "", esNum(sum) + " €"}, []string{"@break"},
				[]string{"Suma anterior", "", "", "", esNum(sum) + " €"})
		}
	}
	c.after = [][]string{{"Importe total", "", "", "", esNum(sum) + " €"}}
	c.want = wantRem{"Transportes Galicia S.L.", "2026-03-13", "TG-2026-0313", "EUR", sum.StringFixed(2), lines}
	return c
}

func docEnGBOrdinals() cdoc {
	return cdoc{
		name: "c_en_gb_ordinal_dates_paid_first", via: "chromium",
		sender: []string{"Thames Valley Hotels Ltd", "2 Riverside", "Reading RG1 8BD"},
		title:  "Remittance Advice",
		head:   [][2]string{{"Payment date", "Friday, 13th March 2026"}, {"Our payment ref", "TVH-BACS-2291"}},
		cols:   []string{"Date", "Invoice", "Description", "Paid", "Gross"},
		align:  "LLLRR", widths: []float64{1.2, 1, 1.8, 1, 1},
		rows: [][]string{
			{"3rd Feb 2026", "NS-5512", "Linen supply January", "£2,400.00", "£2,400.00"},
			{"10th Feb 2026", "NS-5540", "Cleaning chemicals", "£904.00", "£1,000.00"},
			{"21st Feb 2026", "NS-C-0090", "Credit note - short delivery", "-£96.00", "-£96.00"},
		},
		after: [][]string{{"Total", "", "", "£3,208.00", ""}},
		want: wantRem{"Thames Valley Hotels Ltd", "2026-03-13", "TVH-BACS-2291", "GBP", "3208.00", []wl{
			L("NS-5512", "2026-02-03", "2400.00", "", "", "2400.00"),
			L("NS-5540", "2026-02-10", "1000.00", "", "", "904.00"),
			L("NS-C-0090", "2026-02-21", "-96.00", "", "", "-96.00"),
		}},
	}
}

func docDeTSVFlat() cdoc {
	return cdoc{
		name: "c_de_tab_flat_export", via: "csv", sep: '\t',
		cols: []string{"Zahlungsdatum", "Zahlungsnummer", "Belegnummer", "Rechnungsnummer", "Rechnungsdatum", "Betrag", "Skonto", "Zahlbetrag", "Währung"},
		rows: [][]string{
			{"14.03.2026", "ZN-4471", "5100007001", "2026-1201", "02.02.2026", "2.000,00", "40,00", "1.960,00", "EUR"},
			{"14.03.2026", "ZN-4471", "5100007002", "2026-1244", "16.02.2026", "750,50", "", "750,50", "EUR"},
			{"14.03.2026", "ZN-4471", "5100007003", "G-2026-0031", "20.02.2026", "-100,00", "", "-100,00", "EUR"},
		},
		after: [][]string{{"Summe", "", "", "", "", "", "", "2.610,50", ""}},
		want: wantRem{"", "2026-03-14", "ZN-4471", "EUR", "2610.50", []wl{
			L("2026-1201", "2026-02-02", "2000.00", "40.00", "", "1960.00"),
			L("2026-1244", "2026-02-16", "750.50", "", "", "750.50"),
			L("G-2026-0031", "2026-02-20", "-100.00", "", "", "-100.00"),
		}},
	}
}

func docEsXLSXTipo() cdoc {
	return cdoc{
		name: "c_es_xlsx_tipo_abono", via: "xlsx",
		sender: []string{"Cooperativa Agrícola del Ebro S.Coop."},
		title:  "Relación de facturas pagadas",
		head:   [][2]string{{"Fecha de pago", "@2026-03-14"}, {"Nº transferencia", "CAE-0314-01"}, {"Moneda", "EUR"}},
		cols:   []string{"Tipo", "Nº Documento", "Fecha", "Importe bruto", "Retención", "Importe pagado"},
		rows: [][]string{
			{"Factura", "F26/00412", "@2026-01-30", "#2420", "#363", "#2057"},
			{"Factura", "F26/00455", "@2026-02-13", "#968", "", "#968"},
			{"Abono", "R26/00019", "@2026-02-20", "#121", "", "#121"},
		},
		after: [][]string{{"Total", "", "", "", "", "#2904"}},
		want: wantRem{"Cooperativa Agrícola del Ebro S.Coop.", "2026-03-14", "CAE-0314-01", "EUR", "2904.00", []wl{
			L("F26/00412", "2026-01-30", "2420.00", "", "363.00", "2057.00"),
			L("F26/00455", "2026-02-13", "968.00", "", "", "968.00"),
			L("R26/00019", "2026-02-20", "-121.00", "", "", "-121.00"),
		}},
	}
}

func docEnSubtotal() cdoc {
	return cdoc{
		name: "c_en_subtotal_then_total", via: "lo-html",
		sender: []string{"Harbor Freight Lines LLC", "900 Pier Avenue", "Long Beach, CA 90802"},
		title:  "Payment Notification",
		head:   [][2]string{{"Payment Date:", "March 13, 2026"}, {"Payment Reference:", "HFL-ACH-55310"}},
		cols:   []string{"Invoice", "Amount"},
		align:  "LR", widths: []float64{1, 1},
		rows: [][]string{
			{"HF-88012", "USD 1,250.00"},
			{"HF-88019", "USD 2,000.00"},
			{"HF-88031", "USD 750.00"},
			{"Subtotal", "USD 4,000.00"},
		},
		after: [][]string{{"Total", "USD 4,000.00"}},
		foot:  []string{"Page 1 of 1"},
		want: wantRem{"Harbor Freight Lines LLC", "2026-03-13", "HFL-ACH-55310", "USD", "4000.00", []wl{
			L("HF-88012", "", "", "", "", "1250.00"),
			L("HF-88019", "", "", "", "", "2000.00"),
			L("HF-88031", "", "", "", "", "750.00"),
		}},
	}
}

func docEnAdjustment() cdoc {
	return cdoc{
		name: "c_en_adjustment_reason", via: "fpdf",
		sender: []string{"Pinnacle Retail Group Ltd", "45 Queen Street", "Edinburgh EH2 3NH"},
		title:  "Payment Advice",
		head:   [][2]string{{"Value date:", "2026/03/12"}, {"Remittance no.:", "PRG-RA-00917"}, {"Currency:", "EUR"}},
		cols:   []string{"Invoice Ref.", "Inv. Date", "Amount Due", "Adjustment", "Reason", "Amount Paid"},
		align:  "LLRRLR", widths: []float64{1.1, 1, 1.1, 1, 1.4, 1.1},
		rows: [][]string{
			{"NW/26/0311", "2026/01/31", "EUR 1,000.00", "", "", "EUR 1,000.00"},
			{"NW/26/0318", "2026/02/06", "EUR 2,250.00", "-50.00", "Damaged pallet", "EUR 2,200.00"},
			{"NW/26/0322", "2026/02/09", "EUR 480.00", "-30.00", "Price difference", "EUR 450.00"},
		},
		after: [][]string{{"Total", "", "EUR 3,730.00", "-80.00", "", "EUR 3,650.00"}},
		want: wantRem{"Pinnacle Retail Group Ltd", "2026-03-12", "PRG-RA-00917", "EUR", "3650.00", []wl{
			L("NW/26/0311", "2026-01-31", "1000.00", "", "", "1000.00"),
			L("NW/26/0318", "2026-02-06", "2250.00", "", "50.00", "2200.00"),
			L("NW/26/0322", "2026-02-09", "480.00", "", "30.00", "450.00"),
		}},
	}
}
