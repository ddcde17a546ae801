package sales

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/pulsehq/pulse/fault"
)

// Amount is a sum of money in a JSON batch: a number (12500.5) or a string
// in any form a CSV cell may take ("12.500,00", "$12,500.00").
type Amount string

// AmountOf is v as an Amount.
func AmountOf(v float64) Amount { return Amount(strconv.FormatFloat(v, 'f', 2, 64)) }

// UnmarshalJSON keeps a string as it is, for parseCents to read or refuse
// with the item's field name, and writes a number with a decimal point, so
// that 1.234 sent as a number is never taken for a thousand.
func (a *Amount) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
		*a = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = Amount(s)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		v, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return &json.UnmarshalTypeError{Value: "number " + string(b), Type: reflect.TypeFor[float64]()}
		}
		*a = AmountOf(v)
	default:
		value := map[byte]string{'t': "bool", 'f': "bool", '{': "object", '[': "array"}[b[0]]
		return &json.UnmarshalTypeError{Value: value, Type: reflect.TypeFor[float64]()}
	}
	return nil
}

// amountSpaces are the characters an amount may carry around or between its
// digits and that say nothing about its value.
var amountSpaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "", "$", "", "€", "", "£", "")

const amountForms = "12500, 12500.00, 12,500.00 or 12.500,00"

// parseCents reads a non-negative amount written the English way
// (12,500.00) or the continental way (12.500,00), with or without a
// currency sign. One separator followed by exactly three digits ("12,500")
// is refused: it is 12500 in one half of the world and 12.5 in the other.
func parseCents(s string) (int64, error) {
	clean := amountSpaces.Replace(s)
	if strings.HasPrefix(clean, "-") && len(clean) > 1 {
		return 0, fault.Reasonf("must not be negative")
	}
	whole, fraction, err := splitAmount(clean, s)
	if errors.Is(err, errAmountForm) {
		return 0, fault.Reasonf("%w, not %q", err, s)
	}
	if err != nil {
		return 0, err
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 16 || (len(whole) == 16 && whole > "1000000000000000") {
		return 0, fault.Reasonf("is too large")
	}
	return centsOf(whole, fraction), nil
}

// errAmountForm is what splitAmount says of a value it cannot read.
var errAmountForm = fault.Reasonf("must be an amount such as " + amountForms)

// splitAmount returns the digits before and after the decimal mark of s,
// which was written as as.
func splitAmount(s, as string) (whole, fraction string, err error) {
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case lastDot < 0 && lastComma < 0:
		return number(s, "", "", false)
	case lastDot >= 0 && lastComma >= 0:
		// Both: the later one is the decimal mark, the other groups thousands.
		mark, group := lastDot, ","
		if lastComma > lastDot {
			mark, group = lastComma, "."
		}
		return number(s[:mark], group, s[mark+1:], true)
	}
	sep := "."
	if lastComma >= 0 {
		sep = ","
	}
	parts := strings.Split(s, sep)
	switch {
	case len(parts) > 2:
		return number(s, sep, "", false)
	case len(parts[1]) != 3 || parts[0] == "" || parts[0] == "0" || len(parts[0]) > 3:
		// Not the shape of a thousands group, so a decimal mark.
		return number(parts[0], "", parts[1], true)
	}
	return "", "", ambiguous(as, sep, parts)
}

func ambiguous(s, sep string, parts []string) error {
	asDecimal, _ := strconv.ParseFloat(parts[0]+"."+parts[1], 64)
	decimal := strconv.FormatFloat(asDecimal, 'f', -1, 64)
	thousands := parts[0] + parts[1]
	return fault.Reasonf("is ambiguous: %q is %s with %q separating thousands, or %s with %q as the decimal mark; write %s, %s.00 or %s",
		s, thousands, sep, decimal, sep, thousands, thousands, decimal)
}

// number checks the parts of an amount: the whole part's thousands groups
// (1 to 3 digits, then threes) when sep groups them, and digits after a
// decimal mark. It returns the whole part without its separators.
func number(whole, sep, fraction string, hasMark bool) (string, string, error) {
	if hasMark && !digits(fraction) || !hasMark && whole == "" {
		return "", "", errAmountForm
	}
	if sep == "" {
		if whole != "" && !digits(whole) {
			return "", "", errAmountForm
		}
		return whole, fraction, nil
	}
	groups := strings.Split(whole, sep)
	for i, g := range groups {
		if !digits(g) || i == 0 && len(g) > 3 || i > 0 && len(g) != 3 {
			return "", "", errAmountForm
		}
	}
	return strings.Join(groups, ""), fraction, nil
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// centsOf rounds to the cent, half up, in decimal: no float ever holds it.
func centsOf(whole, fraction string) int64 {
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	f := (fraction + "000")[:3]
	cents, _ := strconv.ParseInt(f[:2], 10, 64)
	if f[2] >= '5' {
		cents++
	}
	return w*100 + cents
}
