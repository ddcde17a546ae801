package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pulsehq/pulse/i18n"
)

// reasonArg says which argument of a call carries a message to translate:
// the fault constructors and Checker methods, and the sales helpers that
// hand their reason to them. Add, AddLine and Check share names with other
// methods (url.Values.Add, time.Time.Add), so they count only in files that
// import fault.
var reasonArg = map[string]struct {
	index     int
	needFault bool
}{
	"Add": {1, true}, "AddLine": {2, true}, "Check": {2, true},
	"Addf": {1, false}, "AddLinef": {2, false}, "Checkf": {2, false},
	"Invalidf": {1, false}, "Conflictf": {0, false}, "Reasonf": {0, false},
	"problem": {2, false}, // sales: a row's problem, handed to AddLinef
	"none":    {0, false}, // sales: a KPI that is null, with its reason
}

// messageFields are fields the API returns as prose: a correlation's note,
// a driver analysis' message and caution.
var messageFields = map[string]bool{"Note": true, "Message": true, "Caution": true}

const faultPath = `"github.com/pulsehq/pulse/fault"`

// TestEveryServerMessageIsInMalay reads the module's source and fails for a
// message written without a Malay entry, or written so that no catalogue
// could hold it (pieces joined with + or fmt.Sprintf instead of a format).
func TestEveryServerMessageIsInMalay(t *testing.T) {
	t.Parallel()
	found := 0
	for _, pkg := range parseModule(t) {
		consts := stringConsts(pkg.files)
		for name, f := range pkg.files {
			check := func(e ast.Expr) {
				msg, why := message(e, consts)
				pos := pkg.fset.Position(e.Pos())
				switch {
				case why != "":
					t.Errorf("%s:%d: %s", name, pos.Line, why)
				case msg == "":
				case !i18n.Has(i18n.Malay, msg):
					t.Errorf("%s:%d: no Malay for %q (add it to i18n/ms.go)", name, pos.Line, msg)
				default:
					found++
				}
			}
			hasFault := imports(f, faultPath)
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if arg, ok := reasonOf(n, hasFault, pkg.name); ok {
						check(arg)
					}
				case *ast.KeyValueExpr:
					if k, ok := n.Key.(*ast.Ident); ok && messageFields[k.Name] && pkg.proseFields {
						check(n.Value)
					}
				case *ast.AssignStmt:
					for i, l := range n.Lhs {
						if sel, ok := l.(*ast.SelectorExpr); ok && messageFields[sel.Sel.Name] && pkg.proseFields && i < len(n.Rhs) {
							check(n.Rhs[i])
						}
					}
				}
				return true
			})
		}
	}
	if found < 200 {
		t.Fatalf("found only %d messages; the scan has lost its way", found)
	}
}

type parsedPackage struct {
	name        string
	fset        *token.FileSet
	files       map[string]*ast.File
	proseFields bool // sales and survey return Note, Message and Caution as prose
}

func parseModule(t *testing.T) []parsedPackage {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	byDir := map[string]*parsedPackage{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		if byDir[dir] == nil {
			rel, _ := filepath.Rel(root, dir)
			byDir[dir] = &parsedPackage{name: f.Name.Name, fset: fset, files: map[string]*ast.File{},
				proseFields: rel == "sales" || rel == "survey"}
		}
		rel, _ := filepath.Rel(root, path)
		byDir[dir].files[rel] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []parsedPackage
	for _, p := range byDir {
		out = append(out, *p)
	}
	return out
}

// reasonOf returns the argument of call that carries a message, if call is
// one of the constructors in reasonArg.
func reasonOf(call *ast.CallExpr, hasFault bool, pkg string) (ast.Expr, bool) {
	var name string
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		name = fn.Sel.Name
	case *ast.Ident:
		name = fn.Name
	}
	spec, ok := reasonArg[name]
	if !ok || (spec.needFault && !hasFault) || len(call.Args) <= spec.index {
		return nil, false
	}
	if (name == "problem" || name == "none") && pkg != "sales" {
		return nil, false
	}
	return call.Args[spec.index], true
}

// message gives the catalogue key e stands for: a string literal or a
// package string constant. A variable gives "" (its text is checked where it
// is written, if anywhere); text glued together gives a reason to fail.
func message(e ast.Expr, consts map[string]string) (string, string) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", ""
		}
		s, err := strconv.Unquote(e.Value)
		if err != nil {
			return "", err.Error()
		}
		return s, ""
	case *ast.Ident:
		return consts[e.Name], ""
	case *ast.BinaryExpr:
		x, whyX := message(e.X, consts)
		y, whyY := message(e.Y, consts)
		if e.Op == token.ADD && x != "" && y != "" && whyX == "" && whyY == "" {
			return x + y, "" // constants joined: still one message
		}
		if e.Op == token.ADD && (hasLiteral(e.X) || hasLiteral(e.Y)) {
			return "", "a message glued with +: write it as a format (Addf, Checkf, AddLinef, Invalidf) so it can be translated"
		}
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" {
			return "", "a message written with fmt.Sprintf: pass the format and its arguments instead (Addf, Checkf, AddLinef) so it can be translated"
		}
	}
	return "", ""
}

func hasLiteral(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if l, ok := n.(*ast.BasicLit); ok && l.Kind == token.STRING {
			found = true
		}
		return !found
	})
	return found
}

func stringConsts(files map[string]*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			g, ok := n.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				return true
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if l, ok := vs.Values[i].(*ast.BasicLit); ok && l.Kind == token.STRING {
							out[n.Name], _ = strconv.Unquote(l.Value)
						}
					}
				}
			}
			return true
		})
	}
	return out
}

func imports(f *ast.File, path string) bool {
	for _, s := range f.Imports {
		if s.Path.Value == path {
			return true
		}
	}
	return false
}
