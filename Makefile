# quorumdb build, test and demo targets. `make help` lists them.

GO      ?= go
BIN     := bin/quorumdb
NODES   ?= 1
NODE    ?= spread
# `make bench` workloads and client counts.
WORKLOADS ?= select-only,tpcb,kv,orm-insert
CLIENTS ?= 1,8,32
# Budget per fuzz target in `make fuzz` (and `make test`): empty means
# each target's own execution count below (about 5-10 s on 2 cores);
# FUZZTIME=10m (a duration) or FUZZTIME=1000000x overrides them all.
FUZZTIME ?=
VERSION ?= 0.1.0-dev
LDFLAGS := -X github.com/quorumdb/quorumdb/server.Version=$(VERSION)
# sqllogictest files or directories for `make slt`.
CORPUS  ?= testdata
# Trials per fault kind for `make failover`.
TRIALS  ?= 20
# `make difftest`: seeds (a,b or a-b), queries per seed, quorumdb targets
# (one: a node; cluster: a non-leader node of 3), calls not generated
# (gaps: the builtins quorumdb lacks, internal/difftest.Gaps; empty: none).
SEEDS   ?= 1,2,3
QUERIES ?= 2000
TARGETS ?= one,cluster
EXCLUDE ?= gaps
# `make pgregress`: PostgreSQL 15's regression suite (a directory with
# sql/, data/, parallel_schedule, measured-files.txt) and the files to run
# (comma-separated; empty: the suite's measured-files.txt).
PGREGRESS ?= ../shared/testdata/pgregress
FILES   ?=

.PHONY: help build demo test race fuzz slt bench failover difftest pgregress fmt vet clean

help:
	@echo "make build   build $(BIN) (VERSION=$(VERSION))"
	@echo "make demo    run a throwaway local 3-node cluster and print how to connect"
	@echo "make test    go vet, then every test (builds $(BIN) first: tests use it)"
	@echo "make race    the tests of the concurrent packages under the race detector (make test runs it too)"
	@echo "make fuzz    run every fuzz target briefly (FUZZTIME=10m or =N x executions for longer; make test runs it too)"
	@echo "make slt     run the sqllogictest files in CORPUS=$(CORPUS) against $(BIN)"
	@echo "make bench   pgbench workloads and a SQLAlchemy bulk insert against quorumdb and PostgreSQL, as ratios (NODES=3: also a local cluster, clients spread over its nodes; NODE=k, leader or other: all through one node; WORKLOADS, CLIENTS)"
	@echo "make failover  time to the first write after killing, pausing or isolating the leader of a 3-node cluster (TRIALS=$(TRIALS); isolate needs root)"
	@echo "make difftest  random queries on PostgreSQL 15 and quorumdb side by side (SEEDS=$(SEEDS) QUERIES=$(QUERIES) TARGETS=$(TARGETS) EXCLUDE=$(EXCLUDE)); findings in difftest-report.md"
	@echo "make pgregress  PostgreSQL 15's regression suite on PostgreSQL 15 and quorumdb, statement by statement (FILES=a,b; default: PGREGRESS/measured-files.txt); report in pgregress-report.md"
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
	$(MAKE) race
	$(MAKE) fuzz

# race runs the tests of the packages that own goroutines and locks under
# the race detector: the kv store and its remote client and server, the
# Raft groups and replication queues, the wire listener, heartbeats and
# the SQL layer. (The server package's process and cluster tests run the
# same code end to end; under -race they took 14 minutes on 2 cores, with
# statements past the tests' 30 s bounds and no race found, so they run
# once, without it, above.)
RACE_PKGS ?= ./kv/... ./cluster/... ./pgwire/... ./heartbeat/... ./internal/... ./sql/...
race:
	$(GO) test -race -count=1 -timeout 20m $(RACE_PKGS)

# fuzz runs each fuzz target for a short time: the wire protocol, SQL text,
# the key and row encodings, binary values, and the Raft transport's
# message decoding. Longer: make fuzz FUZZTIME=10m.
# The default budgets are execution counts (Nx), not durations: with a
# duration, Go 1.26's fuzz coordinator can report its own deadline as a
# failure ("context deadline exceeded", no failing input) when a loaded
# machine's worker answers late (golang/go#75804, fixed in Go 1.27); a
# count has no deadline to race. A real finding still fails, with its
# input written under testdata/fuzz.
fuzzbudget = $(if $(FUZZTIME),$(FUZZTIME),$(1))
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzConnection$$' -fuzztime $(call fuzzbudget,30000x) ./pgwire
	$(GO) test -run '^$$' -fuzz '^FuzzStatements$$' -fuzztime $(call fuzzbudget,30000x) ./sql
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeKey$$' -fuzztime $(call fuzzbudget,200000x) ./sql/rowenc
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeRow$$' -fuzztime $(call fuzzbudget,150000x) ./sql/rowenc
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeBinary$$' -fuzztime $(call fuzzbudget,200000x) ./sql/types
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeBatch$$' -fuzztime $(call fuzzbudget,30000x) ./cluster/multiraft

slt: build
	$(GO) run ./cmd/slt --server $(BIN) $(CORPUS)

bench: build
	$(GO) run ./cmd/bench --quorumdb $(BIN) --nodes $(NODES) --node $(NODE) --workloads $(WORKLOADS) --clients $(CLIENTS)

failover: build
	$(GO) run ./cmd/failover --quorumdb $(BIN) --trials $(TRIALS)

difftest: build
	$(GO) run ./cmd/difftest --quorumdb $(BIN) --seeds $(SEEDS) --queries $(QUERIES) --targets $(TARGETS) --exclude '$(EXCLUDE)' --report difftest-report.md

pgregress: build
	$(GO) run ./cmd/pgregress --quorumdb $(BIN) --suite $(PGREGRESS) --files '$(FILES)' --report pgregress-report.md

fmt:
	$(GO) fmt ./...

vet:
	$(GO) vet ./...

clean:
	rm -rf bin

# proto regenerates the committed gRPC code (needs protoc, protoc-gen-go and
# protoc-gen-go-grpc).
proto:
	$(GO) generate ./cluster/replication/... ./cluster/multiraft/... ./heartbeat/... ./kv/remote/...
