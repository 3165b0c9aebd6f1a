package main

// implements REQ-0001 and REQ-0002
func main() {}

// REQ-0042 was removed. want: citation-unknown
// REQ-00042, XREQ-0043 and REQ-0044a are not ids; CR-0001 is not a requirement.
var _ = "see REQ_0045" // want: citation-unknown
