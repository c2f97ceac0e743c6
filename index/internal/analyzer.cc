#include "index/internal/analyzer.h"

#include <libstemmer.h>

#include <algorithm>
#include <map>

#include "common/check.h"
#include "index/internal/text_fold.h"

namespace foldrank {
namespace {

// Folds, drops English stop words (their positions stay, as gaps) and stems each
// token. Owns its stemmer: Snowball stemmers are not thread-safe, and a chain is
// used by one thread at a time.
class FoldAndStemFilter : public Lucene::TokenFilter {
 public:
  FoldAndStemFilter(const Lucene::TokenStreamPtr& source, const std::string& language,
                    Lucene::CharArraySetPtr stop_words)
      : Lucene::TokenFilter(source),
        stemmer_(sb_stemmer_new(language.c_str(), "UTF_8")),
        stop_words_(std::move(stop_words)) {
    FOLDRANK_CHECK(stemmer_ != nullptr);  // The language was checked (CheckAnalysisLanguage).
    term_ = addAttribute<Lucene::TermAttribute>();
    increment_ = addAttribute<Lucene::PositionIncrementAttribute>();
  }
  ~FoldAndStemFilter() override { sb_stemmer_delete(stemmer_); }
  using String = Lucene::String;  // LUCENE_CLASS names it unqualified.
  LUCENE_CLASS(FoldAndStemFilter);

  bool incrementToken() override {
    int32_t skipped = 0;
    while (input->incrementToken()) {
      raw_.clear();
      AppendUtf8(term_->termBufferArray(), static_cast<std::size_t>(term_->termLength()), raw_);
      folded_.clear();
      FoldWord(raw_, folded_);
      wide_.clear();
      AppendWide(folded_, wide_);
      if (wide_.empty() ||
          (stop_words_ &&
           stop_words_->contains(wide_.data(), 0, static_cast<int32_t>(wide_.size())))) {
        skipped += increment_->getPositionIncrement();
        continue;
      }
      const sb_symbol* stem =
          sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(folded_.data()),
                          static_cast<int>(folded_.size()));
      if (stem != nullptr) {
        wide_.clear();
        AppendWide(std::string_view(reinterpret_cast<const char*>(stem),
                                    static_cast<std::size_t>(sb_stemmer_length(stemmer_))),
                   wide_);
      }
      term_->setTermBuffer(wide_.data(), 0, static_cast<int32_t>(wide_.size()));
      if (skipped > 0)
        increment_->setPositionIncrement(increment_->getPositionIncrement() + skipped);
      return true;
    }
    return false;
  }

 private:
  sb_stemmer* stemmer_;
  Lucene::CharArraySetPtr stop_words_;  // Null: none.
  Lucene::TermAttributePtr term_;
  Lucene::PositionIncrementAttributePtr increment_;
  std::string raw_, folded_;  // Reused buffers.
  std::wstring wide_;
};

// The chain's two ends, kept together so a reused chain can be pointed at new text.
class SavedChain : public Lucene::LuceneObject {
 public:
  ~SavedChain() override = default;
  using String = Lucene::String;  // LUCENE_CLASS names it unqualified.
  LUCENE_CLASS(SavedChain);
  Lucene::StandardTokenizerPtr source;
  Lucene::TokenStreamPtr sink;
};

// English stop words, shared read-only by every chain. Stop words are for English
// only: Snowball ships stemmers, not stop lists.
Lucene::CharArraySetPtr StopWordsFor(std::string_view language) {
  static const Lucene::CharArraySetPtr english = Lucene::newLucene<Lucene::CharArraySet>(
      Lucene::StopAnalyzer::ENGLISH_STOP_WORDS_SET(), false);
  return language == "english" || language == "porter" ? english : Lucene::CharArraySetPtr();
}

Lucene::TokenStreamPtr BuildChain(const Lucene::TokenStreamPtr& source,
                                  const std::string& language) {
  Lucene::TokenStreamPtr stream = Lucene::newLucene<Lucene::StandardFilter>(source);
  return Lucene::newLucene<FoldAndStemFilter>(stream, language, StopWordsFor(language));
}

// Position gap between the values of a multi-valued field (tags, the parts of `all`):
// larger than any sensible phrase slop.
constexpr int32_t kValueGap = 100;

}  // namespace

