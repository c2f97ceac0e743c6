#include "index/internal/replay_token_stream.h"

namespace foldrank {

ReplayTokenStream::ReplayTokenStream(const std::vector<AnalyzedToken>* tokens)
    : tokens_(tokens),
      term_(addAttribute<Lucene::TermAttribute>()),
      increment_(addAttribute<Lucene::PositionIncrementAttribute>()),
      offset_(addAttribute<Lucene::OffsetAttribute>()) {}

ReplayTokenStream::~ReplayTokenStream() = default;

bool ReplayTokenStream::incrementToken() {
  if (next_ >= tokens_->size()) return false;
  clearAttributes();
  const AnalyzedToken& token = (*tokens_)[next_++];
  term_->setTermBuffer(token.term.data(), 0, static_cast<int32_t>(token.term.size()));
  increment_->setPositionIncrement(token.position_increment);
  offset_->setOffset(token.start_offset, token.end_offset);
  return true;
}

void ReplayTokenStream::reset() { next_ = 0; }

}  // namespace foldrank
