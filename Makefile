# The two commands of the README:
#   make example   builds reqtrail and lints the bundled example repository
#   make test      the full check CI runs: vet, staticcheck, gofmt, tests with -race (which
#                  replay every fuzz target's seeds and saved failures), and lint + fmt --check
#                  on the example. It is deterministic: new fuzz inputs are explored by
#                  make fuzz (FUZZTIME per target), run on a schedule, not on every push.
GO ?= go
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
FUZZTIME ?= 10s
EXAMPLE := examples/customer-service

.PHONY: example test vet crossbuild staticcheck gofmt gotest fuzz example-check bench bench-compare docs release-snapshot

example:
	$(GO) run ./cmd/reqtrail -C $(EXAMPLE) lint

test: vet crossbuild staticcheck gofmt gotest example-check

vet:
	$(GO) vet ./...

# The release targets other than this machine's compile (.goreleaser.yaml builds them all).
crossbuild:
	GOOS=windows GOARCH=amd64 $(GO) build ./...
	GOOS=darwin GOARCH=arm64 $(GO) build ./...

staticcheck:
	$(GO) run $(STATICCHECK) ./...

gofmt:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

gotest:
	$(GO) test -race -count=1 ./...

fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME) ./pkg/record
	$(GO) test -run='^$$' -fuzz='^FuzzLines$$' -fuzztime=$(FUZZTIME) ./pkg/pos
	$(GO) test -run='^$$' -fuzz='^FuzzQuick$$' -fuzztime=$(FUZZTIME) ./schema
	$(GO) test -run='^$$' -fuzz='^FuzzSource$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/format
	$(GO) test -run='^$$' -fuzz='^FuzzFind$$' -fuzztime=$(FUZZTIME) ./pkg/citation
	$(GO) test -run='^$$' -fuzz='^FuzzLoad$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/config
	$(GO) test -run='^$$' -fuzz='^FuzzEdit$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/author
	$(GO) test -run='^$$' -fuzz='^FuzzEmitSimple$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/author
	$(GO) test -run='^$$' -fuzz='^FuzzSet$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/cli
	$(GO) test -run='^$$' -fuzz='^FuzzCheck$$' -fuzztime=$(FUZZTIME) ./pkg/gate
	$(GO) test -run='^$$' -fuzz='^FuzzCSV$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/exchange/sheet
	$(GO) test -run='^$$' -fuzz='^FuzzXLSX$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=2s ./pkg/exchange/sheet
	$(GO) test -run='^$$' -fuzz='^FuzzServer$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/lsp
	$(GO) test -run='^$$' -fuzz='^FuzzMergeObject$$' -fuzztime=$(FUZZTIME) ./pkg/vscode
	$(GO) test -run='^$$' -fuzz='^FuzzMarkdown$$' -fuzztime=$(FUZZTIME) ./pkg/report
	$(GO) test -run='^$$' -fuzz='^FuzzOutputFlag$$' -fuzztime=$(FUZZTIME) ./pkg/report
	$(GO) test -run='^$$' -fuzz='^FuzzText$$' -fuzztime=$(FUZZTIME) ./pkg/report
	$(GO) test -run='^$$' -fuzz='^FuzzEdit$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/pin
	$(GO) test -run='^$$' -fuzz='^FuzzParse$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/results
	$(GO) test -run='^$$' -fuzz='^FuzzRead$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/exchange/reqif
	$(GO) test -run='^$$' -fuzz='^FuzzXHTML$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/exchange/reqif
	$(GO) test -run='^$$' -fuzz='^FuzzItem$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/exchange/doorstop
	$(GO) test -run='^$$' -fuzz='^FuzzFingerprint$$' -fuzztime=$(FUZZTIME) ./pkg/record
	$(GO) test -run='^$$' -fuzz='^FuzzCompact$$' -fuzztime=$(FUZZTIME) ./pkg/record
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeNode$$' -fuzztime=$(FUZZTIME) ./pkg/record
	$(GO) test -run='^$$' -fuzz='^FuzzFastFront$$' -fuzztime=$(FUZZTIME) ./pkg/record
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeEntry$$' -fuzztime=$(FUZZTIME) ./pkg/repo
	$(GO) test -run='^$$' -fuzz='^FuzzWordDiff$$' -fuzztime=$(FUZZTIME) ./pkg/gate
	$(GO) test -run='^$$' -fuzz='^FuzzCompareShared$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/gate
	$(GO) test -run='^$$' -fuzz='^FuzzMeaningChanges$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/cli
	$(GO) test -run='^$$' -fuzz='^FuzzFrontMatterField$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzParseRevision$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeState$$' -fuzztime=$(FUZZTIME) ./pkg/site
	$(GO) test -run='^$$' -fuzz='^FuzzParseTree$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzApplyDelta$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzPackObject$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzPackIndex$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzIndex$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzListingSameAsWalk$$' -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s ./pkg/repo
	$(GO) test -run='^$$' -fuzz='^FuzzQuickField$$' -fuzztime=$(FUZZTIME) ./pkg/gitrepo
	$(GO) test -run='^$$' -fuzz='^FuzzRender$$' -fuzztime=$(FUZZTIME) ./pkg/mdterm
	$(GO) test -run='^$$' -fuzz='^FuzzHTMLWriter$$' -fuzztime=$(FUZZTIME) ./pkg/site
	$(GO) test -run='^$$' -fuzz='^FuzzMarker$$' -fuzztime=$(FUZZTIME) ./pkg/site
	$(GO) test -run='^$$' -fuzz='^FuzzMaybeID$$' -fuzztime=$(FUZZTIME) ./pkg/site
	$(GO) test -run='^$$' -fuzz='^FuzzSearchIndex$$' -fuzztime=$(FUZZTIME) ./pkg/site
	$(GO) test -run='^$$' -fuzz='^FuzzFastHTML$$' -fuzztime=$(FUZZTIME) ./pkg/site
	$(GO) test -run='^$$' -fuzz='^FuzzFieldsPanel$$' -fuzztime=$(FUZZTIME) ./pkg/site
	$(GO) test -run='^$$' -fuzz='^FuzzCustomerKey$$' -fuzztime=$(FUZZTIME) ./pkg/graph

example-check:
	$(GO) run ./cmd/reqtrail -C $(EXAMPLE) lint
	$(GO) run ./cmd/reqtrail -C $(EXAMPLE) fmt --check

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# The speed targets side by side: each command's benchmark as a ratio to the floor (reading and
# yaml.v3-decoding every record), interleaved rounds, medians. BENCHFLAGS="-rounds 5 -only site".
bench-compare:
	$(GO) run ./internal/benchcompare $(BENCHFLAGS)

# Regenerates the command reference (docs/commands/) and the rules reference (docs/rules.md);
# go test ./pkg/cli (TestDocsReference) fails while they are stale.
docs:
	$(GO) test -count=1 -run='^TestDocsReference$$' ./pkg/cli -update

# The release builds of .goreleaser.yaml as a dry run: goreleaser v2 from PATH, else run
# through the Go module proxy (v2.17.0, the first time a few minutes of downloads). In a
# clone without a remote, goreleaser stamps no commit or date (it skips git's state).
GORELEASER ?= $(shell command -v goreleaser 2>/dev/null || echo "$(GO) run github.com/goreleaser/goreleaser/v2@v2.17.0")
release-snapshot:
	$(GORELEASER) release --snapshot --clean
