# FileSync. `make run` opens the app, `make test` runs every test; both install the
# Debian/Ubuntu packages they need first (with sudo when not root).

GO            ?= go
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
SUDO          := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VERSION       := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml 2>/dev/null)
COMMIT        := $(shell git rev-parse --short HEAD 2>/dev/null)
LDFLAGS       := -X filesync/app/cli.Version=$(or $(VERSION),dev)$(if $(COMMIT),+$(COMMIT))

# rsync and OpenSSH do the transfers (the server side for the test computers); the rest
# is what Fyne's cgo build links against.
RUNTIME_PACKAGES := rsync openssh-client
TEST_PACKAGES    := $(RUNTIME_PACKAGES) openssh-server
BUILD_PACKAGES   := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
                    libxinerama-dev libxi-dev libxxf86vm-dev

.PHONY: run test build deps deps-test lint unit clean

run: deps build
	./bin/filesync $(ARGS)

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/filesync .

test: deps-test lint unit

unit:
	$(GO) test -count=1 -timeout 20m ./...

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "not gofmt-formatted:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(RUNTIME_PACKAGES) $(BUILD_PACKAGES)"

deps-test:
	@$(MAKE) --no-print-directory apt PACKAGES="$(TEST_PACKAGES) $(BUILD_PACKAGES)"

# apt installs whichever of PACKAGES is missing; nothing when all are there.
apt:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

clean:
	rm -rf bin dist
