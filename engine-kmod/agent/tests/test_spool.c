// SPDX-License-Identifier: GPL-2.0-only
/*
 * Spool tests on real files in a temporary directory: round trip across restarts, a torn tail
 * truncated, corrupt segments quarantined and reported, a full spool that counts exactly what it
 * lost (also across a SIGKILL), and deletion of acknowledged segments.
 */
#define _GNU_SOURCE
#include "../spool.h"
#include "../link.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static char logbuf[1 << 16];

#define CHECK(c, ...) do { if (!(c)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static void capture(void *ctx, const char *msg)
{
	size_t n = strlen(logbuf);

	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", msg);
}

static char *fresh_dir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/test-spool-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	return dir;
}

static void rm_rf(const char *dir)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
}

static struct spool *open_spool(const char *dir, uint64_t max)
{
	char err[300];
	struct spool *s;

	logbuf[0] = 0;
	s = spool_open(dir, max, 1000, capture, NULL, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "spool_open: %s\n", err);
		exit(2);
	}
	return s;
}

/* A record whose content follows from its number, so a read can check it. */
static void make(struct record *r, uint64_t k)
{
	memset(r, 0, sizeof(*r));
	r->time_ms = 1700000000000ull + k;
	r->generation = 0xabcdef00 + k % 7;
	r->hook = k % 3;
	r->verdict = k % 2;
	r->proto = 6;
	r->v4 = 1;
	r->src[10] = r->src[11] = 0xff;
	r->src[15] = (uint8_t)k;
	r->dst[15] = (uint8_t)(k >> 8);
	r->sport = (uint16_t)(1000 + k);
	r->dport = 443;
	r->rule_id = (uint32_t)(k * 31);
	r->packets = 1 + k % 1000;
	r->bytes = 84 * r->packets + k;
	r->first_ms = r->time_ms - 500;
	r->last_ms = r->time_ms;
	r->in_if = 2 + k % 3;
	r->out_if = k % 5;
	r->tcp_flags = (uint16_t)(k & 0x3f);
	snprintf(r->in_name, sizeof(r->in_name), "lan%u", (unsigned)(k % 3));
	/* Some records have no output interface, and some a name of the longest kind. */
	if (k % 5)
		snprintf(r->out_name, sizeof(r->out_name), "%s", k % 2 ? "wan0" : "veth-0123456789");
}

static int same(const struct record *a, uint64_t k)
{
	struct record b;

	make(&b, a->time_ms - 1700000000000ull);
	b.seq = a->seq;
	return !memcmp(a, &b, sizeof(b)) && a->time_ms - 1700000000000ull == k;
}

/* Everything from seq `from` on: records into seqs[] (content checked), LOSS items into losses[]. */
struct readout {
	uint64_t nrec, nloss, seqs[20000];
	struct spool_item losses[64];
	int bad_content;
};

static void read_all(struct spool *s, uint64_t from, struct readout *o)
{
	static struct spool_item it[300];
	struct spool_cursor c;
	int n, i;

	memset(o, 0, sizeof(*o));
	spool_cursor_at(&c, from);
	while ((n = spool_read(s, &c, it, 300)) > 0) {
		for (i = 0; i < n; i++) {
			if (it[i].loss) {
				if (o->nloss < 64)
					o->losses[o->nloss] = it[i];
				o->nloss++;
			} else {
				if (o->nrec < 20000)
					o->seqs[o->nrec] = it[i].rec.seq;
				o->nrec++;
			}
		}
	}
}

static uint64_t append_n(struct spool *s, uint64_t k0, uint64_t n, uint64_t *lost)
{
	uint64_t k, stored = 0;
	struct record r;

	for (k = k0; k < k0 + n; k++) {
		int ret;

		make(&r, k);
		ret = spool_append(s, &r);
		if (ret == 0)
			stored++;
		else if (ret == 1 && lost)
			(*lost)++;
	}
	spool_sync(s);
	return stored;
}

static int count_files(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		if (strlen(de->d_name) > strlen(suffix) && !strcmp(de->d_name + strlen(de->d_name) - strlen(suffix), suffix))
			n++;
	if (d)
		closedir(d);
	return n;
}

