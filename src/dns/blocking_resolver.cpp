#include "dns/blocking_resolver.hpp"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <future>
#include <thread>

namespace spampot::dns {

struct blocking_resolver::impl {
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  std::unique_ptr<resolver> r;
  std::thread thread;

  ~impl() {
    work.reset();
    io.stop();
    if (thread.joinable()) thread.join();
    // The resolver goes on the thread that made it, after its loop: no callback runs any more.
    r.reset();
  }
};

blocking_resolver::blocking_resolver(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
blocking_resolver::~blocking_resolver() = default;

Result<std::unique_ptr<blocking_resolver>> blocking_resolver::make(const resolver_options& o) {
  auto i = std::make_unique<impl>();
  auto r = make_resolver(i->io, o);
  if (!r) return r.failure();
  i->r = std::move(*r);
  i->thread = std::thread([io = &i->io] { io->run(); });
  return std::unique_ptr<blocking_resolver>(new blocking_resolver(std::move(i)));
}

lookup_result blocking_resolver::ask(const std::string& name, rr type) {
  auto answer = std::make_shared<std::promise<lookup_result>>();
  auto got = answer->get_future();
  asio::post(impl_->io, [this, name, type, answer] {
    impl_->r->query(name, type, [answer](const lookup_result& l) { answer->set_value(l); });
  });
  return got.get();
}

}  // namespace spampot::dns
