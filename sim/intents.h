#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "foldrank/document.h"

namespace foldrank::sim {

// A simulated user's need: the query they type and the hidden graded relevance
// (0-4) of every document for it. The ranker never sees the grades.
struct Intent {
  enum class Kind { kKnownItem, kTopical };
  Kind kind = Kind::kKnownItem;
  std::string query;
  std::unordered_map<std::string, int> grades;  // Documents with grade > 0.
  double ideal_dcg = 0;                         // DCG@10 of the best possible ranking.

  int Grade(const std::string& doc_id) const {
    auto found = grades.find(doc_id);
    return found == grades.end() ? 0 : found->second;
  }
};

struct IntentOptions {
  std::size_t count = 1000;    // Distinct intents.
  double topical_share = 0.3;  // The rest are known-item intents.
  double typo_rate = 0.15;     // A known-item query loses a word or gains a wrong one.
  std::uint64_t seed = 1;
};

// Intents over a corpus, with a hidden per-document quality (correlated with
// popularity, not equal to it) that shapes the grades, so that learning from clicks
// can beat the text features.
//
// Known-item: a target (drawn with a head/tail skew by popularity) has grade 4; the
// query is 1-3 of its most distinctive words (rarest in the corpus, title first);
// other documents that hold every query word get 1-3 by quality, those that hold
// some get 1 when their quality is high. Topical: a tag plus a word that documents
// with the tag use; documents with the tag are graded by where the word occurs and
// by quality.
class IntentGenerator {
 public:
  explicit IntentGenerator(const std::vector<Document>& corpus);

  std::vector<Intent> Generate(const IntentOptions& options) const;

  double quality(std::size_t doc) const { return quality_[doc]; }

 private:
  Intent KnownItem(std::size_t target, std::mt19937_64& rng, double typo_rate) const;
  Intent Topical(const std::string& tag, std::mt19937_64& rng) const;
  void Finish(Intent& intent) const;  // Ideal DCG.

  const std::vector<Document>& corpus_;
  std::vector<std::vector<std::string>> title_words_, body_words_;        // Distinct, lowercase.
  std::unordered_map<std::string, std::vector<std::uint32_t>> postings_;  // Word -> docs.
  std::unordered_map<std::string, std::vector<std::uint32_t>> tagged_;    // Tag -> docs.
  std::vector<double> quality_;
};

// Every fifth intent held out for offline evaluation, the rest trained on; the list's
// order (by seed) is also the training intents' popularity order.
struct IntentSplit {
  std::vector<Intent> train;
  std::vector<Intent> heldout;
};
IntentSplit HoldOutEveryFifth(std::vector<Intent> intents);

// The words a simulated user would type for `text`: lowercase runs of letters and
// digits, at least 3 long, no stop words; distinct, in order of appearance.
std::vector<std::string> UserWords(const std::string& text);

}  // namespace foldrank::sim
