# FileSync. `make run` opens the app, `make test` runs every test, `make package` builds
# the installers in dist/; each installs the Debian/Ubuntu packages it needs first (with
# sudo when not root).

GO            ?= go
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
SUDO          := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VERSION       := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml 2>/dev/null)
COMMIT        := $(shell git rev-parse --short HEAD 2>/dev/null)
# What "filesync --version" prints: FyneApp.toml's version and the commit, 0.1.0+abc1234.
BUILD_VERSION := $(or $(VERSION),dev)$(if $(COMMIT),+$(COMMIT))
LDFLAGS       := -X filesync/app/cli.Version=$(BUILD_VERSION)

# rsync and OpenSSH do the transfers (the server side for the test computers; dbus-daemon
# for the tray-detection test); the rest is what Fyne's cgo build links against.
RUNTIME_PACKAGES := rsync openssh-client
TEST_PACKAGES    := $(RUNTIME_PACKAGES) openssh-server dbus-daemon
BUILD_PACKAGES   := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
                    libxinerama-dev libxi-dev libxxf86vm-dev

# Packaging (make package) also needs: dpkg-deb and dpkg-shlibdeps, ImageMagick's convert
# for the icon sizes, xz for fyne's tarball; its test lintian, appstreamcli and
# desktop-file-validate; the Windows build the MinGW cross-compiler.
PACKAGE_PACKAGES      := dpkg-dev imagemagick xz-utils
PACKAGE_TEST_PACKAGES := lintian appstream desktop-file-utils
WINDOWS_PACKAGES      := gcc-mingw-w64-x86-64

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
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }

deps:
	@$(MAKE) --no-print-directory apt PACKAGES="$(RUNTIME_PACKAGES) $(BUILD_PACKAGES)"

deps-test:
	@$(MAKE) --no-print-directory apt PACKAGES="$(TEST_PACKAGES) $(BUILD_PACKAGES)"

# apt installs whichever of PACKAGES is missing; nothing when all are there. It waits for
# another apt run's lock (up to 10 minutes) instead of failing on it.
apt:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing; \
	fi

clean:
	rm -rf bin dist build

# Fleet benchmark (issue #5): FileSync against the seed's rsync loop and an expert's
# parallel rsync, on throwaway sshd computers (docs/benchmarks.md). bench/bench.sh installs
# what it needs; case d (network namespaces) needs root. `make bench` takes about 1½ hours
# and writes the table into docs/benchmarks.md and docs/bench-ratios.png; BENCH_ARGS
# passes flags (BENCH_ARGS="-runs 3 -cases abc"; bin/fleetbench -h lists them).
# `make bench-ci` is the small version CI runs (3 computers, small data, 1 run, ~1 min).
.PHONY: bench bench-ci

bench: build
	FLEETBENCH_SKIP_BUILD=1 GO=$(GO) bench/bench.sh $(BENCH_ARGS)

bench-ci: build
	FLEETBENCH_SKIP_BUILD=1 GO=$(GO) bench/bench.sh -ci $(BENCH_ARGS)

# ---------------------------------------------------------------------------------------
# Installers (issue #6). `make package` writes to dist/:
#   filesync_$(VERSION)_amd64.deb               Debian/Ubuntu package (packaging/deb)
#   filesync-$(VERSION)-linux-amd64.tar.xz      fyne's tarball, with install/user-install
#   filesync-$(VERSION)-windows-amd64.exe       only with PACKAGE_WINDOWS=1 (~10 min)
#   SHA256SUMS                                  of everything in dist/
# `make package-test` lints, installs, runs and purges the .deb (CI does it).
# Scratch files go to build/; nothing is written into the source tree.

.PHONY: package package-deb package-tarball package-windows package-test checksums \
        deps-package linux-binary man-pages build-src

FYNE_VERSION := v1.7.4
FYNE         := build/tools/fyne-$(FYNE_VERSION)/fyne
DEB          := dist/filesync_$(VERSION)_amd64.deb
TARBALL      := dist/filesync-$(VERSION)-linux-amd64.tar.xz
WINDOWS_EXE  := dist/filesync-$(VERSION)-windows-amd64.exe
# One binary for the .deb and the tarball, built by fyne (below) in build/linux.
LINUX_BINARY := build/linux/filesync
# Dates inside the packages (file times, changelog, man pages) are the commit's, so a
# commit always packages to the same bytes.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

