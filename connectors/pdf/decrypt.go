package pdf

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"regexp"
	"strconv"
)

// predecrypt opens two kinds of encryption with the empty user password
// before the library sees the file, because the library cannot: RC4 with a
// key under 128 bits (it keys every object with the whole MD5 digest where
// PDF takes n+5 bytes, so fpdf's and many older producers' files come out
// as noise) and AES-256 (V5, which it does not know). Streams are
// decrypted where they lie — RC4 keeps their length, AES's shorter output
// is padded and its /Length rewritten with the same number of characters —
// so no offset in the file moves, and /Encrypt is blanked out of the
// trailer. Strings in dictionaries stay encrypted; text extraction reads
// none of them.
//
// It returns ok=false when the file uses another scheme (left to the
// library) and needsPassword when the empty password does not open it.
func predecrypt(data []byte) (out []byte, ok, needsPassword bool) {
	ref := encryptRef.FindAllSubmatchIndex(data, -1)
	if len(ref) == 0 {
		return nil, false, false
	}
	last := ref[len(ref)-1]
	num, gen := string(data[last[2]:last[3]]), string(data[last[4]:last[5]])
	ds, de := objectDict(data, num, gen)
	if ds < 0 {
		return nil, false, false
	}
	dict := data[ds:de]
	e := parseDict(dict)
	if e.name("Filter") != "Standard" {
		return nil, false, false
	}
	v, r := e.int("V"), e.int("R")
	id := trailerID(data)
	var s scheme
	switch {
	case (v == 1 || v == 2) && r >= 2 && r <= 4:
		n := e.int("Length") / 8
		if n == 0 {
			n = 5
		}
		if n < 5 || n > 16 {
			return nil, false, false
		}
		if n == 16 {
			return nil, false, false // the library reads 128-bit RC4 correctly
		}
		key, good := rc4FileKey(e, r, n, id)
		if !good {
			return nil, false, true
		}
		s = scheme{rc4: true, key: key}
	case v == 5 && (r == 5 || r == 6):
		key, good := aes256FileKey(e, r)
		if !good {
			return nil, false, true
		}
		s = scheme{key: key}
	default:
		return nil, false, false
	}
	out = append([]byte(nil), data...)
	s.streams(out)
	for _, m := range ref {
		for i := m[0]; i < m[1]; i++ {
			out[i] = ' '
		}
	}
	return out, true, false
}

var (
	encryptRef = regexp.MustCompile(`/Encrypt\s*(\d+)\s+(\d+)\s+R`)
	objHeader  = regexp.MustCompile(`(?m)(?:^|[\r\n\s])(\d+)\s+(\d+)\s+obj\b`)
	lengthKey  = regexp.MustCompile(`/Length\s+(\d+)(\s+(\d+)\s+R)?`)
	xrefType   = regexp.MustCompile(`/Type\s*/XRef\b`)
	digitsRe   = regexp.MustCompile(`\d+`)
)

// objectDict finds the body of object num gen (its last definition, as
// incremental updates append): from after "obj" to "endobj".
func objectDict(data []byte, num, gen string) (int, int) {
	re := regexp.MustCompile(`(?:^|[\r\n\s])` + num + `\s+` + gen + `\s+obj\b`)
	locs := re.FindAllIndex(data, -1)
	if len(locs) == 0 {
		return -1, -1
	}
	start := locs[len(locs)-1][1]
	end := bytes.Index(data[start:], []byte("endobj"))
	if end < 0 {
		return -1, -1
	}
	return start, start + end
}

// pdfDict is a flat reading of one dictionary: enough for the Encrypt
// dictionary and a stream's /Length.
type pdfDict map[string]cmapTok

func parseDict(b []byte) pdfDict {
	toks := dictTokens(b)
	d := pdfDict{}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tkOther && len(toks[i].s) > 1 && toks[i].s[0] == '/' {
			d[toks[i].s[1:]] = toks[i+1]
		}
	}
	return d
}

func (d pdfDict) name(k string) string {
	if t, ok := d[k]; ok && len(t.s) > 1 && t.s[0] == '/' {
		return t.s[1:]
	}
	return ""
}

