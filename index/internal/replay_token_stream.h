#pragma once

#include <vector>

#include "index/internal/analyzer.h"

namespace foldrank {

// Feeds tokens that were analyzed once to Lucene, so that one analysis serves both
// a field and the `all` field, and gives us exact lengths for free. Borrows
// `tokens`, which must outlive the IndexWriter call that consumes the stream.
class ReplayTokenStream : public Lucene::TokenStream {
 public:
  explicit ReplayTokenStream(const std::vector<AnalyzedToken>* tokens);
  ~ReplayTokenStream() override;
  using String = Lucene::String;  // LUCENE_CLASS names it unqualified.
  LUCENE_CLASS(ReplayTokenStream);

  bool incrementToken() override;
  void reset() override;

 private:
  const std::vector<AnalyzedToken>* tokens_;
  std::size_t next_ = 0;
  Lucene::TermAttributePtr term_;
  Lucene::PositionIncrementAttributePtr increment_;
  Lucene::OffsetAttributePtr offset_;
};

}  // namespace foldrank
