package sales

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCentsReadsEveryUnambiguousForm(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{
		"12500": 1_250_000, "12500.00": 1_250_000, "12,500.00": 1_250_000, "12.500,00": 1_250_000,
		"$12,500.00": 1_250_000, "€ 12.500,00": 1_250_000, "12 500,00": 1_250_000, "12\u00a0500,00 €": 1_250_000,
		"£1,234,567": 123_456_700, "1.234.567": 123_456_700, "1.234.567,89": 123_456_789,
		"12500.5": 1_250_050, "12,5": 1250, "12,50": 1250, "0,500": 50, "1234,567": 123_457, "0.125": 13,
		"0": 0, "7": 700, "000000000000000000012,50": 1250, "1000000000000000": 100_000_000_000_000_000,
	} {
		got, err := parseCents(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
}

func TestParseCentsRefusesWhatItCannotReadForSure(t *testing.T) {
	t.Parallel()
	for in, reason := range map[string]string{
		"12,500":           `is ambiguous: "12,500" is 12500 with "," separating thousands, or 12.5 with "," as the decimal mark; write 12500, 12500.00 or 12.5`,
		"12.500":           `is ambiguous: "12.500" is 12500 with "." separating thousands, or 12.5 with "." as the decimal mark; write 12500, 12500.00 or 12.5`,
		"$1.000":           `is ambiguous: "$1.000" is 1000 with "." separating thousands, or 1 with "." as the decimal mark; write 1000, 1000.00 or 1`,
		"-5":               "must not be negative",
		"lots":             `must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00, not "lots"`,
		"12,50.00":         `must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00, not "12,50.00"`,
		"1.2.3,4,5":        `must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00, not "1.2.3,4,5"`,
		"12.":              `must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00, not "12."`,
		"1e5":              `must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00, not "1e5"`,
		"NaN":              `must be an amount such as 12500, 12500.00, 12,500.00 or 12.500,00, not "NaN"`,
		"9999999999999999": "is too large",
	} {
		_, err := parseCents(in)
		require.EqualError(t, err, reason, in)
	}
}

func TestAJSONAmountIsANumberOrAStringInACSVForm(t *testing.T) {
	t.Parallel()
	var d DealInput
	require.NoError(t, json.Unmarshal([]byte(`{"amount": 1.234}`), &d))
	require.Equal(t, Amount("1.23"), d.Amount, "a JSON number is never ambiguous")
	require.NoError(t, json.Unmarshal([]byte(`{"amount": "12.500,00"}`), &d))
	require.Equal(t, Amount("12.500,00"), d.Amount)
	require.NoError(t, json.Unmarshal([]byte(`{"amount": null}`), &d))
	require.Equal(t, Amount(""), d.Amount)
	var typeErr *json.UnmarshalTypeError
	require.ErrorAs(t, json.Unmarshal([]byte(`{"amount": true}`), &d), &typeErr)
	require.Equal(t, "amount", typeErr.Field)
}