func (d pdfDict) int(k string) int {
	n, _ := strconv.Atoi(d[k].s)
	return n
}

func (d pdfDict) str(k string) []byte {
	if t, ok := d[k]; ok && t.kind == tkString {
		return []byte(t.s)
	}
	return nil
}

func (d pdfDict) bool(k string, def bool) bool {
	switch d[k].s {
	case "true":
		return true
	case "false":
		return false
	}
	return def
}

// dictTokens is cmapTokens with names and numbers kept, as PDF syntax is
// the same.
func dictTokens(b []byte) []cmapTok {
	toks := cmapTokens(b)
	for i := range toks {
		if toks[i].kind == tkKeyword && (toks[i].s == "true" || toks[i].s == "false") {
			toks[i].kind = tkOther
		}
	}
	return toks
}

func trailerID(data []byte) []byte {
	i := bytes.LastIndex(data, []byte("/ID"))
	if i < 0 {
		return nil
	}
	toks := dictTokens(data[i+3 : min(len(data), i+3+300)])
	for _, t := range toks {
		if t.kind == tkString {
			return []byte(t.s)
		}
		if t.kind != tkArrayOpen {
			break
		}
	}
	return nil
}

var passwordPad = []byte{
	0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
	0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
}

// rc4FileKey is algorithm 2 of ISO 32000 with the empty password, checked
// against /U (algorithms 4 and 5).
func rc4FileKey(e pdfDict, r, n int, id []byte) ([]byte, bool) {
	o, u := e.str("O"), e.str("U")
	if len(o) < 32 || len(u) < 16 {
		return nil, false
	}
	h := md5.New()
	h.Write(passwordPad)
	h.Write(o[:32])
	var p [4]byte
	binary.LittleEndian.PutUint32(p[:], uint32(int32(e.int("P"))))
	h.Write(p[:])
	h.Write(id)
	if r >= 4 && !e.bool("EncryptMetadata", true) {
		h.Write([]byte{0xff, 0xff, 0xff, 0xff})
	}
	key := h.Sum(nil)
	if r >= 3 {
		for i := 0; i < 50; i++ {
			s := md5.Sum(key[:n])
			key = s[:]
		}
	}
	key = key[:n]
	if r == 2 {
		c, _ := rc4.NewCipher(key)
		chk := make([]byte, 32)
		c.XORKeyStream(chk, passwordPad)
		return key, bytes.Equal(chk, u[:32])
	}
	h.Reset()
	h.Write(passwordPad)
	h.Write(id)
	chk := h.Sum(nil)
	for i := 0; i < 20; i++ {
		k := make([]byte, n)
		for j := range k {
			k[j] = key[j] ^ byte(i)
		}
		c, _ := rc4.NewCipher(k)
		c.XORKeyStream(chk, chk)
	}
	return key, bytes.Equal(chk[:16], u[:16])
}

// aes256FileKey is algorithm 2.A with the empty password.
func aes256FileKey(e pdfDict, r int) ([]byte, bool) {
	u, ue := e.str("U"), e.str("UE")
	if len(u) < 48 || len(ue) < 32 {
		return nil, false
	}
	hash := func(salt []byte) []byte {
		if r == 5 {
			s := sha256.Sum256(salt)
			return s[:]
		}
		return hash2B(nil, salt, nil)
	}
	if !bytes.Equal(hash(u[32:40]), u[:32]) {
		return nil, false
	}
	ik := hash(u[40:48])
	block, err := aes.NewCipher(ik[:32])
	if err != nil {
		return nil, false
	}
	key := make([]byte, 32)
	cipher.NewCBCDecrypter(block, make([]byte, 16)).CryptBlocks(key, ue[:32])
	return key, true
}

