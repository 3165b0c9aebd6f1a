package author_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/reqtrail/reqtrail/pkg/author"
	"github.com/reqtrail/reqtrail/pkg/record"
	"github.com/reqtrail/reqtrail/pkg/repo"
)

// An importer stages every item, checks the result with the full lint, shows the plan, and
// writes it all or nothing.
func ExamplePlan() {
	root, _ := os.MkdirTemp("", "reqtrail-example")
	defer os.RemoveAll(root)
	_ = os.MkdirAll(filepath.Join(root, "reqs"), 0o755)
	_ = os.WriteFile(filepath.Join(root, "reqs", "REQ-0001.md"), []byte("---\nid: REQ-0001\ntitle: Export chats\n\n# agreed with sales\nstatus: new\n---\nBody.\n"), 0o644)

	p, err := author.NewPlan(root, repo.Load(os.DirFS(root)), author.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	front, _ := author.Node(map[string]any{"title": "Import from the legacy helpdesk", "release": "2024.10", "customer-tier": "gold"})
	id, _ := p.Create(author.Draft{Kind: record.RequirementKind, Front: front, Body: "From needs.xlsx row 12.\n"})
	_ = p.Update("reqs/REQ-0001.md", author.Set("status", "analysis"), author.Set("priority.moscow", "must"))
	_ = p.DeclareField(record.RequirementKind, "customer-tier", map[string]any{"enum": []string{"gold", "silver"}})

	if errs := p.Check().Errors(); len(errs) > 0 {
		fmt.Println("not written:", errs[0].Message)
		return
	}
	_ = author.WriteText(os.Stdout, p.Describe())
	if err := p.Apply(); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(filepath.Join(root, "reqs", id+".md"))
	fmt.Print(string(data))
	data, _ = os.ReadFile(filepath.Join(root, "reqs", "REQ-0001.md"))
	fmt.Print(string(data))
	data, _ = os.ReadFile(filepath.Join(root, "reqtrail.yaml"))
	fmt.Print(string(data))
	// Output:
	// create reqs/REQ-0002.md (REQ-0002)
	//   + id: REQ-0002
	//   + title: Import from the legacy helpdesk
	//   + release: "2024.10"
	//   + customer-tier: gold
	// update reqs/REQ-0001.md (REQ-0001)
	//   ~ status: new → analysis
	//   + priority.moscow: must
	// create reqtrail.yaml (configuration)
	//   + fields.requirement.customer-tier: {enum: [gold, silver]}
	// ---
	// id: REQ-0002
	// title: Import from the legacy helpdesk
	// release: "2024.10"
	// customer-tier: gold
	// ---
	// From needs.xlsx row 12.
	// ---
	// id: REQ-0001
	// title: Export chats
	//
	// # agreed with sales
	// status: analysis
	// priority:
	//   moscow: must
	// ---
	// Body.
	// # reqtrail project configuration; every key is optional.
	// fields:
	//   requirement:
	//     customer-tier: {enum: [gold, silver]}
}
