// Command buildkit-args prints, as JSON, what BuildKit's own Dockerfile front end sees of a Dockerfile's
// build arguments: the stages a build of the target reaches, the ARGs declared, the declared ARGs that the
// instructions BuildKit evaluates read, and the ones that need a value (see docs/images.md, "Build
// arguments"). It is Berth's ground truth for DockerfileArgs: BuildKit's parser, instruction parser and
// shell lexer do all the reading; this program only walks the stages the way dockerfile2llb does
// (frontend/dockerfile/dockerfile2llb/convert.go) and probes each evaluated word.
//
// Usage: buildkit-args DOCKERFILE [TARGET]
//
//	buildkit-args --batch   (lines "DOCKERFILE<TAB>TARGET" on stdin, one JSON object a line on stdout,
//	                         {"result": ...} or {"error": "..."})
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Built-in ARGs: BuildKit's defaultArgs (platform.go) get values of their own; the proxy ARGs, BUILDKIT_*
// and SOURCE_DATE_EPOCH are read by BuildKit itself and are unset unless given. None is ever required.
var platformArgs = []string{"BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
	"TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE"}

var otherBuiltins = map[string]bool{"HTTP_PROXY": true, "http_proxy": true, "HTTPS_PROXY": true,
	"https_proxy": true, "FTP_PROXY": true, "ftp_proxy": true, "NO_PROXY": true, "no_proxy": true,
	"ALL_PROXY": true, "all_proxy": true, "SOURCE_DATE_EPOCH": true}

func builtin(name string) bool {
	for _, p := range platformArgs {
		if p == name {
			return true
		}
	}
	return otherBuiltins[name] || strings.HasPrefix(name, "BUILDKIT_")
}

// env is the variables an instruction sees (BuildKit: the llb state's env, or the global args for FROM).
type env struct {
	values map[string]string
	// unset: ARGs declared without a value that nothing has set since, name -> line of that ARG.
	unset map[string]int
	// args: names an ARG instruction declared (set or not) and no ENV has replaced since.
	args map[string]bool
}

func newEnv() *env {
	return &env{values: map[string]string{}, unset: map[string]int{}, args: map[string]bool{}}
}

func (e *env) clone() *env {
	c := newEnv()
	for k, v := range e.values {
		c.values[k] = v
	}
	for k, v := range e.unset {
		c.unset[k] = v
	}
	for k, v := range e.args {
		c.args[k] = v
	}
	return c
}

func (e *env) set(name, value string) {
	e.values[shell.NormalizeEnvKey(name)] = value
	delete(e.unset, name)
}

// probeEnv answers the lexer's look-ups: the real values, except that call number `give` (counted from 0)
// of a declared-unset ARG gets a sentinel. It records every look-up.
type probeEnv struct {
	e     *env
	give  int
	calls []string
}

func sentinel(i int) string { return "\x00" + strconv.Itoa(i) + "\x00" }

func (p *probeEnv) Get(name string) (string, bool) {
	i := len(p.calls)
	p.calls = append(p.calls, name)
	if i == p.give {
		return sentinel(i), true
	}
	v, ok := p.e.values[shell.NormalizeEnvKey(name)]
	return v, ok
}

