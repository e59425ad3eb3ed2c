// Scheduling a thread below everything else. The indexer runs so: under a flood the CPU goes to
// accepting mail, and the index catches up when the flood ebbs (the spool holds the backlog).
#pragma once

#include "base/result.hpp"

namespace spampot {

// The calling thread runs only when no other thread of the machine wants the CPU (Linux
// SCHED_IDLE); where that is refused, at the lowest nice value of 19.
Status run_when_idle();

}  // namespace spampot
