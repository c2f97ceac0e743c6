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

// Position gap between the values of a multi-valued field (tags, the parts of `all`):
// larger than any sensible phrase slop.
constexpr int32_t kValueGap = 100;

}  // namespace

FoldrankAnalyzer::FoldrankAnalyzer()
    : stop_words_(Lucene::newLucene<Lucene::CharArraySet>(
          Lucene::StopAnalyzer::ENGLISH_STOP_WORDS_SET(), false)) {}

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

void Analyze(Lucene::Analyzer& analyzer, const Lucene::String& field, const Lucene::String& text,
             std::vector<AnalyzedToken>& tokens) {
  Lucene::TokenStreamPtr stream =
      analyzer.reusableTokenStream(field, Lucene::newLucene<Lucene::StringReader>(text));
  auto term = stream->addAttribute<Lucene::TermAttribute>();
  auto increment = stream->addAttribute<Lucene::PositionIncrementAttribute>();
  auto offset = stream->addAttribute<Lucene::OffsetAttribute>();
  stream->reset();
  while (stream->incrementToken()) {
    tokens.push_back({Lucene::String(term->termBufferArray(), term->termLength()),
                      increment->getPositionIncrement(), offset->startOffset(),
                      offset->endOffset()});
  }
  stream->end();
}

std::vector<Lucene::String> AnalyzeDistinctTerms(Lucene::Analyzer& analyzer,
                                                 const Lucene::String& field,
                                                 std::string_view utf8_text) {
  std::vector<AnalyzedToken> tokens;
  Analyze(analyzer, field, Lucene::StringUtils::toUnicode(std::string(utf8_text)), tokens);
  std::vector<Lucene::String> terms;
  for (AnalyzedToken& token : tokens) {
    if (std::find(terms.begin(), terms.end(), token.term) == terms.end()) {
      terms.push_back(std::move(token.term));
    }
  }
  return terms;
}

}  // namespace foldrank
