package configs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// The config is decoded by walking the yaml.Node tree rather than with
// yaml.Unmarshal: Unmarshal stops at the first type error, reports unknown
// keys without the path to them, and reads numbers through float64, which
// would turn money into approximations. Walking the tree lets every fault
// carry file, line and field path, and lets amounts come from the scalar
// text itself.

// maxNodes bounds the work the walker does, because aliases let a small file
// expand into an exponential tree ("billion laughs").
const maxNodes = 200_000

// nodeDecoder is implemented by config types whose YAML shape is not a plain
// struct, e.g. an amount that may be a scalar or a mapping.
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node, path string)
}

type decoder struct {
	file  string
	errs  *agent.InputError
	lines map[string]int // field path → line of its key, for later checks
	nodes int
	// tooBig is set once maxNodes is reached so the walk stops quietly
	// after one problem instead of flooding the report.
	tooBig bool
}

func (d *decoder) add(line int, path, format string, args ...any) {
	d.errs.Add(d.file, line, path, format, args...)
}

// parseDocument reads exactly one YAML document into a node.
func parseDocument(file string, data []byte, errs *agent.InputError) (root *yaml.Node) {
	defer func() {
		// yaml.v3 has had panics on hostile input; a config file must never
		// take the process down, so treat one as a syntax error.
		if r := recover(); r != nil {
			errs.Add(file, 0, "", "not valid YAML")
			root = nil
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1}
		}
		addYAMLError(file, err, errs)
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		errs.Add(file, next.Line, "", "more than one YAML document; a config is a single document")
	case !errors.Is(err, io.EOF):
		addYAMLError(file, err, errs)
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1}
		}
		return doc.Content[0]
	}
	return &doc
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// addYAMLError turns the parser's "yaml: line N: msg" into a located problem.
func addYAMLError(file string, err error, errs *agent.InputError) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		errs.Add(file, n, "", "not valid YAML: %s", m[2])
		return
	}
	errs.Add(file, 0, "", "not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

type pair struct{ key, val *yaml.Node }

// pairs returns the entries of a mapping with merge keys (<<: *base)
// expanded; keys written in the mapping itself win over merged ones, as YAML
// specifies. Duplicate keys are reported because yaml.v3 does not when
// decoding into a Node, and a config with two "fee:" lines is a mistake.
func (d *decoder) pairs(n *yaml.Node, path string, depth int) []pair {
	// Merges can nest aliases too, so they count against the budget.
	if !d.spend(len(n.Content)/2+1, n.Line, path) {
		return nil
	}
	var own, merged []pair
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k == nil {
			continue
		}
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			if depth > 10 {
				d.add(k.Line, path, "merge keys nested too deeply")
				continue
			}
			merged = append(merged, d.mergeSources(v, path, depth)...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.add(k.Line, path, "a key must be a plain name, not %s", kindName(k))
			continue
		}
		if l, ok := first[k.Value]; ok {
			d.add(k.Line, join(path, k.Value), "duplicate key (first at line %d)", l)
			continue
		}
		first[k.Value] = k.Line
		own = append(own, pair{k, v})
	}
	for _, p := range merged {
		if _, ok := first[p.key.Value]; !ok {
			first[p.key.Value] = p.key.Line
			own = append(own, p)
		}
	}
	return own
}

func (d *decoder) mergeSources(v *yaml.Node, path string, depth int) []pair {
	v = resolve(v)
	switch {
	case v == nil:
		return nil
	case v.Kind == yaml.MappingNode:
		return d.pairs(v, path, depth+1)
	case v.Kind == yaml.SequenceNode:
		var out []pair
		for _, m := range v.Content {
			m = resolve(m)
			if m == nil || m.Kind != yaml.MappingNode {
				d.add(v.Line, path, "<< merges mappings only")
				continue
			}
			out = append(out, d.pairs(m, path, depth+1)...)
		}
		return out
	}
	d.add(v.Line, path, "<< merges mappings only")
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	dateType    = reflect.TypeFor[agent.Date]()
	decoderType = reflect.TypeFor[nodeDecoder]()
)

// spend counts work against maxNodes and reports whether to go on.
func (d *decoder) spend(n, line int, path string) bool {
	if d.tooBig {
		return false
	}
	if d.nodes += n; d.nodes > maxNodes {
		d.tooBig = true
		d.add(line, path, "too large: aliases expand to more than %d values", maxNodes)
		return false
	}
	return true
}

