/*
 * redact.h - quoting untrusted text in messages (private).
 *
 * Every message that quotes a store URL, a part of one, or other input
 * goes through these, so no password and no raw control byte ever
 * reaches a log (README: "Secrets in messages").
 */
#ifndef SM_REDACT_H
#define SM_REDACT_H

#include <stddef.h>

/*
 * s[0..n) for a message, into dst (cap bytes, always NUL-terminated):
 * bytes outside printable ASCII and '\\' become \xNN; what does not
 * fit ends in "...".
 */
void sm_quote(char *dst, size_t cap, const char *s, size_t n);

/*
 * url quoted as sm_quote does, with its password hidden. The user info
 * is everything between the scheme's "://" (or the start, when no
 * "://" precedes the first '@') and the last '@'. Its user name, up to
 * the first ':', is kept when it holds no '/', '?' or '#'; the rest of
 * it becomes "***". The rest of the URL is shown as given.
 */
void sm_redact_url(char *dst, size_t cap, const char *url);

/* Where the user info of url starts, by the rule above. */
const char *sm_url_userinfo(const char *url);

#endif