func (p *probeEnv) Keys() []string {
	keys := make([]string, 0, len(p.e.values))
	for k := range p.e.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type result struct {
	Target   string           `json:"target"`
	Reached  []string         `json:"reached"`
	Declared map[string][]int `json:"declared"`
	Used     []string         `json:"used"`
	Required map[string][]int `json:"required"`
	Errors   []string         `json:"errors,omitempty"`
}

type scan struct {
	used     map[string]bool
	required map[string]map[int]bool
	errors   []string
}

// probe evaluates one word the way BuildKit does (eval), then once more for each look-up of a declared
// ARG that has no value, giving that one look-up a sentinel. The ARG needs a value when the word reads its
// value (the sentinel shows in the result) and, unset, the word comes out as if that reference were not
// there (or it fails: ${X:?}). ${X:-word} (a non-empty word), ${X-word}, ${X:+word} and ${X+word} do not.
func (s *scan) probe(where string, e *env, eval func(shell.EnvGetter) (string, error)) string {
	base := &probeEnv{e: e, give: -1}
	r0, err0 := eval(base)
	for i, name := range base.calls {
		line, unset := e.unset[name]
		if e.args[name] || unset {
			s.used[name] = true
		}
		if !unset || builtin(name) {
			continue
		}
		ra, errA := eval(&probeEnv{e: e, give: i})
		if errA != nil {
			continue
		}
		if (err0 != nil) || (strings.Contains(ra, sentinel(i)) && strings.ReplaceAll(ra, sentinel(i), "") == r0) {
			if s.required[name] == nil {
				s.required[name] = map[int]bool{}
			}
			s.required[name][line] = true
		}
	}
	if err0 != nil {
		s.errors = append(s.errors, fmt.Sprintf("%s: %v", where, err0))
	}
	return r0
}

func word(lex *shell.Lex, w string) func(shell.EnvGetter) (string, error) {
	return func(g shell.EnvGetter) (string, error) {
		r, _, err := lex.ProcessWord(w, g)
		return r, err
	}
}

type stage struct {
	st       instructions.Stage
	index    int
	name     string // lower case, "" when unnamed
	base     *stage
	deps     map[*stage]bool
	commands []instructions.Command
	onbuild  []instructions.Command // triggers taken from the base stage
	env      *env
	done     bool
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--batch" {
		batch()
		return
	}
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: buildkit-args DOCKERFILE [TARGET]")
		os.Exit(2)
	}
	dt, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	target := ""
	if len(os.Args) == 3 {
		target = os.Args[2]
	}
	res, err := analyse(dt, target)
	if err != nil {
		fmt.Fprintln(os.Stderr, "buildkit-args:", err)
		os.Exit(1)
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func batch() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		file, target, _ := strings.Cut(in.Text(), "\t")
		line := map[string]any{}
		dt, err := os.ReadFile(file)
		var res *result
		if err == nil {
			res, err = analyse(dt, target)
		}
		if err != nil {
			line["error"] = err.Error()
		} else {
			line["result"] = res
		}
		if err := out.Encode(line); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func analyse(dt []byte, target string) (*result, error) {
	ast, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		return nil, err
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return nil, err
	}
	if len(stages) == 0 {
		return nil, fmt.Errorf("dockerfile contains no stages to build")
	}
	lex := shell.NewLex(ast.EscapeToken)
	s := &scan{used: map[string]bool{}, required: map[string]map[int]bool{}}
	declared := map[string]map[int]bool{}
	declare := func(name string, line int) {
		if declared[name] == nil {
			declared[name] = map[int]bool{}
		}
		declared[name][line] = true
	}

	targetName := target
	if targetName == "" {
		targetName = stages[len(stages)-1].Name
	}
	if targetName == "" {
		targetName = "default"
	}
	// The global scope: BuildKit's defaultArgs, then each ARG before the first FROM (buildMetaArgs).
	// The values defaultArgs gives on a linux/amd64 builder building for linux/amd64 (they choose stages
	// named like "build-$TARGETOS").
	global := newEnv()
	for name, value := range map[string]string{"BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux",
		"BUILDOSVERSION": "", "BUILDARCH": "amd64", "BUILDVARIANT": "", "TARGETPLATFORM": "linux/amd64",
		"TARGETOS": "linux", "TARGETOSVERSION": "", "TARGETARCH": "amd64", "TARGETVARIANT": ""} {
		global.values[name] = value
	}
	global.values["TARGETSTAGE"] = targetName
	for _, cmd := range metaArgs {
		line := cmd.Location()[0].Start.Line
		for _, kp := range cmd.Args {
			declare(kp.Key, line)
			global.args[kp.Key] = true
			if kp.Value != nil {
				v := s.probe(fmt.Sprintf("line %d", line), global, word(lex, *kp.Value))
				global.set(kp.Key, v)
			} else if _, ok := global.values[kp.Key]; !ok {
				global.unset[kp.Key] = line
			}
		}
	}

	// Every stage's FROM line (name and --platform) is evaluated, whether the target reaches it or not.
	var all []*stage
	byName := map[string]*stage{}
	for i, st := range stages {
		line := st.Location[0].Start.Line
		base := s.probe(fmt.Sprintf("line %d", line), global, word(lex, st.BaseName))
		if st.Platform != "" {
			s.probe(fmt.Sprintf("line %d", line), global, word(lex, st.Platform))
		}
		d := &stage{st: st, index: i, name: st.Name, deps: map[*stage]bool{}, commands: st.Commands}
		if b, ok := byName[base]; ok {
			d.base = b
		}
		all = append(all, d)
		if st.Name != "" {
			byName[strings.ToLower(st.Name)] = d
		}
	}
	find := func(from string) *stage {
		if i, err := strconv.Atoi(from); err == nil {
			if i >= 0 && i < len(all) {
				return all[i]
			}
			return nil
		}
		return byName[strings.ToLower(from)]
	}
	addDeps := func(d *stage, cmds []instructions.Command) {
		for _, c := range cmds {
			switch c := c.(type) {
			case *instructions.CopyCommand:
				if c.From != "" {
					if src := find(c.From); src != nil {
						d.deps[src] = true
					}
				}
			case *instructions.RunCommand:
				for _, m := range instructions.GetMounts(c) {
					if m.From != "" {
						if src := byName[strings.ToLower(m.From)]; src != nil {
							d.deps[src] = true
						}
					}
				}
			}
		}
	}
	for _, d := range all {
		addDeps(d, d.commands)
	}

	var tgt *stage
	if target == "" {
		tgt = all[len(all)-1]
	} else if tgt = byName[strings.ToLower(target)]; tgt == nil {
		return nil, fmt.Errorf("target stage %q could not be found", target)
	}
	// Reachable stages, with the base stage's ONBUILD triggers run by each stage built on it
	// (dockerfile2llb's resolveStages), until no trigger adds a stage.
	var reached map[*stage]bool
	for {
		reached = map[*stage]bool{}
		var walk func(*stage)
		walk = func(d *stage) {
			if reached[d] {
				return
			}
			reached[d] = true
			if d.base != nil {
				walk(d.base)
			}
			for dep := range d.deps {
				walk(dep)
			}
		}
		walk(tgt)
		added := false
		for d := range reached {
			if d.base == nil || d.onbuild != nil {
				continue
			}
			d.onbuild = []instructions.Command{}
			for _, c := range d.base.commands {
				ob, ok := c.(*instructions.OnbuildCommand)
				if !ok {
					continue
				}
				trigger, err := parser.Parse(strings.NewReader(ob.Expression))
				if err != nil {
					return nil, err
				}
				node := trigger.AST.Children[0]
				node.StartLine, node.EndLine = d.st.Location[0].Start.Line, d.st.Location[0].End.Line
				ic, err := instructions.ParseCommand(node)
				if err != nil {
					return nil, err
				}
				d.onbuild = append(d.onbuild, ic)
			}
			before := len(d.deps)
			addDeps(d, d.onbuild)
			added = added || len(d.deps) > before
		}
		if !added {
			break
		}
	}

	// Dispatch the reached stages in file order (dispatchStages).
	for _, d := range all {
		if !reached[d] {
			continue
		}
		if d.base != nil {
			d.env = d.base.env.clone()
		} else {
			d.env = newEnv()
		}
		for _, c := range append(append([]instructions.Command{}, d.onbuild...), d.commands...) {
			dispatch(s, lex, d, c, global, declare)
		}
		d.done = true
	}

	r := &result{Target: tgt.name, Declared: map[string][]int{}, Required: map[string][]int{}, Errors: s.errors}
	for _, d := range all {
		if reached[d] {
			name := d.name
			if name == "" {
				name = strconv.Itoa(d.index)
			}
			r.Reached = append(r.Reached, name)
		}
	}
	for name, lines := range declared {
		r.Declared[name] = sortedLines(lines)
	}
	for name := range s.used {
		r.Used = append(r.Used, name)
	}
	sort.Strings(r.Used)
	for name, lines := range s.required {
		r.Required[name] = sortedLines(lines)
	}
	return r, nil
}

