package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pulsehq/pulse/fault"
)

// textProblems names, by its path (questions[2].prompt), every string of a
// JSON body that a database cannot keep as text. encoding/json would pass a
// \u0000 on and quietly turn invalid UTF-8 into U+FFFD, so the raw bytes of
// each string are checked as well as what it decodes to. A body that is not
// JSON is left to the decoder to report.
func textProblems(body []byte) error {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil // nothing to find: skip the walk, which costs more than decoding
	}
	var (
		c     fault.Checker
		path  jsonPath
		dec   = json.NewDecoder(bytes.NewReader(body))
		start int64
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			return c.Err()
		}
		end := dec.InputOffset()
		raw := body[start:end]
		start = end
		s, isString := tok.(string)
		if isString {
			why := fault.TextProblem(s)
			if !utf8.Valid(raw) {
				why = "is not valid UTF-8"
			}
			if why != "" && path.atKey() {
				c.Addf(path.String(), "has a field name that %s", why)
			} else if why != "" {
				c.Add(path.String(), why)
			}
		}
		path.step(tok)
	}
}

// jsonPath follows where a token stream is, one frame per open object or
// array.
type jsonPath []jsonFrame

type jsonFrame struct {
	array bool
	index int    // next element of an array
	key   string // current member of an object
	atKey bool   // the next token of an object is a member's name
}

func (p jsonPath) atKey() bool { return len(p) > 0 && p[len(p)-1].atKey }

// step moves past one token.
func (p *jsonPath) step(tok json.Token) {
	top := len(*p) - 1
	switch tok {
	case json.Delim('{'):
		*p = append(*p, jsonFrame{atKey: true})
		return
	case json.Delim('['):
		*p = append(*p, jsonFrame{array: true})
		return
	case json.Delim('}'), json.Delim(']'):
		*p = (*p)[:top]
		p.valueDone()
		return
	}
	if top >= 0 && (*p)[top].atKey {
		(*p)[top].key, (*p)[top].atKey = tok.(string), false
		return
	}
	p.valueDone()
}

func (p jsonPath) valueDone() {
	if len(p) == 0 {
		return
	}
	top := &p[len(p)-1]
	if top.array {
		top.index++
	} else {
		top.atKey = true
	}
}

// String is the path as field errors name it: questions[2].prompt, or body
// for the top level.
func (p jsonPath) String() string {
	var b strings.Builder
	for _, f := range p {
		switch {
		case f.array:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		case f.atKey:
			// Between members: the object itself.
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
	}
	if b.Len() == 0 {
		return "body"
	}
	return b.String()
}
