#include "http/admin_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/random_bytes.h"

namespace foldrank::http {
namespace {

constexpr std::size_t kMinTokenBytes = 16;
constexpr std::size_t kMaxTokenBytes = 256;

Status Failed(const std::string& what, const std::filesystem::path& file) {
  return Status::Unavailable("cannot " + what + " " + file.string() + ": " + std::strerror(errno));
}

Result<StoredToken> Create(const std::filesystem::path& file) {
  StoredToken stored{RandomHex(32), true, false};
  const std::string text = stored.token + "\n";
  // O_EXCL: of two servers starting at once, one creates and the other reads.
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Failed("create", file);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) {
    ::unlink(file.c_str());
    return Failed("write", file);
  }
  return stored;
}

}  // namespace

Result<StoredToken> LoadOrCreateAdminToken(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno != ENOENT) return Failed("open", file);
    auto created = Create(file);
    if (created || errno != EEXIST) return created;
    return LoadOrCreateAdminToken(file);  // Another process created it first.
  }
  StoredToken stored;
  struct stat info {};
  if (::fstat(fd, &info) == 0 && (info.st_mode & 077) != 0) {
    stored.tightened = ::fchmod(fd, 0600) == 0;
  }
  char buffer[kMaxTokenBytes + 2];
  const ssize_t n = ::read(fd, buffer, sizeof(buffer));
  ::close(fd);
  if (n < 0) return Failed("read", file);
  std::string text(buffer, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const bool printable =
      std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; });
  if (text.size() < kMinTokenBytes || text.size() > kMaxTokenBytes || !printable) {
    return Status::Corruption(file.string() +
                              " holds no usable admin token (16 to 256 printable "
                              "characters): fix it, or delete it for a new one");
  }
  stored.token = std::move(text);
  return stored;
}

}  // namespace foldrank::http
