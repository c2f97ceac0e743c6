#pragma once

// The one place index/ pulls in Lucene++. The umbrella header misses several
// classes we use (LUCENEPP.md pitfall 2), so they are included explicitly.
// LuceneHeaders.h must come first; the others depend on it.
// clang-format off
#include <lucene++/LuceneHeaders.h>
#include <lucene++/CharArraySet.h>
#include <lucene++/CheckIndex.h>
#include <lucene++/FieldCache.h>
#include <lucene++/OffsetAttribute.h>
#include <lucene++/PositionIncrementAttribute.h>
#include <lucene++/Similarity.h>
#include <lucene++/StandardFilter.h>
#include <lucene++/StandardTokenizer.h>
#include <lucene++/TermAttribute.h>
#include <lucene++/TermPositions.h>
// clang-format on
