package dep

// REQ-0077: vendored code is not scanned
