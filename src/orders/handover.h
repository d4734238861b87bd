/*
 * handover.h - ORD-12 the shift handover sheet (交接表), the pure part.
 *
 * Seed [001]: "下班时,把要跟进处理的客人放进交接表里,给白班处理" - a leaving
 * shift lists its open items (orders to follow up, tasks not done, customers
 * to call back) for the next shift, whose person acknowledges the sheet.
 * A sheet goes to one named user, or, with no name, to anyone of a role (the
 * next shift of the same job: by default the sender's own role). Who may
 * acknowledge, who may see a sheet and who may tick its items is decided here.
 */
#ifndef ORDERS_HANDOVER_H
#define ORDERS_HANDOVER_H

#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"

#define HANDOVER_ITEMS_MAX 200
#define HANDOVER_TEXT_MAX 500  /* characters per item */
#define HANDOVER_SHIFT_MAX 20  /* characters: "夜班", "night", "早班 8-16" */
#define HANDOVER_NOTE_MAX 1000

/* Who a sheet is between. */
struct handover_parties {
	int64_t from_user_id;
	int64_t to_user_id; /* 0 = anyone of to_role */
	enum role to_role;
};

/* The receiver: the named user, or with no name anyone of to_role who is not
 * the sender. */
int handover_is_receiver(const struct handover_parties *h, const struct auth_user *u);

/* Leads (cs_lead) and the boss oversee every sheet. */
int handover_is_lead(const struct auth_user *u);

/* Acknowledging: the receiver, or a lead/boss. Refusal is ERR_FORBIDDEN. */
int handover_may_ack(const struct handover_parties *h, const struct auth_user *u,
		     struct err *err) WUR;

/* Reading a sheet: the sender, the receiver, a lead/boss. */
int handover_may_see(const struct handover_parties *h, const struct auth_user *u);

/* Ticking an item done: the receiver, the sender (it was done after all), a
 * lead/boss. Refusal is ERR_FORBIDDEN. */
int handover_may_tick(const struct handover_parties *h, const struct auth_user *u,
		      struct err *err) WUR;

#endif
