#pragma once

// What a fuzz target asserts: a broken property is a crash, so that libFuzzer keeps
// the input and the corpus replay fails on it.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace foldrank::fuzz {

inline void Require(bool holds, std::string_view what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz property broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace foldrank::fuzz