/* The path of the i-th segment (sorted by name) of dir/spool. */
static void nth_segment(const char *dir, int i, char *out, size_t n)
{
	char sdir[200];
	struct dirent **list;
	int k, m, j = 0;

	snprintf(sdir, sizeof(sdir), "%s/spool", dir);
	m = scandir(sdir, &list, NULL, alphasort);
	out[0] = 0;
	for (k = 0; k < m; k++) {
		if (strstr(list[k]->d_name, ".seg") && j++ == i)
			snprintf(out, n, "%s/%s", sdir, list[k]->d_name);
		free(list[k]);
	}
	free(list);
}

static void flip_byte(const char *path, off_t off)
{
	int fd = open(path, O_RDWR);
	uint8_t b;

	if (fd < 0 || pread(fd, &b, 1, off) != 1) {
		perror(path);
		exit(2);
	}
	b ^= 0x20;
	if (pwrite(fd, &b, 1, off) != 1)
		exit(2);
	close(fd);
}

static void test_round_trip(void)
{
	char *dir = fresh_dir();
	struct spool *s = open_spool(dir, 64 << 20);
	static struct readout o;
	static struct spool_item it[300];
	struct spool_cursor c;
	struct spool_stats st;
	uint64_t i;
	int n, ok = 1;

	CHECK(append_n(s, 0, 1000, NULL) == 1000, "all stored");
	spool_cursor_at(&c, 0);
	for (i = 0; i < 1000;) {
		n = spool_read(s, &c, it, 300);
		if (n <= 0)
			break;
		for (int k = 0; k < n; k++, i++)
			ok &= !it[k].loss && it[k].rec.seq == i && same(&it[k].rec, i);
	}
	CHECK(ok && i == 1000, "1000 records back in order with their content (%llu)", (unsigned long long)i);
	spool_close(s);

	s = open_spool(dir, 64 << 20);
	spool_stats(s, &st);
	CHECK(st.next_seq == 1000, "numbers continue after a restart: next %llu", (unsigned long long)st.next_seq);
	read_all(s, 400, &o);
	CHECK(o.nrec == 600 && o.nloss == 0 && o.seqs[0] == 400 && o.seqs[599] == 999, "read from 400: %llu records",
	      (unsigned long long)o.nrec);
	{
		struct record r;

		make(&r, 5000);
		CHECK(spool_append(s, &r) == 0 && r.seq == 1000, "next record gets seq 1000 (%llu)", (unsigned long long)r.seq);
	}
	/* Not yet fsynced: not readable yet, so a power cut cannot take back a number a reader saw. */
	read_all(s, 1000, &o);
	CHECK(o.nrec == 0, "unsynced record withheld");
	spool_sync(s);
	read_all(s, 1000, &o);
	CHECK(o.nrec == 1, "synced record readable");
	spool_close(s);

	/* SIGKILL right after appends that were never fsynced: the page cache keeps them. */
	{
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct spool *c = open_spool(dir, 64 << 20);
			struct record r;

			for (uint64_t k = 0; k < 500; k++) {
				make(&r, 2000 + k);
				if (spool_append(c, &r) != 0)
					_exit(4);
			}
			raise(SIGKILL);
			_exit(3);
		}
		waitpid(pid, &status, 0);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child killed");
	}
	s = open_spool(dir, 64 << 20);
	read_all(s, 1001, &o);
	ok = o.nrec == 500 && o.nloss == 0;
	for (i = 0; ok && i < 500; i++)
		ok = o.seqs[i] == 1001 + i;
	CHECK(ok, "all 500 records appended before the SIGKILL are there (%llu)", (unsigned long long)o.nrec);
	spool_close(s);
	rm_rf(dir);
}

