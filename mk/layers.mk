# The layers include only what they may (tests/layers/check.py): the
# report only footprint.h of the core, the command line and the bindings
# only the two public headers and their own, no binding another's.  The
# check also plants each kind of violation in a scratch copy and fails
# unless it catches every one.
TEST_TARGETS += layer-check
HELP_LINES   += "make layer-check  includes across layers (core, report, cli, bindings, swig)"

.PHONY: layer-check

layer-check:
	$(PYTHON) tests/layers/check.py --self-test
