#include "base/thread_priority.hpp"

#include <gtest/gtest.h>
#include <linux/ioprio.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

namespace spampot {
namespace {

TEST(ThreadPriority, TheIndexersThreadYieldsTheCpuAndTheDiskAndNoOtherThreadDoes) {
  const long io_before = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);
  int policy = -1;
  int nice = 0;
  long io_class = -1;
  std::thread idle([&] {
    ASSERT_TRUE(run_when_idle().ok());
    policy = sched_getscheduler(0);
    nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
    io_class = IOPRIO_PRIO_CLASS(syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0));
  });
  idle.join();
  EXPECT_TRUE(policy == SCHED_IDLE || nice == 19) << policy << " " << nice;
  EXPECT_EQ(io_class, IOPRIO_CLASS_IDLE);
  // The calling thread keeps its own priorities: the network thread must not inherit the idle ones.
  EXPECT_NE(sched_getscheduler(0), SCHED_IDLE);
  EXPECT_EQ(syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0), io_before);
}

}  // namespace
}  // namespace spampot
