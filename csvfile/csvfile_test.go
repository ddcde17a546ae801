package csvfile_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulsehq/pulse/csvfile"
	"github.com/pulsehq/pulse/fault"
)

// asIs names each column by its header, ignoring one called "skip".
func asIs(header []string) ([]string, error) {
	out := make([]string, len(header))
	for i, h := range header {
		if h != "skip" {
			out[i] = h
		}
	}
	return out, nil
}

var spec = csvfile.Spec{What: "people", Header: "a header", Fields: asIs}

func problems(t *testing.T, err error) []fault.Problem {
	t.Helper()
	inv, ok := err.(*fault.Invalid)
	require.True(t, ok, "want *fault.Invalid, got %v", err)
	return inv.Problems
}

func TestReadKeepsLineNumbersAndTrims(t *testing.T) {
	t.Parallel()
	rows, err := csvfile.Read(strings.NewReader("\ufeffname,skip,team\n Ann , x, Sales\n\n\"Bo\nB\",y,Ops\n"), spec)
	require.NoError(t, err)
	require.Equal(t, []csvfile.Row{
		{Line: 2, Fields: map[string]string{"name": "Ann", "team": "Sales"}},
		{Line: 4, Fields: map[string]string{"name": "Bo\nB", "team": "Ops"}},
	}, rows)
}

func TestReadRefusesTheWholeFileWithEveryBadLine(t *testing.T) {
	t.Parallel()
	_, err := csvfile.Read(strings.NewReader("name,team\nAnn\nBo,Ops\nCy,Ops,extra\n"), spec)
	require.Equal(t, []fault.Problem{
		{Line: 2, Reason: "has 1 fields, the header has 2"},
		{Line: 4, Reason: "has 3 fields, the header has 2"},
	}, problems(t, err))

	_, err = csvfile.Read(strings.NewReader("name,team\nAnn,\"Sales\nBo,Ops\n"), spec)
	require.Len(t, problems(t, err), 1, "a broken quote stops the read")

	_, err = csvfile.Read(strings.NewReader(""), spec)
	require.Equal(t, "is empty; the first line must be a header", problems(t, err)[0].Reason)
	_, err = csvfile.Read(strings.NewReader("name,team\n\n"), spec)
	require.Equal(t, "has a header but no people", problems(t, err)[0].Reason)
}

func TestABrokenQuoteIsALineProblemNotACrash(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		file string
		line int
	}{
		"first cell of the first row": {"email,name\n\"a@q.io,A\n", 2},
		"after good rows":             {"email,name\na@q.io,A\n\"b@q.io,B\nc@q.io,C\n", 3},
		"in the header":               {"\"email,name\na@q.io,A\n", 1},
		"stray quote inside a cell":   {"email,name\na@q.io,A\"nn\n", 2},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := csvfile.Read(strings.NewReader(tt.file), spec)
			got := problems(t, err)
			require.Len(t, got, 1)
			require.Equal(t, tt.line, got[0].Line)
			require.Contains(t, got[0].Reason, `"`)
		})
	}
}

func TestCellsMustBeUTF8WithoutNUL(t *testing.T) {
	t.Parallel()
	_, err := csvfile.Read(strings.NewReader("name,skip,team\nA\x00nn,x,Sales\nBo,\xff,Ops\nCy,x,Op\xffs\n"), spec)
	require.Equal(t, []fault.Problem{
		{Line: 2, Field: "name", Reason: "column 1 holds a NUL byte, which text may not contain"},
		{Line: 4, Field: "team", Reason: "column 3 is not valid UTF-8 (at byte 3); save the file as UTF-8"},
	}, problems(t, err), "an ignored column is never stored, so its bytes do not matter")
}
