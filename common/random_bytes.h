#pragma once

#include <cstddef>
#include <string>

namespace foldrank {

// Fills `out` with `size` bytes from the kernel's CSPRNG (getrandom). Never fails:
// a kernel without randomness is a bug of the machine, checked.
void RandomBytes(void* out, std::size_t size);

// `size` bytes as 2 * size lowercase hex digits.
std::string HexString(const unsigned char* bytes, std::size_t size);

// `bytes` random bytes (RandomBytes) as lowercase hex: secrets and unguessable ids.
std::string RandomHex(std::size_t bytes);

}  // namespace foldrank
