/* The audit hash chain: pure computation (no I/O).
 *
 * Each entry's hash is SHA-256 over the previous entry's hash (32 raw
 * bytes; zeros before the first entry) followed by the entry's canonical
 * bytes:
 *
 *     "vulnd-audit-1\n" then, for seq, at, actor, action, target, outcome
 *     and why in that order: decimal byte length, ':', the bytes, '\n'
 *
 * (seq in decimal).  Length prefixes make the encoding unambiguous, and
 * seq inside the hashed bytes makes a moved entry detectable even when
 * its link happens to fit.  The store keeps the entries and the chain's
 * anchor (after pruning) and head; see docs/security.md.
 */
#include "vulnd/auth.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char ZERO_HASH[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void add_field(crypto_hash_sha256_state *st, const char *v)
{
	if (!v)
		v = "";
	size_t n = strlen(v);
	char len[32];
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
	crypto_hash_sha256_update(st, (const unsigned char *)v, n);
	crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

static bool hex64(const char *s, unsigned char out[32])
{
	size_t bin_len = 0;
	if (!s || strlen(s) != 64)
		return false;
	return sodium_hex2bin(out, 32, s, 64, NULL, &bin_len, NULL) == 0 && bin_len == 32;
}

int vd_audit_hash(const vd_audit_entry *e, char out[VD_HASH_HEX])
{
	unsigned char prev[32], h[crypto_hash_sha256_BYTES];
	if (!hex64(e->prev, prev))
		return vd_error_set(VD_EINVAL, "audit: entry %lld: previous hash is not 64 hex digits",
		                    (long long)e->seq);
	if (sodium_init() < 0)
		return vd_error_set(VD_EINTERNAL, "audit: libsodium failed to initialise");
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, prev, sizeof prev);
	static const char magic[] = "vulnd-audit-1\n";
	crypto_hash_sha256_update(&st, (const unsigned char *)magic, sizeof magic - 1);
	char seq[32];
	snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
	add_field(&st, seq);
	add_field(&st, e->at);
	add_field(&st, e->actor);
	add_field(&st, e->action);
	add_field(&st, e->target);
	add_field(&st, e->outcome);
	add_field(&st, e->why);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, VD_HASH_HEX, h, sizeof h);
	return VD_OK;
}

int vd_audit_seal(vd_audit_entry *e)
{
	if (!e->prev[0])
		memcpy(e->prev, ZERO_HASH, sizeof ZERO_HASH);
	return vd_audit_hash(e, e->hash);
}

void vd_audit_verify_start(vd_audit_verifier *v, int64_t anchor_seq, const char *anchor_hash)
{
	memset(v, 0, sizeof *v);
	v->next_seq = anchor_seq + 1;
	vd_strlcpy(v->prev, anchor_hash && *anchor_hash ? anchor_hash : ZERO_HASH, sizeof v->prev);
}

static bool broken(vd_audit_verifier *v, int64_t seq, const char *fmt, const char *detail)
{
	v->bad_seq = seq;
	snprintf(v->why, sizeof v->why, fmt, (long long)seq, detail ? detail : "");
	return false;
}

bool vd_audit_verify_next(vd_audit_verifier *v, const vd_audit_entry *e)
{
	if (v->bad_seq)
		return false;
	if (e->seq > v->next_seq)
		return broken(v, v->next_seq, "entry %lld is missing (deleted)%s", NULL);
	if (e->seq < v->next_seq)
		return broken(v, e->seq, "entry %lld appears out of order or twice%s", NULL);
	if (strcmp(e->prev, v->prev) != 0)
		return broken(v, e->seq, "entry %lld does not link to the entry before it "
		              "(an entry was altered, deleted or reordered)%s", NULL);
	char h[VD_HASH_HEX];
	if (vd_audit_hash(e, h) != VD_OK || strcmp(h, e->hash) != 0)
		return broken(v, e->seq, "entry %lld was altered: its content does not match its hash%s", NULL);
	memcpy(v->prev, e->hash, sizeof v->prev);
	v->next_seq++;
	v->checked++;
	return true;
}

bool vd_audit_verify_end(vd_audit_verifier *v, int64_t head_seq, const char *head_hash)
{
	if (v->bad_seq)
		return false;
	int64_t last = v->next_seq - 1;
	if (head_seq > last)
		return broken(v, last + 1, "entry %lld is missing (deleted from the end of the chain)%s", NULL);
	if (head_seq < last)
		return broken(v, head_seq + 1, "entry %lld is past the recorded head of the chain "
		              "(added outside vulnd, or the head was altered)%s", NULL);
	if (head_seq == last && head_seq > 0 && head_hash && *head_hash && strcmp(head_hash, v->prev) != 0)
		return broken(v, last, "entry %lld does not match the recorded head of the chain%s", NULL);
	return true;
}