package: deps-package
	@$(MAKE) --no-print-directory package-deb package-tarball $(if $(PACKAGE_WINDOWS),package-windows)
	@$(MAKE) --no-print-directory checksums

deps-package:
	@$(MAKE) --no-print-directory apt PACKAGES="$(BUILD_PACKAGES) $(PACKAGE_PACKAGES)"

# The .deb is assembled by packaging/deb/build.sh from a staging tree (no debhelper).
package-deb: linux-binary man-pages
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) packaging/deb/build.sh $(LINUX_BINARY) build/man \
		$(VERSION) "$(COMMIT)" $(DEB)

# fyne package wraps the binary with a desktop entry, the icon and a Makefile.
package-tarball: linux-binary
	cd build/src && $(CURDIR)/$(FYNE) package -os linux --release --exe $(CURDIR)/$(LINUX_BINARY)
	mkdir -p dist && mv build/src/FileSync.tar.xz $(TARBALL)

# Cross-built with MinGW; fyne embeds the icon and FyneApp.toml's version. The -lssp is
# for the -fstack-protector-strong that fyne adds to the C flags.
package-windows: build-src $(FYNE)
	@$(MAKE) --no-print-directory apt PACKAGES="$(BUILD_PACKAGES) $(WINDOWS_PACKAGES)"
	cd build/src && GOARCH=amd64 CC=x86_64-w64-mingw32-gcc CGO_LDFLAGS=-lssp \
		$(CURDIR)/$(FYNE) package -os windows --release
	mkdir -p dist && mv build/src/FileSync.exe $(WINDOWS_EXE)

# fyne build --release: stripped (-s -w), -trimpath, hardened C flags, the "release"
# tag and FyneApp.toml's metadata compiled in; PIE (through GOFLAGS, which fyne passes
# on) for lintian's hardening check.
linux-binary: deps-package build-src $(FYNE)
	cd build/src && GOFLAGS="$(GOFLAGS) -buildmode=pie" \
		$(CURDIR)/$(FYNE) build --release -o $(CURDIR)/$(LINUX_BINARY)

# filesync.1 and filesync-*.1 from the command line's own help (cobra/doc).
man-pages:
	rm -rf build/man
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(GO) run ./packaging/man -o build/man -version $(VERSION)

# fyne writes into the folder it builds (fyne_metadata_init.go, fyne.syso, the
# executable), so it builds a copy of the tree in build/src. The copy's FyneApp.toml
# gets a [LinuxAndBSD] section from the .deb's desktop entry, for the tarball's entry,
# and the copy gets version_release.go, which sets the version (see the file for why
# not -ldflags).
build-src:
	rm -rf build/src && mkdir -p build/src
	tar -c --exclude=./.git --exclude=./bin --exclude=./build --exclude=./dist . | tar -x -C build/src
	grep -q '^\[LinuxAndBSD\]' build/src/FyneApp.toml || \
		packaging/linux/fyneapp-linux.sh packaging/linux/filesync.desktop >>build/src/FyneApp.toml
	sed 's/@VERSION@/$(BUILD_VERSION)/' packaging/version.go.in >build/src/version_release.go

# The Fyne CLI at a pinned version, kept in build/tools (not the user's GOBIN).
$(FYNE):
	GOBIN=$(CURDIR)/$(dir $(FYNE)) $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_VERSION)

# SHA256SUMS lists every other file in dist/ (check with: cd dist && sha256sum -c SHA256SUMS).
checksums:
	cd dist && sha256sum $$(ls | grep -vx SHA256SUMS) >SHA256SUMS
	cat dist/SHA256SUMS

# Changes the system: installs the .deb with apt and purges it again (packaging/deb/test.sh).
package-test: package-deb
	@$(MAKE) --no-print-directory apt PACKAGES="$(PACKAGE_TEST_PACKAGES)"
	packaging/deb/test.sh $(DEB) $(VERSION)
