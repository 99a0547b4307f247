GO ?= go
BIN := bin/quorumdb

.PHONY: build demo test slt bench vet fmt proto clean

build:
	$(GO) build -o $(BIN) ./cmd/quorumdb

demo: build
	./$(BIN) demo

test: build
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

clean:
	rm -rf bin
