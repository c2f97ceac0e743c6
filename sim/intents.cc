#include "sim/intents.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <set>
#include <unordered_set>

#include "sim/metrics.h"

namespace foldrank::sim {
namespace {

const std::unordered_set<std::string>& StopWords() {
  static const std::unordered_set<std::string> words = {
      "the", "and", "for",  "with", "that", "this", "from",  "are",  "was",
      "not", "you", "your", "but",  "can",  "has",  "have",  "its",  "into",
      "all", "any", "use",  "how",  "what", "when", "which", "who",  "will",
      "one", "our", "out",  "more", "also", "than", "then",  "there"};
  return words;
}

bool Contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

}  // namespace

std::vector<std::string> UserWords(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (word.size() >= 3 && !StopWords().count(word) && !Contains(words, word)) {
      words.push_back(word);
    }
    word.clear();
  };
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      word.push_back(static_cast<char>(std::tolower(u)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

IntentGenerator::IntentGenerator(const std::vector<Document>& corpus) : corpus_(corpus) {
  title_words_.reserve(corpus.size());
  body_words_.reserve(corpus.size());
  std::vector<double> log_popularity(corpus.size());
  for (std::uint32_t d = 0; d < corpus.size(); ++d) {
    title_words_.push_back(UserWords(corpus[d].title));
    body_words_.push_back(UserWords(corpus[d].body));
    std::set<std::string> all(title_words_[d].begin(), title_words_[d].end());
    all.insert(body_words_[d].begin(), body_words_[d].end());
    for (const std::string& word : all) postings_[word].push_back(d);
    for (const std::string& tag : corpus[d].tags) tagged_[tag].push_back(d);
    log_popularity[d] = std::log1p(corpus[d].popularity);
  }
  // Quality: a logistic of standardized log popularity plus as much noise again, so
  // popularity predicts it only in part. Fixed seed: part of the corpus's "truth".
  const double mean =
      std::accumulate(log_popularity.begin(), log_popularity.end(), 0.0) / corpus.size();
  double variance = 0;
  for (double p : log_popularity) variance += (p - mean) * (p - mean);
  const double sd = std::sqrt(variance / corpus.size()) + 1e-9;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  quality_.resize(corpus.size());
  for (std::size_t d = 0; d < corpus.size(); ++d) {
    quality_[d] = 1 / (1 + std::exp(-((log_popularity[d] - mean) / sd + noise(rng))));
  }
}

Intent IntentGenerator::KnownItem(std::size_t target, std::mt19937_64& rng,
                                  double typo_rate) const {
  // The target's most distinctive words: rarest first, title words ahead of body's.
  std::vector<std::string> words = title_words_[target];
  for (const std::string& w : body_words_[target]) {
    if (!Contains(words, w)) words.push_back(w);
  }
  const std::size_t title_count = title_words_[target].size();
  std::vector<std::size_t> order(words.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const bool ta = a < title_count, tb = b < title_count;
    if (ta != tb) return ta;
    return postings_.at(words[a]).size() < postings_.at(words[b]).size();
  });
  std::uniform_int_distribution<int> length(1, 3);
  std::vector<std::string> query;
  for (std::size_t i = 0; i < order.size() && query.size() < static_cast<std::size_t>(length(rng));
       ++i) {
    query.push_back(words[order[i]]);
  }
  std::uniform_real_distribution<double> unit(0, 1);
  if (unit(rng) < typo_rate) {
    if (query.size() > 1 && unit(rng) < 0.5) {
      query.pop_back();  // A word dropped...
    } else {
      // ...or a wrong one added: a word of another document.
      const std::size_t other =
          std::uniform_int_distribution<std::size_t>(0, corpus_.size() - 1)(rng);
      if (!title_words_[other].empty()) query.push_back(title_words_[other].front());
    }
  }
  Intent intent;
  intent.kind = Intent::Kind::kKnownItem;
  for (const std::string& w : query) intent.query += (intent.query.empty() ? "" : " ") + w;
  // Other documents: by how many query words they hold, and quality.
  std::unordered_map<std::uint32_t, int> matched;
  for (const std::string& w : query) {
    auto found = postings_.find(w);
    if (found == postings_.end()) continue;
    for (std::uint32_t d : found->second) ++matched[d];
  }
  for (const auto& [d, count] : matched) {
    const double q = quality_[d];
    int grade = 0;
    if (count == static_cast<int>(query.size())) {
      grade = 1 + (q > 0.6) + (q > 0.85);
    } else if (q > 0.8) {
      grade = 1;
    }
    if (grade > 0) intent.grades[corpus_[d].id] = grade;
  }
  intent.grades[corpus_[target].id] = 4;
  Finish(intent);
  return intent;
}

Intent IntentGenerator::Topical(const std::string& tag, std::mt19937_64& rng) const {
  const std::vector<std::uint32_t>& docs = tagged_.at(tag);
  // A word that several of the tag's documents use in their titles.
  std::unordered_map<std::string, int> counts;
  for (std::uint32_t d : docs) {
    for (const std::string& w : title_words_[d]) ++counts[w];
  }
  std::vector<std::pair<std::string, int>> common(counts.begin(), counts.end());
  std::sort(common.begin(), common.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (common.size() > 10) common.resize(10);
  Intent intent;
  intent.kind = Intent::Kind::kTopical;
  const std::string word =
      common.empty()
          ? std::string()
          : common[std::uniform_int_distribution<std::size_t>(0, common.size() - 1)(rng)].first;
  intent.query = tag + (word.empty() ? "" : " " + word);
  for (std::uint32_t d : docs) {
    const double q = quality_[d];
    int grade = 0;
    if (!word.empty() && Contains(title_words_[d], word)) {
      grade = std::min(4, 2 + (q > 0.5) + (q > 0.85));
    } else if (!word.empty() && Contains(body_words_[d], word)) {
      grade = 1 + (q > 0.6) + (q > 0.9);
    } else if (q > 0.7) {
      grade = 1;
    }
    if (grade > 0) intent.grades[corpus_[d].id] = grade;
  }
  Finish(intent);
  return intent;
}

void IntentGenerator::Finish(Intent& intent) const {
  std::vector<int> grades;
  grades.reserve(intent.grades.size());
  for (const auto& [id, grade] : intent.grades) grades.push_back(grade);
  std::sort(grades.rbegin(), grades.rend());
  intent.ideal_dcg = DcgAt10(grades);
}

IntentSplit HoldOutEveryFifth(std::vector<Intent> intents) {
  IntentSplit split;
  for (std::size_t i = 0; i < intents.size(); ++i) {
    (i % 5 == 4 ? split.heldout : split.train).push_back(std::move(intents[i]));
  }
  return split;
}

std::vector<Intent> IntentGenerator::Generate(const IntentOptions& options) const {
  std::mt19937_64 rng(options.seed);
  // Known-item targets: drawn by weight sqrt(1 + popularity), without repeats.
  std::vector<double> weights(corpus_.size());
  for (std::size_t d = 0; d < corpus_.size(); ++d) {
    weights[d] = title_words_[d].empty() && body_words_[d].empty()
                     ? 0
                     : std::sqrt(1 + corpus_[d].popularity);
  }
  std::vector<std::string> tags;
  for (const auto& [tag, docs] : tagged_) {
    if (docs.size() >= 3) tags.push_back(tag);
  }
  std::sort(tags.begin(), tags.end());
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Intent> intents;
  std::set<std::string> queries;
  for (std::size_t attempt = 0; intents.size() < options.count && attempt < options.count * 10;
       ++attempt) {
    Intent intent;
    if (!tags.empty() && unit(rng) < options.topical_share) {
      intent =
          Topical(tags[std::uniform_int_distribution<std::size_t>(0, tags.size() - 1)(rng)], rng);
    } else {
      std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
      const std::size_t target = pick(rng);
      weights[target] = 0;
      intent = KnownItem(target, rng, options.typo_rate);
    }
    // One intent per query text (grades must not depend on who typed it).
    if (intent.query.empty() || intent.ideal_dcg <= 0 || !queries.insert(intent.query).second) {
      continue;
    }
    intents.push_back(std::move(intent));
  }
  return intents;
}

}  // namespace foldrank::sim