static void test_torn_tail(void)
{
	char *dir = fresh_dir(), seg[600];
	struct spool *s = open_spool(dir, 64 << 20);
	static struct readout o;
	struct spool_stats st;
	struct stat sb;
	off_t good;
	int fd;

	append_n(s, 0, 300, NULL);
	spool_close(s);
	nth_segment(dir, 0, seg, sizeof(seg));
	stat(seg, &sb);
	good = sb.st_size;
	/* Half an entry at the end: what a power cut in the middle of a write leaves. */
	fd = open(seg, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, "\x4c\x00\x00\x00\x4c\x00\x01\x00garbage-of-a-torn-write", 31) == 31, "append torn bytes");
	close(fd);
	s = open_spool(dir, 64 << 20);
	CHECK(strstr(logbuf, "truncated a torn tail of 31 bytes") != NULL, "torn tail reported: %s", logbuf);
	stat(seg, &sb);
	CHECK(sb.st_size == good, "file truncated to %lld bytes (is %lld)", (long long)good, (long long)sb.st_size);
	spool_stats(s, &st);
	CHECK(st.next_seq == 300 && st.quarantined == 0, "next %llu", (unsigned long long)st.next_seq);
	read_all(s, 0, &o);
	CHECK(o.nrec == 300 && o.nloss == 0, "all 300 records kept (%llu, %llu losses)", (unsigned long long)o.nrec,
	      (unsigned long long)o.nloss);
	append_n(s, 300, 10, NULL);
	read_all(s, 0, &o);
	CHECK(o.nrec == 310 && o.seqs[309] == 309, "appends continue after the cut");
	spool_close(s);
	rm_rf(dir);
}

static void test_corrupt_segments(void)
{
	char *dir = fresh_dir(), want[100], seg1[600], seg3[600], last[600], cdir[300];
	struct spool *s = open_spool(dir, 96 << 10); /* 12 KiB segments: 103 records each */
	static struct readout o;
	struct spool_stats st;
	uint64_t i, first1, first2, first3, first4, in_range = 0;
	int ok = 1;

	append_n(s, 0, 600, NULL);
	spool_close(s);
	nth_segment(dir, 1, seg1, sizeof(seg1));
	nth_segment(dir, 3, seg3, sizeof(seg3));
	first1 = strtoull(strrchr(seg1, '/') + 1, NULL, 16);
	{
		char p[600];

		nth_segment(dir, 2, p, sizeof(p));
		first2 = strtoull(strrchr(p, '/') + 1, NULL, 16);
		nth_segment(dir, 4, p, sizeof(p));
		first4 = strtoull(strrchr(p, '/') + 1, NULL, 16);
	}
	first3 = strtoull(strrchr(seg3, '/') + 1, NULL, 16);
	/* A flipped bit inside an entry of segment 1, and a damaged header of segment 3. */
	flip_byte(seg1, SPOOL_HDR + 10 * SPOOL_REC_ENTRY + 40);
	flip_byte(seg3, 9);
	s = open_spool(dir, 96 << 10);
	snprintf(want, sizeof(want), "is corrupt (entry at byte offset %d fails its checks", SPOOL_HDR + 10 * SPOOL_REC_ENTRY);
	CHECK(strstr(logbuf, want) != NULL
	      && strstr(logbuf, "is corrupt (bad segment header)") != NULL && strstr(logbuf, "not loaded") != NULL,
	      "both corruptions reported: %s", logbuf);
	snprintf(cdir, sizeof(cdir), "%s/spool/corrupt", dir);
	CHECK(count_files(cdir, ".seg") == 2, "two segments quarantined");
	spool_stats(s, &st);
	CHECK(st.quarantined == 2 && st.next_seq == 600, "quarantined %u next %llu", st.quarantined,
	      (unsigned long long)st.next_seq);
	read_all(s, 0, &o);
	CHECK(o.nloss == 2 && o.losses[0].first == first1 && o.losses[0].count == first2 - first1
	      && o.losses[0].reason == SPOOL_LOST_CORRUPT && o.losses[1].first == first3
	      && o.losses[1].count == first4 - first3 && o.losses[1].reason == SPOOL_LOST_CORRUPT,
	      "the two ranges reported as LOSS items (%llu)", (unsigned long long)o.nloss);
	for (i = 0; i < o.nrec; i++) {
		ok &= !((o.seqs[i] >= first1 && o.seqs[i] < first2) || (o.seqs[i] >= first3 && o.seqs[i] < first4));
		in_range += i > 0 && o.seqs[i] != o.seqs[i - 1] + 1;
	}
	CHECK(ok && o.nrec == 600 - (first2 - first1) - (first4 - first3), "nothing of the bad segments loaded (%llu)",
	      (unsigned long long)o.nrec);
	CHECK(in_range == 2, "exactly two jumps in the numbers");
	spool_close(s);

	/* The holes survive another restart (the quarantined files explain them). */
	s = open_spool(dir, 96 << 10);
	read_all(s, 0, &o);
	CHECK(o.nloss == 2 && o.losses[1].reason == SPOOL_LOST_CORRUPT, "holes still explained after a restart");

	/* Damage inside the newest segment with sound entries after it: quarantined, never reused. */
	append_n(s, 600, 50, NULL);
	spool_stats(s, &st);
	spool_close(s);
	nth_segment(dir, 3, last, sizeof(last)); /* 0, 2, 4, 5 remain: index 3 is the newest */
	flip_byte(last, SPOOL_HDR + 2 * SPOOL_REC_ENTRY + 20);
	s = open_spool(dir, 96 << 10);
	{
		struct spool_stats st2;
		struct record r;

		spool_stats(s, &st2);
		CHECK(strstr(logbuf, "is corrupt") != NULL && st2.quarantined == 1, "newest segment quarantined: %s", logbuf);
		make(&r, 7);
		CHECK(spool_append(s, &r) == 0 && r.seq >= st.next_seq, "no number reused: %llu >= %llu",
		      (unsigned long long)r.seq, (unsigned long long)st.next_seq);
	}
	spool_close(s);
	rm_rf(dir);
}

