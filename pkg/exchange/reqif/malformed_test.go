package reqif

import "testing"

// The reader reads raw tokens (for speed) and checks end tags itself.
func TestMismatchedEndTags(t *testing.T) {
	for _, s := range []string{
		`<REQ-IF><THE-HEADER></REQ-IF>`,
		`<REQ-IF><CORE-CONTENT><REQ-IF-CONTENT><SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER="a"><VALUES><ATTRIBUTE-VALUE-XHTML><THE-VALUE><div></THE-VALUE></ATTRIBUTE-VALUE-XHTML></VALUES></SPEC-OBJECT></SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>`,
		`<REQ-IF><THE-HEADER><REQ-IF-HEADER><TITLE>x</COMMENT></REQ-IF-HEADER></THE-HEADER></REQ-IF>`,
		`<REQ-IF><CORE-CONTENT><REQ-IF-CONTENT><SPEC-OBJECTS><SPEC-OBJECT IDENTIFIER="a"><VALUES><ATTRIBUTE-VALUE-XHTML><THE-VALUE></foo></ATTRIBUTE-VALUE-XHTML></VALUES></SPEC-OBJECT></SPEC-OBJECTS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>`,
	} {
		if _, err := ParseBytes([]byte(s), "m.reqif"); err == nil {
			t.Errorf("no error for %s", s)
		}
	}
}
