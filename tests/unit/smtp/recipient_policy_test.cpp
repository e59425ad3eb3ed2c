#include "smtp/recipient_policy.hpp"

#include <gtest/gtest.h>

namespace spampot::smtp {
namespace {

TEST(RecipientPolicy, CatchAllRulesAndRelay) {
  recipient_policy p({{"Trap.Example", false}, {"deep.example", true}},
                     {{"abuse@trap.example", false},
                      {"@widened.example", true},
                      {"ok@closed.example", true},
                      {"@closed.example", false}});
  struct {
    const char* rcpt;
    rcpt_verdict want;
  } cases[] = {
      {"anyone@trap.example", rcpt_verdict::trap},
      {"ANYONE@TRAP.EXAMPLE.", rcpt_verdict::trap},
      {"abuse@trap.example", rcpt_verdict::refused},
      {"Abuse@Trap.Example", rcpt_verdict::refused},
      {"x@sub.trap.example", rcpt_verdict::relay},  // subdomains off for trap.example
      {"x@sub.deep.example", rcpt_verdict::trap},
      {"x@notdeep.example", rcpt_verdict::relay},
      {"x@widened.example", rcpt_verdict::trap},
      {"ok@closed.example", rcpt_verdict::trap},
      {"other@closed.example", rcpt_verdict::refused},
      {"victim@gmail.com", rcpt_verdict::relay},
      {"postmaster", rcpt_verdict::trap},
      {"someone", rcpt_verdict::refused},
  };
  for (const auto& c : cases) EXPECT_EQ(p.classify(c.rcpt), c.want) << c.rcpt;
}

}  // namespace
}  // namespace spampot::smtp
