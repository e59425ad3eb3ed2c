// Appending to the journal from a coroutine: the record goes to the journal's writer thread, and
// the coroutine resumes on its own executor once the record is durable. Shared by the SMTP
// connections (a 250 waits for it) and the seed page (a page waits for its seed's record).
#pragma once

#include <asio/async_result.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <memory>

#include "capture/journal.hpp"

namespace spampot::net {

// Resumes with the record's position and ok = true once it is durable, or ok = false if the
// write failed.
template <class Executor>
auto async_append(Executor ex, capture::journal& j, capture::record rec) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(capture::position, bool)>(
      [&j, ex](auto handler, capture::record r) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        auto work = std::make_shared<asio::executor_work_guard<Executor>>(ex);
        j.append(std::move(r), [h, work, ex](Result<capture::position> p) {
          const bool ok = p.ok();
          const capture::position at = ok ? p.value() : capture::position{};
          asio::post(ex, [h, work, at, ok]() mutable { (*h)(at, ok); });
        });
      },
      asio::use_awaitable, std::move(rec));
}

}  // namespace spampot::net
