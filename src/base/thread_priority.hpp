// Scheduling a thread below everything else. The indexer runs so: under a flood the CPU and the
// disk go to accepting mail, and the index catches up when the flood ebbs (the spool holds the
// backlog).
#pragma once

#include "base/result.hpp"

namespace spampot {

// The calling thread runs only when no other thread of the machine wants the CPU (Linux
// SCHED_IDLE; where that is refused, the lowest nice value of 19), and its reads and writes go to
// the disk only when nothing else waits there (the idle I/O class, which the mq-deadline, BFQ and
// Kyber schedulers honour): an SQLite checkpoint then no longer delays the journal's fdatasync,
// on which every 250 waits. An error says which of the two could not be lowered; the thread runs
// on either way.
Status run_when_idle();

}  // namespace spampot