// hash2B is ISO 32000-2's algorithm 2.B (revision 6).
func hash2B(pw, salt, udata []byte) []byte {
	k := sha256.Sum256(append(append(append([]byte(nil), pw...), salt...), udata...))
	key := k[:]
	for i := 0; ; i++ {
		seq := append(append(append([]byte(nil), pw...), key...), udata...)
		k1 := bytes.Repeat(seq, 64)
		block, _ := aes.NewCipher(key[:16])
		enc := make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, key[16:32]).CryptBlocks(enc, k1)
		sum := 0
		for _, b := range enc[:16] {
			sum += int(b)
		}
		switch sum % 3 {
		case 0:
			s := sha256.Sum256(enc)
			key = s[:]
		case 1:
			s := sha512.Sum384(enc)
			key = s[:]
		default:
			s := sha512.Sum512(enc)
			key = s[:]
		}
		if i >= 63 && int(enc[len(enc)-1]) <= i-31 {
			break
		}
		if i > 1000 {
			break
		}
	}
	return key[:32]
}

type scheme struct {
	rc4 bool
	key []byte
}

// streams decrypts every stream of the file in place.
func (s scheme) streams(data []byte) {
	for _, loc := range objHeader.FindAllSubmatchIndex(data, -1) {
		start := loc[1]
		end := bytes.Index(data[start:], []byte("endobj"))
		if end < 0 {
			continue
		}
		end += start
		si := bytes.Index(data[start:end], []byte("stream"))
		if si < 0 {
			continue
		}
		si += start
		dict := data[start:si]
		if xrefType.Match(dict) {
			continue // cross-reference streams are never encrypted
		}
		p := si + len("stream")
		if p < len(data) && data[p] == '\r' {
			p++
		}
		if p < len(data) && data[p] == '\n' {
			p++
		}
		lm := lengthKey.FindSubmatchIndex(dict)
		if lm == nil {
			continue
		}
		n, lenAt := 0, [2]int{start + lm[2], start + lm[3]}
		if lm[6] >= 0 { // an indirect length
			os, oe := objectDict(data, string(dict[lm[2]:lm[3]]), string(dict[lm[6]:lm[7]]))
			if os < 0 {
				continue
			}
			digits := digitsRe.FindIndex(data[os:oe])
			if digits == nil {
				continue
			}
			lenAt = [2]int{os + digits[0], os + digits[1]}
		}
		n, _ = strconv.Atoi(string(data[lenAt[0]:lenAt[1]]))
		if n <= 0 || p+n > len(data) {
			continue
		}
		num, _ := strconv.Atoi(string(data[loc[2]:loc[3]]))
		gen, _ := strconv.Atoi(string(data[loc[4]:loc[5]]))
		body := data[p : p+n]
		if s.rc4 {
			c, _ := rc4.NewCipher(s.objectKey(num, gen))
			c.XORKeyStream(body, body)
			continue
		}
		plain, ok := aesCBC(s.key, body)
		if !ok {
			continue
		}
		copy(body, plain)
		for i := len(plain); i < len(body); i++ {
			body[i] = '\n'
		}
		// The shorter length, right-aligned in the old digits.
		ls := strconv.Itoa(len(plain))
		w := lenAt[1] - lenAt[0]
		if len(ls) <= w {
			copy(data[lenAt[0]:lenAt[1]], append(bytes.Repeat([]byte(" "), w-len(ls)), ls...))
		}
	}
}

func (s scheme) objectKey(num, gen int) []byte {
	h := md5.New()
	h.Write(s.key)
	h.Write([]byte{byte(num), byte(num >> 8), byte(num >> 16), byte(gen), byte(gen >> 8)})
	k := h.Sum(nil)
	return k[:min(len(s.key)+5, 16)]
}

// aesCBC decrypts an AES-256 stream: a 16-byte IV, then blocks with
// PKCS#7 padding.
func aesCBC(key, body []byte) ([]byte, bool) {
	if len(body) < 32 || len(body)%16 != 0 {
		return nil, false
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, false
	}
	out := make([]byte, len(body)-16)
	cipher.NewCBCDecrypter(block, body[:16]).CryptBlocks(out, body[16:])
	pad := int(out[len(out)-1])
	if pad < 1 || pad > 16 || pad > len(out) {
		return nil, false
	}
	return out[:len(out)-pad], true
}
