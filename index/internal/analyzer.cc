#include "index/internal/analyzer.h"

#include <algorithm>

namespace foldrank {
namespace {

// The chain's two ends, kept together so a reused chain can be pointed at new text.
class SavedChain : public Lucene::LuceneObject {
 public:
  ~SavedChain() override = default;
  using String = Lucene::String;  // LUCENE_CLASS names it unqualified.
  LUCENE_CLASS(SavedChain);
  Lucene::StandardTokenizerPtr source;
  Lucene::TokenStreamPtr sink;
};

Lucene::TokenStreamPtr BuildChain(const Lucene::TokenStreamPtr& source,
                                  const Lucene::CharArraySetPtr& stop_words) {
  Lucene::TokenStreamPtr stream = Lucene::newLucene<Lucene::StandardFilter>(source);
  stream = Lucene::newLucene<Lucene::LowerCaseFilter>(stream);
  stream = Lucene::newLucene<Lucene::StopFilter>(true, stream, stop_words);
  return Lucene::newLucene<Lucene::PorterStemFilter>(stream);
}

// English stop words, shared read-only by every chain.
const Lucene::CharArraySetPtr& StopWords() {
  static const Lucene::CharArraySetPtr stop_words = Lucene::newLucene<Lucene::CharArraySet>(
      Lucene::StopAnalyzer::ENGLISH_STOP_WORDS_SET(), false);
  return stop_words;
}

// Position gap between the values of a multi-valued field (tags, the parts of `all`):
// larger than any sensible phrase slop.
constexpr int32_t kValueGap = 100;

}  // namespace

FoldrankAnalyzer::FoldrankAnalyzer() : stop_words_(StopWords()) {}

FoldrankAnalyzer::~FoldrankAnalyzer() = default;

Lucene::TokenStreamPtr FoldrankAnalyzer::tokenStream(const Lucene::String&,
                                                     const Lucene::ReaderPtr& reader) {
  return BuildChain(
      Lucene::newLucene<Lucene::StandardTokenizer>(Lucene::LuceneVersion::LUCENE_30, reader),
      stop_words_);
}

Lucene::TokenStreamPtr FoldrankAnalyzer::reusableTokenStream(const Lucene::String&,
                                                             const Lucene::ReaderPtr& reader) {
  auto chain = boost::dynamic_pointer_cast<SavedChain>(getPreviousTokenStream());
  if (!chain) {
    chain = Lucene::newLucene<SavedChain>();
    chain->source =
        Lucene::newLucene<Lucene::StandardTokenizer>(Lucene::LuceneVersion::LUCENE_30, reader);
    chain->sink = BuildChain(chain->source, stop_words_);
    setPreviousTokenStream(chain);
  } else {
    chain->source->reset(reader);
  }
  return chain->sink;
}

int32_t FoldrankAnalyzer::getPositionIncrementGap(const Lucene::String&) { return kValueGap; }

void Analyze(const Lucene::String& text, std::vector<AnalyzedToken>& tokens) {
  struct Chain {
    Lucene::StandardTokenizerPtr source;
    Lucene::TokenStreamPtr sink;
    Lucene::TermAttributePtr term;
    Lucene::PositionIncrementAttributePtr increment;
    Lucene::OffsetAttributePtr offset;
  };
  thread_local Chain chain = [] {
    Chain built;
    built.source = Lucene::newLucene<Lucene::StandardTokenizer>(
        Lucene::LuceneVersion::LUCENE_30, Lucene::newLucene<Lucene::StringReader>(L""));
    built.sink = BuildChain(built.source, StopWords());
    built.term = built.sink->addAttribute<Lucene::TermAttribute>();
    built.increment = built.sink->addAttribute<Lucene::PositionIncrementAttribute>();
    built.offset = built.sink->addAttribute<Lucene::OffsetAttribute>();
    return built;
  }();
  chain.source->reset(Lucene::newLucene<Lucene::StringReader>(text));
  chain.sink->reset();
  while (chain.sink->incrementToken()) {
    tokens.push_back({Lucene::String(chain.term->termBufferArray(), chain.term->termLength()),
                      chain.increment->getPositionIncrement(), chain.offset->startOffset(),
                      chain.offset->endOffset()});
  }
  chain.sink->end();
}

std::vector<Lucene::String> AnalyzeDistinctTerms(std::string_view utf8_text) {
  std::vector<AnalyzedToken> tokens;
  Analyze(Lucene::StringUtils::toUnicode(std::string(utf8_text)), tokens);
  std::vector<Lucene::String> terms;
  for (AnalyzedToken& token : tokens) {
    if (std::find(terms.begin(), terms.end(), token.term) == terms.end()) {
      terms.push_back(std::move(token.term));
    }
  }
  return terms;
}

}  // namespace foldrank
