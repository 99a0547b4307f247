# quorumdb build, test and demo targets. `make help` lists them.

GO      ?= go
BIN     := bin/quorumdb
NODES   ?= 1
NODE    ?= 1
# `make bench` workloads and client counts.
WORKLOADS ?= select-only,tpcb,kv,orm-insert
CLIENTS ?= 1,8,32
# Time per fuzz target in `make fuzz` (and `make test`).
FUZZTIME ?= 10s
VERSION ?= 0.1.0-dev
LDFLAGS := -X github.com/quorumdb/quorumdb/server.Version=$(VERSION)
# sqllogictest files or directories for `make slt`.
CORPUS  ?= testdata
# Trials per fault kind for `make failover`.
TRIALS  ?= 20

.PHONY: help build demo test fuzz slt bench failover fmt vet clean

help:
	@echo "make build   build $(BIN) (VERSION=$(VERSION))"
	@echo "make demo    run a throwaway local 3-node cluster and print how to connect"
	@echo "make test    go vet, then every test (builds $(BIN) first: tests use it)"
	@echo "make fuzz    run every fuzz target for FUZZTIME=$(FUZZTIME) each (make test runs it too)"
	@echo "make slt     run the sqllogictest files in CORPUS=$(CORPUS) against $(BIN)"
	@echo "make bench   pgbench workloads and a SQLAlchemy bulk insert against quorumdb and PostgreSQL, as ratios (NODES=3: a local cluster; NODE=0: via its leader, NODE=-1: via a non-leader; WORKLOADS, CLIENTS)"
	@echo "make failover  time to the first write after killing, pausing or isolating the leader of a 3-node cluster (TRIALS=$(TRIALS); isolate needs root)"
	@echo "make fmt     go fmt ./..."
	@echo "make vet     go vet ./..."
	@echo "make clean   remove bin/"

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/quorumdb

demo: build
	./$(BIN) demo

test: build
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 25m ./...
	$(MAKE) fuzz

# fuzz runs each fuzz target for a short time: the wire protocol, SQL text,
# the key and row encodings, binary values, and the Raft transport's
# message decoding. Longer: make fuzz FUZZTIME=10m.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzConnection$$' -fuzztime $(FUZZTIME) ./pgwire
	$(GO) test -run '^$$' -fuzz '^FuzzStatements$$' -fuzztime $(FUZZTIME) ./sql
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeKey$$' -fuzztime $(FUZZTIME) ./sql/rowenc
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeRow$$' -fuzztime $(FUZZTIME) ./sql/rowenc
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeBinary$$' -fuzztime $(FUZZTIME) ./sql/types
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeMessages$$' -fuzztime $(FUZZTIME) ./cluster/raftgroup

slt: build
	$(GO) run ./cmd/slt --server $(BIN) $(CORPUS)

bench: build
	$(GO) run ./cmd/bench --quorumdb $(BIN) --nodes $(NODES) --node $(NODE) --workloads $(WORKLOADS) --clients $(CLIENTS)

failover: build
	$(GO) run ./cmd/failover --quorumdb $(BIN) --trials $(TRIALS)

fmt:
	$(GO) fmt ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf bin

# proto regenerates the committed gRPC code (needs protoc, protoc-gen-go and
# protoc-gen-go-grpc).
proto:
	$(GO) generate ./cluster/replication/... ./cluster/raftgroup/... ./heartbeat/...
