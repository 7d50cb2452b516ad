# SPDX-License-Identifier: GPL-2.0-only
# rampartd and its tests (make -f rampartd.mk [test]); the classifier core is compiled in from
# ../core (no shared library). Kept apart from the Makefile that builds rampartctl.
CC ?= gcc
AGENT_CFLAGS = -std=c11 -O2 -g -Wall -Wextra -Wno-unused-parameter
CORE_SRC = ../core/verify.c ../core/classify.c
AGENT_OUT = build

all: $(AGENT_OUT)/rampartd $(AGENT_OUT)/test-link $(AGENT_OUT)/test-ipfix $(AGENT_OUT)/test-spool \
	$(AGENT_OUT)/test-ifcache

$(AGENT_OUT):
	mkdir -p $(AGENT_OUT)

$(AGENT_OUT)/rampartd: rampartd.c box.c box.h ifcache.c ifcache.h ipfix.c ipfix.h link.c link.h rampart_nl.c rampart_nl.h spool.c spool.h $(CORE_SRC) | $(AGENT_OUT)
	$(CC) $(AGENT_CFLAGS) -o $@ rampartd.c box.c ifcache.c ipfix.c link.c rampart_nl.c spool.c $(CORE_SRC) -lz

$(AGENT_OUT)/test-link: tests/test_link.c link.c link.h | $(AGENT_OUT)
	$(CC) $(AGENT_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ tests/test_link.c link.c

$(AGENT_OUT)/test-ipfix: tests/test_ipfix.c ipfix.c ipfix.h box.h | $(AGENT_OUT)
	$(CC) $(AGENT_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ tests/test_ipfix.c ipfix.c

$(AGENT_OUT)/test-spool: tests/test_spool.c spool.c spool.h box.h link.c link.h | $(AGENT_OUT)
	$(CC) $(AGENT_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ tests/test_spool.c spool.c link.c

$(AGENT_OUT)/test-ifcache: tests/test_ifcache.c ifcache.c ifcache.h | $(AGENT_OUT)
	$(CC) $(AGENT_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ tests/test_ifcache.c ifcache.c

$(AGENT_OUT)/bench-spool: tests/bench_spool.c spool.c spool.h box.h link.c link.h | $(AGENT_OUT)
	$(CC) $(AGENT_CFLAGS) -o $@ tests/bench_spool.c spool.c link.c

# The fsync policy's cost (docs/benchmarks.md); not part of the tests.
bench-spool: $(AGENT_OUT)/bench-spool
	$(AGENT_OUT)/bench-spool $(AGENT_OUT)

# The IPFIX end-to-end test needs nfdump's nfcapd (scripts/ensure-tools.sh test installs it).
test: $(AGENT_OUT)/test-link $(AGENT_OUT)/test-ipfix $(AGENT_OUT)/test-spool $(AGENT_OUT)/test-ifcache \
		$(AGENT_OUT)/rampartd
	$(AGENT_OUT)/test-link
	$(AGENT_OUT)/test-ipfix
	$(AGENT_OUT)/test-spool
	$(AGENT_OUT)/test-ifcache
	tests/ipfix_e2e.sh $(AGENT_OUT)

clean:
	rm -rf $(AGENT_OUT)

.PHONY: all test clean bench-spool