static void test_full(void)
{
	char *dir = fresh_dir();
	struct spool *s = open_spool(dir, 16384); /* 2 KiB segments */
	static struct readout o;
	struct spool_stats st;
	uint64_t lost = 0, stored, last_rec, i;
	char err[200];
	int del, contiguous = 1;

	stored = append_n(s, 0, 1000, &lost);
	spool_stats(s, &st);
	CHECK(stored + lost == 1000 && lost > 700, "stored %llu lost %llu", (unsigned long long)stored,
	      (unsigned long long)lost);
	CHECK(st.lost[SPOOL_LOST_FULL] == lost && st.next_seq == 1000, "counter %llu == %llu lost, next %llu",
	      (unsigned long long)st.lost[SPOOL_LOST_FULL], (unsigned long long)lost, (unsigned long long)st.next_seq);
	CHECK(st.bytes <= st.max_bytes, "within its limit: %llu of %llu", (unsigned long long)st.bytes,
	      (unsigned long long)st.max_bytes);
	CHECK(strstr(logbuf, "spool: full") != NULL, "fullness logged");
	/* While the loss still grows, readers get the records but not the unfinished LOSS item. */
	read_all(s, 0, &o);
	CHECK(o.nrec == stored && o.nloss == 0, "records before the loss readable (%llu)", (unsigned long long)o.nrec);
	last_rec = o.seqs[o.nrec - 1];
	del = spool_ack(s, last_rec, err, sizeof(err));
	CHECK(del > 0, "acknowledged segments deleted (%d)", del);
	read_all(s, last_rec + 1, &o);
	CHECK(o.nloss == 1 && o.nrec == 0 && o.losses[0].first == stored && o.losses[0].count == lost
	      && o.losses[0].reason == SPOOL_LOST_FULL, "one LOSS item: first %llu count %llu reason %u",
	      (unsigned long long)o.losses[0].first, (unsigned long long)o.losses[0].count, o.losses[0].reason);
	/* Room again: new records are stored after the lost range. */
	append_n(s, 1000, 5, NULL);
	read_all(s, last_rec + 1, &o);
	CHECK(o.nloss == 1 && o.nrec == 5 && o.seqs[0] == 1000, "stored after the loss");
	spool_close(s);

	/* A SIGKILL while full keeps the exact count (the LOSS entry is rewritten in place). */
	{
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			struct spool *c = open_spool(dir, 16384);

			append_n(c, 0, 2000, NULL);
			raise(SIGKILL);
			_exit(3);
		}
		waitpid(pid, &status, 0);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child killed");
	}
	s = open_spool(dir, 16384);
	spool_stats(s, &st);
	CHECK(st.next_seq == 3005, "every number handed out before the kill is remembered: next %llu",
	      (unsigned long long)st.next_seq);
	CHECK(strstr(logbuf, "still full at start") != NULL, "restart while full reported: %s", logbuf);
	{
		/* Still full after the restart: the same LOSS entry goes on counting, nothing grows. */
		uint64_t bytes = st.bytes, more = 0;

		append_n(s, 5000, 100, &more);
		spool_stats(s, &st);
		CHECK(more == 100 && st.bytes == bytes && st.next_seq == 3105, "100 more lost in place (%llu, %llu bytes)",
		      (unsigned long long)more, (unsigned long long)st.bytes);
	}
	read_all(s, 1000, &o);
	for (i = 0; i < o.nrec; i++)
		contiguous &= o.seqs[i] == 1000 + i;
	CHECK(contiguous && o.nrec > 0 && o.nloss == 0, "records, then the open loss withheld (%llu records, %llu losses)",
	      (unsigned long long)o.nrec, (unsigned long long)o.nloss);
	last_rec = 1000 + o.nrec - 1;
	CHECK(spool_ack(s, last_rec, err, sizeof(err)) > 0, "acknowledgement frees room");
	read_all(s, last_rec + 1, &o);
	CHECK(o.nrec == 0 && o.nloss == 1 && o.losses[0].first == last_rec + 1 && o.losses[0].count == 3104 - last_rec
	      && o.losses[0].reason == SPOOL_LOST_FULL, "one LOSS item for %llu..3104 across the SIGKILL (records %llu, "
	      "losses %llu, first %llu count %llu)", (unsigned long long)last_rec + 1, (unsigned long long)o.nrec,
	      (unsigned long long)o.nloss, (unsigned long long)o.losses[0].first, (unsigned long long)o.losses[0].count);
	spool_close(s);
	/* Closed for good: a restart neither reopens it nor counts it again. */
	s = open_spool(dir, 16384);
	read_all(s, last_rec + 1, &o);
	CHECK(o.nloss == 1 && o.losses[0].count == 3104 - last_rec && strstr(logbuf, "still full") == NULL, "stays closed");
	spool_close(s);
	rm_rf(dir);
}