// decode stores n into v. line is where the value's key sits; it is recorded
// under path and stored into a struct's Line field.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string, line int) {
	if !d.spend(1, line, path) {
		return
	}
	n = resolve(n)
	if n == nil {
		return
	}
	d.lines[path] = line
	if isNull(n) {
		// An empty value ("fee:") leaves the field unset, which validation
		// treats like an absent key.
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(decoderType) {
		v.Addr().Interface().(nodeDecoder).decodeNode(d, n, path)
		return
	}
	switch v.Type() {
	case decimalType:
		if amt, ok := d.decimal(n, path); ok {
			v.Set(reflect.ValueOf(amt))
		}
		return
	case dateType:
		if n.Kind != yaml.ScalarNode {
			d.add(n.Line, path, "expected a date (YYYY-MM-DD), got %s", kindName(n))
			return
		}
		dt, err := agent.ParseDate(n.Value)
		if err != nil {
			d.add(n.Line, path, "%v", err)
			return
		}
		v.Set(reflect.ValueOf(dt))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem(), path, line)
		v.Set(p)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.add(n.Line, path, "expected a text value, got %s", kindName(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			d.add(n.Line, path, "not a whole number: %s", kindName(n))
			return
		}
		var i int64
		if err := n.Decode(&i); err != nil || i != int64(int(i)) {
			d.add(n.Line, path, "not a whole number: %s", kindName(n))
			return
		}
		v.SetInt(i)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
			d.add(n.Line, path, "not true or false: %s", kindName(n))
			return
		}
		v.SetBool(b)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.add(n.Line, path, "expected a list, got %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i), item.Line)
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.add(n.Line, path, "expected a mapping, got %s", kindName(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		for _, p := range d.pairs(n, path, 0) {
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(p.val, e, join(path, p.key.Value), p.key.Line)
			m.SetMapIndex(reflect.ValueOf(p.key.Value), e)
		}
		v.Set(m)
	case reflect.Struct:
		d.decodeStruct(n, v, path, line)
	default:
		// Only reachable if a config type gains a field kind the walker
		// does not know; fail loudly in tests rather than ignore it.
		panic(fmt.Sprintf("configs: cannot decode into %s", v.Type()))
	}
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string, line int) {
	if n.Kind != yaml.MappingNode {
		d.add(n.Line, path, "expected a mapping, got %s", kindName(n))
		return
	}
	t := v.Type()
	fields := map[string]int{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "Line" && f.Type.Kind() == reflect.Int {
			v.Field(i).SetInt(int64(line))
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || tag == "" || tag == "-" {
			continue
		}
		fields[tag] = i
		names = append(names, tag)
	}
	for _, p := range d.pairs(n, path, 0) {
		if d.tooBig {
			return
		}
		key := p.key.Value
		i, ok := fields[key]
		if !ok && path == "" && strings.HasPrefix(key, "x-") {
			// Top-level x- keys hold anchors for reuse (as in Compose
			// files); they configure nothing themselves.
			continue
		}
		if !ok {
			d.add(p.key.Line, join(path, key), "unknown key%s", suggest(key, names))
			continue
		}
		d.decode(p.val, v.Field(i), join(path, key), p.key.Line)
	}
}

// suggest names the closest known key, since most unknown keys are typos.
func suggest(key string, known []string) string {
	best, dist := "", 3
	for _, k := range known {
		if dd := distance(key, k); dd < dist {
			best, dist = k, dd
		}
	}
	if best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	return " (known: " + strings.Join(sorted, ", ") + ")"
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// plainDecimal is how amounts are written in a config: no exponent, no
// thousands separators, no NaN or infinity, so what the reader sees is what
// is counted.
var plainDecimal = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)$`)

// decimal reads an amount from the scalar's text, never through float64.
func (d *decoder) decimal(n *yaml.Node, path string) (decimal.Decimal, bool) {
	if n.Kind != yaml.ScalarNode {
		d.add(n.Line, path, "not a decimal amount: %s", kindName(n))
		return decimal.Decimal{}, false
	}
	s := strings.TrimSpace(n.Value)
	if len(s) > 40 || !plainDecimal.MatchString(s) {
		d.add(n.Line, path, "not a decimal amount: %q", n.Value)
		return decimal.Decimal{}, false
	}
	amt, err := decimal.NewFromString(s)
	if err != nil {
		d.add(n.Line, path, "not a decimal amount: %q", n.Value)
		return decimal.Decimal{}, false
	}
	return amt, true
}

func reflectValue(c *Config) reflect.Value { return reflect.ValueOf(c).Elem() }

var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

func (a *Amounts) decodeNode(d *decoder, n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.ScalarNode:
		if amt, ok := d.decimal(n, path); ok {
			a.All = amt
		}
	case yaml.MappingNode:
		a.ByCurrency = map[string]decimal.Decimal{}
		for _, p := range d.pairs(n, path, 0) {
			cur, kp := p.key.Value, join(path, p.key.Value)
			d.lines[kp] = p.key.Line
			v := resolve(p.val)
			if !currencyCode.MatchString(cur) {
				d.add(p.key.Line, kp, "not an ISO 4217 currency code (three capital letters)")
				continue
			}
			if v == nil || isNull(v) {
				d.add(p.key.Line, kp, "no amount given")
				continue
			}
			if amt, ok := d.decimal(v, kp); ok {
				a.ByCurrency[cur] = amt
			}
		}
	default:
		d.add(n.Line, path, "expected an amount or a mapping of currency to amount, got %s", kindName(n))
	}
}
