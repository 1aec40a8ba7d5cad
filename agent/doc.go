// Package agent is Dunner's domain: open items, customers, the dunning rules,
// the draft state machine and the interfaces the outside world plugs into.
//
// It imports only the standard library and small pure libraries. SQL, SMTP,
// IMAP, HTML and browsers live in connectors; cmd/dunner wires them together.
package agent
