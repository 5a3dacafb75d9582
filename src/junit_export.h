/*
 * A JUnit XML report of a quarterly period for CI dashboards: one test
 * suite per tunnel and one test case per run, in the form Apache Ant's
 * JUnit task writes (the schema the tests keep in tests/data/junit/).
 */
#ifndef FP_JUNIT_EXPORT_H
#define FP_JUNIT_EXPORT_H

#include "quarterly.h"

/*
 * Write q's runs to path.  A run with verdict pass is a passing test
 * case; a failing verdict is a <failure> whose type is the verdict and
 * whose message names the cause; an inconclusive or unevaluated run is
 * <skipped>.  A test case's time is the run's MTTR in seconds (0 when
 * traffic did not recover).
 */
int junit_export(const struct quarterly *q, const char *path);

#endif
