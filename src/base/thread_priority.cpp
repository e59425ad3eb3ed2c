#include "base/thread_priority.hpp"

#include <linux/ioprio.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace spampot {

Status run_when_idle() {
  std::string failed;
  sched_param none{};
  // setpriority with a thread id sets that thread's nice value alone (a Linux property).
  if (const int e = pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
      e != 0 && setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19) != 0)
    failed = std::string("cannot lower the thread's CPU priority: ") + std::strerror(e);
  // No glibc wrapper; the idle class needs no privilege (Linux 2.6.25).
  const int idle_io = IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0);
  if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, idle_io) != 0) {
    if (!failed.empty()) failed += "; ";
    failed += std::string("cannot lower the thread's I/O priority: ") + std::strerror(errno);
  }
  if (failed.empty()) return {};
  return Error{failed};
}

}  // namespace spampot
