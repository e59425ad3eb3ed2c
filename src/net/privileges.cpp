#include "net/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace spampot::net {

namespace fs = std::filesystem;

Status drop_privileges(const std::string& user, const std::vector<fs::path>& paths) {
  if (user.empty()) return {};
  const passwd* pw = ::getpwnam(user.c_str());
  if (!pw) return Error{"unknown user '" + user + "'"};
  if (::geteuid() == pw->pw_uid) return {};
  if (::geteuid() != 0) return Error{"cannot become user '" + user + "': not started as root"};
  const uid_t uid = pw->pw_uid;
  const gid_t gid = pw->pw_gid;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) continue;
    if (::chown(p.c_str(), uid, gid) != 0)
      return Error{"cannot chown " + p.string() + ": " + std::strerror(errno)};
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (::chown(e.path().c_str(), uid, gid) != 0)
          return Error{"cannot chown " + e.path().string() + ": " + std::strerror(errno)};
      }
    }
  }
  if (::setgroups(1, &gid) != 0) return Error{std::string("setgroups: ") + std::strerror(errno)};
  if (::setgid(gid) != 0) return Error{std::string("setgid: ") + std::strerror(errno)};
  if (::setuid(uid) != 0) return Error{std::string("setuid: ") + std::strerror(errno)};
  // Make sure there is no way back.
  if (::setuid(0) == 0) return Error{"privileges could not be dropped: setuid(0) still works"};
  return {};
}

}  // namespace spampot::net
