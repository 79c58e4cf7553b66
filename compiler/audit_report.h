/*
 * audit_report.h - the report of `smcc audit`: a readable summary, the
 * first offenders and the coverage, or the same as one JSON object.
 * m is the machine audited (its transitions are the audit's, in order);
 * source the .sm it came from.
 */
#ifndef SMC_AUDIT_REPORT_H
#define SMC_AUDIT_REPORT_H

#include "audit.h"
#include "buf.h"
#include "model.h"

void smc_audit_text(smc_buf *out, const smc_audit *a, const smc_machine *m,
                    const char *source);
void smc_audit_json(smc_buf *out, const smc_audit *a, const smc_machine *m,
                    const char *source);

#endif
