/*
 * mask.h - masking of customer personal data for roles that don't need it (SPEC section 0).
 *
 * mask_phone: mainland mobile "13812345678" -> "138****5678" (also with a +86/86
 *   prefix or spaces/dashes inside, which are dropped); landline "0571-88886666" ->
 *   "0571-****6666"; anything else keeps at most its last 4 characters: "****5678".
 *   Short values (< 7 digits) become "****".
 * mask_address: keeps the administrative prefix up to and including the first
 *   district-level marker (区 县 旗 市 after a province/city) and replaces the rest
 *   with "****": "浙江省杭州市西湖区文三路90号" -> "浙江省杭州市西湖区****".
 *   With no marker, keeps the first 6 characters. Empty stays empty.
 * Both append UTF-8 to out and never split a character.
 */
#ifndef LIB_MASK_H
#define LIB_MASK_H

struct sb;

void mask_phone(const char *phone, struct sb *out);
void mask_address(const char *address, struct sb *out);

#endif
