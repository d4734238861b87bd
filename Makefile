# Convenience targets around Meson + Ninja. `make run` and `make test` are the
# two commands a newcomer needs (README.md).
BUILD      ?= build
ASAN_BUILD ?= build-asan
DEMO_DB    ?= var/demo.db
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps build asan web run test bench fuzz clean

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: $(BUILD)/build.ninja web
	ninja -C $(BUILD)

# The console (web/dist), rebuilt when its sources change; `dianpu serve` finds it.
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts \
	   web/tsconfig.json web/package-lock.json

web: web/dist/index.html

web/dist/index.html: $(WEB_SRC)
	@[ -d web/node_modules ] || bash scripts/deps.sh
	cd web && npm run build --silent

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

run: deps build
	@mkdir -p var
	@$(BUILD)/dianpu demo --db sqlite:$(DEMO_DB)
	@echo "dianpu: http://$(LISTEN)  (Ctrl-C to stop)"
	@exec $(BUILD)/dianpu serve --db sqlite:$(DEMO_DB) --listen $(LISTEN)

test: build asan
	@bash tests/run.sh

bench: build
	@bash bench/run.sh

fuzz:
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-120} bash tests/fuzz/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz web/dist
