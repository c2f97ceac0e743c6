#include "common/random_bytes.h"

#include <sys/random.h>

#include <cerrno>
#include <vector>

#include "common/check.h"

namespace foldrank {

void RandomBytes(void* out, std::size_t size) {
  auto* bytes = static_cast<unsigned char*>(out);
  while (size > 0) {
    const ssize_t n = getrandom(bytes, size, 0);
    if (n < 0) {
      FOLDRANK_CHECK(errno == EINTR);  // Other failures mean no kernel randomness at all.
      continue;
    }
    bytes += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::string HexString(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * size, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> random(bytes);
  RandomBytes(random.data(), random.size());
  return HexString(random.data(), random.size());
}

}  // namespace foldrank
