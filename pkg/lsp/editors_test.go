package lsp

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVSCodeExtensionManifest checks what the extension promises its users: it never runs
// in an untrusted workspace, the binary is a machine setting (a workspace cannot choose the
// program), and it starts reqtrail lsp. (.ci/run also builds the .vsix with vsce.)
func TestVSCodeExtensionManifest(t *testing.T) {
	dir := filepath.Join("..", "..", "editors", "vscode")
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Main         string `json:"main"`
		Capabilities struct {
			Untrusted struct {
				Supported *bool `json:"supported"`
			} `json:"untrustedWorkspaces"`
		} `json:"capabilities"`
		Contributes struct {
			Configuration struct {
				Properties map[string]struct {
					Scope string `json:"scope"`
				} `json:"properties"`
			} `json:"configuration"`
		} `json:"contributes"`
		Scripts map[string]string `json:"scripts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if s := m.Capabilities.Untrusted.Supported; s == nil || *s {
		t.Error("capabilities.untrustedWorkspaces.supported must be false")
	}
	if p, ok := m.Contributes.Configuration.Properties["reqtrail.path"]; !ok || p.Scope != "machine" {
		t.Errorf("reqtrail.path must be a machine-scoped setting, got %+v", p)
	}
	if !strings.Contains(m.Scripts["package"], "vsce package") {
		t.Errorf("npm run package must build the .vsix with vsce: %q", m.Scripts["package"])
	}
	js, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(m.Main)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"'lsp'", "isTrusted", "globalValue", "insideWorkspace"} {
		if !strings.Contains(string(js), want) {
			t.Errorf("extension.js lacks %s", want)
		}
	}
}

// TestVSCodeExtensionServerChoice runs editors/vscode/test.js under Node (installed by
// .ci/run): the extension never runs a reqtrail from inside the workspace, and it serves
// the record folders and trace: paths of reqtrail.yaml.
func TestVSCodeExtensionServerChoice(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (Debian package nodejs)")
	}
	cmd := exec.Command(node, "test.js")
	cmd.Dir = filepath.Join("..", "..", "editors", "vscode")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Fatalf("node test.js: %v\n%s", err, out)
	}
}
