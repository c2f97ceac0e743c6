#include "feedback/ids.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>

#include "common/check.h"
#include "common/clock.h"
#include "common/random_bytes.h"

namespace foldrank {
namespace {

std::uint64_t Rotate(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

}  // namespace

std::string NewRandomId() {
  unsigned char bytes[16];
  RandomBytes(bytes, sizeof(bytes));
  return HexString(bytes, sizeof(bytes));
}

std::string NewTimeOrderedId() {
  const std::int64_t now_ms = UnixMillis();
  unsigned char time[6];
  for (int i = 0; i < 6; ++i) time[i] = static_cast<unsigned char>(now_ms >> (8 * (5 - i)));
  return HexString(time, sizeof(time)) + NewRandomId();
}

std::array<std::uint64_t, 2> NewSipHashKey() {
  std::array<std::uint64_t, 2> key;
  RandomBytes(key.data(), sizeof(key));
  return key;
}

std::uint64_t SipHash24(std::array<std::uint64_t, 2> key, std::string_view data) {
  std::uint64_t v0 = 0x736f6d6570736575ULL ^ key[0];
  std::uint64_t v1 = 0x646f72616e646f6dULL ^ key[1];
  std::uint64_t v2 = 0x6c7967656e657261ULL ^ key[0];
  std::uint64_t v3 = 0x7465646279746573ULL ^ key[1];
  auto round = [&] {
    v0 += v1;
    v1 = Rotate(v1, 13);
    v1 ^= v0;
    v0 = Rotate(v0, 32);
    v2 += v3;
    v3 = Rotate(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = Rotate(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = Rotate(v1, 17);
    v1 ^= v2;
    v2 = Rotate(v2, 32);
  };
  const std::size_t blocks = data.size() / 8;
  for (std::size_t i = 0; i < blocks; ++i) {
    std::uint64_t m = 0;
    for (int b = 0; b < 8; ++b)
      m |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[8 * i + b])) << (8 * b);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  std::uint64_t last = static_cast<std::uint64_t>(data.size() & 0xff) << 56;
  for (std::size_t b = 0; b < data.size() % 8; ++b) {
    last |= static_cast<std::uint64_t>(static_cast<unsigned char>(data[8 * blocks + b])) << (8 * b);
  }
  v3 ^= last;
  round();
  round();
  v0 ^= last;
  v2 ^= 0xff;
  round();
  round();
  round();
  round();
  return v0 ^ v1 ^ v2 ^ v3;
}

Result<UserKeyHasher> UserKeyHasher::Open(const std::filesystem::path& key_file) {
  std::array<std::uint64_t, 2> key{};
  std::ifstream in(key_file, std::ios::binary);
  if (in.read(reinterpret_cast<char*>(key.data()), sizeof(key)) && in.gcount() == sizeof(key)) {
    return UserKeyHasher(key);
  }
  if (std::filesystem::exists(key_file)) {
    return Status::Corruption(key_file.string() + " is not a 16-byte key");
  }
  RandomBytes(key.data(), sizeof(key));
  const std::string temporary = key_file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Unavailable("cannot create " + temporary);
  const bool written = ::write(fd, key.data(), sizeof(key)) == sizeof(key) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), key_file.c_str()) != 0) {
    return Status::Unavailable("cannot write " + key_file.string());
  }
  return UserKeyHasher(key);
}

std::string UserKeyHasher::Hash(std::string_view user_key) const {
  if (user_key.empty()) return "";
  const std::uint64_t hash = SipHash24(key_, user_key);
  unsigned char bytes[8];
  for (int b = 0; b < 8; ++b) bytes[b] = static_cast<unsigned char>(hash >> (8 * (7 - b)));
  return HexString(bytes, sizeof(bytes));
}

}  // namespace foldrank
