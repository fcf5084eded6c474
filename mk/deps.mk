# `make deps`: install the Debian packages every part registered in
# DEB_PACKAGES, only those missing.  Build rules depend on the stamp so a
# fresh machine installs before it compiles.
DEB_PACKAGES += gcc make

.PHONY: deps
deps:
	@missing=""; for p in $(sort $(DEB_PACKAGES)); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi
	@mkdir -p $(BUILD) && touch $(DEPS_STAMP)

$(DEPS_STAMP):
	@$(MAKE) --no-print-directory deps
