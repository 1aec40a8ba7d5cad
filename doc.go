// Package dunner is the root of the Dunner module: an agent that does the
// daily dunning work of a B2B accounts-receivable team. The domain lives in
// agent, the use cases in jobs, the outside world in connectors, and
// cmd/dunner wires them together.
package dunner
