#pragma once

#include <cstdio>
#include <cstdlib>

// Invariants, not input validation: a failed check is a bug in foldrank, so it
// prints where and aborts. User input must never be able to trip one.
// FOLDRANK_CHECK stays in release builds; FOLDRANK_DCHECK is for hot paths and
// compiles away with NDEBUG.
#define FOLDRANK_CHECK(condition)                                                        \
  do {                                                                                   \
    if (!(condition)) [[unlikely]] {                                                     \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (false)

#ifdef NDEBUG
#define FOLDRANK_DCHECK(condition) \
  do {                             \
  } while (false && (condition))
#else
#define FOLDRANK_DCHECK(condition) FOLDRANK_CHECK(condition)
#endif
