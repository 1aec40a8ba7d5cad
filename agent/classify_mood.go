package agent

import "strings"

// Mood: a sentence can speak of paying without committing to it. Asking
// ("Can we pay next week?", "¿Podemos pagar el día 20?") leaves the
// decision with us, and a house rule ("we pay on 60-day terms", "wir
// zahlen grundsätzlich nach 60 Tagen") describes every invoice and none in
// particular; neither is a promise, and a rule is no advice either.

// classifyQuestionStart: a sentence that opens with an interrogative or a
// modal inversion asks as a whole, commas or not ("Können wir, wie
// besprochen, erst im April zahlen?").
var classifyQuestionStart = classifyCompile(`^\s*(can|could|may|might|shall|should|would|will|do|does|did|is|are|any chance|what|when|how|why|where|koennen|koennten|kann|koennte|duerfen|darf|duerften|sollen|sollten|soll|ist|waere|wann|wie|warum|wieso|geht|ginge|besteht|gibt|podemos|podriamos|puedo|podria|podriais|seria|es posible|cuando|hay)\b`)

// classifyQuestionSpans returns the parts of t that ask. A statement
// followed by a tag question ("We will pay on Friday, is that OK?",
// "pagaremos el viernes, ¿os parece bien?") keeps its statement: only the
// clause after the last comma, or after "¿", asks.
func classifyQuestionSpans(t string) [][]int {
	var spans [][]int
	for off := 0; ; {
		i := strings.IndexByte(t[off:], '?')
		if i < 0 {
			return spans
		}
		q := off + i
		off = q + 1
		s := strings.LastIndexAny(t[:q], ".!?\n") + 1
		switch {
		case strings.Contains(t[s:q], "¿"):
			s += strings.LastIndex(t[s:q], "¿")
		case classifyQuestionStart.matchLower(t[s:q]):
		default:
			s += strings.LastIndexAny(t[s:q], ",;") + 1
		}
		spans = append(spans, []int{s, q})
	}
}

// classifyHabit marks a sentence about how the sender always pays: a
// habitual adverb or a payment term.
var classifyHabit = classifyCompile(`\b(grundsaetzlich|generell|in der regel|normalerweise|ueblicherweise|stets|always|usually|normally|generally|as a rule|standard (policy|terms|practice|payment terms)|payment terms|zahlungsziel|zahlungsbedingungen|siempre|normalmente|habitualmente|por norma|por regla general|\d+[- ]days? terms|\d+ tage(n)? netto|a \d+ dias( fecha( de)? factura)?|de cada mes|each month|every month|jeden monat|jeweils zum)\b`)

// classifyHabitSpecific: what ties a sentence to this payment after all,
// a future, a past or a day ("as always, payment will go out Friday",
// "wie immer heute überwiesen").
var classifyHabitSpecific = classifyCompile(`\b(have|has|had|was|were|did|yesterday|today|tomorrow|(we|i) (paid|sent|settled|transferred|wired|remitted)|habe|haben|hat|hatten|wurde|wurden|gestern|heute|morgen|hemos|he|ha|han|fue|fueron|ayer|hoy|manana|this (one|invoice|time))\b`)

// classifyHabitSpans returns the sentences of t that state a house rule.
func classifyHabitSpans(t string) [][]int {
	var spans [][]int
	for _, loc := range classifyHabit.findAllIndex(t) {
		sp := classifySentenceAround(t, loc[0], loc[1])
		if s := t[sp[0]:sp[1]]; classifyCueFuture.matchLower(s) || classifyHabitSpecific.matchLower(s) {
			continue
		}
		spans = append(spans, sp)
	}
	return spans
}

// classifyBlankSpans replaces exactly the given spans by spaces, keeping
// every other byte (and so every position) where it was.
func classifyBlankSpans(t string, spans [][]int) string {
	if len(spans) == 0 {
		return t
	}
	b := []byte(t)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			b[i] = ' '
		}
	}
	return string(b)
}
