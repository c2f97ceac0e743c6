#include "foldrank/version.h"

namespace foldrank {

const char* Version() { return FOLDRANK_LIBRARY_VERSION; }

}  // namespace foldrank
