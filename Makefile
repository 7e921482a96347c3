# payhost — build, generate, test and lint. `make help` lists the targets.

GO       ?= go
BIN      := $(CURDIR)/bin
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/payhost/payhost/internal/command.Version=$(VERSION)
# Every shipped provider: plugins/<type>/cmd/payhost-provider-<type>.
PROVIDERS := $(patsubst plugins/%/,%,$(sort $(dir $(wildcard plugins/*/cmd))))

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build payhost and every provider plugin into ./bin
	@mkdir -p $(BIN)
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/payhost ./cmd/payhost
	@for p in $(PROVIDERS); do \
		echo "$(GO) build -o $(BIN)/payhost-provider-$$p ./plugins/$$p/cmd/payhost-provider-$$p"; \
		$(GO) build -trimpath -o $(BIN)/payhost-provider-$$p ./plugins/$$p/cmd/payhost-provider-$$p || exit 1; \
	done

.PHONY: quickstart
quickstart: ## Run the quickstart: payhost, the gateway emulators and a demo shop paying through every provider (needs only Go)
	./scripts/quickstart.sh

.PHONY: generate
generate: ## Regenerate generated code (protobuf) with the pinned tools
	$(GO) generate ./...

.PHONY: check-generate
check-generate: generate ## Fail if generated code differs from what is committed
	@git diff --exit-code -- . || { echo "generated code is stale: run 'make generate' and commit"; exit 1; }

.PHONY: test
test: ## Run the whole test suite (starts PostgreSQL when it is installed)
	./scripts/test.sh

.PHONY: lint
lint: ## gofmt, go vet and staticcheck (pinned in tools/go.mod), here and in the example provider's module
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool -modfile=tools/go.mod staticcheck ./...
	cd examples/custom-provider && $(GO) vet ./... && $(GO) tool -modfile=../../tools/go.mod staticcheck ./...

.PHONY: bench
bench: ## Run the benchmarks (short)
	$(GO) test -run '^$$' -bench . -benchtime 2s ./...

.PHONY: bench-payhost
bench-payhost: build ## Measure payhost against its provider called directly (go run ./bench, 16 clients then 1)
	$(GO) run ./bench -plugin-dir $(BIN) -concurrency 16 -out $(BIN)/bench-c16.json -histogram $(BIN)/bench-c16.svg
	$(GO) run ./bench -plugin-dir $(BIN) -concurrency 1 -out $(BIN)/bench-c1.json -histogram $(BIN)/bench-c1.svg

.PHONY: clean
clean: ## Remove build output
	rm -rf $(BIN)
