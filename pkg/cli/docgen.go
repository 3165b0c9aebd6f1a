package cli

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reqtrail/reqtrail/pkg/lint"
	"github.com/reqtrail/reqtrail/pkg/report"
)

// CommandReference renders one Markdown reference page per command from the cobra command
// definitions, keyed by file name (README.md is the index). docs/commands/ holds its output;
// TestDocsReference fails when they differ (regenerate with `make docs`).
func CommandReference() map[string]string {
	app := &App{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	root := NewRoot(app)
	root.InitDefaultHelpCmd()
	pages := map[string]string{}
	var index bytes.Buffer
	index.WriteString("# Command reference\n\n")
	index.WriteString("Generated from the command definitions (`make docs`); `reqtrail COMMAND --help` prints the same.\n\n")
	index.WriteString(commandPage(root, true))
	index.WriteString("## Commands\n\n| command | what it does |\n| --- | --- |\n")
	for _, c := range visibleCommands(root) {
		name := docFileName(c)
		fmt.Fprintf(&index, "| [`%s`](%s) | %s |\n", c.CommandPath(), name, mdCell(c.Short))
		pages[name] = "# `" + c.CommandPath() + "`\n\n" + commandPage(c, false)
		for _, sub := range visibleCommands(c) {
			pages[docFileName(sub)] = "# `" + sub.CommandPath() + "`\n\n" + commandPage(sub, false)
		}
	}
	pages["README.md"] = index.String()
	return pages
}

func visibleCommands(c *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() && sub.Name() != "help" {
			out = append(out, sub)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

func docFileName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
}

// commandPage is the body of a command's page: summary, usage, description, examples, flags
// and sub-commands, in that order.
func commandPage(c *cobra.Command, root bool) string {
	var b bytes.Buffer
	b.WriteString(c.Short + "\n\n")
	if c.Runnable() {
		fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
	}
	if c.Long != "" {
		fmt.Fprintf(&b, "```text\n%s\n```\n\n", strings.TrimRight(c.Long, "\n"))
	}
	if c.Example != "" {
		fmt.Fprintf(&b, "## Examples\n\n```\n%s\n```\n\n", strings.TrimRight(c.Example, "\n"))
	}
	if fl := c.NonInheritedFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Flags\n\n```\n%s```\n\n", fl.FlagUsages())
	}
	if fl := c.InheritedFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Global flags\n\n```\n%s```\n\n", fl.FlagUsages())
	}
	if subs := visibleCommands(c); len(subs) > 0 && !root {
		b.WriteString("## Sub-commands\n\n")
		for _, sub := range subs {
			fmt.Fprintf(&b, "- [`%s`](%s): %s\n", sub.CommandPath(), docFileName(sub), sub.Short)
		}
		b.WriteString("\n")
	}
	if !root {
		b.WriteString("[All commands](README.md)\n")
	}
	return b.String()
}

// RulesReference renders docs/rules.md from the lint rule registry: a summary table, then
// each rule with when it fires and how to fix a finding.
func RulesReference() string {
	var b strings.Builder
	b.WriteString("# Lint rules\n\n")
	b.WriteString("Generated from the rule registry (`make docs`); `reqtrail lint --list-rules` prints the same list.\n")
	b.WriteString("Every rule can be set to `error`, `warning` or `off` under `rules:` in `reqtrail.yaml`:\n\n")
	b.WriteString("```yaml\nrules:\n  requirement-untested: warning\n  citation-unknown: off\n```\n\n")
	b.WriteString("| rule id | default | fires when |\n| --- | --- | --- |\n")
	rules := lint.Rules()
	for _, r := range rules {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s |\n", r.ID, r.ID, r.Severity, mdCell(r.Doc))
	}
	for _, r := range rules {
		fmt.Fprintf(&b, "\n## %s\n\n", r.ID)
		where := "`lint`, `check` and every command that reports findings"
		if r.Gate {
			where = "`check` only (it compares two revisions)"
		}
		fmt.Fprintf(&b, "Default severity **%s**; evaluated by %s.\n\n", r.Severity, where)
		fmt.Fprintf(&b, "Fires when %s.\n", mdCell(strings.TrimSuffix(strings.TrimPrefix(r.Doc, "(check only) "), ".")))
		if r.Fix != "" {
			fmt.Fprintf(&b, "\nHow to fix: %s\n", r.Fix)
		}
	}
	return b.String()
}

// mdCell is reqtrail's own text (`backticks` mark code) as a Markdown table cell, escaped
// by pkg/report's Markdown escaper.
func mdCell(s string) string { return report.MarkdownInline(report.Rich(s), true) }
