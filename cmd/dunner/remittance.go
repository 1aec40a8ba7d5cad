package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

func (a *app) cmdRemittance(sub string, args []string) error {
	fs := flag.NewFlagSet("remittance "+sub, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	customer := fs.String("customer", "", "apply: the payer's customer ID (default: found by the invoice numbers)")
	export := fs.String("export", "", "apply: write the applied matches as CSV for posting in the ERP")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("remittance %s: want one FILE", sub)
	}
	if sub == "parse" && a.cfgPath != "" || sub == "apply" {
		// Layouts come from the config; a bare parse needs none.
		if err := a.loadConfig(); err != nil {
			return err
		}
	}
	rp, err := a.remittanceParser()
	if err != nil {
		return err
	}
	if _, err := os.Stat(pos[0]); err != nil {
		return usagef("%v", err)
	}
	switch sub {
	case "parse":
		r, err := rp.ParseFile(pos[0])
		if err != nil {
			var re *agent.RemittanceError
			if errors.As(err, &re) {
				if *asJSON {
					a.encode(re)
				}
				return usagef("%s: %s", pos[0], re.Error())
			}
			return err
		}
		if *asJSON {
			return a.encode(r)
		}
		fmt.Fprintf(a.env.Stdout, "%s: %s paid %s on %s (%s), %d lines\n", pos[0], r.Payer, amountText(r.Total, r.Currency),
			r.PaymentDate, r.PaymentReference, len(r.Lines))
		return nil
	case "apply":
		if err := a.open(); err != nil {
			return err
		}
		r, err := rp.ParseFile(pos[0])
		if err != nil {
			var re *agent.RemittanceError
			if errors.As(err, &re) {
				return usagef("%s: %s", pos[0], re.Error())
			}
			return err
		}
		res, err := a.dun.ApplyRemittance(a.ctx, r, *customer, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(a.env.Stdout, "%s: customer %s, %d lines applied (payment advised), %d for review\n", pos[0],
			res.CustomerID, len(res.Applied), len(res.Review))
		for _, m := range res.Review {
			fmt.Fprintf(a.env.Stdout, "  review %s: %s\n", m.Invoice, m.Note)
		}
		if *export != "" {
			return exportMatches(*export, r, res.Applied)
		}
		return nil
	}
	return usagef("remittance: unknown subcommand %q (parse, apply)", sub)
}

// encode prints JSON as written: "Schäfer & Söhne" stays readable.
func (a *app) encode(v any) error {
	enc := json.NewEncoder(a.env.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func amountText(d *decimal.Decimal, cur string) string {
	if d == nil {
		return "?"
	}
	return agent.FormatAmount(*d, cur) + " " + cur
}

// exportMatches writes accepted matches for posting the cash in the ERP.
func exportMatches(path string, r *agent.Remittance, ms []agent.Match) error {
	f, err := os.Create(path)
	if err != nil {
		return usagef("%v", err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"entity", "customer_id", "invoice", "doc_type", "currency", "paid", "discount", "deduction",
		"deduction_reason", "payment_date", "payment_reference", "rule", "confidence"})
	for _, m := range ms {
		it := m.Item
		w.Write([]string{it.Entity, it.CustomerID, it.Invoice, string(it.DocType), it.Currency,
			agent.FormatAmount(m.Paid, it.Currency), agent.FormatAmount(m.Discount, it.Currency),
			agent.FormatAmount(m.Deduction, it.Currency), m.DeductionReason, r.PaymentDate.String(), r.PaymentReference,
			m.Rule, strconv.FormatFloat(m.Confidence, 'f', 2, 64)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
