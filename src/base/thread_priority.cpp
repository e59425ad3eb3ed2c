#include "base/thread_priority.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace spampot {

Status run_when_idle() {
  sched_param none{};
  const int e = pthread_setschedparam(pthread_self(), SCHED_IDLE, &none);
  if (e == 0) return {};
  // setpriority with a thread id sets that thread's nice value alone (a Linux property).
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19) == 0) return {};
  return Error{std::string("cannot lower the thread's priority: ") + std::strerror(e)};
}

}  // namespace spampot
