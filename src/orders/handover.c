/*
 * handover.c - ORD-12 who may see, acknowledge and tick a handover (pure).
 */
#include "orders/handover.h"

#include "lib/common.h"

int handover_is_receiver(const struct handover_parties *h, const struct auth_user *u)
{
	if (h->to_user_id)
		return u->id == h->to_user_id;
	return u->role == h->to_role && u->id != h->from_user_id;
}

int handover_is_lead(const struct auth_user *u)
{
	return u->role == ROLE_BOSS || u->role == ROLE_CS_LEAD;
}

int handover_may_ack(const struct handover_parties *h, const struct auth_user *u,
		     struct err *err)
{
	if (handover_is_receiver(h, u) || handover_is_lead(u))
		return 0;
	return err_set(err, ERR_FORBIDDEN, "", "只有接班人或主管/店长可以确认交接",
		       "only the receiver, a lead or the boss may acknowledge a handover");
}

int handover_may_see(const struct handover_parties *h, const struct auth_user *u)
{
	return u->id == h->from_user_id || handover_is_receiver(h, u) || handover_is_lead(u);
}

int handover_may_tick(const struct handover_parties *h, const struct auth_user *u,
		      struct err *err)
{
	if (u->id == h->from_user_id || handover_is_receiver(h, u) || handover_is_lead(u))
		return 0;
	return err_set(err, ERR_FORBIDDEN, "", "只有交班人、接班人或主管/店长可以处理交接事项",
		       "only the sender, the receiver, a lead or the boss may tick a handover item");
}