static void test_ack(void)
{
	char *dir = fresh_dir(), sdir[200];
	struct spool *s = open_spool(dir, 96 << 10);
	static struct readout o;
	struct spool_stats st;
	char err[200];
	int before, del;

	append_n(s, 0, 600, NULL);
	snprintf(sdir, sizeof(sdir), "%s/spool", dir);
	before = count_files(sdir, ".seg");
	CHECK(before >= 5, "several segments (%d)", before);
	CHECK(spool_ack(s, 600, err, sizeof(err)) < 0 && strstr(err, "600"), "ack beyond the last number refused");
	del = spool_ack(s, 250, err, sizeof(err));
	spool_stats(s, &st);
	CHECK(del >= 1 && count_files(sdir, ".seg") == before - del, "%d segments deleted", del);
	CHECK(st.oldest_seq <= 251 && st.oldest_seq > 0, "oldest kept %llu", (unsigned long long)st.oldest_seq);
	read_all(s, 0, &o);
	CHECK(o.nloss == 1 && o.losses[0].first == 0 && o.losses[0].count == st.oldest_seq
	      && o.losses[0].reason == SPOOL_LOST_DELETED && o.nrec == 600 - st.oldest_seq,
	      "a reader from 0 learns what was deleted, then gets the rest");
	del = spool_ack(s, 599, err, sizeof(err));
	CHECK(count_files(sdir, ".seg") == 1, "all but the newest segment deleted (%d)", count_files(sdir, ".seg"));
	spool_close(s);
	s = open_spool(dir, 96 << 10);
	spool_stats(s, &st);
	CHECK(st.next_seq == 600 && st.segments == 1, "after a restart: next %llu, %u segment",
	      (unsigned long long)st.next_seq, st.segments);
	read_all(s, 0, &o);
	CHECK(o.nloss == 1 && o.losses[0].reason == SPOOL_LOST_DELETED, "deleted range explained after a restart");
	spool_close(s);
	rm_rf(dir);
}

/*
 * Spools written by older agents (docs/protocol.md section 9): before entries held the flow
 * counters (76-byte records), they still load, their records read with packets 0 ("not known");
 * before they held interface names (120 bytes), they read with their counters and no names. New
 * records continue the numbering in the current format.
 */
