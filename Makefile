# Scene Finder developer commands. `make demo` tries the plugin, `make test` runs the tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SYSTEM_PYTHON := /usr/bin/python3
VENV := .venv
PYTHON := $(VENV)/bin/python
# The repository root is the plugin package; build/pkgroot/scene_finder links to it so that
# tests and tools import it as `scene_finder`, whatever the clone's folder is called.
PKGROOT := build/pkgroot
# qgis brings qgis_process (headless Processing tests) and the desktop for `make run`/`make demo`;
# qttools5-dev-tools brings lrelease for compiling translations; python3-cryptography makes the
# throwaway certificate authority of the TLS tests.
APT_PACKAGES := python3-qgis qgis-providers qgis xvfb python3-venv python3-pip python3-requests \
	python3-shapely python3-gdal python3-psutil python3-cryptography python3-scipy curl qttools5-dev-tools
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
PROFILE ?= default
QGIS_PROFILES ?= $(HOME)/.local/share/QGIS/QGIS3/profiles
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export QT_QPA_PLATFORM ?= offscreen
export PYTHONPATH := $(CURDIR)/$(PKGROOT)$(if $(PYTHONPATH),:$(PYTHONPATH))

.PHONY: apt-packages help setup test test-qgis-latest lint package deploy run demo emulator bench bench-peers screenshots translations clean

help:
	@echo "make demo      try the plugin in QGIS against the bundled emulator (no account needed)"
	@echo "make test      set up, lint and run the test suite"
	@echo "make test-qgis-latest  the test suite on Debian sid's QGIS (3.44), in a root cached under build/"
	@echo "make setup     install Debian packages and the test venv (idempotent)"
	@echo "make run       QGIS with a throwaway profile and the plugin enabled"
	@echo "make emulator  run the service emulator in the foreground"
	@echo "make bench     benchmarks, written to build/bench.json"
	@echo "make package   dist/scene_finder-$(VERSION).zip"
	@echo "make deploy    install into the QGIS profile PROFILE (default: $(PROFILE))"

setup: apt-packages $(VENV)/.ready $(PKGROOT)/scene_finder

# Installs only the Debian packages that are missing, so it is quick when all are there.
apt-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
			--no-install-recommends $$missing; \
	fi

$(VENV)/.ready: requirements-dev.txt | apt-packages
	@[ -x $(PYTHON) ] || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PYTHON) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(PKGROOT)/scene_finder:
	@mkdir -p $(PKGROOT)
	@ln -sfn $(CURDIR) $@

lint: setup
	$(VENV)/bin/ruff check .

test: setup lint
	$(PYTHON) -m pytest

# The same suite on the newest QGIS Debian has (sid), in a root built once with mmdebstrap and
# cached under build/ (tools/qgis_latest.sh; needs root for chroot and mounts).
test-qgis-latest: $(PKGROOT)/scene_finder
	$(SUDO) tools/qgis_latest.sh test $(PYTEST_ARGS)

emulator: setup
	$(PYTHON) -m scene_finder.emulator $(EMULATOR_ARGS)

# Benchmarks; the peer clients they compare with live in a venv of their own (bench only).
bench: setup bench-peers
	$(PYTHON) -m scene_finder.bench

bench-peers: build/bench-peers-venv/.installed

build/bench-peers-venv/.installed: bench/requirements-peers.txt
	@[ -x build/bench-peers-venv/bin/python ] || $(SYSTEM_PYTHON) -m venv build/bench-peers-venv
	build/bench-peers-venv/bin/python -m pip install -q --disable-pip-version-check -r $<
	@cp $< $@

# PNGs of the dock at work for the README, rendered offscreen against the emulator.
screenshots: setup
	$(PYTHON) tools/screenshots.py --output docs/screenshots

package:
	$(SYSTEM_PYTHON) tools/package.py --output dist/scene_finder-$(VERSION).zip

# Updates i18n/scene_finder_en.ts from the sources (built-in extractor; TS_TOOL=--pylupdate5 for PyQt's).
translations:
	@if [ "$(TS_TOOL)" = --pylupdate5 ] && ! command -v pylupdate5 >/dev/null; then \
		$(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
			--no-install-recommends pyqt5-dev-tools; fi
	$(SYSTEM_PYTHON) tools/translations.py $(TS_TOOL)

deploy:
	@dest="$(QGIS_PROFILES)/$(PROFILE)/python/plugins/scene_finder"; \
	rm -rf "$$dest" && mkdir -p "$$dest" && \
	$(SYSTEM_PYTHON) tools/package.py --copy-to "$$dest" && \
	echo "Installed into $$dest; enable it in Plugins > Manage and Install Plugins."

run: setup
	@command -v qgis >/dev/null || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q qgis; }
	$(PYTHON) tools/run_qgis.py

demo: setup
	@command -v qgis >/dev/null || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q qgis; }
	$(PYTHON) tools/run_qgis.py --demo

clean:
	rm -rf build dist .pytest_cache .ruff_cache
