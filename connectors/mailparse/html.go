package mailparse

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToText renders an HTML mail body as plain text the way a reader
// sees it: blocks on their own lines, table cells separated by " | " (so
// remittance tables keep their columns), blockquotes prefixed with "> "
// (so quoted replies are recognisable), scripts and styles dropped.
func HTMLToText(src string) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	w := &textWriter{}
	w.node(doc, 0)
	return cleanText(w.b.String())
}

type textWriter struct {
	b       strings.Builder
	pre     int
	cellNo  []int
	written int
}

const maxHTMLNodes = 200000

func (w *textWriter) newline() {
	s := w.b.String()
	if s == "" || strings.HasSuffix(s, "\n") {
		return
	}
	w.b.WriteByte('\n')
}

func (w *textWriter) node(n *html.Node, depth int) {
	w.written++
	if w.written > maxHTMLNodes || depth > 200 {
		return
	}
	switch n.Type {
	case html.TextNode:
		if w.pre > 0 {
			w.b.WriteString(n.Data)
			return
		}
		t := collapseSpace(n.Data)
		if t == " " && (w.b.Len() == 0 || strings.HasSuffix(w.b.String(), "\n") || strings.HasSuffix(w.b.String(), " ")) {
			return
		}
		w.b.WriteString(t)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript, atom.Template, atom.Svg, atom.Img, atom.Object, atom.Iframe:
			return
		case atom.Br:
			w.b.WriteByte('\n')
			return
		case atom.Hr:
			w.newline()
			w.b.WriteString("________________________________\n")
			return
		case atom.Blockquote:
			sub := &textWriter{pre: w.pre}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				sub.node(c, depth+1)
			}
			w.written += sub.written
			w.newline()
			for _, l := range strings.Split(cleanText(sub.b.String()), "\n") {
				w.b.WriteString("> ")
				w.b.WriteString(l)
				w.b.WriteByte('\n')
			}
			return
		case atom.Td, atom.Th:
			if len(w.cellNo) > 0 {
				if w.cellNo[len(w.cellNo)-1] > 0 {
					w.b.WriteString(" | ")
				}
				w.cellNo[len(w.cellNo)-1]++
			}
			sub := &textWriter{pre: w.pre}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				sub.node(c, depth+1)
			}
			w.written += sub.written
			// A cell stays on its row even when it holds paragraphs.
			w.b.WriteString(strings.Join(strings.Fields(sub.b.String()), " "))
			return
		case atom.Tr:
			w.newline()
			w.cellNo = append(w.cellNo, 0)
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				w.node(c, depth+1)
			}
			w.cellNo = w.cellNo[:len(w.cellNo)-1]
			w.newline()
			return
		case atom.Pre:
			w.newline()
			w.pre++
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				w.node(c, depth+1)
			}
			w.pre--
			w.newline()
			return
		case atom.Li:
			w.newline()
			w.b.WriteString("- ")
		}
		block := isBlock(n.DataAtom)
		if block {
			w.newline()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c, depth+1)
		}
		if block {
			w.newline()
			if n.DataAtom == atom.P {
				w.b.WriteByte('\n')
			}
		}
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c, depth+1)
	}
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Ul, atom.Ol, atom.Li,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section, atom.Article, atom.Header,
		atom.Footer, atom.Address, atom.Center, atom.Dl, atom.Dt, atom.Dd, atom.Form, atom.Main, atom.Nav,
		atom.Caption, atom.Fieldset:
		return true
	}
	return false
}

var spaceRun = regexp.MustCompile(`[ \t\r\n\f\x{00a0}]+`)

// collapseSpace is spaceRun.ReplaceAllString(s, " "), by hand: HTML mail
// is mostly text nodes, and the expression cost more than the HTML parser.
func collapseSpace(s string) string {
	var b strings.Builder
	last := 0 // s[last:i] is copied as is when a run ends
	for i := 0; i < len(s); {
		n := spaceWidth(s, i)
		if n == 0 {
			i++
			continue
		}
		j := i + n
		for {
			m := spaceWidth(s, j)
			if m == 0 {
				break
			}
			j += m
		}
		if j-i == 1 && s[i] == ' ' {
			i = j // a single space stays what it is
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:i])
		b.WriteByte(' ')
		last, i = j, j
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// spaceWidth is the length of the spaceRun character at s[i], 0 if none.
// U+00A0 is C2 A0 in UTF-8; C2 never continues another sequence, so
// the bytes always decode as that rune.
func spaceWidth(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch s[i] {
	case ' ', '\t', '\r', '\n', '\f':
		return 1
	case 0xC2:
		if i+1 < len(s) && s[i+1] == 0xA0 {
			return 2
		}
	}
	return 0
}

var blankRun = regexp.MustCompile(`\n{3,}`)

func cleanText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimLeft(l, " "), " \t")
	}
	return strings.TrimSpace(blankRun.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}