static void test_old_entries(size_t len)
{
	char *dir = fresh_dir(), path[300];
	uint8_t h[SPOOL_HDR], e[SPOOL_REC_ENTRY_V2];
	static struct spool_item it[16];
	struct spool_cursor c;
	struct spool *s;
	struct record r;
	uint64_t k;
	int fd, n, ok = 1;

	snprintf(path, sizeof(path), "%s/spool", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/spool/%016llx.seg", dir, 0ull);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	memset(h, 0, sizeof(h));
	memcpy(h, "RSPL", 4);
	rl_put16(h + 4, 1);
	rl_put16(h + 6, SPOOL_HDR);
	rl_put64(h + 8, 0);
	rl_put64(h + 16, 0x1234);
	rl_put32(h + 28, rl_crc32c(h, 28));
	CHECK(write(fd, h, sizeof(h)) == (ssize_t)sizeof(h), "header written");
	for (k = 0; k < 3; k++) {
		uint8_t *b = e + 16;

		make(&r, k);
		memset(e, 0, sizeof(e));
		rl_put16(e + 4, (uint16_t)len);
		e[6] = 1;
		rl_put64(e + 8, k);
		rl_put64(b, r.time_ms);
		rl_put64(b + 8, r.generation);
		b[16] = r.hook; b[17] = r.verdict; b[18] = r.proto; b[19] = r.v4;
		memcpy(b + 20, r.src, 16);
		memcpy(b + 36, r.dst, 16);
		rl_put16(b + 52, r.sport);
		rl_put16(b + 54, r.dport);
		rl_put32(b + 56, r.rule_id);
		if (len >= SPOOL_REC_ENTRY_V2) {
			rl_put64(b + 60, r.packets);
			rl_put64(b + 68, r.bytes);
			rl_put64(b + 76, r.first_ms);
			rl_put64(b + 84, r.last_ms);
			rl_put32(b + 92, r.in_if);
			rl_put32(b + 96, r.out_if);
			rl_put16(b + 100, r.tcp_flags);
		}
		rl_put32(e, rl_crc32c(e + 4, len - 4));
		CHECK(write(fd, e, len) == (ssize_t)len, "entry written");
	}
	close(fd);
	s = open_spool(dir, 64 << 20);
	make(&r, 3);
	CHECK(spool_append(s, &r) == 0 && r.seq == 3, "a new record after three old ones gets 3 (%llu)",
	      (unsigned long long)r.seq);
	spool_sync(s);
	spool_cursor_at(&c, 0);
	n = spool_read(s, &c, it, 16);
	CHECK(n == 4, "4 records read (%d)", n);
	for (k = 0; n == 4 && k < 3; k++) {
		make(&r, k);
		ok &= !it[k].loss && it[k].rec.seq == k && it[k].rec.time_ms == r.time_ms && it[k].rec.rule_id == r.rule_id
		      && it[k].rec.sport == r.sport && !memcmp(it[k].rec.src, r.src, 16)
		      && !it[k].rec.in_name[0] && !it[k].rec.out_name[0];
		if (len < SPOOL_REC_ENTRY_V2)
			ok &= it[k].rec.packets == 0 && it[k].rec.bytes == 0 && it[k].rec.last_ms == 0;
		else
			ok &= it[k].rec.packets == r.packets && it[k].rec.bytes == r.bytes
			      && it[k].rec.last_ms == r.last_ms && it[k].rec.in_if == r.in_if
			      && it[k].rec.out_if == r.out_if && it[k].rec.tcp_flags == r.tcp_flags;
	}
	CHECK(ok, "old %zu-byte entries decode with their fields (counters from 120 bytes on), no names", len);
	CHECK(n == 4 && same(&it[3].rec, 3) && it[3].rec.packets == 4 && it[3].rec.bytes == 84 * 4 + 3
	      && it[3].rec.in_if == 2 && it[3].rec.tcp_flags == 3 && !strcmp(it[3].rec.in_name, "lan0")
	      && !strcmp(it[3].rec.out_name, "wan0"), "the new entry keeps its counters and names");
	spool_close(s);
	rm_rf(dir);
}

int main(void)
{
	test_old_entries(SPOOL_REC_ENTRY_V1);
	test_old_entries(SPOOL_REC_ENTRY_V2);
	test_round_trip();
	test_torn_tail();
	test_corrupt_segments();
	test_full();
	test_ack();
	if (failures) {
		fprintf(stderr, "test-spool: %d failures\n", failures);
		return 1;
	}
	printf("test-spool: all passed\n");
	return 0;
}