func sortedLines(m map[int]bool) []int {
	lines := make([]int, 0, len(m))
	for l := range m {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	return lines
}

// dispatch mirrors dockerfile2llb's dispatch for what concerns variables: the words each instruction
// expands (Expand, ExpandRaw), the ENV and ARG that change the environment, and the shell of RUN.
func dispatch(s *scan, lex *shell.Lex, d *stage, c instructions.Command, global *env,
	declare func(string, int)) {
	line := 0
	if loc := c.Location(); len(loc) > 0 {
		line = loc[0].Start.Line
	}
	where := fmt.Sprintf("line %d", line)
	e := d.env
	expander := func(w string) (string, error) { return s.probe(where, e, word(lex, w)), nil }
	if arg, ok := c.(*instructions.ArgCommand); ok {
		// dispatchArg: a default is expanded; without one, the global value (or the built-in) is taken.
		for _, kp := range arg.Args {
			declare(kp.Key, line)
			if kp.Value != nil {
				v := s.probe(where, e, word(lex, *kp.Value))
				e.set(kp.Key, v)
			} else if v, ok := global.values[kp.Key]; ok {
				e.set(kp.Key, v)
			} else if _, ok := e.values[shell.NormalizeEnvKey(kp.Key)]; !ok {
				e.unset[kp.Key] = line
			}
			e.args[kp.Key] = true
		}
		return
	}
	if ex, ok := c.(instructions.SupportsSingleWordExpansion); ok {
		_ = ex.Expand(expander)
	}
	if ex, ok := c.(instructions.SupportsSingleWordExpansionRaw); ok {
		raw := shell.NewLex('\\')
		raw.SkipProcessQuotes = true
		_ = ex.ExpandRaw(func(w string) (string, error) { return s.probe(where, e, word(raw, w)), nil })
	}
	switch c := c.(type) {
	case *instructions.EnvCommand:
		for _, kv := range c.Env {
			e.set(kv.Key, kv.Value)
			delete(e.args, kv.Key)
		}
	case *instructions.ExposeCommand:
		for _, p := range c.Ports {
			s.probe(where, e, func(g shell.EnvGetter) (string, error) {
				words, err := lex.ProcessWords(p, g)
				return strings.Join(words, "\x01"), err
			})
		}
	case *instructions.RunCommand:
		if !c.PrependShell {
			return // exec form: no shell reads the variables
		}
		// The shell reads the command (as BuildKit's lexer reads it, quotes and escapes kept).
		sh := *lex
		sh.RawQuotes = true
		sh.RawEscapes = true
		text := strings.Join(c.CmdLine, " ")
		if len(c.Files) > 0 && parser.MustParseHeredoc(text) != nil {
			// RUN <<EOF: the document is the script.
			s.probe(where, e, word(&sh, c.Files[0].Data))
			return
		}
		s.probe(where, e, word(&sh, text))
		for i, f := range c.Files {
			if fileExpands(text, i) {
				doc := shell.NewLex('\\')
				doc.SkipProcessQuotes = true
				doc.RawEscapes = true
				s.probe(where, e, word(doc, f.Data))
			}
		}
	}
}

// fileExpands tells whether the i-th heredoc of a RUN line has an unquoted delimiter, so the shell
// expands variables in its body.
func fileExpands(line string, i int) bool {
	lex := shell.NewLex('\\')
	lex.RawQuotes = true
	lex.RawEscapes = true
	lex.SkipUnsetEnv = true
	words, _ := lex.ProcessWords(line, shell.EnvsFromSlice(nil))
	n := 0
	for _, w := range words {
		if h, _ := parser.ParseHeredoc(w); h != nil {
			if n == i {
				return h.Expand
			}
			n++
		}
	}
	return false
}
