package agent

import (
	"fmt"
	"regexp/syntax"
	"sync"
)

// classifyWordAlt finds what `\b(ALT)\b\.?` finds, for an alternation ALT
// of finitely many strings, without the regexp engine: the label list of
// the invoice reader is hundreds of words, and running it as one
// expression over a quoted thread cost more than everything else the
// classifier does. ALT is expanded into its strings once, in the order of
// the expression's preferences, and matched with a trie at word starts;
// of the strings a position offers, the one the expression would have
// preferred wins, so matches are exactly the expression's.
//
// Like the expression it stands for, it is used on text whose A-Z it sees
// as a-z (classifyASCIILower), but it needs no lowered copy.
type classifyWordAlt struct {
	once  sync.Once
	expr  string
	nodes []classifyTrieNode
}

type classifyTrieNode struct {
	bytes []byte  // edge labels, parallel to next
	next  []int32 // child node indexes
	rank  int     // preference of the string ending here; -1: none does
}

func classifyCompileWordAlt(alt string) *classifyWordAlt { return &classifyWordAlt{expr: alt} }

func (w *classifyWordAlt) compile() {
	w.once.Do(func() {
		re, err := syntax.Parse(w.expr, syntax.Perl)
		if err != nil {
			panic(err)
		}
		strs, ok := classifyExpand(re.Simplify(), 1<<14)
		if !ok {
			panic(fmt.Sprintf("classifyWordAlt: %q is not a small finite set of strings", w.expr))
		}
		w.nodes = []classifyTrieNode{{rank: -1}}
		for rank, s := range strs {
			n := 0
			for i := 0; i < len(s); i++ {
				n = w.child(n, s[i])
			}
			if w.nodes[n].rank < 0 {
				w.nodes[n].rank = rank
			}
		}
	})
}

func (w *classifyWordAlt) child(n int, b byte) int {
	nd := &w.nodes[n]
	for i, c := range nd.bytes {
		if c == b {
			return int(nd.next[i])
		}
	}
	w.nodes = append(w.nodes, classifyTrieNode{rank: -1})
	k := len(w.nodes) - 1
	nd = &w.nodes[n]
	nd.bytes = append(nd.bytes, b)
	nd.next = append(nd.next, int32(k))
	return k
}

func (w *classifyWordAlt) step(n int, b byte) int {
	nd := &w.nodes[n]
	for i, c := range nd.bytes {
		if c == b {
			return int(nd.next[i])
		}
	}
	return -1
}

// findAll returns the [start, end) of each match in t, as
// regexp.FindAllStringIndex would for `\b(ALT)\b\.?` on the ASCII-lowered t.
func (w *classifyWordAlt) findAll(t string) [][2]int {
	w.compile()
	var out [][2]int
	for p := 0; p < len(t); {
		if classifyWordAt(t, p-1) == classifyWordAt(t, p) {
			p++
			continue
		}
		bestRank, bestEnd := -1, 0
		n := 0
		for i := p; i < len(t); i++ {
			if n = w.step(n, classifyLowerASCII(t[i])); n < 0 {
				break
			}
			if r := w.nodes[n].rank; r >= 0 && (bestRank < 0 || r < bestRank) && classifyWordAt(t, i) != classifyWordAt(t, i+1) {
				bestRank, bestEnd = r, i+1
			}
		}
		if bestRank < 0 {
			p++
			continue
		}
		if bestEnd < len(t) && t[bestEnd] == '.' {
			bestEnd++
		}
		out = append(out, [2]int{p, bestEnd})
		p = bestEnd
	}
	return out
}

// classifyWordAt is \b's view of the byte at i: bytes of non-ASCII runes,
// and positions outside t, are no word characters.
func classifyWordAt(t string, i int) bool {
	return i >= 0 && i < len(t) && classifyIsWordByte(t[i])
}

func classifyIsWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func classifyLowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// classifyExpand lists the strings a finite expression matches, in the
// order a backtracking matcher tries them (leftmost-first preference), or
// ok=false when there are more than limit of them or the expression is not
// a plain finite set (assertions, case folding, repetition).
func classifyExpand(re *syntax.Regexp, limit int) (out []string, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) >= limit {
					return nil, false
				}
				out = append(out, string(r))
			}
		}
		return out, true
	case syntax.OpCapture:
		return classifyExpand(re.Sub[0], limit)
	case syntax.OpQuest:
		sub, ok := classifyExpand(re.Sub[0], limit)
		if !ok || len(sub)+1 > limit {
			return nil, false
		}
		if re.Flags&syntax.NonGreedy != 0 {
			return append([]string{""}, sub...), true
		}
		return append(sub, ""), true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			sub, ok := classifyExpand(s, limit)
			if !ok || len(out)+len(sub) > limit {
				return nil, false
			}
			out = append(out, sub...)
		}
		return out, true
	case syntax.OpConcat:
		out = []string{""}
		for _, s := range re.Sub {
			sub, ok := classifyExpand(s, limit)
			if !ok || len(out)*len(sub) > limit {
				return nil, false
			}
			next := make([]string, 0, len(out)*len(sub))
			for _, a := range out {
				for _, b := range sub {
					next = append(next, a+b)
				}
			}
			out = next
		}
		return out, true
	}
	return nil, false
}
