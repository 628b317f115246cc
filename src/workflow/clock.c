/* Clocks of a case under its library's policy: the vendor acknowledgement
 * deadline, the fix deadline (default 45 days from notification), reminders
 * at fixed fractions of the fix window, escalation once a deadline passed,
 * and the Art. 7 late vendor report flag.  Pure: the service records which
 * items fired (each exactly once). */
#include "vulnd/workflow.h"
#include "vulnd/util.h"
#include <stdio.h>
#include <string.h>

const int vd_clock_reminder_pct[2] = {50, 80};

#define DAY 86400

static int64_t when(const char *s)
{
	int64_t t = 0;
	return s && vd_time_parse(s, &t) == 0 ? t : 0;
}

void vd_clock_of(const vd_case *c, const vd_library_info *lib, vd_case_clock *out)
{
	memset(out, 0, sizeof *out);
	int ack = lib && lib->ack_days > 0 ? lib->ack_days : VD_DEFAULT_ACK_DAYS;
	int fix = lib && lib->fix_days > 0 ? lib->fix_days : VD_DEFAULT_FIX_DAYS;
	out->notified = when(c->notified_at);
	out->acked = c->acked_at != NULL || (c->fix_status != NULL);
	out->fixed = c->fix_status && strcmp(c->fix_status, "released") == 0;
	if (out->notified) {
		out->ack_due = out->notified + (int64_t)ack * DAY;
		out->fix_due = out->notified + (int64_t)fix * DAY;
	}
}

static void item(vd_clock_item *it, const char *kind, int64_t due, int64_t deadline, bool esc)
{
	memset(it, 0, sizeof *it);
	vd_strlcpy(it->kind, kind, sizeof it->kind);
	it->due = due;
	it->deadline = deadline;
	it->escalation = esc;
}

size_t vd_clock_due(const vd_case *c, const vd_library_info *lib, int64_t now, vd_clock_item out[VD_CLOCK_ITEMS])
{
	vd_case_clock ck;
	vd_clock_of(c, lib, &ck);
	size_t n = 0;
	/* clocks run while the vendor is working on it */
	if (!ck.notified || ck.fixed || vd_case_state_final(c->state) || c->state == VD_CS_RETESTED)
		return 0;
	if (!ck.acked && now >= ck.ack_due)
		item(&out[n++], "ack-overdue", ck.ack_due, ck.ack_due, true);
	int64_t win = ck.fix_due - ck.notified;
	for (int i = 0; i < 2; i++) {
		int64_t at = ck.notified + win * vd_clock_reminder_pct[i] / 100;
		if (now >= at && now < ck.fix_due) {
			char k[32];
			snprintf(k, sizeof k, "fix-reminder-%d", vd_clock_reminder_pct[i]);
			item(&out[n++], k, at, ck.fix_due, false);
		}
	}
	if (now >= ck.fix_due)
		item(&out[n++], "fix-overdue", ck.fix_due, ck.fix_due, true);
	return n;
}

bool vd_clock_art7_late(int64_t learned, int64_t submitted, const vd_library_info *lib)
{
	int days = lib && lib->report_days > 0 ? lib->report_days : VD_DEFAULT_REPORT_DAYS;
	return learned > 0 && submitted - learned > (int64_t)days * DAY;
}