FoldrankAnalyzer::FoldrankAnalyzer(std::string language) : language_(std::move(language)) {}

FoldrankAnalyzer::~FoldrankAnalyzer() = default;

Lucene::TokenStreamPtr FoldrankAnalyzer::tokenStream(const Lucene::String&,
                                                     const Lucene::ReaderPtr& reader) {
  return BuildChain(
      Lucene::newLucene<Lucene::StandardTokenizer>(Lucene::LuceneVersion::LUCENE_30, reader),
      language_);
}

Lucene::TokenStreamPtr FoldrankAnalyzer::reusableTokenStream(const Lucene::String&,
                                                             const Lucene::ReaderPtr& reader) {
  auto chain = boost::dynamic_pointer_cast<SavedChain>(getPreviousTokenStream());
  if (!chain) {
    chain = Lucene::newLucene<SavedChain>();
    chain->source =
        Lucene::newLucene<Lucene::StandardTokenizer>(Lucene::LuceneVersion::LUCENE_30, reader);
    chain->sink = BuildChain(chain->source, language_);
    setPreviousTokenStream(chain);
  } else {
    chain->source->reset(reader);
  }
  return chain->sink;
}

int32_t FoldrankAnalyzer::getPositionIncrementGap(const Lucene::String&) { return kValueGap; }

void Analyze(std::string_view language, const Lucene::String& text,
             std::vector<AnalyzedToken>& tokens) {
  struct Chain {
    Lucene::StandardTokenizerPtr source;
    Lucene::TokenStreamPtr sink;
    Lucene::TermAttributePtr term;
    Lucene::PositionIncrementAttributePtr increment;
    Lucene::OffsetAttributePtr offset;
  };
  // One chain per language a thread has analyzed (an index has one language).
  thread_local std::map<std::string, Chain, std::less<>> chains;
  auto found = chains.find(language);
  if (found == chains.end()) {
    Chain built;
    built.source = Lucene::newLucene<Lucene::StandardTokenizer>(
        Lucene::LuceneVersion::LUCENE_30, Lucene::newLucene<Lucene::StringReader>(L""));
    built.sink = BuildChain(built.source, std::string(language));
    built.term = built.sink->addAttribute<Lucene::TermAttribute>();
    built.increment = built.sink->addAttribute<Lucene::PositionIncrementAttribute>();
    built.offset = built.sink->addAttribute<Lucene::OffsetAttribute>();
    found = chains.emplace(std::string(language), std::move(built)).first;
  }
  Chain& chain = found->second;
  chain.source->reset(Lucene::newLucene<Lucene::StringReader>(text));
  chain.sink->reset();
  while (chain.sink->incrementToken()) {
    tokens.push_back({Lucene::String(chain.term->termBufferArray(), chain.term->termLength()),
                      chain.increment->getPositionIncrement(), chain.offset->startOffset(),
                      chain.offset->endOffset()});
  }
  chain.sink->end();
}

std::vector<Lucene::String> AnalyzeDistinctTerms(std::string_view language,
                                                 std::string_view utf8_text) {
  std::vector<AnalyzedToken> tokens;
  Analyze(language, Lucene::StringUtils::toUnicode(std::string(utf8_text)), tokens);
  std::vector<Lucene::String> terms;
  for (AnalyzedToken& token : tokens) {
    if (std::find(terms.begin(), terms.end(), token.term) == terms.end()) {
      terms.push_back(std::move(token.term));
    }
  }
  return terms;
}

}  // namespace foldrank
