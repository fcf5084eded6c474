# Debian packages the project needs; `make deps` installs the missing ones.
DEB_PACKAGES := gcc clang make libcunit1-dev libxxhash-dev libclang-rt-14-dev

.PHONY: deps
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi
	@touch $(BUILD)/.deps 2>/dev/null || (mkdir -p $(BUILD) && touch $(BUILD)/.deps)
